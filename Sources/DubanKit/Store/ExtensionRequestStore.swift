import Foundation
import GRDB

/// Who does a write, for the audit log: the account (none for the command line), its login or
/// the system user, and the address it came from (`local` for the command line).
public struct AuditActor: Sendable, Equatable {
    public var accountID: Int64?
    public var login: String
    public var address: String

    public init(accountID: Int64?, login: String, address: String) {
        self.accountID = accountID
        self.login = login
        self.address = address
    }

    public init(_ account: Account, address: String) {
        self.init(accountID: account.id, login: account.login, address: address)
    }
}

/// A request for a later due date (延期申请) and, once made, the decision on it.
public struct ExtensionRequestRecord: Equatable, Sendable {
    public enum State: String, Sendable { case pending, approved, refused }

    public struct Decision: Equatable, Sendable {
        public var approved: Bool
        public var reason: String?
        public var decidedOn: LocalDate
        public var decidedBy: String
        /// The `due_extension` row an approval wrote.
        public var extensionID: Int64?
        public var recordedAt: String
    }

    public var id: Int64
    public var unitID: String
    public var task: Int
    public var milestoneID: String
    public var originalDue: LocalDate
    public var currentDue: LocalDate
    public var newDue: LocalDate
    public var reason: String
    public var requestedOn: LocalDate
    public var requestedBy: String
    public var recordedAt: String
    public var decision: Decision?

    public var state: State { decision.map { $0.approved ? .approved : .refused } ?? .pending }
}

/// What was wrong with a request or a decision: every problem found, each naming its field.
public struct ExtensionRequestRefused: Error, Equatable, Sendable {
    public var refusals: [ExtensionRule.Refusal]

    public init(refusals: [ExtensionRule.Refusal]) { self.refusals = refusals }
}

/// Extension requests and decisions (`v13-extension-requests`). Each write runs in one
/// transaction with its audit line; an approval writes the `due_extension` row `duban extension
/// record` writes, in the same transaction. When a request may be made is `ExtensionRule`.
public struct ExtensionRequestStore: Sendable {
    public let database: DubanDatabase

    public init(_ database: DubanDatabase) {
        self.database = database
    }

    /// Records `unitID`'s request for `newDue` (see `ExtensionRule.target` for `task`, `milestone`
    /// and `due`), made on `date`. Throws `ExtensionRequestRefused` with every problem found,
    /// writing nothing; a second request for an item with one pending is refused.
    public func request(plan: Plan, unitID: String, task: Int, milestone: String?, due: LocalDate?, newDue: LocalDate,
                        reason: String?, on date: LocalDate, by actor: AuditActor, now: Date = Date()) throws -> ExtensionRequestRecord {
        try database.write { db in
            var refusals: [ExtensionRule.Refusal] = []
            let extensions = try SupervisionStore.extensions(db, planID: plan.id).map(\.fact)
            var target: ExtensionRule.Target?
            switch ExtensionRule.target(plan: plan, extensions: extensions, unitID: unitID, task: task, milestone: milestone,
                                        due: due, newDue: newDue, on: date) {
            case .success(let t): target = t
            case .failure(let r): refusals.append(r)
            }
            var text = ""
            switch ExtensionRule.reason(reason) {
            case .success(let r): text = r
            case .failure(let r): refusals.append(r)
            }
            if let t = target, let pending = try Int64.fetchOne(db, sql: """
                SELECT r.id FROM extension_request r LEFT JOIN extension_decision d ON d.request_id = r.id
                WHERE r.plan_id = ? AND r.unit_id = ? AND r.milestone_id = ? AND r.original_due = ? AND d.id IS NULL
                """, arguments: [plan.id, t.unitID, t.milestoneID, t.originalDue.description]) {
                refusals.append(ExtensionRule.Refusal(field: .milestone, message: "request #\(pending) for this item is still pending",
                                                      hint: "wait for the coordinator's decision"))
            }
            guard let target, refusals.isEmpty else { throw ExtensionRequestRefused(refusals: refusals) }
            let at = Timestamp.iso(now)
            try db.execute(sql: """
                INSERT INTO extension_request (plan_id, unit_id, task_number, milestone_id, original_due, current_due, new_due, reason,
                                               requested_on, requested_by, address, recorded_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [plan.id, target.unitID, target.task, target.milestoneID, target.originalDue.description,
                                 target.currentDue.description, newDue.description, text, date.description, actor.login, actor.address, at])
            let id = db.lastInsertedRowID
            try AccountStore.audit(db, accountID: actor.accountID, actor: actor.login, address: actor.address, action: "extension.request",
                                   detail: "#\(id) \(target.unitID) \(target.milestoneID)@\(target.originalDue): \(target.currentDue) → \(newDue)", at: at)
            return ExtensionRequestRecord(id: id, unitID: target.unitID, task: target.task, milestoneID: target.milestoneID,
                                          originalDue: target.originalDue, currentDue: target.currentDue, newDue: newDue, reason: text,
                                          requestedOn: date, requestedBy: actor.login, recordedAt: at, decision: nil)
        }
    }

    /// The coordinator's decision on request `id`, made on `date` (not before the request): an
    /// approval writes the extension, granted on `date` (after the deadline too, for a request
    /// made in time, but not after the date asked for: `ExtensionRule`); a refusal needs a reason. Throws `ExtensionRequestRefused` (nothing written) for a request already
    /// decided, an approval too late, a refusal without a reason; `nil` for no such request.
    public func decide(plan: Plan, id: Int64, approve: Bool, reason: String?, on date: LocalDate, by actor: AuditActor,
                       now: Date = Date()) throws -> ExtensionRequestRecord? {
        try database.write { db in
            guard var request = try Self.requests(db, planID: plan.id, id: id).first else { return nil }
            if let d = request.decision {
                throw ExtensionRequestRefused(refusals: [ExtensionRule.Refusal(
                    field: .date, message: "request #\(id) was already \(d.approved ? "approved" : "refused") on \(d.decidedOn)",
                    hint: "a request is decided once; a new one can be made")])
            }
            if let r = ExtensionRule.decisionRefusal(requestedOn: request.requestedOn, on: date) {
                throw ExtensionRequestRefused(refusals: [r])
            }
            var text: String?
            if approve {
                if let r = reason, !r.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                    switch ExtensionRule.reason(r) {
                    case .success(let r): text = r
                    case .failure(let r): throw ExtensionRequestRefused(refusals: [r])
                    }
                }
            } else {
                switch ExtensionRule.reason(reason) {
                case .success(let r): text = r
                case .failure(let r): throw ExtensionRequestRefused(refusals: [r])
                }
            }
            let at = Timestamp.iso(now)
            var extensionID: Int64?
            if approve {
                let extensions = try SupervisionStore.extensions(db, planID: plan.id).map(\.fact)
                switch ExtensionRule.target(plan: plan, extensions: extensions, unitID: request.unitID, task: request.task,
                                            milestone: request.milestoneID, due: request.originalDue, newDue: request.newDue,
                                            askedOn: request.requestedOn, on: date) {
                case .failure(let r): throw ExtensionRequestRefused(refusals: [r])
                case .success:
                    let fact = ExtensionFact(unitID: request.unitID, milestoneID: request.milestoneID, originalDue: request.originalDue,
                                             newDue: request.newDue, grantedOn: date)
                    extensionID = try SupervisionStore.insertExtension(db, planID: plan.id, fact, reason: request.reason, at: at)
                }
            }
            try db.execute(sql: """
                INSERT INTO extension_decision (request_id, decision, reason, decided_on, decided_by, address, extension_id, recorded_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [id, approve ? "approved" : "refused", text, date.description, actor.login, actor.address, extensionID, at])
            try AccountStore.audit(db, accountID: actor.accountID, actor: actor.login, address: actor.address,
                                   action: approve ? "extension.approve" : "extension.refuse",
                                   detail: "#\(id) \(request.unitID) \(request.milestoneID)@\(request.originalDue) → \(request.newDue)"
                                       + (extensionID.map { " (extension #\($0))" } ?? "") + (text.map { ": \($0)" } ?? ""), at: at)
            request.decision = .init(approved: approve, reason: text, decidedOn: date, decidedBy: actor.login, extensionID: extensionID,
                                     recordedAt: at)
            return request
        }
    }

    /// The plan's requests with their decisions, newest first; `units` narrows them.
    public func requests(planID: String, units: Set<String>? = nil) throws -> [ExtensionRequestRecord] {
        try database.read { db in try Self.requests(db, planID: planID, id: nil) }
            .filter { units?.contains($0.unitID) ?? true }
    }

    static func requests(_ db: Database, planID: String, id: Int64?) throws -> [ExtensionRequestRecord] {
        try Row.fetchAll(db, sql: """
            SELECT r.*, d.decision, d.reason AS decision_reason, d.decided_on, d.decided_by, d.extension_id,
                   d.recorded_at AS decided_at
            FROM extension_request r LEFT JOIN extension_decision d ON d.request_id = r.id
            WHERE r.plan_id = ?1 AND (?2 IS NULL OR r.id = ?2) ORDER BY r.id DESC
            """, arguments: [planID, id]).compactMap { row in
            guard let original = LocalDate(iso: row["original_due"] as String), let current = LocalDate(iso: row["current_due"] as String),
                  let new = LocalDate(iso: row["new_due"] as String), let on = LocalDate(iso: row["requested_on"] as String) else { return nil }
            let decision = (row["decision"] as String?).flatMap { kind -> ExtensionRequestRecord.Decision? in
                guard let day = LocalDate(iso: row["decided_on"] as String) else { return nil }
                return .init(approved: kind == "approved", reason: row["decision_reason"], decidedOn: day, decidedBy: row["decided_by"],
                             extensionID: row["extension_id"], recordedAt: row["decided_at"])
            }
            return ExtensionRequestRecord(id: row["id"], unitID: row["unit_id"], task: row["task_number"], milestoneID: row["milestone_id"],
                                          originalDue: original, currentDue: current, newDue: new, reason: row["reason"], requestedOn: on,
                                          requestedBy: row["requested_by"], recordedAt: row["recorded_at"], decision: decision)
        }
    }
}
