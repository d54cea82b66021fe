extension LedgerCalendar {
    /// Ledger facts in the order `receivedOn` reads them: by their `submitted` dates (a
    /// resubmission is dated no earlier than the return; a correction dated before what it
    /// corrects counts from its own date), facts of one date in the order given (a stable sort).
    /// Returned as they are when already in that order.
    public static func inSubmittedOrder(_ facts: [LedgerFact]) -> [LedgerFact] {
        if zip(facts, facts.dropFirst()).allSatisfy({ $0.submittedOn <= $1.submittedOn }) { return facts }
        return facts.enumerated().sorted { ($0.element.submittedOn, $0.offset) < ($1.element.submittedOn, $1.offset) }.map(\.element)
    }

    /// The grid of `grid(_:submissions:periods:asOf:)` computed from ledger facts rather than stored
    /// submissions, in `inSubmittedOrder`.
    public static func grid(_ plan: Plan, ledgers: [LedgerFact], periods: [ReportingPeriod], asOf: LocalDate) -> [LedgerCell] {
        // `id`: a position, not a stored id (the facts carry none).
        let submissions = inSubmittedOrder(ledgers).enumerated().map { index, fact in
            LedgerSubmission(id: Int64(index + 1), unitID: fact.unitID, period: fact.period.description,
                             submittedOn: fact.submittedOn, liaison: Liaison(name: "", phone: nil), sourceFile: "",
                             receivedAs: nil, entryCount: 0, recordedAt: "", supersedes: nil, supersededBy: nil,
                             review: fact.returnedOn.map { LedgerReview(decision: .return, reason: "", decidedOn: $0, decidedBy: "", recordedAt: "") })
        }
        return grid(plan, submissions: submissions, periods: periods, asOf: asOf, reviews: false)
    }
}
