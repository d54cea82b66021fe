import Foundation
import GRDB
#if canImport(GRDBSQLite)
import GRDBSQLite
#else
import SQLite3
#endif

extension Schema {
    /// Migration "v4-scale": the done records by (unit, task, milestone, completion date), so the
    /// supervision lists read the completions they need without reading every record.
    static func createScaleIndexes(_ db: Database) throws {
        try db.execute(sql: """
            CREATE INDEX progress_record_done
                ON progress_record(plan_id, unit_id, task_number, milestone_id, completed_on, id) WHERE status = 'done';
            """)
    }
}

extension Schema {
    /// Migration "v5-ledger-dates": the dates of every submission in an index of their own. A
    /// submission row holds its whole ledger (`content_json`), so a row is a page or more; reading
    /// the dates of all submissions from the table read the table (~1 page per ledger: 0.5 GB at
    /// country size). Covering: (plan, unit, period) → submitted_on, period_end.
    static func createLedgerDatesIndex(_ db: Database) throws {
        try db.execute(sql: """
            CREATE INDEX ledger_submission_dates ON ledger_submission(plan_id, unit_id, period, submitted_on, period_end);
            """)
    }
}

extension SupervisionStore {
    /// The facts `ItemStates.compute(plan:facts:asOf:)` and `TaskStatuses.latest` need for one
    /// as-of date, without reading every record of the plan.
    ///
    /// A unit whose floor is on or before `asOf` has its kept records read from `current_fact`
    /// (see `CurrentFacts`), when that table is up to date: on any date from its floor on they
    /// decide what all its records would. The other units' facts (all
    /// units', when the table is not up to date) are read from the records with index seeks per
    /// owed (unit, task[, milestone]).
    ///
    /// For that date it gives the same item states as `facts(planID:)`: every fact returned is
    /// known on `asOf` and not superseded by then, and it holds
    /// - per owed key, every record that can be the latest known one: the latest by `reported_on`
    ///   known on `asOf` sets a lower bound K on the latest `knownOn`; a ledger's records become
    ///   known at most `lag` days (the largest submission delay in the plan) after their
    ///   `reported_on`, so every record with `reported_on` ≥ K − lag is read;
    /// - per owed key and completion date, up to `cap` done records (the most occurrences any
    ///   milestone has): a done record completes at most one occurrence, so more copies of one
    ///   date cannot change which occurrences are done;
    /// - every ledger submitted and every extension granted by `asOf`.
    /// Facts come in the order of `progress_record_latest`, as `facts(planID:)` reads them, so ties
    /// resolve alike. Falls back to `facts(planID:)` when the stored owners do not cover the plan's.
    ///
    /// With `units`, only the facts about those units are read (what `--unit` needs): the same
    /// facts as without, less the other units'.
    public func facts(planID: String, asOf: LocalDate, plan: Plan, units: Set<String>? = nil) throws -> Facts {
        let extensions = try extensions(planID: planID).map(\.fact).filter { $0.grantedOn <= asOf }
        let d = asOf.description
        let read = { (db: Database) throws -> Facts in
            // The units whose records are read: all of them, or when `current_fact` is up to date
            // only those with something known after `asOf` (the others' kept records decide).
            var fromRecords = units
            // Kept rows come in fact order (the query's ORDER BY is `factPrecedes`' order).
            var kept: [ProgressFact] = []
            if plan.id == planID, try CurrentFacts.isCurrent(db, plan: plan) {
                let later = Set(try String.fetchAll(db, sql: "SELECT unit_id FROM current_fact_unit WHERE plan_id = ? AND floor > ?",
                                                    arguments: [planID, d]))
                fromRecords = units.map { $0.intersection(later) } ?? later
                if fromRecords?.isEmpty ?? false {
                    // Every fact is a kept one, and they come in order.
                    var progress: [ProgressFact] = []
                    try Self.currentRows(db, planID: planID, asOf: asOf, units: units, except: later) { progress.append($0) }
                    return Facts(progress: progress, ledgers: try Self.ledgerFacts(db, planID: planID, asOf: asOf), extensions: extensions)
                        .about(units)
                }
                try Self.currentRows(db, planID: planID, asOf: asOf, units: units, except: later) { kept.append($0) }
            }
            guard let more = try Self.recordRows(db, planID: planID, asOf: asOf, plan: plan, units: fromRecords) else {
                return try self.factsAll(db, planID: planID, extensions: extensions).known(on: asOf).about(units)
            }
            // The records read are of other units than the kept rows: sorting them alone and
            // merging by unit gives the order of sorting all (at country size, 1 M kept rows).
            let read = more.sorted(by: Self.factPrecedes).map(\.fact)
            return Facts(progress: Self.mergingByUnit(kept, read), ledgers: try Self.ledgerFacts(db, planID: planID, asOf: asOf),
                         extensions: extensions).about(units)
        }
        return try database.read { db in try Self.withOccurrences(db, planID: planID, try read(db)) }
    }

    /// The facts `facts(planID:asOf:plan:)` returns, one unit at a time: `body` is called with each
    /// unit's progress facts (every unit that has any, once, in fact order); the ledgers and
    /// extensions are returned (with no progress facts). At country size a million facts are
    /// then never held at once.
    public func eachUnitFacts(planID: String, asOf: LocalDate, plan: Plan,
                              _ body: (_ unit: String, _ progress: [ProgressFact]) throws -> Void) throws -> Facts {
        let extensions = try extensions(planID: planID).map(\.fact).filter { $0.grantedOn <= asOf }
        return try database.read { db in
            let named = try Self.namedOccurrences(db, planID: planID)
            func emit(_ unit: String, _ progress: [ProgressFact]) throws {
                guard !progress.isEmpty else { return }
                guard !named.isEmpty else { return try body(unit, progress) }
                var out = progress
                for i in out.indices {
                    if let id = out[i].recordID, let label = named[id] { out[i].occurrence = label }
                }
                try body(unit, out)
            }
            // A list in fact order, unit by unit: from `start`, the runs of units before `before` (all: nil).
            func emitRuns(_ list: [ProgressFact], from start: inout Int, before: String?) throws {
                while start < list.count {
                    let unit = list[start].unitID
                    if let before, !unit.utf8.lexicographicallyPrecedes(before.utf8) { return }
                    var end = start + 1
                    while end < list.count, list[end].unitID == unit { end += 1 }
                    try emit(unit, Array(list[start..<end]))
                    start = end
                }
            }
            // Every fact of the plan (the stored owners do not cover the plan's), unit by unit.
            func everyFact() throws -> Facts {
                let all = try self.factsAll(db, planID: planID, extensions: extensions).known(on: asOf)
                var order: [String] = []
                var byUnit: [String: [ProgressFact]] = [:]
                for f in all.progress {
                    if byUnit[f.unitID] == nil { order.append(f.unitID) }
                    byUnit[f.unitID, default: []].append(f)
                }
                for unit in order { try emit(unit, byUnit[unit] ?? []) }
                return Facts(progress: [], ledgers: all.ledgers, extensions: all.extensions)
            }
            let ledgers = try Self.ledgerFacts(db, planID: planID, asOf: asOf)
            let done = Facts(progress: [], ledgers: ledgers, extensions: extensions)
            guard plan.id == planID, try CurrentFacts.isCurrent(db, plan: plan) else {
                guard let rows = try Self.recordRows(db, planID: planID, asOf: asOf, plan: plan, units: nil) else {
                    return try everyFact()
                }
                var start = 0
                try emitRuns(rows.sorted(by: Self.factPrecedes).map(\.fact), from: &start, before: nil)
                return done
            }
            // As `facts`: the units with something known after `asOf` from the records, the others'
            // kept rows from `current_fact`; merged by unit.
            let later = Set(try String.fetchAll(db, sql: "SELECT unit_id FROM current_fact_unit WHERE plan_id = ? AND floor > ?",
                                                arguments: [planID, asOf.description]))
            var read: [ProgressFact] = []
            if !later.isEmpty {
                guard let rows = try Self.recordRows(db, planID: planID, asOf: asOf, plan: plan, units: later) else {
                    return try everyFact()
                }
                read = rows.sorted(by: Self.factPrecedes).map(\.fact)
            }
            var next = 0
            var unit = "", kept: [ProgressFact] = []
            try Self.currentRows(db, planID: planID, asOf: asOf, units: nil, except: later) { fact in
                if fact.unitID != unit {
                    try emit(unit, kept)
                    kept.removeAll(keepingCapacity: true)
                    unit = fact.unitID
                    try emitRuns(read, from: &next, before: unit)
                }
                kept.append(fact)
            }
            try emit(unit, kept)
            try emitRuns(read, from: &next, before: nil)
            return done
        }
    }

    /// The occurrences that `progress record --occurrence` named, by record id (a few rows, read
    /// through a partial index; neither `current_fact` nor the fact queries carry them).
    static func namedOccurrences(_ db: Database, planID: String) throws -> [Int64: String] {
        Dictionary(try Row.fetchAll(db, sql: """
            SELECT id, occurrence FROM progress_record WHERE plan_id = ? AND occurrence IS NOT NULL
            """, arguments: [planID]).map { ($0[0] as Int64, $0[1] as String) }, uniquingKeysWith: { a, _ in a })
    }

    /// `facts` with the occurrences that `progress record --occurrence` named (a few rows, read
    /// through a partial index; neither `current_fact` nor the fact queries carry them).
    static func withOccurrences(_ db: Database, planID: String, _ facts: Facts) throws -> Facts {
        let named = try namedOccurrences(db, planID: planID)
        guard !named.isEmpty else { return facts }
        var out = facts
        for i in out.progress.indices {
            if let id = out.progress[i].recordID, let label = named[id] { out.progress[i].occurrence = label }
        }
        return out
    }

    /// Every ledger submitted by `asOf` (at country size, 110,000), through the C API; each
    /// distinct period label is parsed once.
    static func ledgerFacts(_ db: Database, planID: String, asOf: LocalDate) throws -> [LedgerFact] {
        // Returns are few: read apart, not joined per submission.
        let returns = Dictionary(try Row.fetchAll(db, sql: """
            SELECT v.submission_id, v.decided_on FROM ledger_review v JOIN ledger_submission s ON s.id = v.submission_id
            WHERE v.decision = 'return' AND s.plan_id = ?
            """, arguments: [planID]).map { ($0[0] as Int64, $0[1] as String) }, uniquingKeysWith: { a, _ in a })
        let statement = try db.makeStatement(sql: "SELECT unit_id, period, submitted_on, id FROM ledger_submission WHERE plan_id = ? AND submitted_on <= ?")
        try statement.setArguments([planID, asOf.description])
        let s = statement.sqliteStatement
        defer { sqlite3_reset(s) }
        var periods: [String: ReportingPeriod?] = [:]
        var out: [LedgerFact] = []
        while true {
            let rc = sqlite3_step(s)
            if rc == SQLITE_DONE { break }
            guard rc == SQLITE_ROW else { throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: db.lastErrorMessage) }
            let label = ColumnText.string(s, 1) ?? ""
            let period: ReportingPeriod?
            if let known = periods[label] {
                period = known
            } else {
                period = LedgerFactParts.period(label)
                periods[label] = period
            }
            guard let period, let date = ColumnText.date(s, 2) else { continue }
            let returned = returns.isEmpty ? nil : returns[sqlite3_column_int64(s, 3)].flatMap { LocalDate(iso: $0) }
            out.append(LedgerFact(unitID: ColumnText.string(s, 0) ?? "", period: period, submittedOn: date, returnedOn: returned))
        }
        return out
    }

    /// A fact with what orders it among the others: the record's id and `reported_on`.
    typealias FactRow = (id: Int64, reportedOn: String, fact: ProgressFact)

    /// Fact order: unit, task, milestone (none first), reported on, record id; the order of
    /// `progress_record_latest` and of `currentRows`' ORDER BY.
    static func factPrecedes(_ a: FactRow, _ b: FactRow) -> Bool {
        if a.fact.unitID != b.fact.unitID { return a.fact.unitID.utf8.lexicographicallyPrecedes(b.fact.unitID.utf8) }
        if a.fact.task != b.fact.task { return (a.fact.task ?? Int.min) < (b.fact.task ?? Int.min) }
        if a.fact.milestoneID != b.fact.milestoneID {
            guard let l = a.fact.milestoneID else { return true }
            guard let r = b.fact.milestoneID else { return false }
            return l.utf8.lexicographicallyPrecedes(r.utf8)
        }
        if a.reportedOn != b.reportedOn { return a.reportedOn < b.reportedOn }
        return a.id < b.id
    }

    /// Two lists in fact order whose units are disjoint, merged into one in fact order.
    static func mergingByUnit(_ a: [ProgressFact], _ b: [ProgressFact]) -> [ProgressFact] {
        if b.isEmpty { return a }
        if a.isEmpty { return b }
        var out: [ProgressFact] = []
        out.reserveCapacity(a.count + b.count)
        var i = 0, j = 0
        while i < a.count, j < b.count {
            if b[j].unitID.utf8.lexicographicallyPrecedes(a[i].unitID.utf8) {
                out.append(b[j]); j += 1
            } else {
                out.append(a[i]); i += 1
            }
        }
        out.append(contentsOf: a[i...])
        out.append(contentsOf: b[j...])
        return out
    }

    /// Calls `each` with the kept records of `current_fact` (see `CurrentFacts`) known on `asOf`,
    /// of `units` (all when nil) but not of `except`, in the order facts are read (key, then reported_on, id): one scan of its
    /// table, read through the C API (at country size, about a million rows).
    static func currentRows(_ db: Database, planID: String, asOf: LocalDate, units: Set<String>?, except: Set<String>,
                            _ each: (ProgressFact) throws -> Void) throws {
        let statement = try db.makeStatement(sql: """
            SELECT record_id, unit_id, task_key, milestone_key, status, percent, completed_on, reported_on, known_on
            FROM current_fact WHERE plan_id = ? ORDER BY plan_id, unit_id, task_key, milestone_key, reported_on, record_id
            """)
        try statement.setArguments([planID])
        let s = statement.sqliteStatement
        defer { sqlite3_reset(s) }
        var unit = ""
        var wanted = false
        while true {
            let rc = sqlite3_step(s)
            if rc == SQLITE_DONE { break }
            guard rc == SQLITE_ROW else { throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: db.lastErrorMessage) }
            // Rows come unit by unit: a unit's id is made and tested once.
            if !ColumnText.equals(s, 1, unit) {
                unit = ColumnText.string(s, 1) ?? ""
                wanted = !except.contains(unit) && (units?.contains(unit) ?? true)
            }
            guard wanted, let status = ColumnText.string(s, 4).flatMap(ProgressStatus.init(rawValue:)),
                  let known = ColumnText.date(s, 8), known <= asOf else { continue }
            let task = sqlite3_column_int64(s, 2)
            let milestone = ColumnText.string(s, 3) ?? ""
            let fact = ProgressFact(recordID: sqlite3_column_int64(s, 0), unitID: unit, task: task == Int64.min ? nil : Int(task),
                                    milestoneID: milestone.isEmpty ? nil : milestone, status: status,
                                    percent: sqlite3_column_type(s, 5) == SQLITE_NULL ? nil : Int(sqlite3_column_int64(s, 5)),
                                    knownOn: known, completedOn: ColumnText.date(s, 6), reportedOn: ColumnText.date(s, 7))
            try each(fact)
        }
    }

    /// The facts of `units` (all when nil) read from the records with index seeks, as described
    /// at `facts(planID:asOf:plan:units:)`; nil when the stored owners do not cover the plan's.
    static func recordRows(_ db: Database, planID: String, asOf: LocalDate, plan: Plan, units: Set<String>?) throws -> [FactRow]? {
        let cap = max(1, plan.milestones.map(\.dueDates.count).max() ?? 1)
        let d = asOf.description
        // The unit filter, as one JSON array bound to the parameter after each query's own.
        let only = units.map { JSONText.strings($0.sorted()) }
        func with(_ arguments: StatementArguments) -> StatementArguments {
            only.map { arguments + [$0] } ?? arguments
        }
        // Every key the rules look at must be among the stored owed keys, or we read everything.
        var stored = Set<OwedKey>()
        for row in try Row.fetchAll(db, sql: Self.keysSQL(unitsParameter: only.map { _ in 2 }), arguments: with([planID])) {
            stored.insert(OwedKey(unit: row[0], task: row[1], milestone: row[2]))
        }
        // The keys of `Obligations.milestoneItems(plan, only: units)`, one per milestone and owner
        // (not per occurrence; each list of owners expanded once).
        let milestones = plan.milestones
        for (m, owners) in zip(milestones, Owing.units(owingEach: milestones, in: plan)) where !Obligations.occurrences(of: m).isEmpty {
            for unit in owners where units?.contains(unit.id) ?? true {
                guard stored.contains(OwedKey(unit: unit.id, task: m.task, milestone: m.id)),
                      m.task == nil || stored.contains(OwedKey(unit: unit.id, task: m.task, milestone: nil)) else {
                    return nil
                }
            }
        }
        let bounds = try Row.fetchOne(db, sql: """
            SELECT max(julianday(submitted_on) - julianday(period_end)), max(julianday(period_end) - julianday(submitted_on))
            FROM ledger_submission WHERE plan_id = ?
            """, arguments: [planID])
        let lag = max(0, Int(((bounds?[0] as Double?) ?? 0).rounded(.up)))
        let lead = max(0, Int(((bounds?[1] as Double?) ?? 0).rounded(.up)))
        let hi = asOf.adding(days: lead).description
        var seen = Set<Int64>()
        var rows: [FactRow] = []
        func collect(_ sql: String, _ arguments: StatementArguments) throws {
            let cursor = try Row.fetchCursor(db, sql: sql, arguments: arguments)
            while let row = try cursor.next() {
                let id: Int64 = row[0]
                guard seen.insert(id).inserted, let fact = Self.fact(row), fact.knownOn <= asOf,
                      fact.supersededOn.map({ $0 > asOf }) ?? true else { continue }
                rows.append((id, row[7] as String, fact))
            }
        }
        let filter = only.map { _ in 9 }
        try collect(Self.latestCandidatesSQL(lag: lag, unitsParameter: filter), with([planID, planID, planID, hi, d, d, planID, hi]))
        try collect(Self.doneSQL(unitsParameter: filter), with([planID, planID, planID, planID, planID, d, d, cap]))
        return rows
    }

    private struct OwedKey: Hashable {
        var unit: String
        var task: Int?
        var milestone: String?
    }

    /// (unit, task, milestone) keys owed: each task-level key and each milestone's. The plan is
    /// parameter 1; with `unitsParameter` N, only the units of the JSON array bound to ?N.
    static func keysSQL(unitsParameter: Int? = nil) -> String {
        let only = unitsParameter.map { " AND unit_id IN (SELECT value FROM json_each(?\($0)))" } ?? ""
        return """
            SELECT DISTINCT unit_id, task_number, NULL FROM task_unit WHERE plan_id = ?1\(only)
            UNION
            SELECT mo.unit_id, m.task_number, mo.milestone_id FROM milestone_owner mo
            JOIN milestone m ON m.plan_id = mo.plan_id AND m.id = mo.milestone_id WHERE mo.plan_id = ?1\(only.replacingOccurrences(of: "unit_id", with: "mo.unit_id"))
            """
    }

    static let factColumns = """
        r.id, r.unit_id, r.task_number, r.milestone_id, r.status, r.percent, r.completed_on, r.reported_on,
        s.submitted_on, (SELECT e.ended_on FROM ledger_submission_end e WHERE e.submission_id = r.submission_id ORDER BY e.ended_on LIMIT 1) AS superseded_on
        """

    /// Arguments: plan, plan (keys), plan, hi, asOf, asOf (first known record), plan, hi[, units].
    static func latestCandidatesSQL(lag: Int, unitsParameter: Int? = nil) -> String {
        """
        WITH keys(unit_id, task_number, milestone_id) AS (\(keysSQL(unitsParameter: unitsParameter))),
        k1 AS (SELECT k.unit_id, k.task_number, k.milestone_id, (
            SELECT r.reported_on FROM progress_record r LEFT JOIN ledger_submission s ON s.id = r.submission_id
            WHERE r.plan_id = ?3 AND r.unit_id = k.unit_id AND r.task_number IS k.task_number AND r.milestone_id IS k.milestone_id
              AND r.reported_on <= ?4 AND coalesce(s.submitted_on, r.reported_on) <= ?5
              AND NOT EXISTS (SELECT 1 FROM ledger_submission_end e WHERE e.submission_id = r.submission_id AND e.ended_on <= ?6)
            ORDER BY r.reported_on DESC, r.id DESC LIMIT 1) AS first_known
          FROM keys k)
        SELECT \(factColumns)
        FROM k1 JOIN progress_record r ON r.plan_id = ?7 AND r.unit_id = k1.unit_id AND r.task_number IS k1.task_number
             AND r.milestone_id IS k1.milestone_id AND r.reported_on >= date(k1.first_known, '-\(lag) days') AND r.reported_on <= ?8
        LEFT JOIN ledger_submission s ON s.id = r.submission_id
        WHERE k1.first_known IS NOT NULL
        """
    }

    /// Per key, each distinct completion date (a skip scan of `progress_record_done`) and up to
    /// `cap` done records of that date known and not superseded on the as-of date, the first by
    /// (known on, id) as `current_fact` keeps them: by id alone, a correction's copy (a later id)
    /// lost to the copies later ledgers repeat, placed in later occurrences where they complete
    /// nothing.
    /// Arguments: plan, plan (keys), plan, plan, plan, asOf, asOf, cap[, units].
    static func doneSQL(unitsParameter: Int? = nil) -> String { """
        WITH RECURSIVE keys(unit_id, task_number, milestone_id) AS (\(keysSQL(unitsParameter: unitsParameter))),
        dates(unit_id, task_number, milestone_id, completed_on) AS (
            SELECT k.unit_id, k.task_number, k.milestone_id, (
                SELECT min(r.completed_on) FROM progress_record r
                WHERE r.plan_id = ?3 AND r.unit_id = k.unit_id AND r.task_number IS k.task_number
                  AND r.milestone_id IS k.milestone_id AND r.status = 'done')
            FROM keys k
            UNION ALL
            SELECT d.unit_id, d.task_number, d.milestone_id, (
                SELECT min(r.completed_on) FROM progress_record r
                WHERE r.plan_id = ?4 AND r.unit_id = d.unit_id AND r.task_number IS d.task_number
                  AND r.milestone_id IS d.milestone_id AND r.status = 'done' AND r.completed_on > d.completed_on)
            FROM dates d WHERE d.completed_on IS NOT NULL)
        SELECT \(factColumns)
        FROM dates d JOIN progress_record r ON r.id IN (
            SELECT r2.id FROM progress_record r2 LEFT JOIN ledger_submission s2 ON s2.id = r2.submission_id
            WHERE r2.plan_id = ?5 AND r2.unit_id = d.unit_id AND r2.task_number IS d.task_number
              AND r2.milestone_id IS d.milestone_id AND r2.status = 'done' AND r2.completed_on = d.completed_on
              AND coalesce(s2.submitted_on, r2.reported_on) <= ?6
              AND NOT EXISTS (SELECT 1 FROM ledger_submission_end e WHERE e.submission_id = r2.submission_id AND e.ended_on <= ?7)
            ORDER BY coalesce(s2.submitted_on, r2.reported_on), r2.id LIMIT ?8)
        LEFT JOIN ledger_submission s ON s.id = r.submission_id
        WHERE d.completed_on IS NOT NULL
        """
    }

    /// A fact from a row of `factColumns`, read by position (by name costs a lookup per column).
    static func fact(_ row: Row) -> ProgressFact? {
        let reported: String = row[7]
        guard let status = ProgressStatus(rawValue: row[4]),
              let known = LocalDate(iso: (row[8] as String?) ?? reported) else { return nil }
        return ProgressFact(recordID: row[0], unitID: row[1], task: row[2], milestoneID: row[3],
                            status: status, percent: row[5], knownOn: known,
                            completedOn: (row[6] as String?).flatMap { LocalDate(iso: $0) },
                            supersededOn: (row[9] as String?).flatMap { LocalDate(iso: $0) }, reportedOn: LocalDate(iso: reported))
    }

    /// Every record, as `facts(planID:)` reads them (the fallback).
    func factsAll(_ db: Database, planID: String, extensions: [ExtensionFact]) throws -> Facts {
        let progress = try Row.fetchAll(db, sql: """
            SELECT \(Self.factColumns) FROM progress_record r LEFT JOIN ledger_submission s ON s.id = r.submission_id
            WHERE r.plan_id = ? ORDER BY r.unit_id, r.task_number, r.milestone_id, r.reported_on, r.id
            """, arguments: [planID]).compactMap(Self.fact)
        let ledgers = try Row.fetchAll(db, sql: LedgerFactParts.sql, arguments: [planID]).compactMap(LedgerFactParts.fact)
        return Facts(progress: progress, ledgers: ledgers, extensions: extensions)
    }
}
