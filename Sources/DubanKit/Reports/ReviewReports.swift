/// The review list (`duban ledger reviews`, the portal's 审核 page): submitted ledgers with
/// where each stands in review.
public enum ReviewReports {
    public struct ReviewObject: Codable, Equatable, Sendable, JSONObject {
        public var submission: Int64
        public var unit: String
        public var unit_name: String
        public var period: String
        public var submitted_on: String
        public var liaison: String
        public var entries: Int
        /// `pending`, `accepted` or `returned`.
        public var review: String
        public var review_label: String
        public var decided_on: String?
        public var decided_by: String?
        public var reason: String?
        /// The correction that superseded it (a resubmission after a return, or a correction).
        public var superseded_by: Int64?
    }

    public struct Row: Equatable, Sendable {
        public var submission: LedgerSubmission
        public var state: ReviewState
        public init(submission: LedgerSubmission, state: ReviewState) {
            self.submission = submission
            self.state = state
        }
    }

    /// The submissions known on `asOf` with their review state, newest first. `all`: every
    /// submission, superseded ones and decided ones too (the history); otherwise the queue:
    /// current submissions waiting for a decision. Empty when the plan does not review ledgers.
    public static func rows(_ plan: Plan, submissions: [LedgerSubmission], asOf: LocalDate, all: Bool,
                            units: Set<String>? = nil) -> [Row] {
        submissions.reversed().compactMap { s in
            guard units?.contains(s.unitID) ?? true,
                  let state = LedgerReviewRule.state(plan, submittedOn: s.submittedOn, review: s.review, asOf: asOf) else { return nil }
            if !all, state != .pending || s.supersededBy != nil { return nil }
            return Row(submission: s, state: state)
        }
    }

    public static func table(_ rows: [Row], plan: Plan) -> Table {
        Table(columns: [.init("#", .right), .init("单位"), .init("期间"), .init("报送日期", kind: .date), .init("联络员"),
                        .init("条目", .right, kind: .number), .init("审核"), .init("审核日期", kind: .date), .init("审核人"),
                        .init("退回原因", maxWidth: 40)],
              rows: rows.map { r in
                  let s = r.submission
                  let decided = r.state != .pending
                  return ["#\(s.id)" + (s.supersededBy.map { "→#\($0)" } ?? ""), LedgerReports.unitName(s.unitID, plan), s.period,
                          s.submittedOn.description, s.liaison.name, String(s.entryCount), r.state.label,
                          decided ? s.review?.decidedOn.description ?? "" : "", decided ? s.review?.decidedBy ?? "" : "",
                          r.state == .returned ? s.review?.reason ?? "" : ""]
              })
    }

    public static func objects(_ rows: [Row], plan: Plan) -> [ReviewObject] {
        rows.map { r in
            let s = r.submission
            let review = r.state == .pending ? nil : s.review
            return ReviewObject(submission: s.id, unit: s.unitID, unit_name: LedgerReports.unitName(s.unitID, plan), period: s.period,
                                submitted_on: s.submittedOn.description, liaison: s.liaison.name, entries: s.entryCount,
                                review: r.state.rawValue, review_label: r.state.label, decided_on: review?.decidedOn.description,
                                decided_by: review?.decidedBy, reason: review?.decision == .return ? review?.reason : nil,
                                superseded_by: s.supersededBy)
        }
    }
}
