import Foundation
import GRDB

/// What submitting one ledger did (or, in a dry run, would do).
public struct SubmissionReport: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        /// First ledger of this unit for this period.
        case new
        /// A corrected ledger: it supersedes submission `supersedes`, which stays in history.
        case correction(supersedes: Int64)
        /// The same content is already the current ledger of this unit and period: nothing written.
        case unchanged(existing: Int64)
    }

    public var kind: Kind
    public var sourceFile: String
    public var unitID: String
    public var period: ReportingPeriod
    /// The new submission's id (nil when unchanged; in a dry run, the id it would have had).
    public var submissionID: Int64?
    public var entries: Int
    /// Milestones reported 已完成 whose last earlier record was not.
    public var newlyCompleted: [String]
    /// Entries whose status or percent differ from the last record before this period (empty
    /// when they went to a `ProgressChangeSink`).
    public var changes: [ProgressChange]
    /// How many changes went to the `ProgressChangeSink` the ledger was recorded with, instead
    /// of `changes`.
    public var changesSpooled = 0
}

/// A status change between the previous record and a new one.
public struct ProgressChange: Equatable, Sendable {
    public var task: Int?
    public var milestone: String?
    public var before: ProgressState?
    public var after: ProgressState
}

/// A status and percent, as a record holds them.
public struct ProgressState: Equatable, Sendable, CustomStringConvertible {
    public var status: ProgressStatus
    public var percent: Int?

    public var description: String { status.label + (percent.map { " \($0)%" } ?? "") }
}

/// Records ledgers and single progress updates. Everything is appended: a correction is a new
/// submission that supersedes the old; nothing is updated in place or deleted.
public struct LedgerStore: Sendable {
    public let database: DubanDatabase

    public init(_ database: DubanDatabase) {
        self.database = database
    }

    /// Records `ledgers`, read and checked already, in ONE write transaction (`recording`): either
    /// all are recorded or none is. A ledger whose content equals the current one of its unit and
    /// period writes nothing. With `dryRun` the same work is done and rolled back, so the reports
    /// say exactly what would change. Ledger files go through `LedgerIngest`, which records them
    /// the same way.
    ///
    /// `afterRecord` is called after each progress row is inserted (with the running count),
    /// inside the transaction; tests use it to kill the process mid-way.
    ///
    /// The ledgers may have been checked against any plan: the database's foreign keys refuse
    /// a reference it lacks.
    ///
    /// `then` is called after each ledger is recorded, in the same transaction, with the recorder
    /// (the portal attaches the ledger's evidence files there: `LedgerRecorder.attach`).
    ///
    /// `plan`: the ledgers' plan decoded already, and the version it was read as; when that is
    /// still the plan's current version in this transaction, the fold uses it (else it reads and
    /// decodes the stored plan: about a third of a portal submission's CPU under perf).
    public func submit(_ ledgers: [Ledger], dryRun: Bool = false, now: Date = Date(),
                       afterRecord: ((Int) -> Void)? = nil, plan: (plan: Plan, version: Int)? = nil,
                       then: ((LedgerRecorder, Ledger, SubmissionReport) throws -> Void)? = nil) throws -> [SubmissionReport] {
        try recording(now: now, afterRecord: afterRecord, keepingRecentStates: false) { recorder in
            let reports = try ledgers.map { ledger in
                let report = try recorder.record(ledger)
                try then?(recorder, ledger, report)
                return report
            }
            guard !dryRun else { return (reports, .rollBack) }
            return (reports, .commit(plans: try Self.atHand(plan, in: recorder.db)))
        }
    }

    /// `plan` by its id when it is still its plan's current version in `db`'s transaction (the
    /// fold may then use it instead of decoding the stored plan); else nothing.
    static func atHand(_ plan: (plan: Plan, version: Int)?, in db: Database) throws -> [String: Plan] {
        guard let plan, try Int.fetchOne(db, sql: "SELECT current_version FROM plan WHERE id = ?", arguments: [plan.plan.id]) == plan.version else {
            return [:]
        }
        return [plan.plan.id: plan.plan]
    }

    /// What a `recording` body decides at its end.
    public enum Ending {
        /// Fold the kept facts in (`plans`: plans at hand, see `CurrentFacts.fold`) and commit.
        case commit(plans: [String: Plan])
        case rollBack
    }

    /// The page cache of a recording connection, in KiB (SQLite's default is 2 MiB), restored
    /// afterwards. It keeps more of the pages a submit touches over and over (those of
    /// `progress_record_latest`, where every record's previous state is looked up and which
    /// every insert extends in many places) from being spilled into the WAL mid-transaction and
    /// read back, and it caps a submit's memory however many files it has (what does not fit is
    /// spilled). Why 16 MiB: BENCHMARKS.md, "Figures the code's choices rest on".
    static let submitCacheKiB = 16 * 1024

    /// The one way ledgers are written: ONE write transaction (`BEGIN IMMEDIATE`) in which `body`
    /// records checked ledgers, one at a time, through the `LedgerRecorder` it is given; at its
    /// end the body commits (the kept facts folded in, in the same transaction) or rolls back.
    /// `LedgerIngest` (files: `ledger submit`, `demo`) and `submit(_:)` (ledgers at hand) both
    /// come here. SQLite enforces every foreign key and CHECK of the schema on every row written,
    /// as on every other write: no PRAGMA relaxes them; a bad row fails its statement and the
    /// whole transaction is rolled back.
    ///
    /// With `keepingRecentStates`, the recorder keeps each unit's latest states among the ledgers
    /// it recorded (`RecentStates`), so a submit of several periods looks up in the database only
    /// what it did not write itself; without, every previous state is looked up (the reference
    /// `LedgerStreamingTests` holds the other to).
    public func recording<T>(now: Date = Date(), afterRecord: ((Int) -> Void)? = nil, keepingRecentStates: Bool = true,
                             _ body: (LedgerRecorder) throws -> (T, Ending)) throws -> T {
        try writing { db in
            var result: T?
            try db.inTransaction(.immediate) {
                let recorder = try LedgerRecorder(db, store: self, recordedAt: Timestamp.iso(now), afterRecord: afterRecord,
                                                  keepingRecentStates: keepingRecentStates)
                let (value, ending) = try body(recorder)
                result = value
                guard case .commit(let plans) = ending else { return .rollback }
                try DerivedTables.fold(db, plans: plans)
                return .commit
            }
            guard let result else { throw StoreCorruption(description: "a recording ended without a result") }
            return result
        }
    }

    /// Runs `body` on the writer, outside any transaction, with the page cache of a recording
    /// (`submitCacheKiB`) and SQLite's temporary files in memory, both restored afterwards. In a
    /// long transaction, each statement that may fail half-way (a foreign key, a CHECK) keeps a
    /// statement journal of the pages it changes; past 64 KiB SQLite writes it to a file, a page
    /// at a time, over and over (BENCHMARKS.md, "Figures the code's choices rest on"). A
    /// statement's journal is the pages that one statement changes, and a submit's sorts and
    /// temporary tables hold a batch's or a unit's rows: small, however big the database.
    func writing<T>(_ body: (Database) throws -> T) throws -> T {
        try database.writeWithoutTransaction { db in
            let cacheSize = try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? -2000
            let tempStore = try Int.fetchOne(db, sql: "PRAGMA temp_store") ?? 0
            try db.execute(sql: "PRAGMA cache_size = -\(Self.submitCacheKiB); PRAGMA temp_store = MEMORY")
            func restore() throws {
                try db.execute(sql: "PRAGMA cache_size = \(cacheSize); PRAGMA temp_store = \(tempStore)")
            }
            let result: T
            do {
                result = try body(db)
            } catch {
                try? restore()
                throw error
            }
            try restore()
            return result
        }
    }

    /// Records one update by the coordinator; returns the new record's id.
    @discardableResult
    public func record(_ update: ProgressUpdate, now: Date = Date()) throws -> Int64 {
        try database.write { db in
            try db.execute(sql: """
                INSERT INTO progress_record (plan_id, unit_id, task_number, milestone_id, status, percent, completed_on,
                    reported_on, origin, source, note, recorded_at, occurrence)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'command', ?, ?, ?, ?)
                """, arguments: [update.planID, update.unitID, update.task, update.milestone, update.status.rawValue,
                                 update.percent ?? (update.status == .done ? 100 : update.status == .notStarted ? 0 : nil),
                                 update.status == .done ? update.date.description : nil, update.date.description,
                                 update.source, update.note, Timestamp.iso(now), update.occurrence])
            let id = db.lastInsertedRowID
            try DerivedTables.fold(db)
            return id
        }
    }

    static func json<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
    }
}

/// Records checked ledgers inside a `LedgerStore.recording` transaction, one at a time. Knows
/// nothing of files: `LedgerIngest` reads and checks them.
public final class LedgerRecorder {
    let db: Database
    let store: LedgerStore
    let writer: LedgerWriter
    let recordedAt: String
    let recent: RecentStates?
    private let afterRecord: ((Int) -> Void)?
    private var insertedCount = 0

    init(_ db: Database, store: LedgerStore, recordedAt: String, afterRecord: ((Int) -> Void)?, keepingRecentStates: Bool) throws {
        self.db = db
        self.store = store
        // One timestamp per submit: formatting a date costs more than inserting a ledger.
        self.recordedAt = recordedAt
        self.afterRecord = afterRecord
        writer = try LedgerWriter(db)
        recent = keepingRecentStates
            ? RecentStates(existingUpTo: try Int64.fetchOne(db, sql: "SELECT max(id) FROM progress_record") ?? 0) : nil
    }

    /// Writes an audit line in the ledger's own transaction: it is there exactly when the ledger is.
    public func audit(_ actor: AuditActor, action: String, detail: String) throws {
        try AccountStore.audit(db, accountID: actor.accountID, actor: actor.login, address: actor.address, action: action,
                               detail: detail, at: recordedAt)
    }

    /// Records one ledger (or nothing, when it equals the current one of its unit and period).
    /// `last`: no other ledger follows in this transaction (its states are then not kept).
    /// `changes`: where the ledger's changes from the previous period go, instead of the
    /// report's `changes` (reset first).
    public func record(_ ledger: Ledger, last: Bool = false, changes: ProgressChangeSink? = nil) throws -> SubmissionReport {
        try record(ledger, last: last, changes: changes, measured: nil)
    }

    /// `record(_:last:changes:)` with the ledger's canonical JSON measured already
    /// (`LedgerEncoding.measure(ledger)`, taken on the thread that checks ahead), or nil.
    func record(_ ledger: Ledger, last: Bool, changes: ProgressChangeSink?,
                measured: (size: Int, fingerprint: String)?) throws -> SubmissionReport {
        let recording = try LedgerRecording(whole: ledger, recorder: self, keepRecent: !last, changes: changes, measured: measured)
        try recording.add(ledger.entries)
        return try recording.finish()
    }

    /// Starts recording a ledger whose entries come a part at a time (`header`'s own are not
    /// read): `LedgerRecording.add` each part, then `finish` (or `abandon`). One at a time.
    public func begin(_ header: Ledger, last: Bool = false, changes: ProgressChangeSink? = nil) throws -> LedgerRecording {
        try LedgerRecording(header: header, recorder: self, keepRecent: !last, changes: changes)
    }

    /// Counts a record inserted (for `afterRecord`).
    func inserted() {
        insertedCount += 1
        afterRecord?(insertedCount)
    }

    /// The stored plans, as this transaction sees them: their ids, and the JSON of their current
    /// versions by id.
    func storedPlans() throws -> (ids: [String], texts: [String: String]) {
        var ids: [String] = []
        var texts: [String: String] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT p.id, v.plan_json FROM plan p
            JOIN plan_version v ON v.plan_id = p.id AND v.version = p.current_version ORDER BY p.id
            """) {
            let id: String = row[0]
            ids.append(id)
            texts[id] = row[1]
        }
        return (ids, texts)
    }
}

/// The previous states a streamed submit already has at hand: for each unit, each (task,
/// milestone) key's latest record among the ledgers this submit has recorded. A submit of
/// several periods (a backfill, the benchmark's batches) then looks up in the database only what
/// it did not write itself.
///
/// A key's state from here is the latest effective record on or before a day `D` when:
/// - its day is on or before `D`, and it is the latest of this submit's records of that key
///   (each key keeps its latest; one ledger per unit and period per submit, so no ties, and
///   nothing in the submit supersedes another of its ledgers);
/// - no record the unit had before the submit is later than that day (`existingLatest`, read
///   once per unit; an earlier record of the same day loses to ours, which has a larger id).
/// Anything else is looked up in the database as before. `LedgerStreamingTests` holds streamed
/// submits (in and out of period order, over records made before) to the batch path's reports.
final class RecentStates {
    struct Key: Hashable {
        let task: Int?
        let milestone: String?
    }

    /// Records with ids up to this were there before the submit.
    let existingUpTo: Int64
    private var latest: [String: [Key: (day: Int, state: ProgressState)]] = [:]
    /// Per unit: the day of its latest record from before the submit (`.some(nil)`: none).
    private var existingLatest: [String: Int?] = [:]
    private var keys = 0
    /// Kept keys at most (about 60 bytes each); past it, units not yet seen are not kept.
    static let maxKeys = 250_000

    init(existingUpTo: Int64) {
        self.existingUpTo = existingUpTo
    }

    /// Fills in `out` what it knows for the ledger's entries as of `asOf`; returns the indices of
    /// the entries left to look up.
    func previousStates(of ledger: Ledger, asOf: LocalDate, writer: LedgerWriter,
                        into out: inout [ProgressState?]) throws -> [Int] {
        guard let mine = latest[ledger.unitID], !mine.isEmpty else { return Array(ledger.entries.indices) }
        let existing: Int?
        if let known = existingLatest[ledger.unitID] {
            existing = known
        } else {
            existing = try writer.latestReportedOn(plan: ledger.planID, unit: ledger.unitID, maxID: existingUpTo)?.dayNumber
            existingLatest[ledger.unitID] = .some(existing)
        }
        let day = asOf.dayNumber
        var missing: [Int] = []
        let entries = ledger.entries
        for i in entries.indices {
            if let known = mine[Key(task: entries[i].task, milestone: entries[i].milestone)], known.day <= day,
               existing.map({ $0 <= known.day }) ?? true {
                out[i] = known.state
            } else {
                missing.append(i)
            }
        }
        return missing
    }

    /// Notes a ledger just recorded.
    func recorded(_ ledger: Ledger) {
        let entries = ledger.entries
        recorded(unit: ledger.unitID, day: ledger.reportedOn.dayNumber, count: entries.count) { note in
            for i in entries.indices {
                note(Key(task: entries[i].task, milestone: entries[i].milestone),
                     ProgressState(status: entries[i].status, percent: entries[i].percent))
            }
        }
    }

    /// Notes the `count` records of a ledger of `unit` reported on `day`, which `each` gives to
    /// the function it is given.
    func recorded(unit: String, day: Int, count: Int, _ each: ((Key, ProgressState) -> Void) throws -> Void) rethrows {
        guard latest[unit] != nil || keys + count <= Self.maxKeys else { return }
        var mine = latest.removeValue(forKey: unit) ?? [:]
        defer { latest[unit] = mine }
        try each { key, state in
            if let known = mine[key], known.day > day { return }
            if mine.updateValue((day, state), forKey: key) == nil { keys += 1 }
        }
    }
}
