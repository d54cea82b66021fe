import ArgumentParser
import DubanKit
import DubanServer

struct CalendarFeed: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calendar",
        abstract: "A unit's open due dates as an iCalendar feed (RFC 5545) for calendar apps; its secret URL on duban serve.",
        discussion: """
            Examples:
              duban calendar --unit 甘州区 > ganzhou.ics
              duban calendar --unit 各县区人民政府 --as-of 2024-04-10
              duban calendar token --unit 甘州区     # a new secret URL path for duban serve; the old one stops working
            """,
        subcommands: [Feed.self, Token.self],
        defaultSubcommand: Feed.self
    )

    struct Feed: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "feed",
            abstract: "Print the feed (the default: `duban calendar --unit U`).",
            discussion: """
                One all-day event per open item (milestones and ledgers) from --as-of to the plan's \
                end, and the overdue ones, each with an alarm escalation.remind_before_days before it. \
                The same facts and date give the same bytes. Write it to a file and import or \
                subscribe to it in Outlook, WPS, DingTalk or a phone's calendar.
                Example:
                  duban calendar feed --unit 甘州区 --as-of 2024-06-30 > ganzhou.ics
                """
        )

        @Option(help: "The unit or group: id, Chinese name or alias.") var unit: String
        @OptionGroup var asOf: AsOfOption
        @OptionGroup var store: StoreOptions

        func run() throws {
            try store.reading { database, plan in
                let ref = try resolveUnit(unit, in: plan)
                let name = plan.unit(id: ref.id)?.name ?? plan.groups.first { $0.id == ref.id }?.name ?? ref.id
                Console.out(try ICalendar.feed(database: database, plan: plan, units: Set(plan.expand([ref]).map(\.id)), name: name,
                                               asOf: asOf.date))
            }
        }
    }

    struct Token: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "token",
            abstract: "Print a new secret calendar URL path of a unit (or, with --all, of every unit) for duban serve; the old one stops working.",
            discussion: """
                `duban serve` gives the unit's feed at GET /calendar/TOKEN.ics without signing in:
                subscribe to it in a calendar app. The token is shown once and stored as its hash.
                Examples:
                  duban calendar token --unit 甘州区
                  duban calendar token --all          # the coordinator's: every unit's due dates
                """
        )

        @Option(help: "The unit: id, Chinese name or alias.") var unit: String?
        @Flag(help: "Every unit's due dates (the coordinator's feed).") var all = false
        @OptionGroup var store: StoreOptions

        func validate() throws {
            guard (unit == nil) == all else { throw ValidationError("name a unit (--unit U) or take every unit (--all)") }
        }

        func run() throws {
            try store.writing { database, plan in
                let unitID = try unit.map { try resolveSingleUnit($0, in: plan).id }
                let token = CalendarURL.newToken()
                try CalendarTokenStore(database).replace(planID: plan.id, unitID: unitID, tokenHash: Secrets.storedHash(token), by: .commandLine)
                Console.committed("the calendar URL WAS replaced")
                Console.out(CalendarURL.path(token) + "\n")
            }
        }
    }
}
