/// Everything the supervision lists compute from, read once: the plan, the facts known on the day,
/// the coordinator's steps and the owed items' states. Shared by the CLI's lists and the portal.
public struct SupervisionSnapshot: Sendable {
    public var plan: Plan
    public var facts: Facts
    public var actions: [ActionRecord]
    public var asOf: LocalDate
    public var states: [ItemState]

    /// With `units`, only those units' facts are read and states computed. With `including`, only
    /// the states a list can show are kept (at country size most items are done).
    public init(database: DubanDatabase, plan: Plan, asOf: LocalDate, units: Set<String>? = nil,
                including: (@Sendable (ItemState) -> Bool)? = nil) throws {
        let supervision = SupervisionStore(database)
        self.plan = plan
        facts = try supervision.facts(planID: plan.id, asOf: asOf, plan: plan, units: units)
        actions = try supervision.actions(planID: plan.id)
        self.asOf = asOf
        states = ItemStates.compute(plan: plan, facts: facts, asOf: asOf, units: units, including: including)
    }

    /// The overdue items (milestones and ledgers) of `units` (all when nil), in the order `overdue` lists them.
    public static func overdue(database: DubanDatabase, plan: Plan, asOf: LocalDate, units: Set<String>?) throws -> [SupervisionJSON.Item] {
        let snapshot = try SupervisionSnapshot(database: database, plan: plan, asOf: asOf, units: units) { $0.isOverdue(asOf: asOf) }
        let states = units.map { ids in snapshot.states.filter { ids.contains($0.item.unitID) } } ?? snapshot.states
        return SupervisionReports.overdue(states, plan: plan, asOf: asOf).map { SupervisionJSON.item($0, plan: plan, asOf: asOf) }
    }

    /// Every open item of `units` (all when nil) due on or before `until`: what a unit owes now.
    public static func owed(database: DubanDatabase, plan: Plan, asOf: LocalDate, until: LocalDate,
                            units: Set<String>?) throws -> [SupervisionJSON.Item] {
        let snapshot = try SupervisionSnapshot(database: database, plan: plan, asOf: asOf, units: units) { !$0.isDone }
        let states = (units.map { ids in snapshot.states.filter { ids.contains($0.item.unitID) } } ?? snapshot.states)
            .filter { $0.due <= until }
            .sorted { ($0.due, $0.item.unitID) < ($1.due, $1.item.unitID) }
        return states.map { SupervisionJSON.item($0, plan: plan, asOf: asOf) }
    }
}

extension SupervisionSnapshot {
    /// The day's reminders, as `duban notify --format text` writes them: per unit (in the plan's
    /// order) the notice and its text, the window `within` (default: the plan's
    /// `escalation.remind_before_days` days) counted on the plan's calendar.
    public static func reminders(database: DubanDatabase, plan: Plan, asOf: LocalDate,
                                 within: Window?) throws -> [(notice: SupervisionJSON.Notice, text: String)] {
        let snapshot = try SupervisionSnapshot(database: database, plan: plan, asOf: asOf) { !$0.isDone }
        let window = within ?? Window(count: Ladder.rules(plan).remindBeforeDays, workingDays: false)
        let until = window.end(from: asOf, calendar: plan.calendar).date
        let liaisons = try SupervisionStore(database).liaisons(planID: plan.id, asOf: asOf)
        return SupervisionLists.notices(plan: plan, states: snapshot.states, liaisons: liaisons, asOf: asOf, until: until)
            .map { ($0, SupervisionReports.noticeText($0, plan: plan, asOf: asOf)) }
    }
}
