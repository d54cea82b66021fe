extension ICalendar {
    /// The feed `duban calendar --unit U` prints and `duban serve` gives at a unit's calendar
    /// URL: the open items of `units` (every unit: nil) from `asOf` to the plan's end, and the
    /// overdue ones, named `name`.
    public static func feed(database: DubanDatabase, plan: Plan, units: Set<String>?, name: String, asOf: LocalDate) throws -> String {
        let items = try SupervisionSnapshot.owed(database: database, plan: plan, asOf: asOf, until: max(plan.end, asOf), units: units)
        return feed(plan: plan, name: name, items: items, asOf: asOf, remindBeforeDays: Ladder.rules(plan).remindBeforeDays)
    }
}
