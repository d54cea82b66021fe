/// Computes a `Digest` from what the rules already compute: `ItemStates`, `Ladder`,
/// `BehindSchedule`, `LedgerCalendar` and `TaskStatuses`, for the as-of date and for the week before.
/// Pure: (plan, facts, actions, as-of) → digest.
public enum DigestBuilder {
    /// Days ahead that "deadlines coming" looks.
    public static let upcomingDays = 14

    /// The figures for one date, kept to compare two dates.
    struct Snapshot {
        var asOf: LocalDate
        var states: [ItemState]
        var ladder: [UnitEscalation]
        var behind: [BehindSchedule]
        var cells: [LedgerCell]

        init(plan: Plan, facts: Facts, actions: [ActionFact], asOf: LocalDate) {
            self.asOf = asOf
            states = ItemStates.compute(plan: plan, facts: facts, asOf: asOf)
            // The window `duban escalate` uses: the plan's remind_before_days, in calendar days.
            let window = Window(count: plan.escalation?.remindBeforeDays ?? 7, workingDays: false)
            ladder = Ladder.evaluate(plan: plan, states: states, actions: actions, asOf: asOf,
                                     dueSoonUntil: window.end(from: asOf, calendar: plan.calendar).date)
            behind = BehindSchedule.find(plan: plan, states: states, asOf: asOf)
            cells = LedgerCalendar.grid(plan, ledgers: facts.ledgers, periods: LedgerCalendar.periods(plan, asOf: asOf), asOf: asOf)
        }

        var milestones: [ItemState] { states.filter { $0.item.kind == .milestone } }

        func headline() -> DigestHeadline {
            let ms = milestones
            let overdue = ms.filter { $0.isOverdue(asOf: asOf) }.count
            let done = ms.filter(\.isDone).count
            let current = cells.map(\.period).filter { $0.end < asOf }.max()
            let inPeriod = cells.filter { $0.period == current }
            func count(_ s: LedgerState) -> Int { inPeriod.filter { $0.state == s }.count }
            return DigestHeadline(
                milestonesTotal: ms.count, milestonesDue: ms.filter { $0.due <= asOf }.count, milestonesDone: done,
                milestonesOnTrack: ms.count - done - overdue - behind.count, milestonesBehind: behind.count,
                milestonesOverdue: overdue,
                ledgersOverdue: states.filter { $0.item.kind == .ledger && $0.isOverdue(asOf: asOf) }.count,
                ledgerPeriod: current?.description, ledgerPeriodDue: inPeriod.first?.due, ledgersOwed: inPeriod.count,
                ledgersReceived: count(.submitted) + count(.late), ledgersOnTime: count(.submitted), ledgersLate: count(.late),
                ledgersMissing: count(.missing), ledgersPending: count(.pending),
                unitsEscalated: ladder.count, unitsAtReferral: ladder.filter { $0.level == .referral }.count)
        }

        func level(of unitID: String) -> EscalationLevel { ladder.first { $0.unitID == unitID }?.level ?? .none }
    }

    public static func build(plan: Plan, facts: Facts, actions: [ActionFact], asOf: LocalDate) -> Digest {
        let now = Snapshot(plan: plan, facts: facts, actions: actions, asOf: asOf)
        let previousAsOf = asOf.adding(days: -7)
        let before = Snapshot(plan: plan, facts: facts, actions: actions, asOf: previousAsOf)
        func ref(_ id: String) -> DigestUnitRef { DigestUnitRef(id: id, name: plan.unit(id: id)?.name ?? id) }
        func item(_ s: ItemState) -> DigestItem {
            DigestItem(unit: ref(s.item.unitID), kind: s.item.kind.rawValue, task: s.item.task, milestone: s.item.milestoneID,
                       title: SupervisionJSON.title(of: s.item, in: plan), period: s.item.period?.description, due: s.due,
                       daysOverdue: max(0, s.daysOverdue(asOf: asOf)), doneOn: s.doneOn)
        }
        var beforeByKey: [String: ItemState] = [:]
        for s in before.states { beforeByKey[s.item.key] = s }

        // What changed in the week.
        let newlyCompleted = now.milestones.filter { $0.isDone && !(beforeByKey[$0.item.key]?.isDone ?? false) }
        let overdueNow = SupervisionReports.overdue(now.states, plan: plan, asOf: asOf)
        let newlyOverdue = overdueNow.filter { !(beforeByKey[$0.item.key]?.isOverdue(asOf: previousAsOf) ?? false) }
        let received = now.states.filter { s in
            s.item.kind == .ledger && s.isDone && !(beforeByKey[s.item.key]?.isDone ?? false)
        }.map { s in
            DigestLedgerReceipt(unit: ref(s.item.unitID), period: s.item.period?.description ?? "", submittedOn: s.doneOn ?? asOf,
                                late: s.wasLate)
        }
        let climbed = now.ladder.filter { $0.level > before.level(of: $0.unitID) }.map { e in
            DigestLevelChange(unit: ref(e.unitID), from: before.level(of: e.unitID).keyword, to: e.level.keyword,
                              reason: SupervisionJSON.escalation(e, plan: plan, asOf: asOf).reason)
        }
        let weekActions = actions.filter { $0.date > previousAsOf && $0.date <= asOf }
            .sorted { ($0.date, $0.unitID) < ($1.date, $1.unitID) }
            .map { DigestAction(unit: ref($0.unitID), level: $0.level.keyword, date: $0.date, task: $0.task) }

        // Categories, with the plan-wide obligations as category 0 when there are any.
        let completedKeys = Set(newlyCompleted.map(\.item.key))
        var categories: [DigestCategory] = []
        let rows: [(Int, String, String)] = (plan.obligations.isEmpty ? [] : [(0, "", "")])
            + plan.categories.map { ($0.number, $0.numeral, $0.title) }
        for (number, numeral, title) in rows {
            let mine = now.milestones.filter { s in
                guard let t = s.item.task else { return number == 0 }
                return plan.task(number: t)?.category == number
            }
            let due = mine.filter { $0.due <= asOf }
            categories.append(DigestCategory(number: number, numeral: numeral, title: title, total: mine.count, due: due.count,
                                             doneOfDue: due.filter(\.isDone).count, done: mine.filter(\.isDone).count,
                                             overdue: mine.filter { $0.isOverdue(asOf: asOf) }.count,
                                             doneThisWeek: mine.filter { completedKeys.contains($0.item.key) }.count))
        }

        // Escalations exactly as `duban escalate` reports them.
        let escalations = now.ladder.map { e -> DigestEscalation in
            let j = SupervisionJSON.escalation(e, plan: plan, asOf: asOf)
            return DigestEscalation(unit: ref(e.unitID), level: e.level.keyword, overdueItems: j.overdue_items,
                                    daysOverdue: j.days_overdue, reason: j.reason, lastAction: j.last_action,
                                    lastActionOn: e.lastAction?.date)
        }

        // Ledgers missing, per unit in schedule order.
        var missing: [DigestMissingLedgers] = []
        for cell in now.cells where cell.state == .missing {
            if let i = missing.firstIndex(where: { $0.unit.id == cell.unitID }) {
                missing[i].periods.append(cell.period.description)
            } else {
                missing.append(DigestMissingLedgers(unit: ref(cell.unitID), periods: [cell.period.description]))
            }
        }

        // Per unit: every unit that owes something, in the plan's order.
        var units: [DigestUnitRow] = []
        for unit in plan.units {
            let mine = now.states.filter { $0.item.unitID == unit.id }
            guard !mine.isEmpty else { continue }
            let cells = now.cells.filter { $0.unitID == unit.id && [.submitted, .late, .missing].contains($0.state) }
            let onTime = cells.filter { $0.state == .submitted }.count
            let ms = mine.filter { $0.item.kind == .milestone }
            units.append(DigestUnitRow(unit: ref(unit.id), ledgersDue: cells.count, ledgersOnTime: onTime,
                                       ledgersLate: cells.filter { $0.state == .late }.count,
                                       ledgersMissing: cells.filter { $0.state == .missing }.count,
                                       onTimeRate: cells.isEmpty ? nil : onTime * 100 / cells.count,
                                       milestonesDue: ms.filter { $0.due <= asOf }.count, milestonesDone: ms.filter(\.isDone).count,
                                       overdueItems: mine.filter { $0.isOverdue(asOf: asOf) }.count,
                                       level: now.level(of: unit.id).keyword))
        }

        let until = asOf.adding(days: upcomingDays)
        let upcoming = now.states.filter { !$0.isDone && $0.due >= asOf && $0.due <= until }
            .sorted { ($0.due, $0.item.key) < ($1.due, $1.item.key) }

        let statuses = TaskStatuses.latest(plan: plan, facts: facts, asOf: asOf)
        let taskStatus = DigestTaskStatus(cells: statuses.count, done: statuses.filter { $0.status == .done }.count,
                                          inProgress: statuses.filter { $0.status == .inProgress }.count,
                                          notStarted: statuses.filter { $0.status == .notStarted }.count,
                                          noRecord: statuses.filter { $0.status == nil }.count)

        return Digest(planID: plan.id, planTitle: plan.title, coordinator: plan.unit(id: plan.coordinator)?.name ?? plan.coordinator,
                      planStart: plan.start, planEnd: plan.end, asOf: asOf,
                      week: ISOWeek(containing: asOf).description, weekStart: asOf.adding(days: -6), previousAsOf: previousAsOf,
                      headline: now.headline(), previous: before.headline(), taskStatus: taskStatus, categories: categories,
                      changes: DigestChanges(newlyCompleted: newlyCompleted.map(item), newlyOverdue: newlyOverdue.map(item),
                                             ledgersReceived: received, newEscalations: climbed, actions: weekActions),
                      overdue: group(overdueNow, plan: plan, asOf: asOf), escalations: escalations, behindSchedule: now.behind.count,
                      missingLedgers: missing, units: units, upcomingDays: upcomingDays,
                      upcoming: group(upcoming, plan: plan, asOf: asOf), burnUp: burnUp(plan: plan, now: now))
    }

    /// Items grouped by (milestone or ledger period, due date), in the order of their first item.
    static func group(_ states: [ItemState], plan: Plan, asOf: LocalDate) -> [DigestItemGroup] {
        var out: [DigestItemGroup] = []
        var index: [String: Int] = [:]
        for s in states {
            let key = "\(s.item.kind.rawValue)|\(s.item.milestoneID ?? "")|\(s.item.period?.description ?? "")|\(s.due)"
            let unit = DigestUnitRef(id: s.item.unitID, name: plan.unit(id: s.item.unitID)?.name ?? s.item.unitID)
            if let i = index[key] {
                out[i].units.append(unit)
            } else {
                index[key] = out.count
                out.append(DigestItemGroup(kind: s.item.kind.rawValue, task: s.item.task, milestone: s.item.milestoneID,
                                           title: SupervisionJSON.title(of: s.item, in: plan), period: s.item.period?.description,
                                           due: s.due, daysOverdue: max(0, s.daysOverdue(asOf: asOf)), units: [unit]))
            }
        }
        return out
    }

    /// Month ends over the plan's period, plus its first day and the as-of date: milestone items
    /// due by each date, and those done by it (as known on the as-of date; none after it).
    static func burnUp(plan: Plan, now: Snapshot) -> [DigestBurnPoint] {
        var dates: [LocalDate] = [plan.start]
        var d = plan.start.endOfMonth
        while d <= plan.end {
            if d > plan.start { dates.append(d) }
            d = d.adding(days: 1).endOfMonth
        }
        if now.asOf > plan.start, now.asOf < plan.end, !dates.contains(now.asOf) { dates.append(now.asOf) }
        dates.sort()
        let ms = now.milestones
        let dueDates = ms.map(\.due).sorted()
        let doneDates = ms.compactMap(\.doneOn).sorted()
        func countUpTo(_ sorted: [LocalDate], _ date: LocalDate) -> Int {
            var lo = 0, hi = sorted.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if sorted[mid] <= date { lo = mid + 1 } else { hi = mid }
            }
            return lo
        }
        return dates.map { date in
            DigestBurnPoint(date: date, due: countUpTo(dueDates, date), done: date <= now.asOf ? countUpTo(doneDates, date) : nil)
        }
    }
}
