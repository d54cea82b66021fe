/// The state of one owed item on an as-of date.
public struct ItemState: Equatable, Sendable {
    public var item: OwedItem
    /// The due date in force: the original one, or an extension's.
    public var due: LocalDate
    public var extended: Bool
    /// When it was done (completed, or the ledger submitted), if it was by the as-of date.
    public var doneOn: LocalDate?
    /// The latest status the unit reported for the task on or before the as-of date.
    public var lastStatus: ProgressStatus?
    public var lastPercent: Int?
    public var lastReportedOn: LocalDate?

    public var isDone: Bool { doneOn != nil }

    /// Days past the due date on `asOf` (0 or less: not yet due).
    public func daysOverdue(asOf: LocalDate) -> Int { due.days(to: asOf) }

    public func isOverdue(asOf: LocalDate) -> Bool { !isDone && due < asOf }

    /// Done after its due date.
    public var wasLate: Bool { doneOn.map { $0 > due } ?? false }
}

/// Computes the state of every owed item as of a date. Pure: (plan, facts, as-of) → states.
public enum ItemStates {
    public static func compute(plan: Plan, facts allFacts: Facts, asOf: LocalDate) -> [ItemState] {
        let facts = allFacts.known(on: asOf)
        var ledgerSubmitted: [String: LocalDate] = [:]
        for l in facts.ledgers {
            let key = "\(l.unitID)|\(l.period)"
            ledgerSubmitted[key] = min(ledgerSubmitted[key] ?? l.submittedOn, l.submittedOn)
        }
        var extensionFor: [String: ExtensionFact] = [:]
        for e in facts.extensions.sorted(by: { $0.grantedOn < $1.grantedOn }) {
            extensionFor["\(e.milestoneID)|\(e.unitID)|\(e.originalDue)"] = e
        }

        var states: [ItemState] = []
        // Milestones: group the occurrences of one (milestone, unit) so that done records can be
        // assigned to them in order.
        let items = Obligations.milestoneItems(plan)
        var groups: [String: [OwedItem]] = [:]
        var order: [String] = []
        for item in items {
            let key = "\(item.milestoneID ?? "")|\(item.unitID)"
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(item)
        }
        // The facts about one milestone of one unit, and about one task of one unit as a whole,
        // each list in the order of `facts.progress` (so ties resolve as they always did).
        var byMilestone: [String: [(Int, ProgressFact)]] = [:]
        var byTask: [String: [(Int, ProgressFact)]] = [:]
        for (position, f) in facts.progress.enumerated() {
            if let m = f.milestoneID {
                byMilestone["\(f.unitID)|\(m)", default: []].append((position, f))
            } else if let t = f.task {
                byTask["\(f.unitID)|\(t)", default: []].append((position, f))
            }
        }
        for key in order {
            guard let occurrences = groups[key], let first = occurrences.first else { continue }
            let aboutMilestone = first.milestoneID.flatMap { byMilestone["\(first.unitID)|\($0)"] } ?? []
            let aboutTask = first.task.flatMap { byTask["\(first.unitID)|\($0)"] } ?? []
            let relevant = (aboutMilestone + aboutTask).sorted { $0.0 < $1.0 }.map(\.1)
            let done = relevant.filter { $0.status == .done }.sorted { $0.completionDate < $1.completionDate }
            var completed: [Int: LocalDate] = [:]
            for fact in done {
                // A done record completes the earliest open occurrence whose period has begun.
                if let i = occurrences.indices.first(where: { completed[$0] == nil && (occurrences[$0].period?.start ?? .distantPast) <= fact.completionDate }) {
                    completed[i] = fact.completionDate
                }
            }
            let last = relevant.max { ($0.knownOn, $0.completionDate) < ($1.knownOn, $1.completionDate) }
            for (i, item) in occurrences.enumerated() {
                let ext = extensionFor["\(item.milestoneID ?? "")|\(item.unitID)|\(item.due)"]
                states.append(ItemState(item: item, due: ext?.newDue ?? item.due, extended: ext != nil, doneOn: completed[i],
                                        lastStatus: last?.status, lastPercent: last?.percent, lastReportedOn: last?.knownOn))
            }
        }
        for item in Obligations.ledgerItems(plan) {
            let submitted = ledgerSubmitted["\(item.unitID)|\(item.period?.description ?? "")"]
            states.append(ItemState(item: item, due: item.due, extended: false, doneOn: submitted,
                                    lastStatus: nil, lastPercent: nil, lastReportedOn: submitted))
        }
        return states
    }
}

extension LocalDate {
    /// A date before any plan, for comparisons.
    public static let distantPast = LocalDate(dayNumber: -719_162)
}
