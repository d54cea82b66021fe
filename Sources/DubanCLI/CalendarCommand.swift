import ArgumentParser
import DubanKit

struct CalendarFeed: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calendar",
        abstract: "A unit's open due dates as an iCalendar feed (RFC 5545) for calendar apps.",
        discussion: """
            One all-day event per open item (milestones and ledgers) from --as-of to the plan's
            end, and the overdue ones, each with an alarm escalation.remind_before_days before it.
            The same facts and date give the same bytes. Write it to a file and import or
            subscribe to it in Outlook, WPS, DingTalk or a phone's calendar.
            Examples:
              duban calendar --unit 甘州区 > ganzhou.ics
              duban calendar --unit 各县区人民政府 --as-of 2024-04-10
            """
    )

    @Option(help: "The unit or group: id, Chinese name or alias.") var unit: String
    @OptionGroup var asOf: AsOfOption
    @OptionGroup var store: StoreOptions

    func run() throws {
        try reportingErrors {
            let (database, plan) = try store.openWithPlan(.read)
            let ref = try resolveUnit(unit, in: plan)
            let units = Set(plan.expand([ref]).map(\.id))
            let date = asOf.date
            let items = try SupervisionSnapshot.owed(database: database, plan: plan, asOf: date, until: max(plan.end, date), units: units)
            let name = plan.unit(id: ref.id)?.name ?? plan.groups.first { $0.id == ref.id }?.name ?? ref.id
            Console.out(ICalendar.feed(plan: plan, name: name, items: items, asOf: date,
                                       remindBeforeDays: Ladder.rules(plan).remindBeforeDays))
        }
    }
}
