/// What a unit owes: one item per owing unit and per occurrence of each milestone (groups
/// expanded, recurrences unrolled), and one ledger per unit and reporting period.
public struct OwedItem: Hashable, Sendable {
    public enum Kind: String, Codable, Sendable {
        case milestone
        case ledger
    }

    public var kind: Kind
    public var unitID: String
    /// The task, for a milestone of a task; nil for plan-wide obligations and ledgers.
    public var task: Int?
    /// The milestone id, for milestone items.
    public var milestoneID: String?
    /// For a recurring milestone or a ledger: the period it covers (2024-H1, 2024-05); nil for a one-time milestone.
    public var period: ReportingPeriod?
    public var due: LocalDate

    /// A stable key: `milestone:7.1:ganzhou:2023-12-31`, `ledger:ganzhou:2024-05`.
    public var key: String {
        switch kind {
        case .milestone: return "milestone:\(milestoneID ?? ""):\(unitID):\(due)"
        case .ledger: return "ledger:\(unitID):\(period?.description ?? "")"
        }
    }
}

public enum Obligations {
    /// Every milestone occurrence owed by every unit, in plan order then unit order then date.
    /// With `only`, the items of those units alone (same order).
    public static func milestoneItems(_ plan: Plan, only: Set<String>? = nil) -> [OwedItem] {
        var out: [OwedItem] = []
        for m in plan.milestones {
            var units = Owing.units(owing: m, in: plan)
            if let only { units.removeAll { !only.contains($0.id) } }
            let occurrences = occurrences(of: m)
            for unit in units {
                for o in occurrences {
                    out.append(OwedItem(kind: .milestone, unitID: unit.id, task: m.task, milestoneID: m.id,
                                        period: o.period, due: o.due))
                }
            }
        }
        return out
    }

    /// A milestone's occurrences, in date order: each due date with, for a recurring milestone,
    /// the period it covers.
    public static func occurrences(of m: Milestone) -> [(due: LocalDate, period: ReportingPeriod?)] {
        m.dueDates.map { date in
            if case .recurring(let r) = m.due { return (date, period(of: date, in: r)) }
            return (date, nil)
        }
    }

    /// The period a recurring due date belongs to: the calendar period it closes (or, with
    /// `on: MM-DD`, the year it falls in).
    static func period(of due: LocalDate, in r: Recurrence) -> ReportingPeriod {
        if r.onMonth != nil { return ReportingPeriod(containing: due, frequency: .year) }
        return ReportingPeriod(containing: due.adding(days: -r.afterDays), frequency: r.every)
    }

    /// Every ledger owed under the plan's schedule: one per owing unit and period. Its due date
    /// may fall after the plan ends (the last month's ledger).
    public static func ledgerItems(_ plan: Plan, only: Set<String>? = nil) -> [OwedItem] {
        guard let schedule = plan.ledgers else { return [] }
        let periods = LedgerPeriods.owed(plan)
        return ledgerOwners(plan).filter { only?.contains($0.id) ?? true }.flatMap { unit in
            ledgerItems(unitID: unit.id, periods: periods, schedule: schedule)
        }
    }

    /// The units that owe the plan's ledgers (none when it has no ledger schedule).
    public static func ledgerOwners(_ plan: Plan) -> [PlanUnit] {
        plan.ledgers.map { plan.expand($0.owedBy) } ?? []
    }

    /// The ledgers owed by `unitID`, a unit among `ledgerOwners`: one per period of
    /// `LedgerPeriods.owed`, in their order.
    static func ledgerItems(unitID: String, periods: [ReportingPeriod], schedule: LedgerSchedule) -> [OwedItem] {
        periods.map { period in ledgerItem(unitID: unitID, period: period, schedule: schedule) }
    }

    /// The ledger of `period` owed by `unitID`: due `dueAfterDays` after the period ends.
    public static func ledgerItem(unitID: String, period: ReportingPeriod, schedule: LedgerSchedule) -> OwedItem {
        OwedItem(kind: .ledger, unitID: unitID, task: nil, milestoneID: nil, period: period, due: period.end.adding(days: schedule.dueAfterDays))
    }

    /// The occurrence of milestone `m` owed by `unitID`.
    public static func milestoneItem(_ m: Milestone, unitID: String, occurrence: (due: LocalDate, period: ReportingPeriod?)) -> OwedItem {
        OwedItem(kind: .milestone, unitID: unitID, task: m.task, milestoneID: m.id, period: occurrence.period, due: occurrence.due)
    }
}
