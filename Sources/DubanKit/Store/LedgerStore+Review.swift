import Foundation
import GRDB

extension LedgerStore {
    /// What `review` recorded.
    public struct ReviewReceipt: Equatable, Sendable {
        public var reviewID: Int64
        public var submission: LedgerSubmission
    }

    /// Records the coordinator's decision on the current ledger of (unit, period), in one
    /// transaction with `also` (the portal's audit row), and refolds what a return changes.
    /// Refused (`LedgerRefusal`, nothing written) when `LedgerReviewRule.refusal` says so, or when
    /// there is no ledger for the period.
    @discardableResult
    public func review(plan: Plan, unitID: String, period: String, decision: ReviewDecision, reason: String,
                       on date: LocalDate, by reviewer: String, now: Date = Date(),
                       also: ((Database) throws -> Void)? = nil) throws -> ReviewReceipt {
        try database.write { db in
            let rows = try Row.fetchAll(db, sql: "\(ProgressQueries.submissionSelect) WHERE s.plan_id = ? AND s.unit_id = ? AND s.period = ? ORDER BY s.id DESC LIMIT 1",
                                        arguments: [plan.id, unitID, period])
            guard let row = rows.first else {
                throw LedgerRefusal(message: "no ledger of \(unitID) for \(period) has been received",
                                    hint: "`duban ledgers` shows which ledgers came in")
            }
            let submission = try ProgressQueries.submission(row)
            if let refusal = LedgerReviewRule.refusal(plan, submission: submission, decision: decision, reason: reason, on: date) {
                throw LedgerRefusal(message: refusal)
            }
            try db.execute(sql: """
                INSERT INTO ledger_review (submission_id, decision, reason, decided_on, decided_by, recorded_at)
                VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [submission.id, decision.rawValue, reason.trimmingCharacters(in: .whitespacesAndNewlines),
                                 date.description, reviewer, Timestamp.iso(now)])
            let id = db.lastInsertedRowID
            try also?(db)
            try CurrentFacts.fold(db)
            var decided = submission
            decided.review = LedgerReview(decision: decision, reason: reason, decidedOn: date, decidedBy: reviewer, recordedAt: Timestamp.iso(now))
            return ReviewReceipt(reviewID: id, submission: decided)
        }
    }
}
