#if canImport(GRDBSQLite)
import GRDBSQLite
#else
import SQLite3
#endif

/// Binding a text with this, SQLite copies it (a Swift string's buffer is temporary). The C
/// macro is a cast that Swift does not import; the stores that bind through the C API share it.
let SQLITE_TRANSIENT = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
