extension LedgerCalendar {
    /// The grid of `grid(_:submissions:periods:asOf:)` computed from ledger facts rather than stored
    /// submissions, ordered by their `submitted` dates (a resubmission is dated no earlier than the return).
    public static func grid(_ plan: Plan, ledgers: [LedgerFact], periods: [ReportingPeriod], asOf: LocalDate) -> [LedgerCell] {
        let ordered = ledgers.enumerated().sorted { ($0.element.submittedOn, $0.offset) < ($1.element.submittedOn, $1.offset) }
        let submissions = ordered.enumerated().map { index, pair in
            LedgerSubmission(id: Int64(index + 1), unitID: pair.element.unitID, period: pair.element.period.description,
                             submittedOn: pair.element.submittedOn, liaison: Liaison(name: "", phone: nil), sourceFile: "",
                             receivedAs: nil, entryCount: 0, recordedAt: "", supersedes: nil, supersededBy: nil,
                             review: pair.element.returnedOn.map { LedgerReview(decision: .return, reason: "", decidedOn: $0, decidedBy: "", recordedAt: "") })
        }
        return grid(plan, submissions: submissions, periods: periods, asOf: asOf, reviews: false)
    }
}
