/// Which occurrence of a milestone a progress record is about: the rule by which a report fills
/// the occurrence of the period it reports on.
///
/// - A one-time milestone has one occurrence: every record is about it.
/// - For a recurring milestone, a record is about the occurrence whose period holds the day it
///   speaks for (`ProgressFact.placedOn`): a ledger's period end (a 2024-Q3 ledger: the 2024-Q3,
///   2024-H2 or 2024 occurrence), a `progress record`'s `--date`. A catch-up of an earlier
///   occurrence is said explicitly, `progress record --occurrence 2024-Q1`, and is about that one.
/// - A done record completes its occurrence when its completion date is on or after the start of
///   the occurrence's period (so a status carried forward from an earlier period completes
///   nothing new); the earliest such completion counts. A record about no occurrence of the
///   milestone (a period the plan does not owe) completes nothing.
public struct Occurrences: Sendable {
    /// Due date and, for a recurring milestone, period, in date order (`Obligations.occurrences`).
    public let list: [(due: LocalDate, period: ReportingPeriod?)]
    /// The frequency of the periods of a recurring milestone (nil: one-time).
    let frequency: Frequency?
    private let byPeriod: [ReportingPeriod: Int]

    public init(_ m: Milestone) {
        list = Obligations.occurrences(of: m)
        if case .recurring(let r) = m.due { frequency = r.onMonth != nil ? .year : r.every } else { frequency = nil }
        var byPeriod: [ReportingPeriod: Int] = [:]
        for (i, o) in list.enumerated() { if let p = o.period, byPeriod[p] == nil { byPeriod[p] = i } }
        self.byPeriod = byPeriod
    }

    /// The position in `list` of the occurrence `fact` is about, nil when none.
    public func index(of fact: ProgressFact) -> Int? {
        guard let frequency else { return list.isEmpty ? nil : 0 }
        if let label = fact.occurrence {
            return ReportingPeriod(label: label, frequency: frequency).flatMap { byPeriod[$0] }
        }
        return byPeriod[ReportingPeriod(containing: fact.placedOn, frequency: frequency)]
    }

    /// The period labelled `label` if it is one of the occurrences (for checking `--occurrence`).
    public func period(labelled label: String) -> ReportingPeriod? {
        guard let frequency, let p = ReportingPeriod(label: label, frequency: frequency), byPeriod[p] != nil else { return nil }
        return p
    }
}
