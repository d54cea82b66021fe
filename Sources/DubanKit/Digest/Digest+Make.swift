/// The digest of one day, read from the store: the facts in force on that day, the open states of
/// that day and of a week before (`owed_state`, when it is up to date for the plan; else the facts
/// in force then), and the coordinator's steps. Shared by `duban digest` and the portal.
extension Digest {
    /// `planSHA256`: the plan's `StoredPlan.planSHA256` when `plan` is a stored plan's (else the
    /// plan is encoded again to tell whether `owed_state` was derived from it).
    public static func make(database: DubanDatabase, plan: Plan, planSHA256: String? = nil, asOf date: LocalDate) throws -> Digest {
        try make(database: database, plan: plan, planSHA256: planSHA256, asOf: date, countedAtOnce: 32_768)
    }

    /// `countedAtOnce`: about how many facts are handed on to be counted at once (`factsByUnit`).
    static func make(database: DubanDatabase, plan: Plan, planSHA256 given: String? = nil, asOf date: LocalDate,
                     countedAtOnce: Int) throws -> Digest {
        let supervision = SupervisionStore(database)
        let actions = try supervision.actions(planID: plan.id).map(\.fact)
        let previous = date.adding(days: -7)
        let places = ItemPlaces(plan)
        let open = try database.read { db -> (now: [ItemState], before: [ItemState])? in
            // The plan's hash once for both days (encoding the plan again when not given).
            let planSHA256 = try given ?? OwedStates.sha256(plan)
            guard let now = try OwedStates.openStates(db, plan: plan, planSHA256: planSHA256, asOf: date, units: nil, places: places),
                  let before = try OwedStates.openStates(db, plan: plan, planSHA256: planSHA256, asOf: previous, units: nil,
                                                         places: places) else { return nil }
            return (now, before)
        }
        if let open {
            let computedUnits = DigestBuilder.computedUnits(extensions: try supervision.extensions(planID: plan.id).map(\.fact),
                                                            asOf: date, openNow: open.now, openBefore: open.before)
            let (facts, completions, tasks) = try factsByUnit(supervision, plan: plan, owed: places.owed, asOf: date,
                                                              computedUnits: computedUnits, countedAtOnce: countedAtOnce)
            // The units with an extension granted a week before: their done items' due dates in
            // force are not the plan's, so their states then are computed.
            let extended = Set(facts.extensions.filter { $0.grantedOn <= previous }.map(\.unitID))
            let computed = extended.isEmpty ? [] : ItemStates.compute(
                ItemStates.Owed(places.owed.all, units: extended),
                facts: try supervision.facts(planID: plan.id, asOf: previous, plan: plan, units: extended), asOf: previous, including: nil)
            return DigestBuilder.build(plan: plan, owed: places.owed.all, facts: facts, actions: actions, asOf: date, openNow: open.now, openBefore: open.before,
                                       computedBefore: computed, computedBeforeUnits: extended, computedUnits: computedUnits,
                                       completions: completions, taskStatuses: tasks)
        }
        let facts = try supervision.facts(planID: plan.id, asOf: date, plan: plan)
        let all = facts.union(try supervision.facts(planID: plan.id, asOf: previous, plan: plan))
        return DigestBuilder.build(plan: plan, facts: all, actions: actions, asOf: date)
    }

    /// The facts in force on `asOf`, read one unit at a time: each unit's done items counted by
    /// completion date (`ItemStates.CompletionCounter`) and its latest task-level facts taken
    /// (`TaskStatuses.Latest`); kept, the facts of `computedUnits`, the ledgers and extensions.
    /// What it builds per unit is gone when it returns. The units' facts are counted on a second
    /// thread while the next units' are read: handed on in order, in batches of about
    /// `countedAtOnce` facts, one batch counted at a time.
    ///
    /// The counting thread allocates nothing (a malloc arena of its own would grow the peak
    /// memory): its tables are made, and made room in for each batch, on this thread, and the
    /// two batches (the one filled, the one counted) are swapped and reused, their facts let go
    /// here.
    private static func factsByUnit(_ supervision: SupervisionStore, plan: Plan, owed: ItemStates.OwedByUnit, asOf: LocalDate,
                                    computedUnits: Set<String>, countedAtOnce: Int) throws -> (facts: Facts, completions: [LocalDate: Int], taskStatuses: [TaskStatus]) {
        let counted = Counted(owed: owed, asOf: asOf)
        var filling: [(unit: String, progress: [ProgressFact])] = []
        var facts = 0, done = 0, taskLevel = 0
        var counting: InBackground<Void>?
        func handOn() {
            // The batch before is counted first: the counts take the units in record order.
            counting?.result()
            counting = nil
            swap(&filling, &counted.batch)
            filling.removeAll(keepingCapacity: true)
            counted.completions.reserve(facts: done)
            counted.tasks.reserve(facts: taskLevel)
            (facts, done, taskLevel) = (0, 0, 0)
            counting = InBackground { counted.countBatch() }
        }
        var kept: [ProgressFact] = []
        var read = try supervision.eachUnitFacts(planID: plan.id, asOf: asOf, plan: plan) { unit, progress in
            filling.append((unit, progress))
            facts += progress.count
            for f in progress {
                if f.status == .done { done += 1 }
                if f.milestoneID == nil { taskLevel += 1 }
            }
            if facts >= countedAtOnce { handOn() }
            if computedUnits.contains(unit) { kept.append(contentsOf: progress) }
        }
        if !filling.isEmpty { handOn() }
        counting?.result()
        read.progress = kept
        return (read, counted.completions.counts, counted.tasks.statuses(plan: plan))
    }

    /// What `factsByUnit` counts, and the batch being counted: changed by one batch's counting
    /// at a time, each started after the one before has ended (`InBackground.result`), and
    /// read once the last has.
    private final class Counted: @unchecked Sendable {
        var completions: ItemStates.CompletionCounter
        var tasks: TaskStatuses.Latest
        var batch: [(unit: String, progress: [ProgressFact])] = []
        let asOf: LocalDate

        init(owed: ItemStates.OwedByUnit, asOf: LocalDate) {
            completions = ItemStates.CompletionCounter(owed)
            tasks = TaskStatuses.Latest(asOf: asOf)
            self.asOf = asOf
        }

        /// Counts `batch` (room made for it in both tables).
        func countBatch() {
            for (unit, progress) in batch {
                completions.add(unit: unit, progress: progress, asOf: asOf)
                tasks.add(progress)
            }
        }
    }
}
