import Foundation
import GRDB

extension LedgerStore {
    /// What `review` decides on: the current ledger of a unit's period, or one submission by its number.
    public enum ReviewTarget: Equatable, Sendable {
        case current(unitID: String, period: String)
        case submission(Int64)
    }

    /// What `review` recorded.
    public struct ReviewReceipt: Equatable, Sendable {
        public var reviewID: Int64
        public var submission: LedgerSubmission
    }

    /// Records the coordinator's decision and its audit line (`ledger.review`) in one
    /// transaction, and refolds what a return changes. Refused (`LedgerRefusal`, nothing
    /// written) when `LedgerReviewRule.refusal` says so, or when there is no such ledger.
    @discardableResult
    public func review(plan: Plan, _ target: ReviewTarget, decision: ReviewDecision, reason: String, on date: LocalDate,
                       by reviewer: String, actor: AuditActor, now: Date = Date()) throws -> ReviewReceipt {
        try database.write { db in
            let row: Row?
            switch target {
            case .current(let unitID, let period):
                row = try Row.fetchOne(db, sql: "\(ProgressQueries.submissionSelect) WHERE s.plan_id = ? AND s.unit_id = ? AND s.period = ? ORDER BY s.id DESC LIMIT 1",
                                       arguments: [plan.id, unitID, period])
                if row == nil {
                    throw LedgerRefusal(message: "no ledger of \(unitID) for \(period) has been received",
                                        hint: "`duban ledgers` shows which ledgers came in")
                }
            case .submission(let id):
                row = try Row.fetchOne(db, sql: "\(ProgressQueries.submissionSelect) WHERE s.plan_id = ? AND s.id = ?", arguments: [plan.id, id])
                if row == nil { throw LedgerRefusal(message: "no ledger #\(id) in plan \(plan.id)") }
            }
            guard let row else { throw StoreCorruption(description: "a review found no row") }
            let submission = try ProgressQueries.submission(row)
            if let refusal = LedgerReviewRule.refusal(plan, submission: submission, decision: decision, reason: reason, on: date) {
                throw LedgerRefusal(message: refusal)
            }
            let trimmed = reason.trimmingCharacters(in: .whitespacesAndNewlines)
            try db.execute(sql: """
                INSERT INTO ledger_review (submission_id, decision, reason, decided_on, decided_by, recorded_at)
                VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [submission.id, decision.rawValue, trimmed, date.description, reviewer, Timestamp.iso(now)])
            let id = db.lastInsertedRowID
            try AccountStore.audit(db, accountID: actor.accountID, actor: actor.login, address: actor.address, action: "ledger.review",
                                   detail: "#\(submission.id) \(submission.unitID) \(submission.period) \(decision.rawValue)"
                                       + (decision == .return ? ": \(trimmed)" : ""), at: Timestamp.iso(now))
            try DerivedTables.fold(db)
            var decided = submission
            decided.review = LedgerReview(decision: decision, reason: trimmed, decidedOn: date, decidedBy: reviewer, recordedAt: Timestamp.iso(now))
            return ReviewReceipt(reviewID: id, submission: decided)
        }
    }

    /// The records (entries) each of `ids` brought, in file order, in one query (a page listing several
    /// ledgers asks once, not once a ledger).
    public func records(submissions ids: [Int64]) throws -> [Int64: [ProgressRecord]] {
        guard !ids.isEmpty else { return [:] }
        return try database.read { db in
            var out: [Int64: [ProgressRecord]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT \(ProgressQueries.recordColumns) FROM progress_record r WHERE r.submission_id IN (\(ids.map { _ in "?" }.joined(separator: ","))) ORDER BY r.id",
                                        arguments: StatementArguments(ids)) {
                let record = try ProgressQueries.decode(row)
                if let id = record.submissionID { out[id, default: []].append(record) }
            }
            return out
        }
    }
}
