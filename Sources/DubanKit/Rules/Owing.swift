/// Who owes what: the one rule. A task is owed by every unit its lead units (牵头单位) and
/// responsible units (责任单位) name, directly or through a group (各县区人民政府 → each county);
/// a milestone by every unit its owners name, the same way. Every list, check, template and
/// the store's `task_unit` / `milestone_owner` tables (materialised at `plan load` by this code)
/// ask here; `OwedIndex` keeps these answers per unit for the ledger checks.
public enum Owing {
    /// The units that owe `task`, each once, in the order its references name them.
    public static func units(owing task: PlanTask, in plan: Plan) -> [PlanUnit] {
        plan.expand(task.lead + task.responsible)
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

    /// Whether unit `unitID` owes `milestone`.
    public static func owes(_ unitID: String, _ milestone: Milestone, in plan: Plan) -> Bool {
        units(owing: milestone, in: plan).contains { $0.id == unitID }
    }
}
