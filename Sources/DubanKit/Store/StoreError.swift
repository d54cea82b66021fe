import Foundation
import GRDB

/// Why the store cannot do what was asked. Every store failure a user can meet is one of these;
/// `message` and `hint` hold their wording, here and nowhere else.
public enum StoreError: Error, Equatable, Sendable {
    /// No file at the path, for a command that needs an existing database.
    case notFound(path: String)
    /// An empty file (0 bytes, or an SQLite file without any table): no Duban database yet.
    case empty(path: String)
    /// Not an SQLite database at all.
    case notSQLite(path: String)
    /// An SQLite database without Duban's schema: another application's.
    case foreign(path: String)
    /// Written by a newer duban: it records migrations this one does not know.
    case newer(path: String, unknown: [String])
    /// Made by an older duban; a command that only reads does not upgrade it.
    case older(path: String, missing: [String])
    /// The record of applied migrations (`grdb_migrations`) does not match the schema.
    case migrationsTampered(path: String, detail: String)
    /// Another process held the write lock past the busy timeout.
    case busy(path: String)
    /// The file, or the folder it is in, cannot be written.
    case readOnly(path: String)
    /// The file is damaged (SQLite reports corruption), or holds a value its schema rules out.
    case corrupt(path: String, detail: String)
    /// A write the schema refuses (a foreign key, a CHECK, a trigger of the append-only tables):
    /// nothing of it was written.
    case refused(path: String, detail: String)
    /// Any other failure to read or write the file (disk full, an I/O error, a missing folder).
    case io(path: String, detail: String)

    public var path: String {
        switch self {
        case .notFound(let p), .empty(let p), .notSQLite(let p), .foreign(let p), .newer(let p, _), .older(let p, _),
             .migrationsTampered(let p, _), .busy(let p), .readOnly(let p), .corrupt(let p, _), .refused(let p, _), .io(let p, _):
            return p
        }
    }

    /// One line saying what is wrong, naming the file.
    public var message: String {
        switch self {
        case .notFound(let path):
            return "no database at \(path)"
        case .empty(let path):
            return "\(path) is empty: it holds no Duban database (nothing was written to it)"
        case .notSQLite(let path):
            return "\(path) is not a Duban database: it is not an SQLite file (nothing was written to it)"
        case .foreign(let path):
            return "\(path) is not a Duban database: it is another application's SQLite database (nothing was written to it)"
        case .newer(let path, let unknown):
            return "\(path) was written by a newer duban: its schema has migrations this one (\(DubanKit.version)) does not know: \(unknown.joined(separator: ", "))"
        case .older(let path, let missing):
            return "\(path) was made by an older duban and needs upgrading (migrations \(missing.joined(separator: ", "))); this command only reads and does not upgrade it"
        case .migrationsTampered(let path, let detail):
            return "\(path): the record of schema migrations (table grdb_migrations) does not match the schema: \(detail)"
        case .busy:
            return "the database is busy (another duban is writing)"
        case .readOnly(let path):
            return "cannot write \(path): the file or its folder is read-only"
        case .corrupt(let path, let detail):
            return "\(path) is damaged: \(detail)"
        case .refused(let path, let detail):
            return "\(path) refused the change (\(detail)); nothing of it was written"
        case .io(let path, let detail):
            return "database \(path): \(detail)"
        }
    }

    /// What to do about it.
    public var hint: String {
        switch self {
        case .notFound:
            return "load a plan first: duban plan load Plans/zhangye-2023-2025 (or name one with --db)"
        case .empty(let path):
            return "load a plan into it: duban plan load PLAN_FOLDER --db \(path)"
        case .notSQLite, .foreign:
            return "check --db and $DUBAN_DB; `duban plan load` makes a new database at a path where no file is"
        case .newer:
            return "use the newer duban that wrote it"
        case .older(let path, _):
            return "upgrade it with: duban db migrate --db \(path) (any command that writes upgrades it too)"
        case .migrationsTampered:
            return "the database was changed by something other than duban; restore it from a backup"
        case .busy:
            return "try again in a moment"
        case .readOnly:
            return "the commands that only read work on it; to write, use a copy you can write"
        case .corrupt(let path, _):
            return "restore it from a backup; `sqlite3 \(path) 'PRAGMA integrity_check'` lists what is damaged"
        case .refused:
            return "duban checks what it records before writing it: please report this with the command you ran"
        case .io:
            return "check that --db names a Duban database you can write"
        }
    }
}

/// A stored value that does not read back (a status that is not one, a date that is not a
/// date): the database was edited by hand or damaged. Reported as `StoreError.corrupt`.
struct StoreCorruption: Error, CustomStringConvertible {
    var description: String
}

extension StoreError {
    /// `error` as the store error it is, naming `path`; nil for an error that is not the store's
    /// (one of the caller's, thrown through a transaction).
    init?(_ error: any Error, path: String) {
        switch error {
        case let error as StoreError: self = error
        case let error as StoreCorruption: self = .corrupt(path: path, detail: error.description)
        case let error as DecodingError: self = .corrupt(path: path, detail: "a stored value does not read back: \(Self.describe(error))")
        case let error as DatabaseError: self = StoreError(error, path: path)
        default: return nil
        }
    }

    /// SQLite's result code, as what it means for the file.
    init(_ error: DatabaseError, path: String) {
        let message = error.message ?? "\(error.resultCode)"
        switch error.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED: self = .busy(path: path)
        case .SQLITE_CORRUPT, .SQLITE_NOTADB: self = .corrupt(path: path, detail: message)
        case .SQLITE_READONLY: self = .readOnly(path: path)
        case .SQLITE_FULL: self = .io(path: path, detail: "the disk is full")
        case .SQLITE_CONSTRAINT: self = .refused(path: path, detail: message)
        case .SQLITE_ERROR where message.hasPrefix("no such table") || message.hasPrefix("no such column"):
            self = .corrupt(path: path, detail: "its schema was changed by something other than duban (\(message))")
        default: self = .io(path: path, detail: message)
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        func at(_ context: DecodingError.Context) -> String {
            context.codingPath.isEmpty ? "" : " at " + context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context): return "\"\(key.stringValue)\" is missing\(at(context))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return context.debugDescription + at(context)
        @unknown default: return "\(error)"
        }
    }
}
