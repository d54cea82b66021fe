/// Which tasks and milestones each unit owes, groups expanded once per plan: the ledger checks
/// ask it per entry, which with thousands of units must not expand the groups again each time.
public struct OwedIndex: Sendable {
    public let planID: String
    private var tasks: [String: Set<Int>] = [:]
    private var milestones: [String: Set<String>] = [:]
    /// The plan's task numbers, and each milestone's task: what checking an entry that is right
    /// needs, without copying a `PlanTask` or a `Milestone` (an error message fetches those).
    /// Each task and milestone also has a slot (tasks first, then milestones), by which a ledger
    /// tells a second entry for the same thing without hashing its key again.
    private var taskSlot: [Int: Int] = [:]
    private var milestoneSlot: [String: (slot: Int, task: Int?)] = [:]
    /// Slots in all (tasks and milestones).
    public private(set) var slots = 0
    /// Per unit, whether it owes the task or milestone of each slot.
    private var owedSlots: [String: [Bool]] = [:]

    public init(_ plan: Plan) {
        planID = plan.id
        for task in plan.tasks {
            if taskSlot[task.number] == nil {
                taskSlot[task.number] = slots
                slots += 1
            }
            for unit in Owing.units(owing: task, in: plan) { tasks[unit.id, default: []].insert(task.number) }
        }
        // `plan.milestones`' order (obligations first, then the tasks'), without building that
        // array or keeping a copy of any `Milestone`: an error message fetches it from the plan.
        func add(_ m: Milestone) {
            if milestoneSlot[m.id] == nil {
                milestoneSlot[m.id] = (slots, m.task)
                slots += 1
            }
            for unit in Owing.units(owing: m, in: plan) { milestones[unit.id, default: []].insert(m.id) }
        }
        for m in plan.obligations { add(m) }
        for task in plan.tasks {
            for m in task.milestones { add(m) }
        }
        for unit in Set(tasks.keys).union(milestones.keys) {
            var owes = [Bool](repeating: false, count: slots)
            for number in tasks[unit] ?? [] { if let slot = taskSlot[number] { owes[slot] = true } }
            for id in milestones[unit] ?? [] { if let slot = milestoneSlot[id]?.slot { owes[slot] = true } }
            owedSlots[unit] = owes
        }
    }

    /// Whether the unit (not a group) owes the task, as `TaskQuery.owes` answers for a unit.
    public func owes(unit: String, task: Int) -> Bool { tasks[unit]?.contains(task) ?? false }

    /// The plan's milestone with this id (the plan must be the one this index was built from):
    /// the first in `plan.milestones` with it, looked up among its task's milestones (or the
    /// plan-wide obligations), as only an error message asks.
    public func milestone(id: String, in plan: Plan) -> Milestone? {
        guard let (_, task) = milestoneSlot[id] else { return nil }
        let candidates = task.map { plan.task(number: $0)?.milestones ?? [] } ?? plan.obligations
        return candidates.first { $0.id == id && $0.task == task }
    }

    /// Whether the plan has a task with this number (`plan.task(number:) != nil`).
    public func hasTask(_ number: Int) -> Bool { taskSlot[number] != nil }

    /// The slot of the plan's task with this number (nil: no such task).
    public func slot(ofTask number: Int) -> Int? { taskSlot[number] }

    /// The task of the plan's milestone with this id: nil if there is no such milestone,
    /// `.some(nil)` for a plan-wide obligation.
    public func task(ofMilestone id: String) -> Int?? { milestoneSlot[id].map { $0.task } }

    /// The slot and the task of the plan's milestone with this id (nil: no such milestone).
    public func milestoneSlot(_ id: String) -> (slot: Int, task: Int?)? { milestoneSlot[id] }

    /// Whether the milestone's owners include the unit.
    public func owes(unit: String, milestone: String) -> Bool { milestones[unit]?.contains(milestone) ?? false }

    /// What one unit owes: looked up once per ledger, then asked per entry without hashing the
    /// unit's id again.
    public func owed(by unit: String) -> Owed {
        Owed(tasks: tasks[unit] ?? [], milestones: milestones[unit] ?? [], slots: owedSlots[unit] ?? [])
    }

    public struct Owed: Sendable {
        public let tasks: Set<Int>
        public let milestones: Set<String>
        let slots: [Bool]

        /// Whether the unit owes the task or milestone of this `OwedIndex` slot.
        public func owes(slot: Int) -> Bool { slots.indices.contains(slot) && slots[slot] }
    }
}
