/// The digest of one day, read from the store: the facts in force on that day, the open states of
/// that day and of a week before (`owed_state`, when it is up to date for the plan; else the facts
/// in force then), and the coordinator's steps. Shared by `duban digest` and the portal.
extension Digest {
    public static func make(database: DubanDatabase, plan: Plan, asOf date: LocalDate) throws -> Digest {
        let supervision = SupervisionStore(database)
        let actions = try supervision.actions(planID: plan.id).map(\.fact)
        let previous = date.adding(days: -7)
        let facts = try supervision.facts(planID: plan.id, asOf: date, plan: plan)
        let open = try database.read { db -> (now: [ItemState], before: [ItemState])? in
            guard let now = try OwedStates.openStates(db, plan: plan, asOf: date, units: nil),
                  let before = try OwedStates.openStates(db, plan: plan, asOf: previous, units: nil) else { return nil }
            return (now, before)
        }
        if let open {
            // The units with an extension granted by then: their done items' due dates in force are
            // not the plan's, so their states are computed.
            let extended = Set(facts.extensions.filter { $0.grantedOn <= previous }.map(\.unitID))
            let computed = extended.isEmpty ? [] : ItemStates.compute(
                plan: plan, facts: try supervision.facts(planID: plan.id, asOf: previous, plan: plan, units: extended),
                asOf: previous, units: extended)
            return DigestBuilder.build(plan: plan, facts: facts, actions: actions, asOf: date, openNow: open.now, openBefore: open.before,
                                       computedBefore: computed, computedBeforeUnits: extended)
        }
        let all = facts.union(try supervision.facts(planID: plan.id, asOf: previous, plan: plan))
        return DigestBuilder.build(plan: plan, facts: all, actions: actions, asOf: date)
    }
}
