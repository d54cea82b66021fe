/// Which tasks and milestones each unit owes, groups expanded once per plan: the ledger checks
/// ask it per entry, which with thousands of units must not expand the groups again each time.
public struct OwedIndex: Sendable {
    public let planID: String
    private var tasks: [String: Set<Int>] = [:]
    private var milestones: [String: Set<String>] = [:]
    private var milestoneByID: [String: Milestone] = [:]
    /// The plan's task numbers, and each milestone's task: what checking an entry that is right
    /// needs, without copying a `PlanTask` or a `Milestone` (an error message fetches those).
    private var taskNumbers: Set<Int> = []
    private var milestoneTask: [String: Int?] = [:]

    public init(_ plan: Plan) {
        planID = plan.id
        for task in plan.tasks {
            taskNumbers.insert(task.number)
            for unit in plan.expand(task.lead + task.responsible) { tasks[unit.id, default: []].insert(task.number) }
        }
        for m in plan.milestones {
            if milestoneByID[m.id] == nil {
                milestoneByID[m.id] = m
                milestoneTask[m.id] = .some(m.task)
            }
            for unit in plan.expand(m.owners) { milestones[unit.id, default: []].insert(m.id) }
        }
    }

    /// Whether the unit (not a group) owes the task, as `TaskQuery.owes` answers for a unit.
    public func owes(unit: String, task: Int) -> Bool { tasks[unit]?.contains(task) ?? false }

    /// The plan's milestone with this id (the plan must be the one this index was built from).
    public func milestone(id: String, in plan: Plan) -> Milestone? { milestoneByID[id] }

    /// Whether the plan has a task with this number (`plan.task(number:) != nil`).
    public func hasTask(_ number: Int) -> Bool { taskNumbers.contains(number) }

    /// The task of the plan's milestone with this id: nil if there is no such milestone,
    /// `.some(nil)` for a plan-wide obligation.
    public func task(ofMilestone id: String) -> Int?? { milestoneTask[id] }

    /// Whether the milestone's owners include the unit.
    public func owes(unit: String, milestone: String) -> Bool { milestones[unit]?.contains(milestone) ?? false }

    /// What one unit owes: looked up once per ledger, then asked per entry without hashing the
    /// unit's id again.
    public func owed(by unit: String) -> Owed {
        Owed(tasks: tasks[unit] ?? [], milestones: milestones[unit] ?? [])
    }

    public struct Owed: Sendable {
        public let tasks: Set<Int>
        public let milestones: Set<String>
    }
}
