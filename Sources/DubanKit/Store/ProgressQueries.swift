import Foundation
import GRDB

/// A stored progress record, from a ledger or a `progress record` command.
public struct ProgressRecord: Equatable, Sendable {
    public var id: Int64
    public var planID: String
    public var unitID: String
    /// Nil for a plan-wide obligation (then `milestone` names it).
    public var task: Int?
    public var milestone: String?
    public var status: ProgressStatus
    public var percent: Int?
    public var completedOn: LocalDate?
    /// The day the status holds on: a ledger's period end, or the date given to `progress record`.
    public var reportedOn: LocalDate
    public var progress: String
    public var problems: String
    public var nextSteps: String
    public var figures: [Figure]
    public var evidence: [String]
    /// `ledger` or `command`.
    public var origin: String
    public var submissionID: Int64?
    /// The ledger file, or the command line that recorded it.
    public var source: String
    public var sourceLine: Int?
    public var note: String?
    public var recordedAt: String
    /// The submission that corrected this record's ledger, if any: the record is then history only.
    public var supersededBy: Int64?
    /// How its ledger came in (`history` reads it; nil for a command's record and elsewhere).
    public var receivedAs: LedgerReceivedAs? = nil
    /// The day its ledger was returned (退回), if it was: from then on it no longer counts.
    public var returnedOn: LocalDate? = nil

    public var state: ProgressState { ProgressState(status: status, percent: percent) }

    /// `file:line` for a ledger record, the command line for a command's.
    public var sourceText: String { sourceLine.map { "\(source):\($0)" } ?? source }
}

/// A stored ledger submission.
public struct LedgerSubmission: Equatable, Sendable {
    public var id: Int64
    public var unitID: String
    public var period: String
    public var submittedOn: LocalDate
    public var liaison: Liaison
    public var sourceFile: String
    /// How it came in: a YAML or CSV file, an .xlsx workbook, the portal's form (nil: not read,
    /// as for a grid computed from facts).
    public var receivedAs: LedgerReceivedAs?
    public var entryCount: Int
    public var recordedAt: String
    public var supersedes: Int64?
    public var supersededBy: Int64?
    /// The coordinator's decision on it, if one was taken.
    public var review: LedgerReview? = nil
}

/// Read queries over progress records and submissions.
public enum ProgressQueries {
    static let recordColumns = """
        r.id, r.plan_id, r.unit_id, r.task_number, r.milestone_id, r.status, r.percent, r.completed_on, r.reported_on,
        r.progress, r.problems, r.next_steps, r.figures_json, r.evidence_json, r.origin, r.submission_id, r.source,
        r.source_line, r.note, r.recorded_at
        """

    /// The conditions that make record `r2` effective on the day bound to `?9`: known by then (a
    /// ledger's row from its submission date, a command's from its date) and not yet replaced by
    /// a correction submitted by then. So any past day replays exactly what was known on it.
    static let effectiveSQL = """
        AND (r2.submission_id IS NULL
             OR (SELECT s1.submitted_on FROM ledger_submission s1 WHERE s1.id = r2.submission_id) <= ?9)
        AND NOT EXISTS (SELECT 1 FROM ledger_submission_end e WHERE e.submission_id = r2.submission_id AND e.ended_on <= ?9)
        """

    /// The id of the latest effective record of (unit, task, milestone) speaking for a day on or
    /// before ?1: one seek on `progress_record_latest`, read backwards, skipping rows not
    /// effective on ?9. Placeholders: ?1 reported on or before, ?2 plan, ?3 unit, ?4 task,
    /// ?5 milestone (NULL for the task as a whole), ?9 known by.
    static let latestIDSQL = """
        SELECT r2.id FROM progress_record r2
        WHERE r2.plan_id = ?2 AND r2.unit_id = ?3 AND r2.task_number IS ?4 AND r2.milestone_id IS ?5 AND r2.reported_on <= ?1
        \(effectiveSQL)
        ORDER BY r2.reported_on DESC, r2.id DESC LIMIT 1
        """

    /// The record in `row`'s columns `recordColumns`, from column `base` on. Read by position: by
    /// name, GRDB finds each column with a case-insensitive comparison, per row and column
    /// (BENCHMARKS.md, "`status` and `ledgers` at country"). `history` adds three columns after them:
    /// superseded_by, received_as, returned_on.
    /// With `lists` false, `figures` and `evidence` are left empty, not read.
    static func decode(_ row: Row, at base: Int = 0, supersededBy: Int64? = nil, lists: Bool = true) throws -> ProgressRecord {
        func date(_ offset: Int, _ column: String) throws -> LocalDate? {
            guard let text: String = row[base + offset] else { return nil }
            guard let d = LocalDate(iso: text) else { throw StoreCorruption(description: "\(column) \"\(text)\" is not a date") }
            return d
        }
        let statusText: String = row[base + 5]
        guard let status = ProgressStatus(rawValue: statusText) else {
            throw StoreCorruption(description: "status \"\(statusText)\" is not a status")
        }
        guard let reported = try date(8, "reported_on") else { throw StoreCorruption(description: "reported_on is missing") }
        let extra = row.count >= base + 23
        return ProgressRecord(id: row[base], planID: row[base + 1], unitID: row[base + 2], task: row[base + 3],
                              milestone: row[base + 4], status: status, percent: row[base + 6],
                              completedOn: try date(7, "completed_on"), reportedOn: reported, progress: row[base + 9],
                              problems: row[base + 10], nextSteps: row[base + 11], figures: lists ? jsonList(row[base + 12]) : [],
                              evidence: lists ? jsonList(row[base + 13]) : [], origin: row[base + 14], submissionID: row[base + 15],
                              source: row[base + 16], sourceLine: row[base + 17], note: row[base + 18], recordedAt: row[base + 19],
                              supersededBy: supersededBy ?? (extra ? row[base + 20] : nil),
                              receivedAs: extra ? (row[base + 21] as String?).flatMap(LedgerReceivedAs.init(rawValue:)) : nil,
                              returnedOn: extra ? try date(22, "returned_on") : nil)
    }

    /// A stored JSON list (`figures_json`, `evidence_json`); most are empty, and are not decoded.
    private static func jsonList<T: Decodable>(_ text: String) -> [T] {
        if text == "[]" { return [] }
        return (try? JSONDecoder().decode([T].self, from: Data(text.utf8))) ?? []
    }

    /// The latest record of (unit, task, milestone) speaking for a day on or before `asOf`, as
    /// known on `knownBy` (default: everything recorded so far).
    public static func latest(_ db: Database, plan: String, unit: String, task: Int?, milestone: String?,
                              asOf: LocalDate, knownBy: LocalDate? = nil) throws -> ProgressRecord? {
        let known = knownBy?.description ?? "9999-12-31"
        guard let row = try Row.fetchOne(db, sql: "SELECT \(recordColumns) FROM progress_record r WHERE r.id = (\(latestIDSQL))",
                                         arguments: StatementArguments([asOf.description, plan, unit, task, milestone, nil, nil, nil, known] as [(any DatabaseValueConvertible)?]))
        else { return nil }
        return try decode(row, supersededBy: nil)
    }

    /// For every (unit, task) the plan assigns, the latest effective task-level record on or
    /// before `asOf` (nil when the unit has reported nothing yet). One statement; each cell is
    /// an index seek. The records come without their figures and evidence (empty lists): the
    /// status matrix shows neither, and decoding them was a large part of its time.
    public static func statusMatrix(_ db: Database, plan: String, asOf: LocalDate,
                                    unit: String? = nil) throws -> [(unit: String, task: Int, record: ProgressRecord?)] {
        let rows = try Row.fetchCursor(db, sql: """
            WITH owed AS (SELECT DISTINCT unit_id, task_number FROM task_unit WHERE plan_id = ?2\(unit == nil ? "" : " AND unit_id = ?3"))
            SELECT o.unit_id AS owed_unit, o.task_number AS owed_task, \(recordColumns)
            FROM owed o
            LEFT JOIN progress_record r ON r.id = (
                SELECT r2.id FROM progress_record r2
                WHERE r2.plan_id = ?2 AND r2.unit_id = o.unit_id AND r2.task_number = o.task_number
                  AND r2.milestone_id IS NULL AND r2.reported_on <= ?1
                \(effectiveSQL)
                ORDER BY r2.reported_on DESC, r2.id DESC LIMIT 1)
            """, arguments: StatementArguments([asOf.description, plan, unit, nil, nil, nil, nil, nil, asOf.description] as [(any DatabaseValueConvertible)?]))
        // A cursor's row is read in place (`fetchAll` copies every row, its column names included).
        var out: [(unit: String, task: Int, record: ProgressRecord?)] = []
        while let row = try rows.next() {
            let record: ProgressRecord? = (row[2] as Int64?) == nil ? nil : try decode(row, at: 2, lists: false)
            out.append((row[0], row[1], record))
        }
        // Sorted here, not by an ORDER BY: SQLite sorted the whole rows, texts included, in a
        // temporary file (at country size 75,000 rows, 4% of `status` in writing it).
        out.sort { a, b in a.unit != b.unit ? a.unit.utf8.lexicographicallyPrecedes(b.unit.utf8) : a.task < b.task }
        return out
    }

    /// Every record, newest recorded first, optionally for one unit, one task, recorded on or after
    /// `since`, each handed to `each` as it is read from a cursor (no list of them is made: at
    /// country size there are 9.5 million); the first error `each` throws ends the read. With
    /// `lists` false, figures and evidence are left empty, not read.
    ///
    /// Newest first is the table read backwards by its primary key, without a sort: the plan's
    /// condition is kept off `progress_record_latest` (`+r.plan_id`), through which SQLite would
    /// otherwise read the plan's rows and sort them all, texts included, in a temporary file. With
    /// a unit, that index finds the unit's rows, and only those are sorted.
    public static func history(_ db: Database, plan: String, unit: String? = nil, task: Int? = nil,
                               since: LocalDate? = nil, lists: Bool = true,
                               _ each: (ProgressRecord) throws -> Void) throws {
        var sql = """
            SELECT \(recordColumns), s2.id AS superseded_by, s1.received_as, v.decided_on AS returned_on FROM progress_record r
            LEFT JOIN ledger_submission s1 ON s1.id = r.submission_id
            LEFT JOIN ledger_submission s2 ON s2.supersedes_id = r.submission_id
            LEFT JOIN ledger_review v ON v.submission_id = r.submission_id AND v.decision = 'return'
            WHERE \(unit == nil ? "+r.plan_id" : "r.plan_id") = ?
            """
        var arguments: StatementArguments = [plan]
        if let unit { sql += " AND r.unit_id = ?"; arguments += [unit] }
        if let task { sql += " AND r.task_number = ?"; arguments += [task] }
        if let since { sql += " AND r.recorded_at >= ?"; arguments += [since.description] }
        sql += " ORDER BY r.id DESC"
        // A cursor's row is read in place (`fetchAll` copies every row, its column names included).
        let rows = try Row.fetchCursor(db, sql: sql, arguments: arguments)
        while let row = try rows.next() { try each(try decode(row, lists: lists)) }
    }

    /// Every submission of the plan, oldest first, with what superseded it, without its content
    /// (in `ledger_submission` until v19, the whole ledger: `s.*` read 2.3 GB at country size).
    public static func submissions(_ db: Database, plan: String) throws -> [LedgerSubmission] {
        // A cursor's row is read in place (`fetchAll` copies every row, its column names included).
        let rows = try Row.fetchCursor(db, sql: "\(submissionSelect) WHERE s.plan_id = ? ORDER BY s.id", arguments: [plan])
        var out: [LedgerSubmission] = []
        while let row = try rows.next() { out.append(try submission(row)) }
        return out
    }

    /// Submissions (`s`) with what superseded them and their review: what `submission(_:)` reads.
    static let submissionSelect = """
        SELECT s.id, s.unit_id, s.period, s.submitted_on, s.liaison_name, s.liaison_phone, s.source_file, s.received_as, s.entry_count,
               s.recorded_at, s.supersedes_id, n.id AS superseded_by,
               v.decision, v.reason, v.decided_on, v.decided_by, v.recorded_at AS reviewed_at
        FROM ledger_submission s
        LEFT JOIN ledger_submission n ON n.supersedes_id = s.id
        LEFT JOIN ledger_review v ON v.submission_id = s.id
        """

    /// A row of `submissions`' columns.
    static func submission(_ row: Row) throws -> LedgerSubmission {
        // By position, in `submissionSelect`'s order (see `decode`).
        let submitted: String = row[3]
        guard let date = LocalDate(iso: submitted) else { throw StoreCorruption(description: "submitted_on \"\(submitted)\"") }
        var review: LedgerReview?
        if let decision: String = row[12] {
            let decided: String = row[14]
            guard let d = ReviewDecision(rawValue: decision), let on = LocalDate(iso: decided) else {
                throw StoreCorruption(description: "ledger_review \"\(decision)\" \"\(decided)\"")
            }
            review = LedgerReview(decision: d, reason: row[13], decidedOn: on, decidedBy: row[15], recordedAt: row[16])
        }
        let how: String = row[7]
        guard let receivedAs = LedgerReceivedAs(rawValue: how) else { throw StoreCorruption(description: "received_as \"\(how)\"") }
        return LedgerSubmission(id: row[0], unitID: row[1], period: row[2], submittedOn: date,
                                liaison: Liaison(name: row[4], phone: row[5]),
                                sourceFile: row[6], receivedAs: receivedAs, entryCount: row[8], recordedAt: row[9],
                                supersedes: row[10], supersededBy: row[11], review: review)
    }
}

extension LedgerStore {
    /// Each owed (unit, task)'s latest task-level record known on `asOf`; with `unit`, that unit's only.
    public func statusMatrix(plan: String, asOf: LocalDate, unit: String? = nil) throws -> [(unit: String, task: Int, record: ProgressRecord?)] {
        try database.read { try ProgressQueries.statusMatrix($0, plan: plan, asOf: asOf, unit: unit) }
    }

    /// `history`'s records (`ProgressQueries.history`), for `body` to go over inside one read
    /// transaction: each call of the `records` it is handed reads them again, one at a time, in
    /// the same order, and every such pass sees the same records (a table measures its columns
    /// in a first pass and writes in a second). `records` cannot outlive `body`.
    public func history<T>(plan: String, unit: String? = nil, task: Int? = nil, since: LocalDate? = nil, lists: Bool = true,
                           _ body: (_ records: (_ each: (ProgressRecord) throws -> Void) throws -> Void) throws -> T) throws -> T {
        try database.read { db in
            try body { each in
                try ProgressQueries.history(db, plan: plan, unit: unit, task: task, since: since, lists: lists, each)
            }
        }
    }

    public func submissions(plan: String) throws -> [LedgerSubmission] {
        try database.read { try ProgressQueries.submissions($0, plan: plan) }
    }

    /// Submission `id` of `plan`, if there is one.
    public func submission(plan: String, id: Int64) throws -> LedgerSubmission? {
        try database.read { db in
            try Row.fetchOne(db, sql: "\(ProgressQueries.submissionSelect) WHERE s.plan_id = ? AND s.id = ?", arguments: [plan, id])
                .map(ProgressQueries.submission)
        }
    }

    public func latest(plan: String, unit: String, task: Int, milestone: String?, asOf: LocalDate) throws -> ProgressRecord? {
        try database.read { try ProgressQueries.latest($0, plan: plan, unit: unit, task: task, milestone: milestone, asOf: asOf) }
    }
}
