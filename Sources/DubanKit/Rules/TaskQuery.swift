/// Which tasks concern which units.
public enum TaskQuery {
    /// Whether the unit or group `ref` owes `task`: a unit owes a task that names it or a group it
    /// belongs to; a group owes a task that names it or any of its members.
    public static func owes(_ ref: UnitRef, _ task: PlanTask, in plan: Plan) -> Bool {
        let owners = Owing.units(owing: task, in: plan).map(\.id)
        switch ref.kind {
        case .unit: return owners.contains(ref.id)
        case .group:
            let members = plan.group(id: ref.id)?.members ?? []
            return (task.lead + task.responsible).contains { $0.kind == .group && $0.id == ref.id }
                || owners.contains(where: members.contains)
        }
    }
}
