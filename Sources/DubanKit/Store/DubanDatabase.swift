import Foundation
import GRDB

/// The SQLite database: one connection (`writer`), read-only for the commands that only read,
/// read-write in WAL mode for the others; the schema built by `Migrations`, foreign keys on.
///
/// Opening never writes to a file it then refuses, nor to one a command only reads: the file is
/// inspected through a read-only connection first (`DatabaseFile`, `Migrations.state`), and
/// only a writer that finds a new or an older database migrates it, under `MigrationLock`.
public struct DubanDatabase: Sendable {
    /// The connection; a read-only one refuses any write. The stores go through `read`,
    /// `write` and `writeWithoutTransaction`, which report failures as `StoreError`.
    public let writer: any DatabaseWriter
    /// The migrations this open applied (an absent, empty or older database opened to write).
    public let migrated: [String]
    /// The file (":memory:" for an in-memory database), named by every `StoreError`.
    public let path: String

    /// What a command does with the database, which decides how it is opened.
    public enum Access: Sendable {
        /// Only reads: a read-only connection; the schema must be current (nothing is migrated).
        case read
        /// Writes in a transaction it then rolls back (`ledger submit --dry-run`): a read-write
        /// connection, but an older database is refused as by `read`, not upgraded.
        case rehearse
        /// Writes into an existing database, upgrading an older one first.
        case write
        /// As `write`; an absent file, or an empty one (0 bytes, as `touch` or `mktemp` leave it),
        /// becomes a new database.
        case create
        /// As `write`, for a server: reads run on their own read-only connections (a GRDB
        /// `DatabasePool` on the WAL file) beside the one writer, instead of waiting for it.
        case serve
    }

    /// Opens the database at `path` for `access` (see `Access`); throws `StoreError` for a file
    /// that is not a Duban database, or that `access` may not use as it is.
    public init(path: String, access: Access = .create) throws {
        self.path = path
        do {
            (writer, migrated) = try Self.open(path: path, access: access)
        } catch {
            throw StoreError(error, path: path) ?? error
        }
    }

    private static func open(path: String, access: Access) throws -> (any DatabaseWriter, [String]) {
        let header = try DatabaseFile.header(path)
        var state = Migrations.State.empty
        switch header {
        case .absent:
            guard access == .create else { throw StoreError.notFound(path: path) }
        case .empty:
            guard access == .create else { throw StoreError.empty(path: path) }
        case .notSQLite:
            throw StoreError.notSQLite(path: path)
        case .sqlite(let wal):
            let reader = try DatabaseFile.readOnlyQueue(path, wal: wal)
            state = try reader.read { try Migrations.state(of: $0, path: path) }
            switch (state, access) {
            case (.current, .read):
                return (reader, [])
            case (.current, _):
                try reader.close()
                return (access == .serve ? try DatabaseFile.pool(path) : try DatabaseFile.writeQueue(path), [])
            case (.empty, .create), (.older, .write), (.older, .create), (.older, .serve):
                try reader.close()
            case (.empty, _):
                throw StoreError.empty(path: path)
            case (.older(let missing), _):
                throw StoreError.older(path: path, missing: missing)
            }
        }
        let (queue, migrated) = try migrate(path: path)
        guard access == .serve else { return (queue, migrated) }
        try queue.close()
        return (try DatabaseFile.pool(path), migrated)
    }

    /// Applies the migrations `path` lacks, one process at a time (`MigrationLock`); returns the
    /// connection that did it (a `DatabaseFile.writeQueue`, kept: closing it would checkpoint the
    /// WAL and opening another would read the schema again) and the migrations it applied (none
    /// when another process had just done it). The file was found new, empty, or an older Duban
    /// database; it is inspected again under the lock.
    private static func migrate(path: String) throws -> (DatabaseQueue, [String]) {
        let lock = try MigrationLock(path: path)
        defer { lock.release() }
        let queue = try DatabaseFile.writeQueue(path)
        let applied: [String]
        do {
            applied = try queue.writeWithoutTransaction { db -> [String] in
                let state = try Migrations.state(of: db, path: path)
                let missing: [String]
                switch state {
                case .current: return []
                case .empty: missing = Migrations.steps.map(\.id)
                case .older(let m): missing = m
                }
                try DatabaseFile.useWAL(db, path: path)
                return missing
            }
            if !applied.isEmpty { try Migrations.migrator.migrate(queue) }
        } catch {
            try? queue.close()
            throw error
        }
        return (queue, applied)
    }

    /// An in-memory database, for tests.
    public static func inMemory() throws -> DubanDatabase {
        try DubanDatabase(writer: DatabaseQueue(configuration: DatabaseFile.configuration))
    }

    init(writer: any DatabaseWriter) throws {
        self.writer = writer
        path = ":memory:"
        migrated = Migrations.steps.map(\.id)
        try Migrations.migrator.migrate(writer)
    }

    func read<T>(_ body: (Database) throws -> T) throws -> T {
        try reporting { try writer.read(body) }
    }

    func write<T>(_ body: (Database) throws -> T) throws -> T {
        try reporting { try writer.write(body) }
    }

    func writeWithoutTransaction<T>(_ body: (Database) throws -> T) throws -> T {
        try reporting { try writer.writeWithoutTransaction(body) }
    }

    /// Runs `body`, its failures as `StoreError`s naming the file (the caller's own errors as they are).
    private func reporting<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw StoreError(error, path: path) ?? error
        }
    }
}
