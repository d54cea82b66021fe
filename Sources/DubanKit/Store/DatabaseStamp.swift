import GRDB

/// The state of the database as one connection sees it, read in one read transaction: two
/// equal stamps mean that nothing was committed between the two reads, by this process or any
/// other. What is computed from the facts after a stamp was read may be kept and reused for as
/// long as later reads give the same stamp (the portal's `ReadCache`).
///
/// SQLite gives no counter that every connection shares, so a stamp belongs to its connection:
/// - `PRAGMA data_version` changes when another connection (another process's, or the server's
///   writer seen from a reader) commits; it does not for the connection's own commits;
/// - `totalChanges` (`sqlite3_total_changes`) counts the rows the connection itself inserted,
///   updated or deleted: its own commits, for a connection that writes;
/// - `connection` names the connection (GRDB's label: `duban`, or `duban.reader.N` for a
///   pool's readers, N never reused by a pool), since two connections' data versions count apart.
public struct DatabaseStamp: Hashable, Sendable, CustomStringConvertible {
    public let connection: String
    public let dataVersion: Int64
    public let totalChanges: Int

    public init(connection: String, dataVersion: Int64, totalChanges: Int) {
        (self.connection, self.dataVersion, self.totalChanges) = (connection, dataVersion, totalChanges)
    }

    public var description: String { "\(connection)@\(dataVersion)+\(totalChanges)" }

    /// Whether the state this stamp was read at includes everything committed when `other` was
    /// read: both of one connection, and neither count smaller (both only grow). Stamps of two
    /// connections are never compared: false.
    public func covers(_ other: DatabaseStamp) -> Bool {
        connection == other.connection && dataVersion >= other.dataVersion && totalChanges >= other.totalChanges
    }
}

/// Reads `DatabaseStamp`s of a database, all on one read-only connection of its own, which
/// never writes: every stamp is of that connection, so a value kept under one serves every
/// reader of the server, and every commit (the server's writer's, another process's) changes
/// the next stamp. An in-memory database, or a file that cannot be opened so, is stamped on the
/// database's own connection(s) instead (then a pool's readers stamp apart: still never stale,
/// only shared less).
public final class DatabaseStamper: Sendable {
    private let connection: any DatabaseReader
    private let path: String

    public init(_ database: DubanDatabase) {
        path = database.path
        if database.path != ":memory:", let own = try? DatabaseFile.stampQueue(database.path) {
            connection = own
        } else {
            connection = database.writer
        }
    }

    public func stamp() throws -> DatabaseStamp {
        do {
            return try connection.read { db in
                DatabaseStamp(connection: db.description, dataVersion: try Int64.fetchOne(db, sql: "PRAGMA data_version") ?? 0,
                              totalChanges: db.totalChangesCount)
            }
        } catch {
            throw StoreError(error, path: path) ?? error
        }
    }
}

extension DatabaseFile {
    /// A read-only connection that sees every commit: unlike `readOnlyQueue`, never opened as
    /// immutable (an immutable connection would not see a change).
    static func stampQueue(_ path: String) throws -> DatabaseQueue {
        var config = configuration
        config.readonly = true
        config.label = "duban.stamps"
        return try DatabaseQueue(path: path, configuration: config)
    }
}
