import Foundation

/// `ledgers.review:` in a plan: whether the coordinator reviews every ledger (审核) before it
/// is final. `none` (the default) keeps a plan's meaning as it was before review existed.
public enum ReviewPolicy: String, Codable, CaseIterable, Sendable {
    case required
    case none
}

/// The coordinator's decision on one submitted ledger.
public enum ReviewDecision: String, Codable, CaseIterable, Sendable {
    /// 通过: the ledger stands.
    case accept
    /// 退回: the ledger counts as not received from the day it was returned; the unit resubmits.
    case `return`

    public var label: String { self == .accept ? "通过" : "退回" }
}

/// A decision as stored.
public struct LedgerReview: Equatable, Sendable {
    public var decision: ReviewDecision
    public var reason: String
    public var decidedOn: LocalDate
    public var decidedBy: String
    public var recordedAt: String

    public init(decision: ReviewDecision, reason: String, decidedOn: LocalDate, decidedBy: String, recordedAt: String) {
        self.decision = decision
        self.reason = reason
        self.decidedOn = decidedOn
        self.decidedBy = decidedBy
        self.recordedAt = recordedAt
    }
}

/// Where a submission stands in review on a date.
public enum ReviewState: String, Codable, CaseIterable, Sendable {
    /// 待审核: the plan requires review and no decision was taken by the date.
    case pending
    case accepted
    case returned

    public var label: String {
        switch self {
        case .pending: return "待审核"
        case .accepted: return "已通过"
        case .returned: return "已退回"
        }
    }
}

/// The review rules: who may decide what, and what a decision does on a date. The ledger grid's
/// "received" rule (`LedgerCalendar.receivedOn`) reads returns through `returnedOn`.
public enum LedgerReviewRule {
    /// The longest reason stored (the schema's bound).
    public static let maxReasonLength = 2000

    public static func policy(_ plan: Plan) -> ReviewPolicy { plan.ledgers?.review ?? .none }

    /// A submission's review state on `asOf`: nil when the plan does not review ledgers or the
    /// ledger was not yet submitted then.
    public static func state(_ plan: Plan, submittedOn: LocalDate, review: LedgerReview?, asOf: LocalDate) -> ReviewState? {
        guard policy(plan) == .required, submittedOn <= asOf else { return nil }
        guard let review, review.decidedOn <= asOf else { return .pending }
        return review.decision == .accept ? .accepted : .returned
    }

    /// The day a submission stopped counting because it was returned, if it was.
    public static func returnedOn(_ review: LedgerReview?) -> LocalDate? {
        guard let review, review.decision == .return else { return nil }
        return review.decidedOn
    }

    /// Why a decision may not be recorded (nil: it may): what the store is asked to write is
    /// checked here first, so every refusal has its reason in words.
    public static func refusal(_ plan: Plan, submission: LedgerSubmission, decision: ReviewDecision, reason: String,
                               on date: LocalDate) -> String? {
        if policy(plan) != .required {
            return "plan \(plan.id) does not review ledgers (ledgers.review is none); set `review: required` under `ledgers:` in its plan.yaml to review them"
        }
        if let by = submission.supersededBy {
            return "ledger #\(submission.id) was superseded by a correction (#\(by)); review the current one"
        }
        if let review = submission.review {
            return "ledger #\(submission.id) was already reviewed: \(review.decision.label) on \(review.decidedOn) by \(review.decidedBy)"
        }
        if date < submission.submittedOn {
            return "the decision is dated \(date), before the ledger was submitted (\(submission.submittedOn))"
        }
        let trimmed = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        if decision == .return, trimmed.isEmpty {
            return "a returned ledger needs a reason (--reason): the unit sees it and resubmits"
        }
        if reason.count > maxReasonLength {
            return "the reason is \(reason.count) characters; at most \(maxReasonLength)"
        }
        return nil
    }

    /// Why a resubmission of a returned ledger may not be recorded: it must be dated on or after the return.
    public static func resubmissionRefusal(returnedOn: LocalDate, submittedOn: LocalDate, period: String) -> String? {
        guard submittedOn < returnedOn else { return nil }
        return "the ledger for \(period) was returned on \(returnedOn); its resubmission must be dated (submitted) on or after that day, not \(submittedOn)"
    }
}
