/// The digest of one day, read from the store: the facts in force on that day and a week before
/// (two as-of reads), and the coordinator's steps. Shared by `duban digest` and the portal.
extension Digest {
    public static func make(database: DubanDatabase, plan: Plan, asOf date: LocalDate) throws -> Digest {
        let supervision = SupervisionStore(database)
        let actions = try supervision.actions(planID: plan.id).map(\.fact)
        let facts = try supervision.facts(planID: plan.id, asOf: date, plan: plan)
            .union(try supervision.facts(planID: plan.id, asOf: date.adding(days: -7), plan: plan))
        return DigestBuilder.build(plan: plan, facts: facts, actions: actions, asOf: date)
    }
}
