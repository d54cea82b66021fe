/// Who owes what: the one rule. A task is owed by every unit its lead units (牵头单位) and
/// responsible units (责任单位) name, directly or through a group (各县区人民政府 → each county);
/// a milestone by every unit its owners name, the same way. Every list, check, template and
/// the store's `task_unit` / `milestone_owner` tables (materialised at `plan load` by this code)
/// ask here; `OwedIndex` keeps these answers per unit for the ledger checks.
public enum Owing {
    /// The units that owe `task`, each once, in the order its references name them.
    public static func units(owing task: PlanTask, in plan: Plan) -> [PlanUnit] {
        plan.expand(owners(of: task))
    }

    /// The units that owe each of `tasks` (`units(owing:in:)`), in their order: tasks naming the
    /// same units share one expansion.
    public static func units(owingEach tasks: [PlanTask], in plan: Plan) -> [[PlanUnit]] {
        expandingEachOnce(tasks.map(owners(of:)), in: plan)
    }

    /// The references naming who owes a task: its lead units, then its responsible units.
    private static func owners(of task: PlanTask) -> [UnitRef] { task.lead + task.responsible }

    /// `plan.expand` of each list, a list named again answered from the first expansion.
    private static func expandingEachOnce(_ lists: [[UnitRef]], in plan: Plan) -> [[PlanUnit]] {
        var expanded: [[UnitRef]: [PlanUnit]] = [:]
        return lists.map { refs in
            if let known = expanded[refs] { return known }
            let units = plan.expand(refs)
            expanded[refs] = units
            return units
        }
    }

    /// The same units by the role the task gives them (a unit named both ways is in both):
    /// what the store keeps in `task_unit`.
    public static func unitsByRole(owing task: PlanTask, in plan: Plan) -> [(role: String, units: [PlanUnit])] {
        [("lead", plan.expand(task.lead)), ("responsible", plan.expand(task.responsible))]
    }

    /// The units that owe `milestone`, each once, in the order its owners name them.
    public static func units(owing milestone: Milestone, in plan: Plan) -> [PlanUnit] {
        plan.expand(milestone.owners)
    }

    /// The units that owe each of `milestones` (`units(owing:in:)`), in their order: milestones
    /// naming the same owners share one expansion (at country size 60 milestones name 2 lists of
    /// owners, each expanding to thousands of units).
    public static func units(owingEach milestones: [Milestone], in plan: Plan) -> [[PlanUnit]] {
        expandingEachOnce(milestones.map(\.owners), in: plan)
    }

    /// Whether unit `unitID` owes `milestone`.
    public static func owes(_ unitID: String, _ milestone: Milestone, in plan: Plan) -> Bool {
        units(owing: milestone, in: plan).contains { $0.id == unitID }
    }
}
