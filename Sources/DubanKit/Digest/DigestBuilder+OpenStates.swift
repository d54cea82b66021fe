extension DigestBuilder {
    /// The digest of `asOf` with the week before's figures taken from that day's open states
    /// (what `owed_state` holds, `OwedStates.openStates`) instead of computing every item's state
    /// on it: the same digest as `build(plan:facts:actions:asOf:)`.
    ///
    /// Everything the week before shows is counted on its open items (overdue, behind schedule,
    /// the ladder), or is the plan's items less the open ones (done, and due by the due dates in
    /// force). The second holds only for items whose due date in force is the plan's: the units
    /// with an extension granted by that day have every state computed (`computedBefore`, the
    /// states of `computedUnits`; their open states in `openBefore` are not read).
    /// - Parameters:
    ///   - facts: the facts in force on `asOf` (`SupervisionStore.facts(planID:asOf:plan:)`).
    ///   - openBefore: the open states of every unit a week before `asOf`, each unit's in
    ///     `ItemStates.compute`'s order.
    static func build(plan: Plan, facts: Facts, actions: [ActionFact], asOf: LocalDate, openBefore: [ItemState],
                      computedBefore: [ItemState], computedUnits: Set<String>) -> Digest {
        let now = Snapshot(plan: plan, facts: facts, actions: actions, asOf: asOf)
        let before = Snapshot(plan: plan, open: openBefore, computed: computedBefore, computedUnits: computedUnits,
                              ledgers: facts.ledgers, actions: actions, asOf: asOf.adding(days: -7))
        return build(plan: plan, facts: facts, actions: actions, now: now, before: before)
    }
}

extension DigestBuilder.Snapshot {
    /// The snapshot of `asOf` from its open states: those of `open` for every unit but
    /// `computedUnits`, and every state of `computedUnits` from `computed`. `ledgers`: every
    /// ledger submitted by `asOf` (later ones are not counted).
    init(plan: Plan, open: [ItemState], computed: [ItemState], computedUnits: Set<String>, ledgers: [LedgerFact],
         actions: [ActionFact], asOf: LocalDate) {
        let stored = computedUnits.isEmpty ? open : open.filter { !computedUnits.contains($0.item.unitID) }
        // The plan's milestone items of the units read from `open`: all, and due by `asOf` by the
        // plan's dates (their due dates in force, since none of these units has an extension).
        var total = 0, storedTotal = 0, storedDue = 0
        for w in ItemStates.Owed(plan: plan, units: nil).work {
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
                  asOf: asOf, milestonesTotal: total, milestonesDue: due, milestonesDone: done)
    }
}
