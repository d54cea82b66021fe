import Foundation
import GRDB
#if canImport(GRDBSQLite)
import GRDBSQLite
#else
import SQLite3
#endif

/// The hot loop of `ledger submit`: the statements of one submit, prepared once and reused for
/// every ledger and record, bound through the SQLite C API (no per-row argument arrays, no
/// per-row statement compilation), and figures/evidence written as JSON without `JSONEncoder`.
/// Lives for one write transaction.
final class LedgerWriter {
    private let db: Database
    private let current: Statement
    private let previous: Statement
    private let insertSubmission: Statement
    private let insertRecord: Statement

    init(_ db: Database) throws {
        self.db = db
        current = try db.cachedStatement(sql: """
            SELECT id, content_json FROM ledger_submission
            WHERE plan_id = ? AND unit_id = ? AND period = ? ORDER BY id DESC LIMIT 1
            """)
        previous = try db.cachedStatement(sql: """
            SELECT r2.status, r2.percent FROM progress_record r2
            WHERE r2.plan_id = ? AND r2.unit_id = ? AND r2.task_number IS ? AND r2.milestone_id IS ? AND r2.reported_on <= ?
              AND NOT EXISTS (SELECT 1 FROM ledger_submission s WHERE s.supersedes_id = r2.submission_id)
            ORDER BY r2.reported_on DESC, r2.id DESC LIMIT 1
            """)
        insertSubmission = try db.cachedStatement(sql: """
            INSERT INTO ledger_submission (plan_id, unit_id, period, period_start, period_end, submitted_on, liaison_name,
                liaison_phone, source_file, source_format, content_hash, content_json, entry_count, supersedes_id, recorded_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        insertRecord = try db.cachedStatement(sql: """
            INSERT INTO progress_record (plan_id, unit_id, task_number, milestone_id, status, percent, completed_on,
                reported_on, progress, problems, next_steps, figures_json, evidence_json, origin, submission_id,
                source, source_line, recorded_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'ledger', ?, ?, ?, ?)
            """)
    }

    /// The current submission of (plan, unit, period): id and content.
    func currentSubmission(plan: String, unit: String, period: String) throws -> (id: Int64, content: String)? {
        let s = current.sqliteStatement
        defer { sqlite3_reset(s); sqlite3_clear_bindings(s) }
        bind(s, 1, plan); bind(s, 2, unit); bind(s, 3, period)
        let rc = sqlite3_step(s)
        guard rc == SQLITE_ROW else { try check(rc); return nil }
        return (sqlite3_column_int64(s, 0), text(s, 1) ?? "")
    }

    /// Status and percent of the latest effective record of (unit, task, milestone) on or before a date.
    func previousState(plan: String, unit: String, task: Int?, milestone: String?, asOf: String) throws -> ProgressState? {
        let s = previous.sqliteStatement
        defer { sqlite3_reset(s); sqlite3_clear_bindings(s) }
        bind(s, 1, plan); bind(s, 2, unit); bind(s, 3, task); bind(s, 4, milestone); bind(s, 5, asOf)
        let rc = sqlite3_step(s)
        guard rc == SQLITE_ROW else { try check(rc); return nil }
        let statusText = text(s, 0) ?? ""
        guard let status = ProgressStatus(rawValue: statusText) else {
            throw StoreCorruption(description: "status \"\(statusText)\" is not a status")
        }
        let percent: Int? = sqlite3_column_type(s, 1) == SQLITE_NULL ? nil : Int(sqlite3_column_int64(s, 1))
        return ProgressState(status: status, percent: percent)
    }

    func insert(submissionOf ledger: Ledger, content: String, hash: String, supersedes: Int64?, recordedAt: String) throws -> Int64 {
        let s = insertSubmission.sqliteStatement
        defer { sqlite3_reset(s); sqlite3_clear_bindings(s) }
        bind(s, 1, ledger.planID); bind(s, 2, ledger.unitID); bind(s, 3, ledger.period.description)
        bind(s, 4, ledger.period.start.description); bind(s, 5, ledger.period.end.description)
        bind(s, 6, ledger.submitted.description); bind(s, 7, ledger.liaison.name); bind(s, 8, ledger.liaison.phone ?? "")
        bind(s, 9, ledger.sourceFile); bind(s, 10, ledger.format.rawValue); bind(s, 11, hash); bind(s, 12, content)
        bind(s, 13, ledger.entries.count); bind(s, 14, supersedes); bind(s, 15, recordedAt)
        try check(sqlite3_step(s))
        return sqlite3_last_insert_rowid(db.sqliteConnection)
    }

    func insert(_ entry: LedgerEntry, of ledger: Ledger, reportedOn: String, submissionID: Int64, recordedAt: String) throws {
        let s = insertRecord.sqliteStatement
        defer { sqlite3_reset(s) }
        bind(s, 1, ledger.planID); bind(s, 2, ledger.unitID); bind(s, 3, entry.task); bind(s, 4, entry.milestone)
        bind(s, 5, entry.status.rawValue); bind(s, 6, entry.percent); bind(s, 7, entry.completed?.description)
        bind(s, 8, reportedOn); bind(s, 9, entry.progress); bind(s, 10, entry.problems); bind(s, 11, entry.nextSteps)
        bind(s, 12, JSONText.figures(entry.figures)); bind(s, 13, JSONText.strings(entry.evidence))
        bind(s, 14, submissionID); bind(s, 15, ledger.sourceFile); bind(s, 16, entry.line); bind(s, 17, recordedAt)
        try check(sqlite3_step(s))
    }

    private func check(_ rc: CInt) throws {
        guard rc == SQLITE_DONE || rc == SQLITE_ROW || rc == SQLITE_OK else {
            let message: String
            if let connection = db.sqliteConnection, let c = sqlite3_errmsg(connection) {
                message = String(cString: c)
            } else {
                message = "error \(rc)"
            }
            throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: message)
        }
    }

    private func bind(_ s: SQLiteStatement, _ i: CInt, _ value: String?) {
        guard let value else { sqlite3_bind_null(s, i); return }
        var v = value
        v.withUTF8 { buf in
            guard let base = buf.baseAddress else { _ = sqlite3_bind_text(s, i, "", 0, Self.transient); return }
            let p = UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self)
            _ = sqlite3_bind_text(s, i, p, CInt(buf.count), Self.transient)
        }
    }

    private func bind(_ s: SQLiteStatement, _ i: CInt, _ value: Int?) {
        guard let value else { sqlite3_bind_null(s, i); return }
        sqlite3_bind_int64(s, i, Int64(value))
    }

    private func bind(_ s: SQLiteStatement, _ i: CInt, _ value: Int64?) {
        guard let value else { sqlite3_bind_null(s, i); return }
        sqlite3_bind_int64(s, i, value)
    }

    private func text(_ s: SQLiteStatement, _ i: CInt) -> String? {
        guard let p = sqlite3_column_text(s, i) else { return nil }
        return String(cString: p)
    }

    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}

/// JSON for the stored `figures_json` and `evidence_json` columns, byte for byte what
/// `JSONEncoder` writes with `.sortedKeys, .withoutEscapingSlashes` (tested against it).
enum JSONText {
    static func figures(_ figures: [Figure]) -> String {
        if figures.isEmpty { return "[]" }
        var out = "["
        for (i, f) in figures.enumerated() {
            if i > 0 { out += "," }
            out += "{\"name\":"
            string(f.name, into: &out)
            if let unit = f.unit {
                out += ",\"unit\":"
                string(unit, into: &out)
            }
            out += ",\"value\":"
            out += number(f.value)
            out += "}"
        }
        return out + "]"
    }

    static func strings(_ values: [String]) -> String {
        if values.isEmpty { return "[]" }
        var out = "["
        for (i, v) in values.enumerated() {
            if i > 0 { out += "," }
            string(v, into: &out)
        }
        return out + "]"
    }

    /// A Double as JSONEncoder writes it: integral values without `.0`, others in Swift's shortest form.
    static func number(_ d: Double) -> String {
        if d.isFinite, d == d.rounded(), abs(d) < 1e15, !(d == 0 && d.sign == .minus) { return String(Int64(d)) }
        return (try? JSONEncoder().encode(d)).map { String(decoding: $0, as: UTF8.self) } ?? "\(d)"
    }

    static func string(_ s: String, into out: inout String) {
        out += "\""
        // Nearly every string needs no escape: append it whole (checked on its UTF-8 bytes, where
        // every character to escape is one byte below 0x20, `"` or `\`).
        if !s.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) {
            out += s
            out += "\""
            return
        }
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if scalar.value < 0x20 {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}
