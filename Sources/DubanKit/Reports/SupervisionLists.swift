/// The reminder list and the escalation list as facts, made once for `duban notify` / `duban
/// escalate` and the portal's 提醒 and 督办 pages: the rules they apply are `Ladder`,
/// `BehindSchedule` and `ItemState`'s; this file only gathers their answers per unit.
public enum SupervisionLists {
    /// Per unit (in the plan's order), what falls due from `asOf` to `until` and what is already
    /// late; units with neither are left out. `states` are the open items to consider.
    public static func notices(plan: Plan, states: [ItemState], liaisons: [String: Liaison],
                               asOf: LocalDate, until: LocalDate) -> [SupervisionJSON.Notice] {
        let byUnit = Dictionary(grouping: states, by: \.item.unitID)
        let rank = SupervisionReports.unitRank(plan)
        var notices: [SupervisionJSON.Notice] = []
        for u in plan.units {
            guard let mine = byUnit[u.id]?.filter({ canBeInNotice($0, asOf: asOf, until: until) }) else { continue }
            let soon = mine.filter { $0.due >= asOf }.sorted { $0.due < $1.due }
            let late = SupervisionReports.overdue(mine, rank: rank, asOf: asOf)
            guard !soon.isEmpty || !late.isEmpty else { continue }
            let liaison = u.liaison ?? liaisons[u.id]
            notices.append(SupervisionJSON.Notice(unit: u.id, unit_name: u.name, liaison: liaison?.name, phone: liaison?.phone,
                                                  due_until: until.description,
                                                  due_soon: soon.map { SupervisionJSON.item($0, plan: plan, asOf: asOf) },
                                                  overdue: late.map { SupervisionJSON.item($0, plan: plan, asOf: asOf) },
                                                  own: u.id == plan.coordinator))
        }
        return notices
    }

    /// Whether a state can be in a notice of `asOf` whose window ends on `until`: open, and late
    /// or due by then. The others need not be read at all.
    public static func canBeInNotice(_ state: ItemState, asOf: LocalDate, until: LocalDate) -> Bool {
        !state.isDone && (state.due < asOf || state.due <= until)
    }

    /// The escalation list: each lagging unit's step on the ladder, the coordinator's own
    /// follow-ups (never escalated against itself) and the milestones behind schedule.
    public struct Escalations: Sendable, JSONObject {
        public var asOf: LocalDate
        public var units: [SupervisionJSON.Escalation]
        public var coordinatorFollowUps: SupervisionJSON.FollowUps?
        public var behindSchedule: [SupervisionJSON.Behind]

        /// `duban escalate --format json`'s document (docs/escalate.md).
        enum CodingKeys: String, CodingKey {
            case asOf = "as_of", units, coordinatorFollowUps = "coordinator_follow_ups", behindSchedule = "behind_schedule"
        }

        /// `JSONOutput.encode(self)`'s bytes, a part at a time (`JSONOutput.streamObject`): at
        /// country size on an early date the document is tens of megabytes, its lists long.
        public func streamJSON(to write: ([UInt8]) -> Void) {
            JSONOutput.streamObject([.value(CodingKeys.asOf.stringValue, asOf), .list(CodingKeys.units.stringValue, units),
                                     .value(CodingKeys.coordinatorFollowUps.stringValue, coordinatorFollowUps),
                                     .list(CodingKeys.behindSchedule.stringValue, behindSchedule)], to: write)
        }
    }

    /// `states`: the open items to consider; `actions`: the steps recorded so far; items due by
    /// `dueSoonUntil` count as due soon.
    public static func escalations(plan: Plan, states: [ItemState], actions: [ActionFact], asOf: LocalDate,
                                   dueSoonUntil until: LocalDate) -> Escalations {
        let ladder = Ladder.evaluate(plan: plan, states: states, actions: actions, asOf: asOf, dueSoonUntil: until)
        return Escalations(
            asOf: asOf,
            units: ladder.map { SupervisionJSON.escalation($0, plan: plan, asOf: asOf) },
            coordinatorFollowUps: Ladder.ownFollowUps(plan: plan, states: states, asOf: asOf, dueSoonUntil: until)
                .map { SupervisionJSON.followUps($0, plan: plan, asOf: asOf) },
            behindSchedule: BehindSchedule.find(plan: plan, states: states, asOf: asOf).map { SupervisionJSON.behind($0, plan: plan) })
    }
}
