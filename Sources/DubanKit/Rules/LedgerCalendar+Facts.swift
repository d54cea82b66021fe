extension LedgerCalendar {
    /// Submissions in the order `receivedOn` reads them: by their `submitted` dates (a
    /// resubmission is dated no earlier than the return; a correction dated before what it
    /// corrects counts from its own date), those of one date in the order given (a stable sort).
    /// Returned as they are when already in that order.
    public static func inSubmittedOrder<S>(_ items: [S], by submittedOn: (S) -> LocalDate) -> [S] {
        if zip(items, items.dropFirst()).allSatisfy({ submittedOn($0) <= submittedOn($1) }) { return items }
        return items.enumerated().sorted { (submittedOn($0.element), $0.offset) < (submittedOn($1.element), $1.offset) }.map(\.element)
    }

    /// Ledger facts in `receivedOn`'s order.
    public static func inSubmittedOrder(_ facts: [LedgerFact]) -> [LedgerFact] {
        inSubmittedOrder(facts, by: \.submittedOn)
    }

    /// The grid of `grid(_:submissions:periods:asOf:)` computed from ledger facts rather than stored
    /// submissions, in `inSubmittedOrder`.
    public static func grid(_ plan: Plan, ledgers: [LedgerFact], periods: [ReportingPeriod], asOf: LocalDate) -> [LedgerCell] {
        // `id`: a position, not a stored id (the facts carry none). Only the facts a cell can
        // read are made submissions: of `periods`, submitted by `asOf` (their positions kept).
        let labels = Set(periods.map(\.description))
        let submissions = inSubmittedOrder(ledgers).enumerated().filter { _, fact in
            fact.submittedOn <= asOf && labels.contains(fact.period.description)
        }.map { index, fact in
            LedgerSubmission(id: Int64(index + 1), unitID: fact.unitID, period: fact.period.description,
                             submittedOn: fact.submittedOn, liaison: Liaison(name: "", phone: nil), sourceFile: "",
                             receivedAs: nil, entryCount: 0, recordedAt: "", supersedes: nil, supersededBy: nil,
                             review: fact.returnedOn.map { LedgerReview(decision: .return, reason: "", decidedOn: $0, decidedBy: "", recordedAt: "") })
        }
        return grid(plan, submissions: submissions, periods: periods, asOf: asOf, reviews: false)
    }
}
