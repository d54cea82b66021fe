extension LedgerCalendar {
    /// The grid of `grid(_:submissions:periods:asOf:)` computed from ledger facts rather than stored
    /// submissions: the first ledger for a period is the one with the earliest `submitted` date.
    public static func grid(_ plan: Plan, ledgers: [LedgerFact], periods: [ReportingPeriod], asOf: LocalDate) -> [LedgerCell] {
        let ordered = ledgers.enumerated().sorted { ($0.element.submittedOn, $0.offset) < ($1.element.submittedOn, $1.offset) }
        let submissions = ordered.enumerated().map { index, pair in
            LedgerSubmission(id: Int64(index + 1), unitID: pair.element.unitID, period: pair.element.period.description,
                             submittedOn: pair.element.submittedOn, liaison: Liaison(name: "", phone: nil), sourceFile: "",
                             receivedAs: nil, entryCount: 0, recordedAt: "", supersedes: nil, supersededBy: nil)
        }
        return grid(plan, submissions: submissions, periods: periods, asOf: asOf)
    }
}
