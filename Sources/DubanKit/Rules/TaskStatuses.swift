/// The latest status a unit reported for one task it owes (a task-level record, not a milestone's).
public struct TaskStatus: Equatable, Sendable {
    public var unitID: String
    public var task: Int
    /// Nil when the unit had reported nothing on the task by the date.
    public var status: ProgressStatus?
    public var percent: Int?
    public var knownOn: LocalDate?
}

/// The units × tasks status, computed from facts as they were known on a date.
///
/// `duban status` answers the same question from the store by the date a record speaks for
/// (`reported_on`); this answers by the date it became known (a ledger's `submitted`), so a ledger
/// submitted after `asOf` does not count. The two agree once every ledger for periods ended by
/// `asOf` has been submitted by `asOf`.
public enum TaskStatuses {
    private struct UnitTask: Hashable { var unit: String; var task: Int }

    public static func latest(plan: Plan, facts: Facts, asOf: LocalDate) -> [TaskStatus] {
        var latest = Latest(asOf: asOf)
        latest.add(facts.progress)
        return latest.statuses(plan: plan)
    }

    /// The latest task-level facts, taken from facts given a part at a time (e.g. one unit's at a
    /// time: at country size a million facts need not be held at once). The parts given one
    /// after another must be in record order, as `latest`'s facts are.
    struct Latest {
        let asOf: LocalDate
        /// Per unit and task, what the latest fact shows and what orders it (not the fact: at
        /// country size tens of thousands are kept).
        private var latest: [UnitTask: (status: ProgressStatus, percent: Int?, knownOn: LocalDate, order: Int)] = [:]
        /// The facts given so far: the next one's position in record order.
        private var count = 0

        init(asOf: LocalDate) { self.asOf = asOf }

        /// Makes room for the (unit, task) pairs `facts` more facts can add (one each at most):
        /// `add`ing them then allocates nothing (`Digest.make` adds them on another thread).
        mutating func reserve(facts: Int) { latest.reserveCapacity(latest.count + facts) }

        mutating func add(_ progress: [ProgressFact]) {
            defer { count += progress.count }
            // The task-level facts known on `asOf` (those `Facts.known(on:)` keeps), read in place,
            // in record order (their position).
            for (i, f) in progress.enumerated() where f.milestoneID == nil && f.isKnown(on: asOf) {
                guard let task = f.task else { continue }
                let key = UnitTask(unit: f.unitID, task: task)
                if let old = latest[key], !LatestRecord.beatsForTask(knownOn: f.knownOn, order: count + i, over: (old.knownOn, old.order)) {
                    continue
                }
                latest[key] = (f.status, f.percent, f.knownOn, count + i)
            }
        }

        func statuses(plan: Plan) -> [TaskStatus] {
            var out: [TaskStatus] = []
            let tasks = plan.tasks
            for (task, owners) in zip(tasks, Owing.units(owingEach: tasks, in: plan)) {
                for unit in owners {
                    let f = latest[UnitTask(unit: unit.id, task: task.number)]
                    out.append(TaskStatus(unitID: unit.id, task: task.number, status: f?.status, percent: f?.percent, knownOn: f?.knownOn))
                }
            }
            return out
        }
    }
}
