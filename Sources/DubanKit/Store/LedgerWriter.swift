import Foundation
import GRDB
#if canImport(GRDBSQLite)
import GRDBSQLite
#else
import SQLite3
#endif

/// The hot loop of `ledger submit`: the statements of one submit, prepared once and reused for
/// every ledger and record, bound through the SQLite C API (no per-row argument arrays, no
/// per-row statement compilation). Records are inserted, and their previous states looked up,
/// up to 32 at a time with one statement (`VALUES (…), (…), …`): what SQLite does once per
/// statement run (open the table's and indexes' cursors, build the `status IN (…)` CHECK's
/// lookup table, close it all) is then done once per chunk, not once per row. What is the same
/// for every record of a ledger (plan, unit, dates, submission, file) is a parameter shared by
/// all rows of a chunk. Texts of a record are bound from `LedgerEncoding.Columns`' buffer (one
/// chunk's records) without copies (`SQLITE_STATIC`, bindings cleared before the buffer changes).
/// The ledger's canonical JSON is never held whole: it is hashed, compared with the current
/// submission's and stored piece by piece. Lives for one write transaction.
final class LedgerWriter {
    private let db: Database
    private let current: Statement
    private let insertSubmission: Statement
    private let insertContent: Statement
    /// By number of rows (one of `chunkSizes`), prepared when first needed.
    private var lookups: [Int: Statement] = [:]
    private var inserts: [Int: Statement] = [:]
    /// The ledger being written: its canonical JSON's length and fingerprint (`measure`, or the
    /// content spool's when its entries came a part at a time).
    var measured: (size: Int, fingerprint: String) = (0, "")
    /// Statements on the staged records (`stage`), prepared when first needed.
    private var staging: [Int: Statement] = [:]
    private var staged: (move: Statement, states: Statement, clear: Statement)?
    /// The column texts of the records of one chunk.
    private var columns = LedgerEncoding.Columns()

    init(_ db: Database) throws {
        self.db = db
        current = try db.cachedStatement(sql: """
            SELECT s.id,
                   (SELECT v.decided_on FROM ledger_review v WHERE v.submission_id = s.id AND v.decision = 'return')
            FROM ledger_submission s
            WHERE s.plan_id = ? AND s.unit_id = ? AND s.period = ? ORDER BY s.id DESC LIMIT 1
            """)
        insertSubmission = try db.cachedStatement(sql: """
            INSERT INTO ledger_submission (plan_id, unit_id, period, period_start, period_end, submitted_on, liaison_name,
                liaison_phone, source_file, source_format, content_hash, entry_count, supersedes_id, recorded_at, received_as)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        insertContent = try db.cachedStatement(sql: "INSERT INTO ledger_content (submission_id, content_json) VALUES (?, ?)")
    }

    deinit {
        // No statement may keep a pointer into a buffer after the writer is gone.
        for s in [current, insertSubmission, insertContent] + Array(lookups.values) + Array(inserts.values) + Array(staging.values)
            + (staged.map { [$0.move, $0.states, $0.clear] } ?? []) {
            sqlite3_reset(s.sqliteStatement)
            sqlite3_clear_bindings(s.sqliteStatement)
        }
    }

    /// Takes the length and fingerprint of `ledger`'s canonical JSON for the calls that follow.
    func measure(_ ledger: Ledger) {
        measured = LedgerEncoding.measure(ledger)
    }

    /// The current submission of the ledger's plan, unit and period: its id and the day it was
    /// returned, if it was.
    func currentSubmission(of ledger: Ledger) throws -> (id: Int64, returnedOn: String?)? {
        let s = current.sqliteStatement
        defer { sqlite3_reset(s); sqlite3_clear_bindings(s) }
        bind(s, 1, ledger.planID); bind(s, 2, ledger.unitID); bind(s, 3, ledger.period.description)
        let rc = sqlite3_step(s)
        guard rc == SQLITE_ROW else { try check(rc); return nil }
        return (sqlite3_column_int64(s, 0), ColumnText.string(s, 1))
    }

    /// The pieces of a ledger's canonical JSON, given in order to a consumer that returns false
    /// to stop (`LedgerEncoding.canonical`, or a `LedgerContentSpool`'s).
    typealias Content = ((UnsafeBufferPointer<UInt8>) throws -> Bool) throws -> Void

    /// Whether submission `id`'s content is the measured ledger's canonical JSON (`content`): the
    /// lengths first, then piece by piece, reading the stored content through an incremental blob
    /// handle (older contents, copied by v19, are BLOBs too), so neither is held whole.
    func storedContent(of id: Int64, is content: Content) throws -> Bool {
        // Asked first, rather than read from the wording of sqlite3_blob_open's error.
        guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM ledger_content WHERE rowid = ?)", arguments: [id]) == true else {
            throw StoreCorruption(description: "submission #\(id) has no content in ledger_content")
        }
        var blob: OpaquePointer?
        defer { sqlite3_blob_close(blob) }
        try check(sqlite3_blob_open(db.sqliteConnection, "main", "ledger_content", "content_json", id, 0, &blob))
        let size = Int(sqlite3_blob_bytes(blob))
        guard size == measured.size else { return false }
        var stored: [UInt8] = []
        var offset = 0, same = true
        try content { mine in
            guard let base = mine.baseAddress else { return true }
            guard offset + mine.count <= size else {
                same = false
                return false
            }
            if stored.count < mine.count { stored = [UInt8](repeating: 0, count: mine.count) }
            try stored.withUnsafeMutableBytes { buffer in
                guard let read = buffer.baseAddress else { same = false; return }
                try check(sqlite3_blob_read(blob, read, CInt(mine.count), CInt(offset)))
                same = memcmp(read, base, mine.count) == 0
            }
            offset += mine.count
            return same
        }
        return same && offset == size
    }

    /// The canonical JSON of a ledger came out at another length than measured just before: a
    /// bug (the encoding is deterministic), never the input's fault.
    struct ContentLengthMismatch: Error, CustomStringConvertible {
        var measured: Int, written: Int
        var description: String { "a ledger's canonical JSON came out at \(written) bytes, measured at \(measured)" }
    }

    /// Rows per statement, largest first: a ledger of 84 entries goes in chunks of 32, 32, 16, 4.
    static let chunkSizes = [32, 16, 8, 4, 2, 1]

    /// The chunks `count` rows are cut into: (first row, rows).
    static func chunks(_ count: Int) -> [(start: Int, size: Int)] {
        var out: [(Int, Int)] = []
        var start = 0
        while start < count {
            let size = chunkSizes.first { $0 <= count - start } ?? 1
            out.append((start, size))
            start += size
        }
        return out
    }

    /// The latest effective record of each key before a day, `size` keys at a time. Row `i` of
    /// `k` is bound to ?(4+2i) (task) and ?(5+2i) (milestone); ?1 plan, ?2 unit, ?3 the day.
    /// Each key is one backwards seek on `progress_record_latest`, as for a single key.
    private func lookup(_ size: Int) throws -> Statement {
        if let s = lookups[size] { return s }
        let s = try db.cachedStatement(sql: Self.lookupSQL(size))
        lookups[size] = s
        return s
    }

    static func lookupSQL(_ size: Int) -> String {
        let keys = (0..<size).map { "(\($0), ?\(4 + 2 * $0), ?\(5 + 2 * $0))" }.joined(separator: ", ")
        return """
            WITH k(i, t, m) AS (VALUES \(keys))
            SELECT k.i, r.status, r.percent FROM k JOIN progress_record r ON r.id = (
                SELECT r2.id FROM progress_record r2
                WHERE r2.plan_id = ?1 AND r2.unit_id = ?2 AND r2.task_number IS k.t AND r2.milestone_id IS k.m AND r2.reported_on <= ?3
                  AND NOT EXISTS (SELECT 1 FROM ledger_submission_end e WHERE e.submission_id = r2.submission_id)
                ORDER BY r2.reported_on DESC, r2.id DESC LIMIT 1)
            """
    }

    /// Status and percent of the latest effective record of (unit, task, milestone) on or before
    /// `asOf`, for each entry of the ledger (nil where there is none), in entry order.
    func previousStates(of ledger: Ledger, asOf: String) throws -> [ProgressState?] {
        var out = [ProgressState?](repeating: nil, count: ledger.entries.count)
        try previousStates(of: ledger, entries: Array(ledger.entries.indices), asOf: asOf, into: &out)
        return out
    }

    /// `previousStates(of:asOf:)` for some of the entries (by index), written into `out`.
    func previousStates(of ledger: Ledger, entries wanted: [Int], asOf: String, into out: inout [ProgressState?]) throws {
        for (start, size) in Self.chunks(wanted.count) {
            let s = try lookup(size).sqliteStatement
            defer { sqlite3_reset(s) }
            bind(s, 1, ledger.planID); bind(s, 2, ledger.unitID); bind(s, 3, asOf)
            for j in 0..<size {
                let k = wanted[start + j]
                bind(s, CInt(4 + 2 * j), ledger.entries[k].task); bind(s, CInt(5 + 2 * j), ledger.entries[k].milestone)
            }
            while true {
                let rc = sqlite3_step(s)
                guard rc == SQLITE_ROW else { try check(rc); break }
                let i = Int(sqlite3_column_int64(s, 0))
                guard (0..<size).contains(i), let status = Self.status(s, 1) else {
                    throw StoreCorruption(description: "status \"\(text(s, 1) ?? "")\" is not a status")
                }
                let percent: Int? = sqlite3_column_type(s, 2) == SQLITE_NULL ? nil : Int(sqlite3_column_int64(s, 2))
                out[wanted[start + i]] = ProgressState(status: status, percent: percent)
            }
        }
    }

    /// `+id`: the unit's part of `progress_record_latest` is scanned, never a rowid range.
    static let latestReportedOnSQL = "SELECT max(reported_on) FROM progress_record WHERE plan_id = ? AND unit_id = ? AND +id <= ?"

    /// The latest `reported_on` of the unit's records with an id up to `maxID` (those there
    /// were before this submit), or nil if it had none: made once per unit and submit.
    func latestReportedOn(plan: String, unit: String, maxID: Int64) throws -> LocalDate? {
        let s = try db.cachedStatement(sql: Self.latestReportedOnSQL).sqliteStatement
        defer { sqlite3_reset(s); sqlite3_clear_bindings(s) }
        bind(s, 1, plan); bind(s, 2, unit); bind(s, 3, maxID)
        let rc = sqlite3_step(s)
        guard rc == SQLITE_ROW else { try check(rc); return nil }
        guard let day = text(s, 0) else { return nil }
        guard let date = LocalDate(iso: day) else { throw StoreCorruption(description: "reported_on \"\(day)\" is not a date") }
        return date
    }

    /// The status in a column, read without making a string.
    private static func status(_ s: SQLiteStatement, _ i: CInt) -> ProgressStatus? {
        guard let p = sqlite3_column_text(s, i) else { return nil }
        let stored = UnsafeBufferPointer(start: p, count: Int(sqlite3_column_bytes(s, i)))
        return statuses.first { $0.raw.elementsEqual(stored) }?.status
    }

    private static let statuses: [(raw: [UInt8], status: ProgressStatus)] =
        [ProgressStatus.inProgress, .notStarted, .done].map { (Array($0.rawValue.utf8), $0) }

    /// Inserts the measured ledger's submission; returns its id. Its content goes into
    /// `ledger_content` as a `zeroblob` of the measured length (SQLite writes the zeros without
    /// holding them: it is the row's last column), then its canonical JSON is written over it
    /// through an incremental blob handle, piece by piece as it is produced: never whole.
    ///
    /// `entryCount`: the ledger's entries (`ledger.entries` may hold none of them, when they came
    /// a part at a time); `content`: its canonical JSON.
    func insert(submissionOf ledger: Ledger, entryCount: Int, supersedes: Int64?, recordedAt: String,
                content: Content) throws -> Int64 {
        let s = insertSubmission.sqliteStatement
        defer { sqlite3_reset(s); sqlite3_clear_bindings(s) }
        bind(s, 1, ledger.planID); bind(s, 2, ledger.unitID); bind(s, 3, ledger.period.description)
        bind(s, 4, ledger.period.start.description); bind(s, 5, ledger.period.end.description)
        bind(s, 6, ledger.submitted.description); bind(s, 7, ledger.liaison.name); bind(s, 8, ledger.liaison.phone ?? "")
        bind(s, 9, ledger.sourceFile); bind(s, 10, ledger.format.rawValue); bind(s, 11, measured.fingerprint)
        bind(s, 12, entryCount); bind(s, 13, supersedes); bind(s, 14, recordedAt)
        bind(s, 15, ledger.receivedAs.rawValue)
        try check(sqlite3_step(s))
        let id = sqlite3_last_insert_rowid(db.sqliteConnection)
        try writeContent(content, submission: id)
        return id
    }

    /// Stores the measured ledger's canonical JSON as submission `id`'s content.
    private func writeContent(_ content: Content, submission id: Int64) throws {
        let c = insertContent.sqliteStatement
        do {
            defer { sqlite3_reset(c); sqlite3_clear_bindings(c) }
            sqlite3_bind_int64(c, 1, id)
            try check(sqlite3_bind_zeroblob64(c, 2, sqlite3_uint64(measured.size)))
            try check(sqlite3_step(c))
        }
        guard measured.size > 0 else { return }
        var blob: OpaquePointer?
        defer { sqlite3_blob_close(blob) }
        try check(sqlite3_blob_open(db.sqliteConnection, "main", "ledger_content", "content_json", id, 1, &blob))
        var offset = 0
        try content { piece in
            guard let base = piece.baseAddress else { return true }
            guard offset + piece.count <= measured.size else {
                throw ContentLengthMismatch(measured: measured.size, written: offset + piece.count)
            }
            try check(sqlite3_blob_write(blob, base, CInt(piece.count), CInt(offset)))
            offset += piece.count
            return true
        }
        guard offset == measured.size else {
            throw ContentLengthMismatch(measured: measured.size, written: offset)
        }
    }

    /// Inserts `size` records: ?1 plan, ?2 unit, ?3 reported_on, ?4 submission, ?5 source file,
    /// ?6 recorded_at for all; row `j`'s own eleven from ?(7+11j).
    ///
    /// `OR ROLLBACK`: a row breaking a NOT NULL or CHECK constraint (which validation rules out,
    /// but the schema still checks) rolls back the whole transaction, as a failed submit must
    /// anyway. With the default (ABORT) SQLite would have to be able to undo the rows of a
    /// multi-row INSERT already written, and keeps a statement journal for that, which doubled a
    /// submit's system time (BENCHMARKS.md, "Figures the code's choices rest on"). Foreign keys,
    /// checked as the rows are written, still make SQLite keep one: `LedgerStore.writing` keeps
    /// it in memory.
    private func insert(_ size: Int, staged: Bool) throws -> Statement {
        if staged { return try stage(size) }
        if let s = inserts[size] { return s }
        let rows = (0..<size).map { j -> String in
            let p = 7 + 11 * j
            return "(?1, ?2, ?\(p), ?\(p + 1), ?\(p + 2), ?\(p + 3), ?\(p + 4), ?3, ?\(p + 5), ?\(p + 6), ?\(p + 7), ?\(p + 8), "
                + "?\(p + 9), 'ledger', ?4, ?5, ?\(p + 10), ?6)"
        }.joined(separator: ",\n")
        let s = try db.cachedStatement(sql: """
            INSERT OR ROLLBACK INTO progress_record (plan_id, unit_id, task_number, milestone_id, status, percent, completed_on,
                reported_on, progress, problems, next_steps, figures_json, evidence_json, origin, submission_id,
                source, source_line, recorded_at)
            VALUES \(rows)
            """)
        inserts[size] = s
        return s
    }

    /// Inserts one record per entry of the ledger, in entry order (ids ascending), calling
    /// `inserted` once per record. The column texts are written chunk by chunk. `staged`: into
    /// the staged records instead (`stage`; `inserted` is then not called), with the same values.
    func insertRecords(of ledger: Ledger, reportedOn: String, submissionID: Int64?, recordedAt: String, staged: Bool = false,
                       inserted: () -> Void) throws {
        for (start, size) in Self.chunks(ledger.entries.count) {
            columns.encode(ledger, start..<(start + size))
            try columns.pieces.withUnsafeBufferPointer { pieces in
                let s = try insert(size, staged: staged).sqliteStatement
                defer { sqlite3_reset(s); sqlite3_clear_bindings(s) }
                bind(s, 1, ledger.planID); bind(s, 2, ledger.unitID); bind(s, 3, reportedOn)
                bind(s, 4, submissionID); bind(s, 5, ledger.sourceFile); bind(s, 6, recordedAt)
                for j in 0..<size {
                    let k = start + j, spans = columns.spans[j]
                    let p = CInt(7 + 11 * j)
                    bind(s, p, ledger.entries[k].task)
                    if let m = spans.milestone { bindStatic(s, p + 1, pieces, m) } else { sqlite3_bind_null(s, p + 1) }
                    bind(s, p + 2, ledger.entries[k].status.rawValue)
                    bind(s, p + 3, ledger.entries[k].percent)
                    if let c = spans.completed { bindStatic(s, p + 4, pieces, c) } else { sqlite3_bind_null(s, p + 4) }
                    bindStatic(s, p + 5, pieces, spans.progress); bindStatic(s, p + 6, pieces, spans.problems)
                    bindStatic(s, p + 7, pieces, spans.nextSteps)
                    bindStatic(s, p + 8, pieces, spans.figures); bindStatic(s, p + 9, pieces, spans.evidence)
                    bind(s, p + 10, ledger.entries[k].line)
                }
                try check(sqlite3_step(s))
                if !staged { for _ in 0..<size { inserted() } }
            }
        }
    }

    /// The records of a ledger whose entries come a part at a time, staged until its last entry
    /// is checked: only then are its content's length and fingerprint known, which its
    /// `ledger_submission` row holds and every record's `submission_id` names. A temporary table
    /// (SQLite's temporary database, in memory during a recording: `LedgerStore.writing`), so a
    /// staged ledger is held once, as SQLite records, at most a ledger's bytes
    /// (`InputLimits.ledgerFileBytes`) and not as Swift values; created in the submit's
    /// transaction (a rollback takes it away too), emptied after each ledger. The rows hold each
    /// record's own eleven values, as `insert` binds them;
    /// `moveStaged` inserts them into `progress_record` with the rest, where every constraint holds.
    static let stagedTableSQL = """
        CREATE TEMP TABLE IF NOT EXISTS ledger_staged_record (
            seq INTEGER PRIMARY KEY, task_number INTEGER, milestone_id TEXT, status TEXT NOT NULL, percent INTEGER,
            completed_on TEXT, progress TEXT NOT NULL, problems TEXT NOT NULL, next_steps TEXT NOT NULL,
            figures_json TEXT NOT NULL, evidence_json TEXT NOT NULL, source_line INTEGER)
        """

    /// The statement staging `size` records (row `j`'s values from ?(7+11j), as `insert`'s).
    private func stage(_ size: Int) throws -> Statement {
        if let s = staging[size] { return s }
        try db.execute(sql: Self.stagedTableSQL)
        let rows = (0..<size).map { j -> String in
            let p = 7 + 11 * j
            return "(" + (0..<11).map { "?\(p + $0)" }.joined(separator: ", ") + ")"
        }.joined(separator: ",\n")
        let s = try db.makeStatement(sql: """
            INSERT INTO temp.ledger_staged_record (task_number, milestone_id, status, percent, completed_on, progress, problems,
                next_steps, figures_json, evidence_json, source_line)
            VALUES \(rows)
            """)
        staging[size] = s
        return s
    }

    private func stagedStatements() throws -> (move: Statement, states: Statement, clear: Statement) {
        if let staged { return staged }
        try db.execute(sql: Self.stagedTableSQL)
        let made = (move: try db.makeStatement(sql: """
                        INSERT OR ROLLBACK INTO progress_record (plan_id, unit_id, task_number, milestone_id, status, percent, completed_on,
                            reported_on, progress, problems, next_steps, figures_json, evidence_json, origin, submission_id,
                            source, source_line, recorded_at)
                        SELECT ?1, ?2, task_number, milestone_id, status, percent, completed_on, ?3, progress, problems, next_steps,
                            figures_json, evidence_json, 'ledger', ?4, ?5, source_line, ?6
                        FROM temp.ledger_staged_record ORDER BY seq
                        """),
                    states: try db.makeStatement(sql: "SELECT task_number, milestone_id, status, percent FROM temp.ledger_staged_record ORDER BY seq"),
                    clear: try db.makeStatement(sql: "DELETE FROM temp.ledger_staged_record"))
        staged = made
        return made
    }

    /// Inserts the staged records into `progress_record`, in the order staged, for `ledger`'s
    /// plan and unit as submission `submissionID`; empties the staging. Returns how many.
    func moveStaged(of ledger: Ledger, reportedOn: String, submissionID: Int64, recordedAt: String) throws -> Int {
        let s = try stagedStatements().move.sqliteStatement
        do {
            defer { sqlite3_reset(s); sqlite3_clear_bindings(s) }
            bind(s, 1, ledger.planID); bind(s, 2, ledger.unitID); bind(s, 3, reportedOn)
            bind(s, 4, submissionID); bind(s, 5, ledger.sourceFile); bind(s, 6, recordedAt)
            try check(sqlite3_step(s))
        }
        let moved = Int(sqlite3_changes(db.sqliteConnection))
        try clearStaged()
        return moved
    }

    /// The staged records' keys and states, in the order staged.
    func stagedStates(_ each: (Int?, String?, ProgressState) -> Void) throws {
        let s = try stagedStatements().states.sqliteStatement
        defer { sqlite3_reset(s) }
        while true {
            let rc = sqlite3_step(s)
            guard rc == SQLITE_ROW else { try check(rc); return }
            guard let status = Self.status(s, 2) else { throw StoreCorruption(description: "a staged record's status is not a status") }
            each(sqlite3_column_type(s, 0) == SQLITE_NULL ? nil : Int(sqlite3_column_int64(s, 0)), text(s, 1),
                 ProgressState(status: status, percent: sqlite3_column_type(s, 3) == SQLITE_NULL ? nil : Int(sqlite3_column_int64(s, 3))))
        }
    }

    /// Drops the staged records (a ledger found unchanged, or given up).
    func clearStaged() throws {
        guard staged != nil || !staging.isEmpty else { return }
        let s = try stagedStatements().clear.sqliteStatement
        defer { sqlite3_reset(s) }
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

    /// Binds bytes of a buffer that outlives the statement's use of them (`SQLITE_STATIC`).
    private func bindStatic(_ s: SQLiteStatement, _ i: CInt, _ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) {
        guard let base = buffer.baseAddress, !range.isEmpty else {
            _ = sqlite3_bind_text(s, i, "", 0, Self.staticText)
            return
        }
        let p = UnsafeRawPointer(base + range.lowerBound).assumingMemoryBound(to: CChar.self)
        _ = sqlite3_bind_text(s, i, p, CInt(range.count), Self.staticText)
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
    private static let staticText = unsafeBitCast(0, to: sqlite3_destructor_type.self)
}

/// JSON for the stored `figures_json` and `evidence_json` columns as strings (see `JSONBytes`,
/// which writes them), byte for byte what `JSONEncoder` writes with `.sortedKeys,
/// .withoutEscapingSlashes` (tested against it).
enum JSONText {
    static func figures(_ figures: [Figure]) -> String {
        var out: [UInt8] = []
        JSONBytes.figures(figures, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    static func strings(_ values: [String]) -> String {
        var out: [UInt8] = []
        JSONBytes.strings(values, into: &out)
        return String(decoding: out, as: UTF8.self)
    }
}
