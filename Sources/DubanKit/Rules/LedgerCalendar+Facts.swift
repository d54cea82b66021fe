extension LedgerCalendar {
    /// Submissions in the order `receivedOn` reads them: by their `submitted` dates (a
    /// resubmission is dated no earlier than the return; a correction dated before what it
    /// corrects counts from its own date), those of one date in the order given (a stable sort).
    /// Returned as they are when already in that order.
    public static func inSubmittedOrder<S>(_ items: [S], by submittedOn: (S) -> LocalDate) -> [S] {
        if zip(items, items.dropFirst()).allSatisfy({ submittedOn($0) <= submittedOn($1) }) { return items }
        // Positions sorted, each date read once (at country size, 100,000 ledger facts: moving
        // the facts themselves while sorting was most of the ledger grid's time).
        let dates = items.map(submittedOn)
        return Array(items.indices).sorted { (dates[$0], $0) < (dates[$1], $1) }.map { items[$0] }
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
        // Each period's label made once (a period's label names it alone).
        var labels: [ReportingPeriod: String] = [:]
        for period in periods { labels[period] = period.description }
        var submissions: [FactSubmission] = []
        submissions.reserveCapacity(ledgers.count)
        for (index, i) in inSubmittedOrder(Array(ledgers.indices), by: { ledgers[$0].submittedOn }).enumerated() {
            let fact = ledgers[i]
            guard fact.submittedOn <= asOf, let label = labels[fact.period] else { continue }
            submissions.append(FactSubmission(id: Int64(index + 1), unitID: fact.unitID, period: label,
                                              submittedOn: fact.submittedOn, returnedOn: fact.returnedOn))
        }
        return grid(plan, submissions: submissions, periods: periods, asOf: asOf, reviews: false)
    }

    /// A ledger fact as the grid reads it: a return its only review.
    struct FactSubmission: Submission {
        var id: Int64
        var unitID: String
        var period: String
        var submittedOn: LocalDate
        var returnedOn: LocalDate?
        var receivedAs: LedgerReceivedAs? { nil }
        var review: LedgerReview? {
            returnedOn.map { LedgerReview(decision: .return, reason: "", decidedOn: $0, decidedBy: "", recordedAt: "") }
        }
    }
}
