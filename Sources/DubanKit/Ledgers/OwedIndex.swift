/// Which tasks and milestones each unit owes, groups expanded once per plan: the ledger checks
/// ask it per entry, which with thousands of units must not expand the groups again each time.
public struct OwedIndex: Sendable {
    public let planID: String
    private var tasks: [String: Set<Int>] = [:]
    private var milestones: [String: Set<String>] = [:]
    private var milestoneByID: [String: Milestone] = [:]

    public init(_ plan: Plan) {
        planID = plan.id
        for task in plan.tasks {
            for unit in plan.expand(task.lead + task.responsible) { tasks[unit.id, default: []].insert(task.number) }
        }
        for m in plan.milestones {
            if milestoneByID[m.id] == nil { milestoneByID[m.id] = m }
            for unit in plan.expand(m.owners) { milestones[unit.id, default: []].insert(m.id) }
        }
    }

    /// Whether the unit (not a group) owes the task, as `TaskQuery.owes` answers for a unit.
    public func owes(unit: String, task: Int) -> Bool { tasks[unit]?.contains(task) ?? false }

    /// The plan's milestone with this id (the plan must be the one this index was built from).
    public func milestone(id: String, in plan: Plan) -> Milestone? { milestoneByID[id] }

    /// Whether the milestone's owners include the unit.
    public func owes(unit: String, milestone: String) -> Bool { milestones[unit]?.contains(milestone) ?? false }
}
