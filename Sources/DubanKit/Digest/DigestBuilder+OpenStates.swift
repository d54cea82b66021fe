extension DigestBuilder {
    /// The digest of `asOf` with both days' figures taken from their open states (`openNow`,
    /// `openBefore`: every unit's, each unit's in `ItemStates.compute`'s order): the same digest
    /// as `build(plan:facts:actions:asOf:)`, without computing the state of every item.
    ///
    /// On `asOf`, an item not open is done. The states computed from `facts` are those of
    /// `computedUnits` (`computedUnits(extensions:asOf:openNow:openBefore:)`); the other units'
    /// items are the plan's, less the open ones.
    /// - Parameters:
    ///   - facts: of the facts in force on `asOf` (`SupervisionStore.facts(planID:asOf:plan:)`),
    ///     every one about `computedUnits`, and the ledgers and extensions; in the order the
    ///     store reads them.
    ///   - completions: every done milestone item on `asOf` counted by completion date
    ///     (`ItemStates.CompletionCounter`).
    ///   - taskStatuses: the units × tasks status on `asOf` (`TaskStatuses.latest`).
    ///   - computedBefore: the states a week before of `computedBeforeUnits` (the units with an
    ///     extension granted by then), computed from the facts in force then.
    ///   - owed: `ItemStates.Owed(plan: plan, units: nil)`.
    ///
    /// The two days' snapshots are made one per thread.
    static func build(plan: Plan, owed: ItemStates.Owed, facts: Facts, actions: [ActionFact], asOf: LocalDate, openNow: [ItemState],
                      openBefore: [ItemState], computedBefore: [ItemState], computedBeforeUnits: Set<String>,
                      computedUnits: Set<String>, completions: [LocalDate: Int], taskStatuses: [TaskStatus]) -> Digest {
        let (before, now) = onTwoThreads({
            Snapshot(plan: plan, owed: owed, open: openBefore, computed: computedBefore, computedUnits: computedBeforeUnits,
                     ledgers: facts.ledgers, actions: actions, asOf: asOf.adding(days: -7))
        }, {
            // The owners as `owed` expanded them (not again for these units).
            let computed = computedUnits.isEmpty ? [] : ItemStates.compute(ItemStates.Owed(owed, units: computedUnits),
                                                                           facts: facts.about(computedUnits), asOf: asOf, including: nil)
            var counts = Counts(plan: plan, asOf: asOf)
            for (m, w) in zip(owed.milestones, owed.work) {
                counts.addDone(task: m.task, units: w.owners.map(\.id).filter { !computedUnits.contains($0) },
                               planDue: w.occurrences.list.map(\.due))
            }
            for item in owed.ledgerItems where !computedUnits.contains(item.unitID) { counts.addLedger(unit: item.unitID) }
            for s in openNow where !computedUnits.contains(s.item.unitID) { counts.open(s) }
            for s in computed { counts.add(s) }
            // Completion dates: of every unit's done items, computed ones included (an extension
            // moves a due date, not a completion).
            counts.done = completions
            var now = Snapshot(plan: plan, states: openNow, openOnly: true, ledgers: facts.ledgers, actions: actions, asOf: asOf,
                               milestonesTotal: counts.milestonesTotal, milestonesDue: counts.milestonesDue,
                               milestonesDone: counts.milestonesDone)
            now.done = computed.filter(\.isDone)
            now.counts = counts
            now.taskStatuses = taskStatuses
            return now
        })
        return build(plan: plan, facts: facts, actions: actions, now: now, before: before)
    }
}

extension DigestBuilder {
    /// The units whose states on `asOf` `build(plan:facts:...openNow:...)` computes from their
    /// facts: those with an extension granted by `asOf` (their done items' due dates in force are
    /// not the plan's) and those with an item open a week before and not on `asOf` (done in the
    /// week: the digest lists it).
    static func computedUnits(extensions: [ExtensionFact], asOf: LocalDate, openNow: [ItemState], openBefore: [ItemState]) -> Set<String> {
        var units = Set(extensions.filter { $0.grantedOn <= asOf }.map(\.unitID))
        var open = Set<ItemKey>()
        open.reserveCapacity(openNow.count)
        for s in openNow { open.insert(ItemKey(s.item)) }
        for s in openBefore where !open.contains(ItemKey(s.item)) { units.insert(s.item.unitID) }
        return units
    }
}

extension DigestBuilder.Snapshot {
    /// The snapshot of `asOf` from its open states: those of `open` for every unit but
    /// `computedUnits`, and every state of `computedUnits` from `computed`. `ledgers`: every
    /// ledger submitted by `asOf` (later ones are not counted). `owed`: `ItemStates.Owed(plan: plan, units: nil)`.
    /// The week before's snapshot: its ledger cells are those `headline()` reads.
    init(plan: Plan, owed: ItemStates.Owed, open: [ItemState], computed: [ItemState], computedUnits: Set<String>, ledgers: [LedgerFact],
         actions: [ActionFact], asOf: LocalDate) {
        let stored = computedUnits.isEmpty ? open : open.filter { !computedUnits.contains($0.item.unitID) }
        // The plan's milestone items of the units read from `open`: all, and due by `asOf` by the
        // plan's dates (their due dates in force, since none of these units has an extension).
        var total = 0, storedTotal = 0, storedDue = 0
        for w in owed.work {
            let owners = computedUnits.isEmpty ? w.owners.count : w.owners.count { !computedUnits.contains($0.id) }
            total += w.owners.count * w.occurrences.list.count
            storedTotal += owners * w.occurrences.list.count
            storedDue += owners * w.occurrences.list.count { $0.due <= asOf }
        }
        var openMilestones = 0, openDue = 0, openPlanDue = 0
        for s in stored where s.item.kind == .milestone {
            openMilestones += 1
            if s.due <= asOf { openDue += 1 }
            if s.item.due <= asOf { openPlanDue += 1 }
        }
        // An item not open is done; a done item is due by its plan date.
        var due = openDue + (storedDue - openPlanDue)
        var done = storedTotal - openMilestones
        for s in computed where s.item.kind == .milestone {
            if s.due <= asOf { due += 1 }
            if s.isDone { done += 1 }
        }
        self.init(plan: plan, states: stored + computed.filter { !$0.isDone }, openOnly: true, ledgers: ledgers, actions: actions,
                  asOf: asOf, milestonesTotal: total, milestonesDue: due, milestonesDone: done, headlineCells: true)
    }
}
