/// Computes a `Digest` from what the rules already compute: `ItemStates`, `Ladder`,
/// `BehindSchedule`, `LedgerCalendar` and `TaskStatuses`, for the as-of date and for the week before.
/// Pure: (plan, facts, actions, as-of) → digest.
public enum DigestBuilder {
    /// Days ahead that "deadlines coming" looks.
    public static let upcomingDays = 14

    /// An item as `OwedItem.key` names it (milestone, unit and due date; or unit and ledger
    /// period), without building the string: at scale the two dates are matched per owed item.
    struct ItemKey: Hashable {
        var kind: OwedItem.Kind
        var unitID: String
        var milestoneID: String
        var period: ReportingPeriod?
        var due: LocalDate?

        init(_ item: OwedItem) {
            kind = item.kind
            unitID = item.unitID
            switch item.kind {
            case .milestone: (milestoneID, period, due) = (item.milestoneID ?? "", nil, item.due)
            case .ledger: (milestoneID, period, due) = ("", item.period, nil)
            }
        }
    }

    /// The figures for one date, kept to compare two dates.
    struct Snapshot {
        var asOf: LocalDate
        /// Every owed item's state; with `openOnly`, only the open (not done) ones.
        var states: [ItemState]
        /// Whether `states` holds the open states alone: an item missing from it is done.
        var openOnly = false
        /// With `openOnly`, the done states known (of the units computed in full), in
        /// `ItemStates.compute`'s order: every item done since a week before is among them.
        var done: [ItemState] = []
        /// The figures per category and unit and the burn-up's dates (nil: counted from `states`).
        var counts: Counts?
        /// The units × tasks status (nil: from the facts `build` is given).
        var taskStatuses: [TaskStatus]?
        /// The milestone items of `states`, in their order (not copied: at country size they are millions).
        var milestones: LazyFilterSequence<[ItemState]> { states.lazy.filter { $0.item.kind == .milestone } }
        /// Milestone items: all, due on or before `asOf` (by the due date in force), done.
        var milestonesTotal: Int
        var milestonesDue: Int
        var milestonesDone: Int
        var ladder: [UnitEscalation]
        /// Each unit's level on `ladder` (its first entry).
        var levels: [String: EscalationLevel] = [:]
        var behind: [BehindSchedule]
        var cells: [LedgerCell]

        init(plan: Plan, facts: Facts, actions: [ActionFact], asOf: LocalDate) {
            let states = ItemStates.compute(plan: plan, facts: facts, asOf: asOf)
            var total = 0, due = 0, done = 0
            for s in states where s.item.kind == .milestone {
                total += 1
                if s.due <= asOf { due += 1 }
                if s.isDone { done += 1 }
            }
            self.init(plan: plan, states: states, openOnly: false, ledgers: facts.ledgers, actions: actions, asOf: asOf,
                      milestonesTotal: total, milestonesDue: due, milestonesDone: done)
        }

        /// From `states` (with `openOnly`, the open ones alone) and the milestone counts of every item.
        /// `headlineCells`: `cells` only of the period the headline reports (the latest ended by
        /// `asOf`), enough for `headline()` alone (the week before's snapshot).
        init(plan: Plan, states: [ItemState], openOnly: Bool, ledgers: [LedgerFact], actions: [ActionFact], asOf: LocalDate,
             milestonesTotal: Int, milestonesDue: Int, milestonesDone: Int, headlineCells: Bool = false) {
            self.asOf = asOf
            self.states = states
            self.openOnly = openOnly
            self.milestonesTotal = milestonesTotal
            self.milestonesDue = milestonesDue
            self.milestonesDone = milestonesDone
            // The ladder and the behind-schedule list look at open items only: given those alone
            // (the ladder groups its states by unit, a copy of each).
            let open = openOnly ? states : states.filter { !$0.isDone }
            // The window `duban escalate` uses: the plan's remind_before_days, in calendar days.
            let window = Window(count: plan.escalation?.remindBeforeDays ?? 7, workingDays: false)
            ladder = Ladder.evaluate(plan: plan, states: open, actions: actions, asOf: asOf,
                                     dueSoonUntil: window.end(from: asOf, calendar: plan.calendar).date)
            for e in ladder where levels[e.unitID] == nil { levels[e.unitID] = e.level }
            behind = BehindSchedule.find(plan: plan, states: open, asOf: asOf)
            var periods = LedgerCalendar.periods(plan, asOf: asOf)
            if headlineCells {
                // `headline()` reads the cells of the latest period ended by `asOf` (every unit has
                // a cell of each period, or none has one).
                let current = periods.filter { $0.end < asOf }.max()
                periods = periods.filter { $0 == current }
            }
            cells = LedgerCalendar.grid(plan, ledgers: ledgers, periods: periods, asOf: asOf)
        }

        func headline() -> DigestHeadline {
            let ms = milestones
            let overdue = ms.count { $0.isOverdue(asOf: asOf) }
            let done = milestonesDone
            let current = cells.map(\.period).filter { $0.end < asOf }.max()
            let inPeriod = cells.filter { $0.period == current }
            func count(_ s: LedgerState) -> Int { inPeriod.count { $0.state == s } }
            return DigestHeadline(
                milestonesTotal: milestonesTotal, milestonesDue: milestonesDue, milestonesDone: done,
                milestonesOnTrack: milestonesTotal - done - overdue - behind.count, milestonesBehind: behind.count,
                milestonesOverdue: overdue,
                ledgersOverdue: states.count { $0.item.kind == .ledger && $0.isOverdue(asOf: asOf) },
                ledgerPeriod: current?.description, ledgerPeriodDue: inPeriod.first?.due, ledgersOwed: inPeriod.count,
                ledgersReceived: count(.submitted) + count(.late), ledgersOnTime: count(.submitted), ledgersLate: count(.late),
                ledgersMissing: count(.missing), ledgersPending: count(.pending),
                unitsEscalated: ladder.count, unitsAtReferral: ladder.count { $0.level == .referral })
        }

        func level(of unitID: String) -> EscalationLevel { levels[unitID] ?? .none }
    }

    public static func build(plan: Plan, facts: Facts, actions: [ActionFact], asOf: LocalDate) -> Digest {
        let (now, before) = snapshots(plan: plan, facts: facts, actions: actions, asOf, asOf.adding(days: -7))
        return build(plan: plan, facts: facts, actions: actions, now: now, before: before)
    }

    /// The digest of `now`'s date from its snapshot and the one of a week before; `facts` are those
    /// in force on `now`'s date (for the units × tasks status).
    static func build(plan: Plan, facts: Facts, actions: [ActionFact], now: Snapshot, before: Snapshot) -> Digest {
        let asOf = now.asOf
        let previousAsOf = before.asOf
        func ref(_ id: String) -> DigestUnitRef { DigestUnitRef(id: id, name: plan.unit(id: id)?.name ?? id) }
        func item(_ s: ItemState) -> DigestItem {
            DigestItem(unit: ref(s.item.unitID), kind: s.item.kind.rawValue, task: s.item.task, milestone: s.item.milestoneID,
                       title: SupervisionJSON.title(of: s.item, in: plan), period: s.item.period?.description, due: s.due,
                       daysOverdue: max(0, s.daysOverdue(asOf: asOf)), doneOn: s.doneOn)
        }
        // What changed in the week.
        let week = WeekChanges(now: now, before: before)
        let newlyCompleted = week.newlyCompleted
        let overdueNow = SupervisionReports.overdue(now.states, plan: plan, asOf: asOf)
        let newlyOverdue = overdueNow.filter { !week.overdueBefore.contains(ItemKey($0.item)) }
        let received = week.ledgersReceived.map { s in
            DigestLedgerReceipt(unit: ref(s.item.unitID), period: s.item.period?.description ?? "", submittedOn: s.doneOn ?? asOf,
                                late: s.wasLate)
        }
        let climbed = now.ladder.filter { $0.level > before.level(of: $0.unitID) }.map { e in
            DigestLevelChange(unit: ref(e.unitID), from: before.level(of: e.unitID).keyword, to: e.level.keyword,
                              reason: e.reason)
        }
        let weekActions = actions.filter { $0.date > previousAsOf && $0.date <= asOf }
            .sorted { ($0.date, $0.unitID) < ($1.date, $1.unitID) }
            .map { DigestAction(unit: ref($0.unitID), level: $0.level.keyword, date: $0.date, task: $0.task) }

        // Categories, with the plan-wide obligations as category 0 when there are any; units; burn-up.
        var counts = now.counts ?? Counts(plan: plan, states: now.states, asOf: asOf)
        for s in newlyCompleted { counts.completedThisWeek(s) }
        let byCategory = counts.categories
        var categories: [DigestCategory] = []
        let rows: [(Int, String, String)] = (plan.obligations.isEmpty ? [] : [(0, "", "")])
            + plan.categories.map { ($0.number, $0.numeral, $0.title) }
        for (number, numeral, title) in rows {
            var c = byCategory[number] ?? Counts.empty(number)
            (c.numeral, c.title) = (numeral, title)
            categories.append(c)
        }

        // Escalations exactly as `duban escalate` reports them.
        let escalations = now.ladder.map { e -> DigestEscalation in
            let j = SupervisionJSON.escalation(e, plan: plan, asOf: asOf, items: false)
            return DigestEscalation(unit: ref(e.unitID), level: e.level.keyword, overdueItems: j.overdue_items,
                                    daysOverdue: j.days_overdue, reason: j.reason, lastAction: j.last_action,
                                    lastActionOn: e.lastAction?.date)
        }

        // Ledgers missing, per unit in schedule order.
        var missing: [DigestMissingLedgers] = []
        var missingIndex: [String: Int] = [:]
        for cell in now.cells where cell.state == .missing {
            if let i = missingIndex[cell.unitID] {
                missing[i].periods.append(cell.period.description)
            } else {
                missingIndex[cell.unitID] = missing.count
                missing.append(DigestMissingLedgers(unit: ref(cell.unitID), periods: [cell.period.description]))
            }
        }

        // Per unit: every unit that owes something, in the plan's order. Counted in one pass over
        // the items and one over the ledger cells.
        var tallies = counts.units
        for cell in now.cells { tallies[cell.unitID, default: UnitTally()].add(cell) }
        var units: [DigestUnitRow] = []
        for unit in plan.units {
            guard let t = tallies[unit.id], t.items > 0 else { continue }
            let ledgersDue = t.onTime + t.late + t.missing
            units.append(DigestUnitRow(unit: ref(unit.id), ledgersDue: ledgersDue, ledgersOnTime: t.onTime, ledgersLate: t.late,
                                       ledgersMissing: t.missing, onTimeRate: ledgersDue == 0 ? nil : t.onTime * 100 / ledgersDue,
                                       milestonesDue: t.milestonesDue, milestonesDone: t.milestonesDone, overdueItems: t.overdue,
                                       level: now.level(of: unit.id).keyword))
        }

        let until = asOf.adding(days: upcomingDays)
        // Sorted by due date then item key, each key built once.
        let upcoming = now.states.filter { !$0.isDone && $0.due >= asOf && $0.due <= until }
            .map { (state: $0, key: $0.item.key) }
            .sorted { ($0.state.due, $0.key) < ($1.state.due, $1.key) }
            .map(\.state)

        let statuses = now.taskStatuses ?? TaskStatuses.latest(plan: plan, facts: facts, asOf: asOf)
        let taskStatus = DigestTaskStatus(cells: statuses.count, done: statuses.count { $0.status == .done },
                                          inProgress: statuses.count { $0.status == .inProgress },
                                          notStarted: statuses.count { $0.status == .notStarted },
                                          noRecord: statuses.count { $0.status == nil })

        return Digest(planID: plan.id, planTitle: plan.title, coordinator: plan.unit(id: plan.coordinator)?.name ?? plan.coordinator,
                      planStart: plan.start, planEnd: plan.end, asOf: asOf,
                      week: ISOWeek(containing: asOf).description, weekStart: asOf.adding(days: -6), previousAsOf: previousAsOf,
                      headline: now.headline(), previous: before.headline(), taskStatus: taskStatus, categories: categories,
                      changes: DigestChanges(newlyCompleted: newlyCompleted.map(item), newlyOverdue: newlyOverdue.map(item),
                                             ledgersReceived: received, newEscalations: climbed, actions: weekActions),
                      overdue: group(overdueNow, plan: plan, asOf: asOf), escalations: escalations, behindSchedule: now.behind.count,
                      missingLedgers: missing, units: units, upcomingDays: upcomingDays,
                      upcoming: group(upcoming, plan: plan, asOf: asOf), burnUp: burnUp(plan: plan, asOf: asOf, counts: counts))
    }

    /// The snapshots of two dates, one per thread: each is a pure function of its date, and at
    /// country size each walks millions of owed items.
    static func snapshots(plan: Plan, facts: Facts, actions: [ActionFact],
                          _ first: LocalDate, _ second: LocalDate) -> (Snapshot, Snapshot) {
        onTwoThreads({ Snapshot(plan: plan, facts: facts, actions: actions, asOf: first) },
                     { Snapshot(plan: plan, facts: facts, actions: actions, asOf: second) })
    }

    /// The items whose state changed between two snapshots. Both list the same owed items in the
    /// same order (`ItemStates.compute` walks the plan, whatever the date), so an item's state a
    /// week before is the one at its position: no 2.5 M-entry table of keys at country size.
    /// Should the two lists ever differ, items are matched by key instead.
    struct WeekChanges: Equatable {
        /// Milestone items done now and not a week before, in the snapshot's order.
        var newlyCompleted: [ItemState] = []
        /// Ledger items submitted now and not a week before, in the snapshot's order.
        var ledgersReceived: [ItemState] = []
        /// The items overdue a week before.
        var overdueBefore: Set<ItemKey> = []

        init(now: Snapshot, before: Snapshot, byPosition: Bool = true) {
            if before.openOnly {
                // An item missing from the open states of a week before was done then.
                var openBefore = Set<ItemKey>()
                for s in before.states {
                    let key = ItemKey(s.item)
                    openBefore.insert(key)
                    if s.isOverdue(asOf: before.asOf) { overdueBefore.insert(key) }
                }
                for n in now.openOnly ? now.done : now.states where n.isDone && openBefore.contains(ItemKey(n.item)) { addCompleted(n) }
                return
            }
            let aligned = byPosition && now.states.count == before.states.count
                && zip(now.states, before.states).allSatisfy { $0.item == $1.item }
            if aligned {
                for (n, b) in zip(now.states, before.states) { add(n, before: b, on: before.asOf) }
            } else {
                var byKey: [ItemKey: ItemState] = [:]
                for s in before.states { byKey[ItemKey(s.item)] = s }
                for n in now.states { add(n, before: byKey[ItemKey(n.item)], on: before.asOf) }
            }
        }

        private mutating func add(_ now: ItemState, before: ItemState?, on previousAsOf: LocalDate) {
            if now.isDone, !(before?.isDone ?? false) { addCompleted(now) }
            if let before, before.isOverdue(asOf: previousAsOf) { overdueBefore.insert(ItemKey(now.item)) }
        }

        private mutating func addCompleted(_ now: ItemState) {
            switch now.item.kind {
            case .milestone: newlyCompleted.append(now)
            case .ledger: ledgersReceived.append(now)
            }
        }
    }

    /// One unit's figures for the per-unit table.
    struct UnitTally {
        var items = 0, milestonesDue = 0, milestonesDone = 0, overdue = 0
        var onTime = 0, late = 0, missing = 0

        mutating func add(_ s: ItemState, asOf: LocalDate) {
            items += 1
            if s.item.kind == .milestone {
                if s.due <= asOf { milestonesDue += 1 }
                if s.isDone { milestonesDone += 1 }
            }
            if s.isOverdue(asOf: asOf) { overdue += 1 }
        }

        /// `count` milestone items done, `due` of them due by the as-of date.
        mutating func addDone(count: Int, due: Int) {
            items += count
            milestonesDue += due
            milestonesDone += count
        }

        /// Corrects `addDone` (or a ledger's count) for an item open, its due date in force its plan's.
        mutating func open(_ s: ItemState, asOf: LocalDate) {
            if s.item.kind == .milestone { milestonesDone -= 1 }
            if s.isOverdue(asOf: asOf) { overdue += 1 }
        }

        /// Ledgers past due: submitted on time, late, or missing.
        mutating func add(_ cell: LedgerCell) {
            switch cell.state {
            case .submitted: onTime += 1
            case .late: late += 1
            case .missing: missing += 1
            case .pending, .open: break
            }
        }
    }

    /// Items grouped by (milestone or ledger period, due date), in the order of their first item.
    static func group(_ states: [ItemState], plan: Plan, asOf: LocalDate) -> [DigestItemGroup] {
        var out: [DigestItemGroup] = []
        struct Key: Hashable { var kind: OwedItem.Kind; var milestoneID: String; var period: ReportingPeriod?; var due: LocalDate }
        var index: [Key: Int] = [:]
        for s in states {
            let key = Key(kind: s.item.kind, milestoneID: s.item.milestoneID ?? "", period: s.item.period, due: s.due)
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
    static func burnUp(plan: Plan, asOf: LocalDate, counts: Counts) -> [DigestBurnPoint] {
        var dates: [LocalDate] = [plan.start]
        var d = plan.start.endOfMonth
        while d <= plan.end {
            if d > plan.start { dates.append(d) }
            d = d.adding(days: 1).endOfMonth
        }
        if asOf > plan.start, asOf < plan.end, !dates.contains(asOf) { dates.append(asOf) }
        dates.sort()
        // Items by date, summed up to each date (a few thousand distinct dates, millions of items).
        func running(_ byDate: [LocalDate: Int]) -> [(date: LocalDate, upTo: Int)] {
            var sum = 0
            return byDate.sorted { $0.key < $1.key }.map { sum += $0.value; return ($0.key, sum) }
        }
        let due = running(counts.due), done = running(counts.done)
        func countUpTo(_ sorted: [(date: LocalDate, upTo: Int)], _ date: LocalDate) -> Int {
            var lo = 0, hi = sorted.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if sorted[mid].date <= date { lo = mid + 1 } else { hi = mid }
            }
            return lo == 0 ? 0 : sorted[lo - 1].upTo
        }
        return dates.map { date in
            DigestBurnPoint(date: date, due: countUpTo(due, date), done: date <= asOf ? countUpTo(done, date) : nil)
        }
    }

    /// The digest's figures per category and unit and the burn-up's dates, counted over a
    /// date's item states.
    struct Counts {
        let asOf: LocalDate
        /// Each task's category (the plan-wide obligations, no task: 0).
        let categoryOfTask: [Int: Int]
        var categories: [Int: DigestCategory] = [:]
        var units: [String: UnitTally] = [:]
        /// Milestone items by due date in force, and the done ones by completion date.
        var due: [LocalDate: Int] = [:]
        var done: [LocalDate: Int] = [:]
        /// Milestone items: all, due by `asOf` (by the due date in force), done.
        var milestonesTotal = 0, milestonesDue = 0, milestonesDone = 0

        static func empty(_ number: Int) -> DigestCategory {
            DigestCategory(number: number, numeral: "", title: "", total: 0, due: 0, doneOfDue: 0, done: 0, overdue: 0, doneThisWeek: 0)
        }

        init(plan: Plan, asOf: LocalDate) {
            self.asOf = asOf
            var categoryOfTask: [Int: Int] = [:]
            for task in plan.tasks where categoryOfTask[task.number] == nil { categoryOfTask[task.number] = task.category }
            self.categoryOfTask = categoryOfTask
        }

        /// Counted over every item's state (at country size, millions; none copied).
        init(plan: Plan, states: [ItemState], asOf: LocalDate) {
            self.init(plan: plan, asOf: asOf)
            for s in states { add(s) }
        }

        /// A milestone item's category number (nil: a task the plan does not list, in no category).
        func category(task: Int?) -> Int? {
            if let task { return categoryOfTask[task] }
            return 0
        }

        /// Counts one item.
        mutating func add(_ s: ItemState) {
            units[s.item.unitID, default: UnitTally()].add(s, asOf: asOf)
            guard s.item.kind == .milestone else { return }
            milestonesTotal += 1
            if s.due <= asOf { milestonesDue += 1 }
            due[s.due, default: 0] += 1
            if let on = s.doneOn {
                milestonesDone += 1
                done[on, default: 0] += 1
            }
            guard let number = category(task: s.item.task) else { return }
            var c = categories[number] ?? Self.empty(number)
            c.total += 1
            if s.due <= asOf {
                c.due += 1
                if s.isDone { c.doneOfDue += 1 }
            }
            if s.isDone { c.done += 1 }
            if s.isOverdue(asOf: asOf) { c.overdue += 1 }
            categories[number] = c
        }

        /// Counts the items of one milestone owed by `units` as done and due by their plan dates
        /// `planDue` (not by dates in force): `open` corrects that for the ones open. Their
        /// completion dates are counted apart (`done`).
        mutating func addDone(task: Int?, units owners: [String], planDue: [LocalDate]) {
            guard !owners.isEmpty else { return }
            let count = planDue.count, isDue = planDue.count { $0 <= asOf }
            for unit in owners { units[unit, default: UnitTally()].addDone(count: count, due: isDue) }
            milestonesTotal += count * owners.count
            milestonesDue += isDue * owners.count
            milestonesDone += count * owners.count
            for d in planDue { due[d, default: 0] += owners.count }
            guard let number = category(task: task) else { return }
            var c = categories[number] ?? Self.empty(number)
            c.total += count * owners.count
            c.due += isDue * owners.count
            c.doneOfDue += isDue * owners.count
            c.done += count * owners.count
            categories[number] = c
        }

        /// Counts a ledger item of `unit` (for the per-unit table: items owed).
        mutating func addLedger(unit: String) { units[unit, default: UnitTally()].items += 1 }

        /// Corrects the counts of `addDone` for an item open (not done), whose plan due date is its
        /// due date in force; a ledger's was counted by `addLedger`.
        mutating func open(_ s: ItemState) {
            units[s.item.unitID, default: UnitTally()].open(s, asOf: asOf)
            guard s.item.kind == .milestone else { return }
            milestonesDone -= 1
            guard let number = category(task: s.item.task) else { return }
            var c = categories[number] ?? Self.empty(number)
            c.done -= 1
            if s.item.due <= asOf { c.doneOfDue -= 1 }
            if s.isOverdue(asOf: asOf) { c.overdue += 1 }
            categories[number] = c
        }

        /// One more of the category's items done in the week.
        mutating func completedThisWeek(_ s: ItemState) {
            guard let number = category(task: s.item.task) else { return }
            categories[number]?.doneThisWeek += 1
        }
    }
}
