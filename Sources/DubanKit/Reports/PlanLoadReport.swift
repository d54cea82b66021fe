/// What `plan load` (and `demo`) says it stored: a new plan, an unchanged one, or a new version
/// with its changes.
public enum PlanLoadReport {
    public static func text(_ outcome: PlanLoadOutcome, plan: Plan, database: String) -> String {
        switch outcome {
        case .unchanged(let v):
            return "\(plan.id): unchanged (version \(v) already loaded in \(database)); nothing written\n"
        case .created(let v):
            return "\(plan.id): loaded as version \(v) into \(database): \(plan.tasks.count) tasks, \(plan.units.count) units, \(plan.milestones.count) milestones\n"
        case .updated(let v, let changes):
            var out = "\(plan.id): updated to version \(v) in \(database): \(changes.count) change\(changes.count == 1 ? "" : "s")\n"
            for c in changes { out += "  \(c)\n" }
            return out
        }
    }
}
