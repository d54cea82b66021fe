/// Everything the supervision lists compute from, read once: the plan, the coordinator's steps and
/// the owed items' states on the day. Shared by the CLI's lists and the portal.
public struct SupervisionSnapshot: Sendable {
    public var plan: Plan
    public var actions: [ActionRecord]
    public var asOf: LocalDate
    public var states: [ItemState]

    /// With `units`, only those units' states (the others may be there too: filter by unit). With
    /// `including`, only the states a list can show are kept (at country size most items are
    /// done). With `openOnly` (`including` accepts no done state), the open states are read from
    /// `owed_state` when it is up to date for this plan, else computed from the facts as without;
    /// with `dueBy` too, the stored states due later are not read (`including` refuses them).
    /// `planSHA256`: the plan's `StoredPlan.planSHA256` when `plan` is a stored plan's (else the
    /// plan is encoded again to tell whether `owed_state` was derived from it).
    public init(database: DubanDatabase, plan: Plan, planSHA256: String? = nil, asOf: LocalDate, units: Set<String>? = nil,
                openOnly: Bool = false, dueBy: LocalDate? = nil, including: (@Sendable (ItemState) -> Bool)? = nil) throws {
        let supervision = SupervisionStore(database)
        self.plan = plan
        actions = try supervision.actions(planID: plan.id)
        self.asOf = asOf
        if openOnly, let stored = try database.read({ db in
            try OwedStates.openStates(db, plan: plan, planSHA256: planSHA256, asOf: asOf, units: units, dueBy: dueBy,
                                      including: including)
        }) {
            states = stored
        } else {
            let facts = try supervision.facts(planID: plan.id, asOf: asOf, plan: plan, units: units)
            var keep = including
            if openOnly { keep = { state in !state.isDone && (including?(state) ?? true) } }
            states = ItemStates.compute(plan: plan, facts: facts, asOf: asOf, units: units, including: keep)
        }
    }

    /// The overdue items (milestones and ledgers) of `units` (all when nil), in the order `overdue` lists them.
    public static func overdue(database: DubanDatabase, plan: Plan, asOf: LocalDate, units: Set<String>?) throws -> [SupervisionJSON.Item] {
        let snapshot = try SupervisionSnapshot(database: database, plan: plan, asOf: asOf, units: units, openOnly: true) { $0.isOverdue(asOf: asOf) }
        let states = units.map { ids in snapshot.states.filter { ids.contains($0.item.unitID) } } ?? snapshot.states
        return SupervisionReports.overdue(states, plan: plan, asOf: asOf).map { SupervisionJSON.item($0, plan: plan, asOf: asOf) }
    }

    /// Every open item of `units` (all when nil) due on or before `until`: what a unit owes now.
    public static func owed(database: DubanDatabase, plan: Plan, asOf: LocalDate, until: LocalDate,
                            units: Set<String>?) throws -> [SupervisionJSON.Item] {
        let snapshot = try SupervisionSnapshot(database: database, plan: plan, asOf: asOf, units: units, openOnly: true) { !$0.isDone }
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
        let window = within ?? Window(count: Ladder.rules(plan).remindBeforeDays, workingDays: false)
        let until = window.end(from: asOf, calendar: plan.calendar).date
        let snapshot = try SupervisionSnapshot(database: database, plan: plan, asOf: asOf, openOnly: true, dueBy: max(asOf, until)) {
            SupervisionLists.canBeInNotice($0, asOf: asOf, until: until)
        }
        let liaisons = try SupervisionStore(database).liaisons(planID: plan.id, asOf: asOf)
        return SupervisionLists.notices(plan: plan, states: snapshot.states, liaisons: liaisons, asOf: asOf, until: until)
            .map { ($0, SupervisionReports.noticeText($0, plan: plan, asOf: asOf)) }
    }
}
