import Crypto
import Foundation
import GRDB
#if canImport(GRDBSQLite)
import GRDBSQLite
#else
import SQLite3
#endif

/// Keeps `owed_state` (see `Schema.createOwedStates`): per unit, the versions of its open item
/// states that `OwedStateVersions` derives from all its facts. Every write that folds
/// `current_fact` folds this table too (`DerivedTables.fold`), in the same transaction: the units
/// touched since the last fold are derived again, `batch` units at a time; a plan whose content
/// changed (or a table derived by another version of this code) is derived again whole.
enum OwedStates {
    /// The version of the code that derives `owed_state` (`OwedStateVersions`, `ItemPlace`, the
    /// facts read per unit): raise it with any change to what they derive. Stored in
    /// `derived_version`; a table derived by another version is not read, and the next write
    /// derives it again.
    static let version = 1

    /// The `valid_until` of a version still valid.
    static let stillValid = LocalDate(iso: "9999-12-31") ?? LocalDate(dayNumber: 2_932_896)

    /// Units derived together, half on each of two threads, then written: what a fold holds at
    /// once is twice this many units' facts and versions (one chunk derived, the next read). A
    /// judgement: enough to keep both threads busy, few enough that at country size their facts
    /// are a small part of a fold's memory.
    static let batch = 8

    /// The last ids of the tables the states are derived from.
    struct Mark: Equatable {
        var records: Int64
        var submissions: Int64
        var reviews: Int64
        var extensions: Int64

        static func last(_ db: Database) throws -> Mark {
            Mark(records: try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) FROM progress_record") ?? 0,
                 submissions: try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) FROM ledger_submission") ?? 0,
                 reviews: try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) FROM ledger_review") ?? 0,
                 extensions: try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) FROM due_extension") ?? 0)
        }

        static func stored(_ db: Database) throws -> Mark {
            guard let row = try Row.fetchOne(db, sql: """
                SELECT records_through, submissions_through, reviews_through, extensions_through FROM owed_state_mark
                """) else { throw StoreCorruption(description: "owed_state_mark has no row") }
            return Mark(records: row[0], submissions: row[1], reviews: row[2], extensions: row[3])
        }
    }

    /// The SHA-256 (hex) of a plan's canonical JSON, as `plan_version.plan_json` stores it.
    static func sha256(json: String) -> String {
        SHA256.hash(data: Data(json.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    static func sha256(_ plan: Plan) throws -> String { sha256(json: try PlanStore.canonicalJSON(plan)) }

    /// The version of the code that derived the stored `owed_state` (nil: none recorded).
    static func derivedVersion(_ db: Database) throws -> Int? {
        try Int.fetchOne(db, sql: "SELECT version FROM derived_version WHERE name = 'owed_state'")
    }

    /// Whether `fold` has anything to do apart from plans changed: derived by another version, or
    /// records, submissions, reviews or extensions added since the last fold.
    static func isBehind(_ db: Database) throws -> Bool {
        try derivedVersion(db) != version || Mark.stored(db) != Mark.last(db)
    }

    /// Whether a stored plan's content is not what its rows were derived from.
    static func plansChanged(_ db: Database) throws -> Bool {
        try Row.fetchAll(db, sql: """
            SELECT v.plan_json, o.plan_sha256 FROM plan p JOIN plan_version v ON v.plan_id = p.id AND v.version = p.current_version
            LEFT JOIN owed_state_plan o ON o.plan_id = p.id
            """).contains { sha256(json: $0[0]) != $0[1] as String? }
    }

    /// Whether `owed_state` holds what `fold` would derive from every fact of the database with
    /// `plan` (identified by its SHA-256, `sha256(plan)`).
    static func isCurrent(_ db: Database, planID: String, planSHA256: String) throws -> Bool {
        guard try !isBehind(db) else { return false }
        return try String.fetchOne(db, sql: "SELECT plan_sha256 FROM owed_state_plan WHERE plan_id = ?", arguments: [planID]) == planSHA256
    }

    /// Empties the tables and records this code's version: the fold that follows derives them.
    static func reset(_ db: Database) throws {
        try db.execute(sql: """
            DELETE FROM owed_state; DELETE FROM owed_state_plan;
            UPDATE owed_state_mark SET records_through = 0, submissions_through = 0, reviews_through = 0, extensions_through = 0;
            INSERT INTO derived_version (name, version) VALUES ('owed_state', ?)
                ON CONFLICT (name) DO UPDATE SET version = excluded.version;
            """, arguments: [version])
    }

    /// Per plan and unit, the first day of what was added since a mark (records, submissions,
    /// reviews, extensions; `?`: the mark's id), each read from the id on (`NOT INDEXED` leaves
    /// the rowid's range, `CROSS JOIN` the review first): left to itself SQLite walked an index of
    /// the whole table in (plan, unit) order to spare the GROUP BY a sort of the few new rows,
    /// every record at country size (9.5 million index entries per submit).
    static let touchedSQL = [
        """
        SELECT r.plan_id, r.unit_id, min(coalesce(s.submitted_on, r.reported_on)) FROM progress_record r NOT INDEXED
        LEFT JOIN ledger_submission s ON s.id = r.submission_id WHERE r.id > ? GROUP BY 1, 2
        """,
        "SELECT plan_id, unit_id, min(submitted_on) FROM ledger_submission NOT INDEXED WHERE id > ? GROUP BY 1, 2",
        """
        SELECT s.plan_id, s.unit_id, min(v.decided_on) FROM ledger_review v NOT INDEXED CROSS JOIN ledger_submission s ON s.id = v.submission_id
        WHERE v.id > ? GROUP BY 1, 2
        """,
        "SELECT plan_id, unit_id, min(granted_on) FROM due_extension NOT INDEXED WHERE id > ? GROUP BY 1, 2",
    ]

    /// Derives again, in the caller's transaction, the states of every unit touched since the last
    /// fold, and of every unit of a plan whose content changed (`plans`: plans at hand, others are
    /// read from the store). Writes nothing when there is nothing to do.
    static func fold(_ db: Database, plans given: [String: Plan] = [:], batch: Int = OwedStates.batch) throws {
        if try derivedVersion(db) != version { try reset(db) }
        let stored = try Mark.stored(db), last = try Mark.last(db)
        // Nothing added and every plan's rows derived from its content (a migration that empties
        // the table, as v21, leaves a plan without records to derive).
        if given.isEmpty, stored == last, try !plansChanged(db) { return }

        // Plans whose content is not what the rows were derived from: derived again whole.
        var plans: [String: Plan] = [:]
        var rebuilt: [String: String] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT p.id, v.plan_json, o.plan_sha256 FROM plan p
            JOIN plan_version v ON v.plan_id = p.id AND v.version = p.current_version
            LEFT JOIN owed_state_plan o ON o.plan_id = p.id ORDER BY p.id
            """) {
            let id: String = row[0]
            let sha = try given[id].map(sha256) ?? sha256(json: row[1])
            if sha != row[2] as String? { rebuilt[id] = sha }
        }
        func plan(_ id: String) throws -> Plan? {
            if let p = plans[id] ?? given[id] { return p }
            let p = try CurrentFacts.storedPlan(db, id)
            plans[id] = p
            return p
        }
        // Per plan, the units to derive again and the first day anything new about each changes
        // (nil: every day). Nothing known, superseded, returned or granted before that day
        // changed, so neither did the states valid before it.
        var units: [String: [String: LocalDate?]] = [:]
        for (id, sha) in rebuilt.sorted(by: { $0.key < $1.key }) {
            guard let p = try plan(id) else { continue }
            try db.execute(sql: "DELETE FROM owed_state WHERE plan_id = ?", arguments: [id])
            try db.execute(sql: "INSERT OR REPLACE INTO owed_state_plan (plan_id, plan_sha256) VALUES (?, ?)", arguments: [id, sha])
            units[id] = Dictionary(p.units.map { ($0.id, nil) }, uniquingKeysWith: { a, _ in a })
        }
        // The units of the other plans with something new since the last fold.
        let planCount = try Int.fetchOne(db, sql: "SELECT count(*) FROM plan") ?? 0
        if rebuilt.count < planCount {
            for (sql, through) in zip(touchedSQL, [stored.records, stored.submissions, stored.reviews, stored.extensions]) {
                for row in try Row.fetchAll(db, sql: sql, arguments: [through]) {
                    let id: String = row[0], unit: String = row[1]
                    guard rebuilt[id] == nil else { continue }
                    // A date that does not read as one: from every day.
                    let day = (row[2] as String?).flatMap { LocalDate(iso: $0) }
                    if let known = units[id]?[unit] {
                        units[id]?[unit] = known.flatMap { k in day.map { min(k, $0) } }
                    } else {
                        units[id, default: [:]][unit] = .some(day)
                    }
                }
            }
        }
        for (id, touched) in units.sorted(by: { $0.key < $1.key }) {
            guard let p = try plan(id) else { continue }
            try derive(db, plan: p, units: touched.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }, batch: batch)
        }
        try db.execute(sql: """
            UPDATE owed_state_mark SET records_through = ?, submissions_through = ?, reviews_through = ?, extensions_through = ?
            """, arguments: [last.records, last.submissions, last.reviews, last.extensions])
    }

    /// One unit's rows ending on or after a day (plan, unit, day), through `owed_state_by_unit`
    /// (`owed_state_unit` before v21), named: left to itself SQLite took the primary key's range
    /// (plan, valid_until >= ?), which holds every unit's rows still valid, and read about a million rows per unit at country size
    /// (0.1 s a unit: 92 s for a 1,000-file submit, 6 s through the index).
    static let storedSQL = """
        SELECT milestone_rank, owner_rank, slot, valid_from, valid_until, kind, milestone_id, item_due, due, extended,
               last_status, last_percent, last_reported_on
        FROM owed_state INDEXED BY owed_state_by_unit WHERE plan_id = ? AND unit_id = ? AND valid_until >= ?
        """

    /// Derives and writes the versions of `units` of `plan`, `batch` units at a time: each unit's
    /// from its day on (nil: all of them). The versions ending before that day stay; those valid
    /// on the unit's last change day before it keep the day they began. Of the rows ending after
    /// that day, those derived again as they are stay as they are (a new month changes a few of a
    /// unit's open states, not most): only the others are deleted, and only new ones inserted.
    static func derive(_ db: Database, plan: Plan, units: [(id: String, from: LocalDate?)], batch: Int) throws {
        let places = ItemPlaces(plan)
        let reader = try UnitFacts(db, planID: plan.id)
        let stored = try db.cachedStatement(sql: storedSQL)
        let remove = try db.cachedStatement(sql: """
            DELETE FROM owed_state WHERE plan_id = ? AND valid_until = ? AND unit_id = ? AND milestone_rank = ? AND owner_rank = ? AND slot = ?
            """)
        let insert = try db.cachedStatement(sql: """
            INSERT INTO owed_state (plan_id, unit_id, milestone_rank, owner_rank, slot, valid_from, valid_until, kind, milestone_id,
                item_due, due, extended, last_status, last_percent, last_reported_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        // Each chunk's facts read on this thread while the previous chunk's versions are derived
        // on two others (pure: plan and facts in, versions out); then that chunk's rows written.
        func versions(_ inputs: [Derivation]) -> InBackground<[[OwedStateVersion]]> {
            InBackground {
                let run = { @Sendable (part: ArraySlice<Derivation>) in
                    part.map { OwedStateVersions.versions(unit: $0.unit, facts: $0.facts, places: places, days: $0.days, from: $0.from) }
                }
                guard inputs.count > 1 else { return run(inputs[...]) }
                let half = (inputs.count + 1) / 2
                let (first, second) = onTwoThreads({ run(inputs[..<half]) }, { run(inputs[half...]) })
                return first + second
            }
        }
        func write(_ inputs: [Derivation], _ derived: [[OwedStateVersion]]) throws {
            for (input, found) in zip(inputs, derived) {
                var versions = found
                let unit = input.unit, from = input.from
                // The rows valid on `from` or later (those of every day: from the first day on).
                var gone = try storedVersions(stored, planID: plan.id, unit: unit, endingAfter: from)
                if from > .distantPast {
                    let onFrom = from.description
                    var began: [ItemPlace: String] = [:]
                    for row in gone where row.validFrom <= onFrom { began[row.place] = row.validFrom }
                    for i in versions.indices where versions[i].validFrom == from {
                        if let d = began[versions[i].place].flatMap(LocalDate.init(iso:)) { versions[i].validFrom = d }
                    }
                }
                let added = versions.map(StoredVersion.init).filter { gone.remove($0) == nil }
                for row in gone {
                    try remove.execute(arguments: [plan.id, row.validUntil, unit, row.place.milestoneRank, row.place.ownerRank, row.place.slot])
                }
                for row in added { try Self.write(insert, planID: plan.id, unit: unit, row) }
            }
        }
        var pending: (inputs: [Derivation], versions: InBackground<[[OwedStateVersion]]>)?
        var start = 0
        while start < units.count {
            let chunk = units[start..<min(start + max(1, batch), units.count)]
            start += max(1, batch)
            var inputs: [Derivation] = []
            for (unit, day) in chunk {
                let facts = try reader.facts(unit)
                let changes = OwedStateVersions.changeDays(facts)
                let from = day.flatMap { d in changes.last { $0 < d } } ?? .distantPast
                inputs.append(Derivation(unit: unit, facts: facts, days: changes.filter { $0 >= (day ?? .distantPast) }, from: from))
            }
            if let (previous, derived) = pending { try write(previous, derived.result()) }
            pending = (inputs, versions(inputs))
        }
        if let (previous, derived) = pending { try write(previous, derived.result()) }
    }

    /// What deriving one unit's versions takes.
    private struct Derivation: Sendable {
        var unit: String
        var facts: Facts
        var days: [LocalDate]
        var from: LocalDate
    }

    /// One `owed_state` row of a unit, as stored (what `write` binds): compared to tell the rows a
    /// fold derives again unchanged from those it changes.
    struct StoredVersion: Hashable {
        var place: ItemPlace
        var validFrom: String
        var validUntil: String
        var kind: String
        var milestoneID: String?
        var itemDue: String
        var due: String
        var extended: Bool
        var lastStatus: String?
        var lastPercent: Int?
        var lastReportedOn: String?
    }

    /// A unit's stored rows valid on `day` or later (every row when `day` is `distantPast`).
    private static func storedVersions(_ statement: Statement, planID: String, unit: String, endingAfter day: LocalDate) throws -> Set<StoredVersion> {
        let s = statement.sqliteStatement
        defer { sqlite3_reset(s); sqlite3_clear_bindings(s) }
        sqlite3_bind_text(s, 1, planID, -1, SQLITE_TRANSIENT)
        sqlite3_bind_text(s, 2, unit, -1, SQLITE_TRANSIENT)
        sqlite3_bind_text(s, 3, day.adding(days: 1).description, -1, SQLITE_TRANSIENT)
        var out = Set<StoredVersion>()
        while true {
            let rc = sqlite3_step(s)
            if rc == SQLITE_DONE { return out }
            guard rc == SQLITE_ROW else { throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: String(cString: sqlite3_errmsg(sqlite3_db_handle(s)))) }
            out.insert(StoredVersion(
                place: ItemPlace(milestoneRank: Int(sqlite3_column_int64(s, 0)), ownerRank: Int(sqlite3_column_int64(s, 1)),
                                 slot: Int(sqlite3_column_int64(s, 2))),
                validFrom: ColumnText.string(s, 3) ?? "", validUntil: ColumnText.string(s, 4) ?? "", kind: ColumnText.string(s, 5) ?? "",
                milestoneID: ColumnText.string(s, 6), itemDue: ColumnText.string(s, 7) ?? "", due: ColumnText.string(s, 8) ?? "",
                extended: sqlite3_column_int64(s, 9) != 0, lastStatus: ColumnText.string(s, 10),
                lastPercent: sqlite3_column_type(s, 11) == SQLITE_NULL ? nil : Int(sqlite3_column_int64(s, 11)),
                lastReportedOn: ColumnText.string(s, 12)))
        }
    }

    private static func write(_ statement: Statement, planID: String, unit: String, _ v: StoredVersion) throws {
        let s = statement.sqliteStatement
        defer { sqlite3_reset(s); sqlite3_clear_bindings(s) }
        func text(_ i: CInt, _ value: String?) {
            if let value { sqlite3_bind_text(s, i, value, -1, SQLITE_TRANSIENT) } else { sqlite3_bind_null(s, i) }
        }
        text(1, planID)
        text(2, unit)
        sqlite3_bind_int64(s, 3, Int64(v.place.milestoneRank))
        sqlite3_bind_int64(s, 4, Int64(v.place.ownerRank))
        sqlite3_bind_int64(s, 5, Int64(v.place.slot))
        text(6, v.validFrom)
        text(7, v.validUntil)
        text(8, v.kind)
        text(9, v.milestoneID)
        text(10, v.itemDue)
        text(11, v.due)
        sqlite3_bind_int64(s, 12, v.extended ? 1 : 0)
        text(13, v.lastStatus)
        if let p = v.lastPercent { sqlite3_bind_int64(s, 14, Int64(p)) } else { sqlite3_bind_null(s, 14) }
        text(15, v.lastReportedOn)
        let rc = sqlite3_step(s)
        guard rc == SQLITE_DONE else { throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: String(cString: sqlite3_errmsg(sqlite3_db_handle(s)))) }
    }

    /// The open states of `units` (all when nil) valid on `asOf`, in `ItemStates.compute`'s order;
    /// nil when the table is not current for `plan` (the caller computes them instead).
    /// With `including`, only the states it accepts (built and ordered: at country size an early
    /// date has hundreds of thousands of open states, and `overdue` shows a part of them). With
    /// `dueBy`, the rows of states due later are not read (`including` must refuse those too).
    /// `places`: `ItemPlaces(plan)`, when the caller has them (made once for several dates).
    /// `planSHA256`: `sha256(plan)` when the caller knows it (`StoredPlan.planSHA256`, for the plan
    /// decoded from that stored text), else computed here.
    static func openStates(_ db: Database, plan: Plan, planSHA256: String? = nil, asOf: LocalDate, units: Set<String>?,
                           dueBy: LocalDate? = nil, places given: ItemPlaces? = nil,
                           including: ((ItemState) -> Bool)? = nil) throws -> [ItemState]? {
        guard try isCurrent(db, planID: plan.id, planSHA256: try planSHA256 ?? sha256(plan)) else { return nil }
        let places = given ?? ItemPlaces(plan)
        let statement = try db.makeStatement(sql: """
            SELECT unit_id, milestone_rank, owner_rank, slot, item_due, due, extended, last_status, last_percent, last_reported_on
            FROM owed_state WHERE plan_id = ?1 AND valid_until > ?2 AND valid_from <= ?2 AND (?3 IS NULL OR due <= ?3)
            """)
        try statement.setArguments([plan.id, asOf.description, dueBy?.description])
        let s = statement.sqliteStatement
        defer { sqlite3_reset(s) }
        var found: [(place: ItemPlace, state: ItemState)] = []
        while true {
            let rc = sqlite3_step(s)
            if rc == SQLITE_DONE { break }
            guard rc == SQLITE_ROW else { throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: db.lastErrorMessage) }
            let unit = ColumnText.string(s, 0) ?? ""
            if let units, !units.contains(unit) { continue }
            let place = ItemPlace(milestoneRank: Int(sqlite3_column_int64(s, 1)), ownerRank: Int(sqlite3_column_int64(s, 2)),
                                  slot: Int(sqlite3_column_int64(s, 3)))
            // A row the plan does not place as stored is not this plan's: compute instead.
            guard let item = places.item(at: place, unit: unit), ColumnText.date(s, 4) == item.due,
                  let due = ColumnText.date(s, 5) else { return nil }
            let status = ColumnText.string(s, 7)
            let state = ItemState(item: item, due: due, extended: sqlite3_column_int64(s, 6) != 0, doneOn: nil,
                                  lastStatus: status.flatMap(ProgressStatus.init(rawValue:)),
                                  lastPercent: sqlite3_column_type(s, 8) == SQLITE_NULL ? nil : Int(sqlite3_column_int64(s, 8)),
                                  lastReportedOn: ColumnText.date(s, 9))
            if including?(state) ?? true { found.append((place, state)) }
        }
        return ItemStates.ordered(found)
    }

    /// Every fact about one unit at a time, in the order the store reads facts (by task,
    /// milestone, reported on, id), superseded and returned ones included with their end day.
    struct UnitFacts {
        let db: Database
        let planID: String
        let extensions: [String: [ExtensionFact]]
        let occurrences: [Int64: String]
        let ledgers: Statement
        let records: Statement

        init(_ db: Database, planID: String) throws {
            self.db = db
            self.planID = planID
            extensions = Dictionary(grouping: try SupervisionStore.extensions(db, planID: planID).map(\.fact), by: \.unitID)
            occurrences = Dictionary(try Row.fetchAll(db, sql: """
                SELECT id, occurrence FROM progress_record WHERE plan_id = ? AND occurrence IS NOT NULL
                """, arguments: [planID]).map { ($0[0] as Int64, $0[1] as String) }, uniquingKeysWith: { a, _ in a })
            ledgers = try db.cachedStatement(sql: """
                SELECT s.id, s.period, s.submitted_on, s.supersedes_id,
                       (SELECT min(v.decided_on) FROM ledger_review v WHERE v.submission_id = s.id AND v.decision = 'return')
                FROM ledger_submission s WHERE s.plan_id = ? AND s.unit_id = ? ORDER BY s.id
                """)
            records = try db.cachedStatement(sql: """
                SELECT id, task_number, milestone_id, status, percent, completed_on, reported_on, submission_id FROM progress_record
                WHERE plan_id = ? AND unit_id = ? ORDER BY task_number, milestone_id, reported_on, id
                """)
        }

        func facts(_ unit: String) throws -> Facts {
            var submitted: [Int64: LocalDate] = [:]
            var ended: [Int64: LocalDate] = [:]
            func end(_ id: Int64, _ day: LocalDate) { if ended[id].map({ day < $0 }) ?? true { ended[id] = day } }
            var ledgerFacts: [LedgerFact] = []
            var periods: [String: ReportingPeriod?] = [:]
            try each(ledgers, unit) { s in
                let id = sqlite3_column_int64(s, 0)
                guard let day = ColumnText.date(s, 2) else { return }
                submitted[id] = day
                if sqlite3_column_type(s, 3) != SQLITE_NULL { end(sqlite3_column_int64(s, 3), day) }
                let returned = ColumnText.date(s, 4)
                if let returned { end(id, returned) }
                let label = ColumnText.string(s, 1) ?? ""
                let period: ReportingPeriod?
                if let known = periods[label] { period = known } else { period = LedgerFactParts.period(label); periods[label] = period }
                if let period { ledgerFacts.append(LedgerFact(unitID: unit, period: period, submittedOn: day, returnedOn: returned)) }
            }
            var progress: [ProgressFact] = []
            try each(records, unit) { s in
                guard let status = ProgressStatus(rawValue: ColumnText.string(s, 3) ?? ""), let reported = ColumnText.date(s, 6) else { return }
                let id = sqlite3_column_int64(s, 0)
                let submission = sqlite3_column_type(s, 7) == SQLITE_NULL ? nil : sqlite3_column_int64(s, 7)
                progress.append(ProgressFact(
                    recordID: id, unitID: unit, task: sqlite3_column_type(s, 1) == SQLITE_NULL ? nil : Int(sqlite3_column_int64(s, 1)),
                    milestoneID: ColumnText.string(s, 2), status: status,
                    percent: sqlite3_column_type(s, 4) == SQLITE_NULL ? nil : Int(sqlite3_column_int64(s, 4)),
                    knownOn: submission.flatMap { submitted[$0] } ?? reported, completedOn: ColumnText.date(s, 5),
                    supersededOn: submission.flatMap { ended[$0] }, reportedOn: reported,
                    occurrence: occurrences.isEmpty ? nil : occurrences[id]))
            }
            return Facts(progress: progress, ledgers: ledgerFacts, extensions: extensions[unit] ?? [])
        }

        private func each(_ statement: Statement, _ unit: String, _ body: (OpaquePointer?) throws -> Void) throws {
            let s = statement.sqliteStatement
            defer { sqlite3_reset(s); sqlite3_clear_bindings(s) }
            sqlite3_bind_text(s, 1, planID, -1, SQLITE_TRANSIENT)
            sqlite3_bind_text(s, 2, unit, -1, SQLITE_TRANSIENT)
            while true {
                let rc = sqlite3_step(s)
                if rc == SQLITE_DONE { return }
                guard rc == SQLITE_ROW else { throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: db.lastErrorMessage) }
                try body(s)
            }
        }
    }
}

extension OwedStates.StoredVersion {
    /// The row `write` stores for `v` (declared apart, so the memberwise init stays).
    init(_ v: OwedStateVersion) {
        let state = v.state
        self.init(place: v.place, validFrom: v.validFrom.description, validUntil: (v.validUntil ?? OwedStates.stillValid).description,
                  kind: state.item.kind.rawValue, milestoneID: state.item.milestoneID, itemDue: state.item.due.description,
                  due: state.due.description, extended: state.extended, lastStatus: state.lastStatus?.rawValue,
                  lastPercent: state.lastPercent, lastReportedOn: state.lastReportedOn?.description)
    }
}
