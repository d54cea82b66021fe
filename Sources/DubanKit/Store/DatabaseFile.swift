import Foundation
import GRDB
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The database file on disk: what it holds, found without writing to it, and the connections
/// to it (read-only, or read-write in WAL mode).
enum DatabaseFile {
    /// What the first bytes of the file say.
    enum Header: Equatable {
        case absent
        case empty
        case notSQLite
        /// An SQLite database; `wal` when its header says WAL mode (bytes 18 and 19 are 2).
        case sqlite(wal: Bool)
    }

    static func header(_ path: String) throws -> Header {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let code = errno
            if code == ENOENT { return .absent }
            throw StoreError.io(path: path, detail: "cannot open it: \(String(cString: strerror(code)))")
        }
        // Closing this descriptor drops the POSIX locks this process holds on the file, SQLite's
        // included: duban opens one database per process, and reads this before connecting.
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: 100)
        let count = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress, 100) }
        guard count >= 0 else {
            throw StoreError.io(path: path, detail: "cannot read it: \(String(cString: strerror(errno)))")
        }
        if count == 0 { return .empty }
        let magic = Array("SQLite format 3\0".utf8)
        guard bytes.prefix(count).starts(with: magic.prefix(count)) else { return .notSQLite }
        guard count == 100 else { throw StoreError.corrupt(path: path, detail: "it is truncated (\(count) bytes)") }
        var info = stat()
        if fstat(fd, &info) == 0, let expected = expectedSize(bytes), Int64(info.st_size) < expected, !hasLiveWAL(path) {
            throw StoreError.corrupt(path: path, detail: "it is truncated (\(info.st_size) bytes, where its header says \(expected))")
        }
        return .sqlite(wal: bytes[18] == 2 && bytes[19] == 2)
    }

    /// The file's size by its header (page size × page count), when the header's count is valid
    /// (its change counter matches the version-valid-for number, as SQLite requires).
    static func expectedSize(_ header: [UInt8]) -> Int64? {
        func int(_ at: Int) -> Int64 { header[at..<at + 4].reduce(0) { $0 << 8 | Int64($1) } }
        let pageSize = Int64(header[16]) << 8 | Int64(header[17])
        let pages = int(28)
        guard pages > 0, int(24) == int(92) else { return nil }
        return (pageSize == 1 ? 65536 : pageSize) * pages
    }

    /// Whether a `-wal` file with content lies beside the database: then the pages past the
    /// file's end may be in it, and only SQLite can tell.
    static func hasLiveWAL(_ path: String) -> Bool {
        var info = stat()
        return stat(path + "-wal", &info) == 0 && info.st_size > 0
    }

    /// A read-only connection: SQLite opens the file with `SQLITE_OPEN_READONLY`, so nothing
    /// this connection does can change it. A WAL database also needs its `-shm` and `-wal`
    /// files; where they are absent and cannot be created (a read-only folder or mount), it is
    /// opened as immutable (`?immutable=1`): nothing can be writing to it there.
    static func readOnlyQueue(_ path: String, wal: Bool) throws -> DatabaseQueue {
        var config = configuration
        config.readonly = true
        do {
            return try DatabaseQueue(path: path, configuration: config)
        } catch let error as DatabaseError where wal
            && (error.resultCode == .SQLITE_READONLY || error.resultCode == .SQLITE_CANTOPEN) {
            let uri = URL(fileURLWithPath: path).absoluteString + "?immutable=1"
            return try DatabaseQueue(path: uri, configuration: config)
        }
    }

    /// A read-write connection (created if absent): foreign keys on, busy timeout, WAL's usual
    /// `synchronous = NORMAL`. It sets no journal mode (see `useWAL`), so opening it writes nothing.
    static func writeQueue(_ path: String) throws -> DatabaseQueue {
        var config = configuration
        config.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
        return try DatabaseQueue(path: path, configuration: config)
    }

    /// The server's connections to a current database in WAL mode: one writer, and up to
    /// `readers` read-only connections that read beside it (each read sees the last commit).
    static func pool(_ path: String, readers: Int = 8) throws -> DatabasePool {
        var config = configuration
        config.maximumReaderCount = readers
        config.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
        return try DatabasePool(path: path, configuration: config)
    }

    /// Puts a database in WAL mode (persistent: readers do not block the writer, nor it them).
    /// Done once, by the writer that creates or upgrades the database; GRDB's own WAL setup is not
    /// used, as it writes to the file on every open that finds no `-wal` file.
    static func useWAL(_ db: Database, path: String) throws {
        guard try String.fetchOne(db, sql: "PRAGMA journal_mode") != "wal" else { return }
        guard try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL") == "wal" else {
            throw StoreError.io(path: path, detail: "cannot switch it to WAL mode")
        }
    }

    static var configuration: Configuration {
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(10)
        config.label = "duban"
        return config
    }
}

/// An exclusive `flock` on the database file, held while a writer migrates it: processes that
/// open one new or old database at once migrate it one after another (GRDB's migrator reads
/// which migrations are applied before it takes SQLite's write lock, so two of them would both
/// run the first). The second finds the work done. `flock` locks are apart from SQLite's POSIX
/// locks, but closing the descriptor drops this process's POSIX locks on the file: `release()`
/// is called once the migrating connection is closed.
final class MigrationLock {
    private let fd: Int32

    init(path: String) throws {
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            let code = errno
            if code == EACCES || code == EROFS || code == EPERM { throw StoreError.readOnly(path: path) }
            throw StoreError.io(path: path, detail: "cannot open it: \(String(cString: strerror(code)))")
        }
        while flock(fd, LOCK_EX) != 0 {
            let code = errno
            guard code == EINTR else {
                close(fd)
                throw StoreError.io(path: path, detail: "cannot lock it: \(String(cString: strerror(code)))")
            }
        }
    }

    func release() {
        _ = flock(fd, LOCK_UN)
        close(fd)
    }
}
