import Foundation
import GRDB

/// A recorded step of the ladder.
public struct ActionRecord: Equatable, Sendable {
    public var id: Int64
    public var unitID: String
    public var level: EscalationLevel
    public var takenOn: LocalDate
    public var task: Int?
    public var reference: String?
    public var note: String?
    public var recordedAt: String

    public var fact: ActionFact { ActionFact(unitID: unitID, level: level, date: takenOn, task: task) }
}

/// A recorded extension.
public struct ExtensionRecord: Equatable, Sendable {
    public var id: Int64
    public var fact: ExtensionFact
    public var reason: String
    public var recordedAt: String
}

/// Records the coordinator's steps and extensions, and reads back everything the rules need.
public struct SupervisionStore: Sendable {
    public let database: DubanDatabase

    public init(_ database: DubanDatabase) {
        self.database = database
    }

    @discardableResult
    public func recordAction(planID: String, unitID: String, level: EscalationLevel, takenOn: LocalDate, task: Int?,
                             reference: String?, note: String?, now: Date = Date()) throws -> Int64 {
        try recordAction(planID: planID, unitID: unitID, level: level, takenOn: takenOn, task: task, reference: reference,
                         nextNumberCode: nil, planCode: nil, note: note, now: now).id
    }

    @discardableResult
    public func recordExtension(planID: String, _ e: ExtensionFact, reason: String, now: Date = Date()) throws -> Int64 {
        try database.write { db in try Self.insertExtension(db, planID: planID, e, reason: reason, at: Timestamp.iso(now)) }
    }

    /// Writes an extension and brings the kept facts up to date, inside the caller's transaction.
    static func insertExtension(_ db: Database, planID: String, _ e: ExtensionFact, reason: String, at: String) throws -> Int64 {
        try db.execute(sql: """
            INSERT INTO due_extension (plan_id, unit_id, milestone_id, original_due, new_due, reason, granted_on, recorded_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [planID, e.unitID, e.milestoneID, e.originalDue.description, e.newDue.description, reason,
                             e.grantedOn.description, at])
        let id = db.lastInsertedRowID
        try DerivedTables.fold(db)
        return id
    }

    public func actions(planID: String) throws -> [ActionRecord] {
        try database.read { db in
            try Row.fetchAll(db, sql: """
                SELECT id, unit_id, level, taken_on, task_number, reference, note, recorded_at FROM supervision_action
                WHERE plan_id = ? ORDER BY taken_on, id
                """, arguments: [planID]).compactMap { row in
                guard let level = EscalationLevel(keyword: row["level"]), let date = LocalDate(iso: row["taken_on"] as String) else { return nil }
                return ActionRecord(id: row["id"], unitID: row["unit_id"], level: level, takenOn: date, task: row["task_number"],
                                    reference: row["reference"], note: row["note"], recordedAt: row["recorded_at"])
            }
        }
    }

    public func extensions(planID: String) throws -> [ExtensionRecord] {
        try database.read { db in try Self.extensions(db, planID: planID) }
    }

    static func extensions(_ db: Database, planID: String) throws -> [ExtensionRecord] {
        try Row.fetchAll(db, sql: """
            SELECT id, unit_id, milestone_id, original_due, new_due, reason, granted_on, recorded_at FROM due_extension
            WHERE plan_id = ? ORDER BY granted_on, id
            """, arguments: [planID]).compactMap { row in
            guard let original = LocalDate(iso: row["original_due"] as String), let new = LocalDate(iso: row["new_due"] as String),
                  let granted = LocalDate(iso: row["granted_on"] as String) else { return nil }
            return ExtensionRecord(id: row["id"],
                                   fact: ExtensionFact(unitID: row["unit_id"], milestoneID: row["milestone_id"],
                                                       originalDue: original, newDue: new, grantedOn: granted),
                                   reason: row["reason"], recordedAt: row["recorded_at"])
        }
    }

    /// Each unit's liaison as named in its latest ledger submitted on or before `asOf`.
    public func liaisons(planID: String, asOf: LocalDate) throws -> [String: Liaison] {
        try database.read { db in
            var out: [String: Liaison] = [:]
            // Per unit, the latest submission on or before the date (a few index entries each,
            // on ledger_submission_dates), then that one row: not every submission's row.
            for row in try Row.fetchAll(db, sql: """
                SELECT unit_id, liaison_name, liaison_phone FROM ledger_submission WHERE id IN (
                    SELECT (SELECT s.id FROM ledger_submission s WHERE s.plan_id = ?1 AND s.unit_id = u.id AND s.submitted_on <= ?2
                            ORDER BY s.submitted_on DESC, s.id DESC LIMIT 1)
                    FROM unit u WHERE u.plan_id = ?1)
                """, arguments: [planID, asOf.description]) {
                let phone: String = row["liaison_phone"]
                out[row["unit_id"]] = Liaison(name: row["liaison_name"], phone: phone.isEmpty ? nil : phone)
            }
            return out
        }
    }

    /// Every progress record, ledger and extension of the plan, as facts dated by when they were known.
    public func facts(planID: String) throws -> Facts {
        let extensions = try extensions(planID: planID).map(\.fact)
        return try database.read { db in
            let progress = try Row.fetchAll(db, sql: """
                SELECT r.id, r.unit_id, r.task_number, r.milestone_id, r.status, r.percent, r.completed_on, r.reported_on,
                       s.submitted_on, (SELECT e.ended_on FROM ledger_submission_end e WHERE e.submission_id = r.submission_id ORDER BY e.ended_on LIMIT 1)
                FROM progress_record r
                LEFT JOIN ledger_submission s ON s.id = r.submission_id
                WHERE r.plan_id = ?
                """, arguments: [planID]).compactMap(Self.fact)
            let ledgers = try Row.fetchAll(db, sql: LedgerFactParts.sql, arguments: [planID]).compactMap(LedgerFactParts.fact)
            return try Self.withOccurrences(db, planID: planID, Facts(progress: progress, ledgers: ledgers, extensions: extensions))
        }
    }
}

/// Parses a stored ledger row; the frequency is recovered from the label's shape.
struct LedgerFactParts {
    /// Every submission of a plan (parameter 1) as a ledger fact's columns, in the order recorded:
    /// unit, period, submitted on, returned on.
    static let sql = """
        SELECT s.unit_id, s.period, s.submitted_on, v.decided_on FROM ledger_submission s
        LEFT JOIN ledger_review v ON v.submission_id = s.id AND v.decision = 'return'
        WHERE s.plan_id = ? ORDER BY s.id
        """

    static func fact(_ row: Row) -> LedgerFact? {
        guard let date = LocalDate(iso: row[2] as String), let p = period(row[1] as String) else { return nil }
        return LedgerFact(unitID: row[0], period: p, submittedOn: date, returnedOn: (row[3] as String?).flatMap { LocalDate(iso: $0) })
    }

    /// The period a stored label names, whatever its frequency.
    static func period(_ label: String) -> ReportingPeriod? {
        for f in Frequency.allCases {
            if let p = ReportingPeriod(label: label, frequency: f) { return p }
        }
        return nil
    }
}
