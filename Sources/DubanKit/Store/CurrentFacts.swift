import Foundation
import GRDB
#if canImport(GRDBSQLite)
import GRDBSQLite
#else
import SQLite3
#endif

/// Keeps `current_fact` (see `Schema.createCurrentFacts`): per (plan, unit, task, milestone) key,
/// the records that decide the rules on any as-of date from the unit's floor on.
///
/// What the rules take from a key's effective records known on a date T (`ItemStates.compute`,
/// `TaskStatuses.latest`):
/// - the latest known record, by (known on, completed on), the first in record order on a tie
///   (`ItemState.last…`);
/// - the latest known record, by known on, the last in record order on a tie (`TaskStatus`);
/// - the done records' completion dates, each one completing at most one occurrence, so no more
///   copies of one date than the key's milestones have occurrences (`caps`) can matter.
/// `keep` keeps, for every T from a floor on, exactly those: both winners as of the floor and as
/// of each later day something became known, and per completion date the first `cap` done records
/// to become known. Keeping is associative, also as the floor rises
/// (`keep(keep(a, f1) + b, f2) == keep(a + b, f2)` for f1 ≤ f2), so records fold in as they arrive.
///
/// A unit's floor is `window` days before the last day anything about it became known, or the
/// day of its last correction (the records a correction superseded are dropped, so earlier dates
/// would miss them), whichever is later; it only rises. On an earlier as-of date, the lists read
/// the unit's records instead.
///
/// Every write that adds records or submissions calls `fold` in its transaction; it folds in what
/// was added since the last fold (`current_fact_mark`), rebuilds the keys that kept a record a
/// correction superseded, and rebuilds a whole plan whose occurrence counts changed.
enum CurrentFacts {
    /// The version of the code that derives `current_fact` (`keep`, `window`, `Caps`, `fold`):
    /// raise it with any change to what they keep. Stored in `derived_version`; a table derived
    /// by another version is not read, and the next write rebuilds it.
    /// 2: a returned ledger's records are dropped like a superseded one's (v16-ledger-review).
    static let version = 2

    struct Key: Hashable {
        var plan: String
        var unit: String
        var task: Int?
        var milestone: String?

        /// The key's columns in `current_fact`, where neither may be NULL.
        var taskKey: Int64 { task.map(Int64.init) ?? Int64.min }
        var milestoneKey: String { milestone ?? "" }

        /// In `current_fact`'s order.
        static func precedes(_ a: Key, _ b: Key) -> Bool {
            if a.plan != b.plan { return a.plan.utf8.lexicographicallyPrecedes(b.plan.utf8) }
            if a.unit != b.unit { return a.unit.utf8.lexicographicallyPrecedes(b.unit.utf8) }
            if a.taskKey != b.taskKey { return a.taskKey < b.taskKey }
            return a.milestoneKey.utf8.lexicographicallyPrecedes(b.milestoneKey.utf8)
        }
    }

    struct Record: Equatable {
        var id: Int64
        var status: String
        var percent: Int?
        var completedOn: String?
        var reportedOn: String
        var knownOn: String

        var completion: String { completedOn ?? knownOn }

        /// Its place in record order within its key.
        var order: RecordOrder { RecordOrder(reportedOn: reportedOn, id: id) }

        /// Wins `ItemState`'s last record (`LatestRecord.beatsForItem`).
        func beatsForItem(_ o: Record) -> Bool {
            LatestRecord.beatsForItem(knownOn: knownOn, completedOn: completion, order: order,
                                      over: (o.knownOn, o.completion, o.order))
        }

        /// Wins `TaskStatus` (`LatestRecord.beatsForTask`).
        func beatsForTask(_ o: Record) -> Bool {
            LatestRecord.beatsForTask(knownOn: knownOn, order: order, over: (o.knownOn, o.order))
        }
    }

    /// Record order within one key: (reported on, record id), as the facts are read.
    struct RecordOrder: Comparable {
        var reportedOn: String
        var id: Int64

        static func < (a: RecordOrder, b: RecordOrder) -> Bool {
            a.reportedOn != b.reportedOn ? a.reportedOn < b.reportedOn : a.id < b.id
        }
    }

    /// How far back from a unit's last known day its kept records answer (six weeks: this week's
    /// digest and the week before it over the last month, with a month's ledger lag to spare).
    static let window = 42

    /// The records of one key that decide the rules on every date from `floor` (`YYYY-MM-DD`; ""
    /// for every date): both winners as of the floor and as of each later day a record became
    /// known, and per completion date the first `cap` done records by (known on, id).
    static func keep(_ records: [Record], cap: Int, floor: String) -> [Record] {
        let byKnown = records.sorted { $0.knownOn != $1.knownOn ? $0.knownOn < $1.knownOn : $0.id < $1.id }
        var kept: [Record] = []
        var keptIDs = Set<Int64>()
        func add(_ r: Record?) {
            if let r, keptIDs.insert(r.id).inserted { kept.append(r) }
        }
        var item: Record?
        var task: Record?
        var i = 0
        var crossed = false
        while i < byKnown.count {
            let day = byKnown[i].knownOn
            if day > floor, !crossed {
                crossed = true
                add(item) // the winners as of the floor
                add(task)
            }
            while i < byKnown.count, byKnown[i].knownOn == day {
                let r = byKnown[i]
                if item.map({ r.beatsForItem($0) }) ?? true { item = r }
                if task.map({ r.beatsForTask($0) }) ?? true { task = r }
                i += 1
            }
            if day > floor {
                add(item)
                add(task)
            }
        }
        add(item)
        add(task)
        var copies: [String: Int] = [:]
        for r in byKnown where r.status == ProgressStatus.done.rawValue {
            let n = copies[r.completion, default: 0]
            guard n < cap else { continue }
            copies[r.completion] = n + 1
            add(r)
        }
        return kept
    }

    /// `date` (`YYYY-MM-DD`) less `window` days; "" when it is not a date.
    static func floor(below date: String) -> String {
        LocalDate(iso: date)?.adding(days: -window).description ?? ""
    }

    /// Per (task, milestone) key of a plan, how many done records of one date can matter: the
    /// occurrences of the milestone, or for a task as a whole the most of any of its milestones.
    struct Caps: Equatable {
        struct Key: Hashable {
            var task: Int?
            var milestone: String?
        }

        var byKey: [Key: Int]

        init(_ plan: Plan) {
            var byKey: [Key: Int] = [:]
            for m in plan.milestones {
                let n = max(1, m.dueDates.count)
                byKey[Key(task: m.task, milestone: m.id)] = n
                if let t = m.task { byKey[Key(task: t, milestone: nil), default: 1] = max(byKey[Key(task: t, milestone: nil)] ?? 1, n) }
            }
            self.byKey = byKey
        }

        /// One line per key, "task TAB milestone TAB count", sorted: what `current_fact_plan` stores.
        var text: String {
            byKey.map { "\($0.key.task.map(String.init) ?? "")\t\($0.key.milestone ?? "")\t\($0.value)" }.sorted().joined(separator: "\n")
        }

        /// A key the plan does not name (a task without milestones) cannot complete anything; one copy is kept.
        func cap(task: Int?, milestone: String?) -> Int { byKey[Key(task: task, milestone: milestone)] ?? 1 }
    }

    /// Whether `current_fact` holds what `fold` would make of every record and submission of the
    /// database, with `plan`'s occurrence counts.
    static func isCurrent(_ db: Database, plan: Plan) throws -> Bool {
        guard try !isBehind(db) else { return false }
        if let stored = try String.fetchOne(db, sql: "SELECT caps FROM current_fact_plan WHERE plan_id = ?", arguments: [plan.id]) {
            return stored == Caps(plan).text
        }
        // No counts stored: right only for a plan without records.
        return try !(Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM progress_record WHERE plan_id = ?)", arguments: [plan.id]) ?? true)
    }

    /// Whether `fold` has anything to do: the table was derived by another version, or records
    /// or submissions were added since the last fold.
    static func isBehind(_ db: Database) throws -> Bool {
        guard try derivedVersion(db) == version,
              let mark = try Row.fetchOne(db, sql: "SELECT records_through, submissions_through, reviews_through FROM current_fact_mark") else { return true }
        return try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) FROM progress_record") != mark[0] as Int64
            || Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) FROM ledger_submission") != mark[1] as Int64
            || Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) FROM ledger_review") != mark[2] as Int64
    }

    /// The version of the code that derived the stored `current_fact` (nil: none recorded).
    static func derivedVersion(_ db: Database) throws -> Int? {
        try Int.fetchOne(db, sql: "SELECT version FROM derived_version WHERE name = 'current_fact'")
    }

    /// Empties the tables and records this code's version: the fold that follows derives them
    /// from every record and submission.
    static func reset(_ db: Database) throws {
        try db.execute(sql: """
            DELETE FROM current_fact; DELETE FROM current_fact_unit; DELETE FROM current_fact_plan;
            UPDATE current_fact_mark SET records_through = 0, submissions_through = 0, reviews_through = 0;
            INSERT INTO derived_version (name, version) VALUES ('current_fact', ?)
                ON CONFLICT (name) DO UPDATE SET version = excluded.version;
            """, arguments: [version])
    }

    /// The plans of the records after an id, read from that id on (`NOT INDEXED` leaves the
    /// rowid's range): left to itself SQLite walked a covering index of every record to skip the
    /// DISTINCT's sort (9.5 million index entries per submit at country size).
    static let touchedPlansSQL = "SELECT DISTINCT plan_id FROM progress_record NOT INDEXED WHERE id > ?"

    /// Folds into `current_fact` every record and submission added since the last fold, in the
    /// caller's transaction; first rebuilds everything when the table was derived by another
    /// version of this code. `plans` are plans at hand (others are read from the store); a plan
    /// among them whose occurrence counts changed is rebuilt from all its records. Writes
    /// nothing when there is nothing to fold.
    static func fold(_ db: Database, plans given: [String: Plan] = [:]) throws {
        if try derivedVersion(db) != version { try reset(db) }
        guard let mark = try Row.fetchOne(db, sql: "SELECT records_through, submissions_through, reviews_through FROM current_fact_mark") else {
            throw StoreCorruption(description: "current_fact_mark has no row")
        }
        let recordsThrough: Int64 = mark[0], submissionsThrough: Int64 = mark[1], reviewsThrough: Int64 = mark[2]
        let lastRecord = try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) FROM progress_record") ?? 0
        let lastSubmission = try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) FROM ledger_submission") ?? 0
        let lastReview = try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) FROM ledger_review") ?? 0
        if given.isEmpty, lastRecord == recordsThrough, lastSubmission == submissionsThrough, lastReview == reviewsThrough {
            return // up to date
        }
        var folding = Folding(db, plans: given)

        // Plans whose counts changed (or that have none stored yet): rebuilt from all their records.
        var planIDs = Set(given.keys)
        if lastRecord > recordsThrough {
            planIDs.formUnion(try String.fetchAll(db, sql: touchedPlansSQL, arguments: [recordsThrough]))
        }
        var rebuilt = Set<String>()
        for id in planIDs.sorted() {
            guard let caps = try folding.caps(id) else { continue }
            let stored = try String.fetchOne(db, sql: "SELECT caps FROM current_fact_plan WHERE plan_id = ?", arguments: [id])
            guard stored != caps.text else { continue }
            try db.execute(sql: "DELETE FROM current_fact WHERE plan_id = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM current_fact_unit WHERE plan_id = ?", arguments: [id])
            try db.execute(sql: "INSERT OR REPLACE INTO current_fact_plan (plan_id, caps) VALUES (?, ?)", arguments: [id, caps.text])
            // Known days (so the floors while gathering are close to the final ones) and corrections first.
            // A return counts as a correction: the returned ledger's records stop counting on its
            // day. (Read apart: joining the view per submission made SQLite scan every row.)
            for row in try Row.fetchAll(db, sql: """
                SELECT s.unit_id, max(s.submitted_on), max(CASE WHEN s.supersedes_id IS NOT NULL THEN s.submitted_on END)
                FROM ledger_submission s WHERE s.plan_id = ? GROUP BY s.unit_id
                UNION ALL
                SELECT s.unit_id, max(v.decided_on), max(v.decided_on) FROM ledger_review v JOIN ledger_submission s ON s.id = v.submission_id
                WHERE v.decision = 'return' AND s.plan_id = ? GROUP BY s.unit_id
                """, arguments: [id, id]) {
                folding.known(Key(plan: id, unit: row[0]), row[1])
                if let corrected: String = row[2] {
                    folding.known(Key(plan: id, unit: row[0]), corrected) // a return is known on its day
                    folding.corrected(Key(plan: id, unit: row[0]), corrected)
                }
            }
            try folding.add(sql: "SELECT \(Folding.columns) FROM progress_record r LEFT JOIN ledger_submission s ON s.id = r.submission_id WHERE r.plan_id = ?",
                            arguments: [id])
            rebuilt.insert(id)
        }

        // New submissions: their units' known dates. A correction rebuilds the keys that kept a
        // record of the ledger it supersedes; a record that was not kept changed nothing kept
        // (keeping is associative), so the unit's other keys just take its new records. A new
        // return is a correction of the returned ledger on the day it was returned.
        var rebuiltKeys = Set<Key>()
        if lastSubmission > submissionsThrough || lastReview > reviewsThrough {
            var ended: [(plan: String, unit: String, on: String, submission: Int64)] = []
            for row in try Row.fetchAll(db, sql: """
                SELECT plan_id, unit_id, submitted_on, supersedes_id, id FROM ledger_submission WHERE id > ?
                """, arguments: [submissionsThrough]) where !rebuilt.contains(row[0]) {
                let unit = Key(plan: row[0], unit: row[1])
                folding.submitted[row[4]] = row[2]
                folding.known(unit, row[2])
                if let superseded: Int64 = row[3] { ended.append((row[0], row[1], row[2], superseded)) }
            }
            for row in try Row.fetchAll(db, sql: """
                SELECT s.plan_id, s.unit_id, v.decided_on, v.submission_id FROM ledger_review v
                JOIN ledger_submission s ON s.id = v.submission_id WHERE v.id > ? AND v.decision = 'return'
                """, arguments: [reviewsThrough]) where !rebuilt.contains(row[0]) {
                ended.append((row[0], row[1], row[2], row[3]))
            }
            for (plan, unitID, on, superseded) in ended {
                let unit = Key(plan: plan, unit: unitID)
                folding.known(unit, on)
                folding.corrected(unit, on)
                for k in try Row.fetchAll(db, sql: """
                    SELECT DISTINCT c.task_key, c.milestone_key FROM current_fact c JOIN progress_record r ON r.id = c.record_id
                    WHERE c.plan_id = ? AND c.unit_id = ? AND r.submission_id = ?
                    """, arguments: [unit.plan, unit.unit, superseded]) {
                    let task: Int64 = k[0], milestone: String = k[1]
                    rebuiltKeys.insert(Key(plan: unit.plan, unit: unit.unit, task: task == Int64.min ? nil : Int(task),
                                           milestone: milestone.isEmpty ? nil : milestone))
                }
            }
            for key in rebuiltKeys.sorted(by: Key.precedes) {
                try db.execute(sql: "DELETE FROM current_fact WHERE plan_id = ? AND unit_id = ? AND task_key = ? AND milestone_key = ?",
                               arguments: [key.plan, key.unit, key.taskKey, key.milestoneKey])
                try folding.add(sql: """
                    SELECT \(Folding.columns) FROM progress_record r LEFT JOIN ledger_submission s ON s.id = r.submission_id
                    WHERE r.plan_id = ? AND r.unit_id = ? AND r.task_number IS ? AND r.milestone_id IS ?
                    """, arguments: [key.plan, key.unit, key.task, key.milestone])
            }
        }

        // New records of the other keys, merged with what they kept.
        if lastRecord > recordsThrough {
            // Their submissions are new too: their days come from `submitted`, not a join per record.
            try folding.add(sql: "SELECT \(Folding.columnsWithoutKnown) FROM progress_record r WHERE r.id > ?",
                            arguments: [recordsThrough], merge: true, skipping: rebuilt, skippingKeys: rebuiltKeys)
        }
        try folding.write()
        try db.execute(sql: "UPDATE current_fact_mark SET records_through = ?, submissions_through = ?, reviews_through = ?",
                       arguments: [lastRecord, lastSubmission, lastReview])
    }

    /// The plan as stored now (its current version).
    static func storedPlan(_ db: Database, _ id: String) throws -> Plan? {
        guard let json = try String.fetchOne(db, sql: """
            SELECT v.plan_json FROM plan p JOIN plan_version v ON v.plan_id = p.id AND v.version = p.current_version WHERE p.id = ?
            """, arguments: [id]) else { return nil }
        return try JSONDecoder().decode(Plan.self, from: Data(json.utf8))
    }

    /// One fold's work: records gathered per key (kept as they come, so memory stays per key),
    /// then written.
    struct Folding {
        static let columns = """
            r.id, r.plan_id, r.unit_id, r.task_number, r.milestone_id, r.status, r.percent, r.completed_on, r.reported_on,
            coalesce(s.submitted_on, r.reported_on), r.submission_id
            """
        static let columnsWithoutKnown = """
            r.id, r.plan_id, r.unit_id, r.task_number, r.milestone_id, r.status, r.percent, r.completed_on, r.reported_on,
            NULL, r.submission_id
            """
        let db: Database
        let plans: [String: Plan]
        /// The days new submissions were submitted, by id.
        var submitted: [Int64: String] = [:]
        private var capsByPlan: [String: Caps?] = [:]
        /// Per key, its records so far and whether the key's stored rows are to be merged in.
        private var gathered: [Key: Entry] = [:]

        /// A key's records so far, whether the key's stored rows are to be merged in, and the
        /// count at which they are next reduced to what is kept.
        struct Entry {
            var records: [Record] = []
            var merge: Bool
            var keepAt = 16

            /// Appends; true when it is time to keep.
            mutating func append(_ record: Record) -> Bool {
                records.append(record)
                return records.count >= keepAt
            }
        }
        /// Per unit (a key without task and milestone): the last day known among what was folded in,
        /// and the day of its last correction folded in.
        private var units: [Key: String] = [:]
        private var corrections: [Key: String] = [:]
        private var floors: [Key: String] = [:]
        private var superseded: Set<Int64>?

        init(_ db: Database, plans: [String: Plan]) {
            self.db = db
            self.plans = plans
        }

        /// The occurrence counts of a plan: of the one at hand, else of the one stored.
        mutating func caps(_ planID: String) throws -> Caps? {
            if let caps = capsByPlan[planID] { return caps }
            let caps = try (plans[planID] ?? CurrentFacts.storedPlan(db, planID)).map(Caps.init)
            capsByPlan[planID] = caps
            return caps
        }

        mutating func known(_ unit: Key, _ date: String) {
            if let d = units[unit], d >= date { return }
            units[unit] = date
        }

        mutating func corrected(_ unit: Key, _ date: String) {
            if let d = corrections[unit], d >= date { return }
            corrections[unit] = date
        }

        /// A unit's floor after this fold: the stored one, its last correction, or `window` days
        /// before its last known day, whichever is latest.
        mutating func floor(_ unit: Key) throws -> String {
            if let f = floors[unit] { return f }
            let stored = try Row.fetchOne(try db.cachedStatement(sql: "SELECT known_through, floor FROM current_fact_unit WHERE plan_id = ? AND unit_id = ?"),
                                          arguments: [unit.plan, unit.unit])
            let known = max((stored?[0] as String?) ?? "", units[unit] ?? "")
            let f = max((stored?[1] as String?) ?? "", corrections[unit] ?? "", CurrentFacts.floor(below: known))
            floors[unit] = f
            return f
        }

        /// Gathers the effective records of a query of `columns`.
        mutating func add(sql: String, arguments: StatementArguments, merge: Bool = false,
                          skipping plans: Set<String> = [], skippingKeys: Set<Key> = []) throws {
            let superseded = try supersededSubmissions()
            let statement = try db.cachedStatement(sql: sql)
            try statement.setArguments(arguments)
            let s = statement.sqliteStatement
            defer { sqlite3_reset(s) }
            while true {
                let rc = sqlite3_step(s)
                if rc == SQLITE_DONE { break }
                guard rc == SQLITE_ROW else { throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: db.lastErrorMessage) }
                let plan = ColumnText.string(s, 1) ?? ""
                if plans.contains(plan) { continue }
                if sqlite3_column_type(s, 10) != SQLITE_NULL, superseded.contains(sqlite3_column_int64(s, 10)) { continue }
                let key = Key(plan: plan, unit: ColumnText.string(s, 2) ?? "",
                              task: sqlite3_column_type(s, 3) == SQLITE_NULL ? nil : Int(sqlite3_column_int64(s, 3)),
                              milestone: ColumnText.string(s, 4))
                if !skippingKeys.isEmpty, skippingKeys.contains(key) { continue }
                let record = Record(id: sqlite3_column_int64(s, 0), status: ColumnText.string(s, 5) ?? "",
                                    percent: sqlite3_column_type(s, 6) == SQLITE_NULL ? nil : Int(sqlite3_column_int64(s, 6)),
                                    completedOn: ColumnText.string(s, 7), reportedOn: ColumnText.string(s, 8) ?? "",
                                    knownOn: try ColumnText.string(s, 9) ?? knownOn(submission: sqlite3_column_type(s, 10) == SQLITE_NULL ? nil : sqlite3_column_int64(s, 10),
                                                                            reported: ColumnText.string(s, 8) ?? ""))
                let unit = Key(plan: plan, unit: key.unit)
                known(unit, record.knownOn)
                // Appended in place (one hash of the key per record).
                if gathered[key, default: Entry(merge: merge)].append(record), var entry = gathered[key] {
                    // Kept as of a floor no later than the final one (it only rises): nothing needed
                    // is lost, and a rebuild holds a few records per key, not all of them.
                    let cap = try caps(plan)?.cap(task: key.task, milestone: key.milestone) ?? 1
                    entry.records = CurrentFacts.keep(entry.records, cap: cap, floor: CurrentFacts.floor(below: units[unit] ?? ""))
                    entry.keepAt = 2 * entry.records.count + 16
                    gathered[key] = entry
                }
            }
        }

        /// The day a record became known when the query did not join its submission: the
        /// submission's day (from `submitted`, else read), or its own day without one.
        func knownOn(submission: Int64?, reported: String) throws -> String {
            guard let submission else { return reported }
            if let day = submitted[submission] { return day }
            return try String.fetchOne(db, sql: "SELECT submitted_on FROM ledger_submission WHERE id = ?", arguments: [submission]) ?? reported
        }

        /// Writes every gathered key's kept records and the units' known dates.
        mutating func write() throws {
            // What a unit's keys kept, read in one range of the table when its first key needs it.
            let storedOfUnit = try db.cachedStatement(sql: """
                SELECT task_key, milestone_key, record_id, status, percent, completed_on, reported_on, known_on FROM current_fact
                WHERE plan_id = ? AND unit_id = ?
                """)
            var storedUnit: Key?
            var stored: [Key: [Record]] = [:]
            func readStored(_ unit: Key) throws {
                stored = [:]
                storedUnit = unit
                let s = storedOfUnit.sqliteStatement
                defer { sqlite3_reset(s); sqlite3_clear_bindings(s) }
                sqlite3_bind_text(s, 1, unit.plan, -1, SQLITE_TRANSIENT)
                sqlite3_bind_text(s, 2, unit.unit, -1, SQLITE_TRANSIENT)
                while true {
                    let rc = sqlite3_step(s)
                    if rc == SQLITE_DONE { return }
                    guard rc == SQLITE_ROW else { throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: db.lastErrorMessage) }
                    let task = sqlite3_column_int64(s, 0), milestone = ColumnText.string(s, 1) ?? ""
                    let key = Key(plan: unit.plan, unit: unit.unit, task: task == Int64.min ? nil : Int(task), milestone: milestone.isEmpty ? nil : milestone)
                    stored[key, default: []].append(Record(
                        id: sqlite3_column_int64(s, 2), status: ColumnText.string(s, 3) ?? "",
                        percent: sqlite3_column_type(s, 4) == SQLITE_NULL ? nil : Int(sqlite3_column_int64(s, 4)),
                        completedOn: ColumnText.string(s, 5), reportedOn: ColumnText.string(s, 6) ?? "", knownOn: ColumnText.string(s, 7) ?? ""))
                }
            }
            let insert = try db.cachedStatement(sql: """
                INSERT INTO current_fact (plan_id, unit_id, task_key, milestone_key, reported_on, record_id, status, percent,
                    completed_on, known_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            let remove = try db.cachedStatement(sql: """
                DELETE FROM current_fact WHERE plan_id = ? AND unit_id = ? AND task_key = ? AND milestone_key = ? AND reported_on = ?
                    AND record_id = ?
                """)
            // In the table's order: each page is visited once, not once per key in hash order.
            // Bound and stepped through the C API: a fold writes tens of thousands of rows.
            func run(_ statement: Statement, _ key: Key, _ record: Record, row: Bool = true) throws {
                let s = statement.sqliteStatement
                defer { sqlite3_reset(s); sqlite3_clear_bindings(s) }
                sqlite3_bind_text(s, 1, key.plan, -1, SQLITE_TRANSIENT)
                sqlite3_bind_text(s, 2, key.unit, -1, SQLITE_TRANSIENT)
                sqlite3_bind_int64(s, 3, key.taskKey)
                sqlite3_bind_text(s, 4, key.milestoneKey, -1, SQLITE_TRANSIENT)
                sqlite3_bind_text(s, 5, record.reportedOn, -1, SQLITE_TRANSIENT)
                sqlite3_bind_int64(s, 6, record.id)
                if row {
                    sqlite3_bind_text(s, 7, record.status, -1, SQLITE_TRANSIENT)
                    if let p = record.percent { sqlite3_bind_int64(s, 8, Int64(p)) } else { sqlite3_bind_null(s, 8) }
                    if let c = record.completedOn { sqlite3_bind_text(s, 9, c, -1, SQLITE_TRANSIENT) } else { sqlite3_bind_null(s, 9) }
                    sqlite3_bind_text(s, 10, record.knownOn, -1, SQLITE_TRANSIENT)
                }
                let rc = sqlite3_step(s)
                guard rc == SQLITE_DONE else { throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: db.lastErrorMessage) }
            }
            for key in gathered.keys.sorted(by: Key.precedes) {
                guard let entry = gathered[key] else { continue }
                let cap = try caps(key.plan)?.cap(task: key.task, milestone: key.milestone) ?? 1
                var records = entry.records
                var before: [Record] = []
                if entry.merge {
                    let unit = Key(plan: key.plan, unit: key.unit)
                    if storedUnit != unit { try readStored(unit) }
                    before = stored[key] ?? []
                    records = before + records
                }
                let kept = CurrentFacts.keep(records, cap: cap, floor: try floor(Key(plan: key.plan, unit: key.unit)))
                let keptIDs = Set(kept.map(\.id)), beforeIDs = Set(before.map(\.id))
                for r in before where !keptIDs.contains(r.id) { try run(remove, key, r, row: false) }
                for r in kept where !beforeIDs.contains(r.id) { try run(insert, key, r) }
            }
            let unit = try db.cachedStatement(sql: """
                INSERT INTO current_fact_unit (plan_id, unit_id, known_through, floor) VALUES (?, ?, ?, ?)
                ON CONFLICT (plan_id, unit_id) DO UPDATE
                SET known_through = max(known_through, excluded.known_through), floor = max(floor, excluded.floor)
                """)
            for (key, date) in units { try unit.execute(arguments: [key.plan, key.unit, date, try floor(key)]) }
        }

        private mutating func supersededSubmissions() throws -> Set<Int64> {
            if let superseded { return superseded }
            let ids = Set(try Int64.fetchAll(db, sql: "SELECT submission_id FROM ledger_submission_end"))
            superseded = ids
            return ids
        }
    }
}

/// Column values read through the C API without an intermediate `Row`.
enum ColumnText {
    static func string(_ s: OpaquePointer?, _ i: CInt) -> String? {
        guard let p = sqlite3_column_text(s, i) else { return nil }
        return String(decoding: UnsafeBufferPointer(start: p, count: Int(sqlite3_column_bytes(s, i))), as: UTF8.self)
    }

    /// Whether the column's text is `value`'s UTF-8, byte for byte.
    static func equals(_ s: OpaquePointer?, _ i: CInt, _ value: String) -> Bool {
        guard let p = sqlite3_column_text(s, i) else { return false }
        let bytes = UnsafeBufferPointer(start: p, count: Int(sqlite3_column_bytes(s, i)))
        var value = value
        return value.withUTF8 { $0.elementsEqual(bytes) }
    }

    /// A `YYYY-MM-DD` column as a date (nil when null or not a date).
    static func date(_ s: OpaquePointer?, _ i: CInt) -> LocalDate? {
        guard let p = sqlite3_column_text(s, i) else { return nil }
        return LocalDate(isoBytes: UnsafeBufferPointer(start: p, count: Int(sqlite3_column_bytes(s, i))))
    }
}
