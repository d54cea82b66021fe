import ArgumentParser
import DubanKit
import Foundation

/// The forms of the supervision lists.
enum ListFormat: String, CaseIterable, ExpressibleByArgument {
    case table, json, csv, markdown, text, xlsx

    /// How a list is written in this format: as its JSON objects, as a workbook (`--out`), as the
    /// command's own text, or as a table in one of its forms. Commands switch over this, so a
    /// table is never asked for a form it does not have.
    enum Rendering: Equatable {
        case json, xlsx, text
        case table(Table.Form)
    }

    var rendering: Rendering {
        switch self {
        case .json: .json
        case .xlsx: .xlsx
        case .text: .text
        case .table: .table(.text)
        case .csv: .table(.csv)
        case .markdown: .table(.markdown)
        }
    }
}

struct ListFormatOption: ParsableArguments {
    @Option(help: "The language of headers and headings: zh (default) or en; data and notices stay as written.")
    var lang: DigestLanguage = .zh

    @Option(name: .long, help: "Output format: table, json, csv, markdown, text, or xlsx (with --out).")
    var format: ListFormat = .table
    @Option(name: .long, help: ArgumentHelp("With --format xlsx: the workbook to write.", valueName: "FILE"))
    var out: String?

    func validate() throws { try WorkbookOutput.validate(xlsx: format == .xlsx, out: out) }
}

/// Everything the supervision commands compute from, loaded once.
struct SupervisionContext {
    var plan: Plan
    var database: DubanDatabase
    var actions: [ActionRecord]
    var asOf: LocalDate
    var states: [ItemState]

    /// With `unit` (a unit or group), only its units' facts are read and states computed: a
    /// liaison's `--unit` costs one unit's work, not the whole plan's. With `including`, only the
    /// states the command can show are kept (`overdue` the overdue ones, `notify` and `escalate`
    /// the open ones): at country size most of the millions of items are done.
    init(database: DubanDatabase, plan: Plan, planSHA256: String? = nil, asOf: LocalDate, unit: String? = nil,
         openOnly: Bool = false, dueBy: LocalDate? = nil, including: (@Sendable (ItemState) -> Bool)? = nil) throws {
        self.database = database
        self.plan = plan
        let units = try unit.map { Set(plan.expand([try resolveUnit($0, in: plan)]).map(\.id)) }
        let snapshot = try SupervisionSnapshot(database: database, plan: plan, planSHA256: planSHA256, asOf: asOf, units: units,
                                               openOnly: openOnly, dueBy: dueBy, including: including)
        actions = snapshot.actions
        self.asOf = asOf
        states = snapshot.states
    }

    func filter(unit: String?, task: Int?) throws -> [ItemState] {
        var out = states
        if let unit {
            let ref = try resolveUnit(unit, in: plan)
            let ids = Set(plan.expand([ref]).map(\.id))
            out = out.filter { ids.contains($0.item.unitID) }
        }
        if let task {
            guard plan.task(number: task) != nil else { throw CLIError.usage("no task \(task) in plan \(plan.id)") }
            out = out.filter { $0.item.task == task }
        }
        return out
    }

    /// The end of the window, warning on stderr when a year had to be counted on plain weekdays.
    func windowEnd(_ window: Window) -> LocalDate { Self.windowEnd(window, plan: plan, asOf: asOf) }

    static func windowEnd(_ window: Window, plan: Plan, asOf: LocalDate) -> LocalDate {
        let count = window.end(from: asOf, calendar: plan.calendar)
        if !count.unknownYears.isEmpty {
            Console.err("duban: warning: no holiday calendar for \(count.unknownYears.map(String.init).joined(separator: ", ")); working days counted as Monday to Friday\n")
        }
        return count.date
    }
}

struct Overdue: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "overdue",
        abstract: "List every owed item past due and not done: milestones and ledgers.",
        discussion: """
            Sorted by days overdue, then unit. An item is done when a record known on or before \
            --as-of says so; missing and late ledgers are overdue items too.
            Examples:
              duban overdue --as-of 2024-01-05
              duban overdue --unit 甘州区 --format json
              duban overdue --task 7 --format csv > overdue.csv
            """
    )

    @Option(help: "Only this unit or group (id, name or alias).") var unit: String?
    @Option(help: "Only this task number.") var task: Int?
    @OptionGroup var asOf: AsOfOption
    @OptionGroup var store: StoreOptions
    @OptionGroup var output: ListFormatOption

    func run() throws {
        try store.opening(.read) { database, stored in
            let date = asOf.date
            let ctx = try SupervisionContext(database: database, plan: stored.plan, planSHA256: stored.planSHA256, asOf: date, unit: unit,
                                             openOnly: true) { $0.isOverdue(asOf: date) }
            let l = output.lang.labels
            let items = SupervisionReports.overdue(try ctx.filter(unit: unit, task: task), plan: ctx.plan, asOf: ctx.asOf)
                .map { SupervisionJSON.item($0, plan: ctx.plan, asOf: ctx.asOf) }
            switch output.format.rendering {
            case .json: Console.json(items)
            case .text:
                Console.out(l.overdueTextHeading.filling(ctx.asOf).filling(items.count) + "\n"
                            + items.enumerated().map { "\($0 + 1). \($1.unit_name):\($1.reason)\n" }.joined())
            case .xlsx: try WorkbookOutput.write([SupervisionReports.itemsTable(items, labels: l).sheet(named: "逾期事项")], to: output.out ?? "")
            case .table(let form):
                if form == .text { Console.out(l.overdueHeading.filling(ctx.asOf).filling(items.count) + "\n") }
                Console.out(SupervisionReports.itemsTable(items, labels: l).render(form))
            }
        }
    }
}

struct Notify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notify",
        abstract: "The reminder list: per unit, what falls due within the window and what is already late.",
        discussion: """
            The window defaults to the plan's escalation.remind_before_days; 5wd counts working \
            days on the plan's holiday calendar (调休 included).
            Examples:
              duban notify --as-of 2024-09-27 --within 5wd
              duban notify --format text > reminders.txt
              duban notify --format csv > mail-merge.csv
              duban notify --send --dry-run               # what would go out today, to which channel
              duban notify --send                         # deliver (notifications.yaml), once a day
              duban notify log --failed --format json     # what did not get through
            With --send, each unit's reminder text goes to the channels of the plan folder's \
            notifications.yaml (DingTalk and WeCom group robots, JSON webhooks): at most once a \
            unit, channel and day, a failure retried with backoff, nothing on the calendar's \
            weekends and holidays. Exit 76 when a delivery failed, 78 when a secret is not set.
            """
    )

    @Argument(help: ArgumentHelp("`log`: the delivery log of --send instead (with --since, --failed, --format table|json|csv|markdown).",
                                 valueName: "log"))
    var action: NotifyAction?
    @Option(help: ArgumentHelp("With log: only deliveries of this day or later.", valueName: "YYYY-MM-DD"), transform: parseDate)
    var since: LocalDate?
    @Flag(help: "With log: only deliveries whose last attempt failed.") var failed = false

    @Flag(help: "Deliver the reminders to the configured channels (instead of listing them).") var send = false
    @Flag(help: "With --send: print what would go out (channel, recipient, message); send and write nothing.") var dryRun = false
    @Option(help: ArgumentHelp("With --send: the channels file (default: notifications.yaml in the plan's folder).", valueName: "FILE"))
    var config: String?

    @Option(help: ArgumentHelp("Look-ahead: N days, Nd, or Nwd working days.", valueName: "WINDOW"), transform: parseWindow)
    var within: Window?
    @Option(help: "Only this unit or group.") var unit: String?
    @OptionGroup var asOf: AsOfOption
    @OptionGroup var store: StoreOptions
    @OptionGroup var output: ListFormatOption

    func validate() throws {
        if action == .log {
            if send || unit != nil || within != nil || asOf.asOf != nil || [.text, .xlsx].contains(output.format) {
                throw ValidationError("notify log takes --since, --failed, --format table|json|csv|markdown, --db and --plan")
            }
            return
        }
        if since != nil || failed { throw ValidationError("--since and --failed go with notify log") }
        if !send && (dryRun || config != nil) { throw ValidationError("--dry-run and --config go with --send") }
        if send && (unit != nil || within != nil || output.format != .table || output.out != nil) {
            throw ValidationError("--send takes the units, window and format from the channels file; drop --unit, --within, --format and --out")
        }
    }

    func run() throws {
        if action == .log {
            guard let format = OutputFormat(rawValue: output.format.rawValue) else {
                throw ValidationError("notify log takes --format table|json|csv|markdown")
            }
            return try NotifyLog.show(store: store, since: since, failed: failed, format: format)
        }
        if send { return try deliver() }
        try store.opening(.read) { database, stored in
            let plan = stored.plan
            let date = asOf.date
            let window = within ?? Window(count: plan.escalation?.remindBeforeDays ?? 7, workingDays: false)
            let until = SupervisionContext.windowEnd(window, plan: plan, asOf: date)
            let ctx = try SupervisionContext(database: database, plan: plan, planSHA256: stored.planSHA256, asOf: date, unit: unit,
                                             openOnly: true, dueBy: max(date, until)) {
                SupervisionLists.canBeInNotice($0, asOf: date, until: until)
            }
            let liaisons = try SupervisionStore(ctx.database).liaisons(planID: ctx.plan.id, asOf: ctx.asOf)
            let states = try ctx.filter(unit: unit, task: nil)
            let notices = SupervisionLists.notices(plan: ctx.plan, states: states, liaisons: liaisons, asOf: ctx.asOf, until: until)
            let rendering = output.format.rendering
            switch rendering {
            case .json: Console.json(notices)
            case .text: Console.out(notices.map { SupervisionReports.noticeText($0, plan: ctx.plan, asOf: ctx.asOf) }.joined(separator: "\n"))
            case .xlsx, .table:
                let l = output.lang.labels
                var rows: [[String]] = []
                for n in notices {
                    let tagged = n.overdue.map { (l.overdueNow, $0) } + n.due_soon.map { (l.dueSoon, $0) }
                    for (kind, i) in tagged {
                        let what = (i.milestone.map { "[\($0)] " } ?? "") + i.title
                        rows.append([n.unit_name, n.liaison ?? "", n.phone ?? "", kind, i.task.map(String.init) ?? "—",
                                     what, i.due, String(i.days_overdue)])
                    }
                }
                let table = Table(columns: [.init(l.unit), .init(l.liaison), .init(l.phone), .init(l.kind),
                                            .init(l.task.capitalized, .right, kind: .number), .init(l.item, maxWidth: 30),
                                            .init(l.due, kind: .date), .init(l.daysOverdue, .right, kind: .number)], rows: rows)
                guard case .table(let form) = rendering else {
                    return try WorkbookOutput.write([table.sheet(named: "提醒")], to: output.out ?? "")
                }
                if form == .text {
                    Console.out(l.notifyHeading.filling(ctx.asOf).filling(notices.count).filling(window).filling(until) + "\n")
                }
                Console.out(table.render(form))
            }
        }
    }
}

extension Notify {
    /// `--send`: the day is --as-of, else today in Beijing time.
    func deliver() throws {
        try store.opening(dryRun ? .read : .write) { database, stored in
            let path = NotifySending.configPath(config, stored: stored)
            let settings = try NotifySending.readConfig(path: path, stored: stored)
            let summary = try NotifySending.run(database: database, stored: stored, config: settings,
                                                day: asOf.asOf ?? BeijingTime.today(), dryRun: dryRun) { Console.out($0) }
            if summary.failed > 0 { throw CLIError.reported(Exit.deliveryFailed) }
        }
    }
}

struct Escalate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "escalate",
        abstract: "The escalation list: each lagging unit's step on the ladder 提醒 → 函告提醒 → 通报 → 提请追责问责, and why.",
        discussion: """
            Thresholds come from the plan file (escalation:). A recorded step (duban action record) \
            holds until the unit catches up; unrectified past the allowed days, the unit climbs. \
            The coordinator does not escalate against itself: its own open items are listed after \
            the ladder as its own follow-ups (JSON: coordinator_follow_ups). Milestones behind \
            schedule (序时进度) come last, yellow or red.
            Examples:
              duban escalate --as-of 2024-03-01
              duban escalate --unit 各县区人民政府 --format json
            """
    )

    @Option(help: "Only this unit or group (id, name or alias).") var unit: String?
    @OptionGroup var asOf: AsOfOption
    @OptionGroup var store: StoreOptions
    @OptionGroup var output: ListFormatOption

    func run() throws {
        try store.opening(.read) { database, stored in
            let ctx = try SupervisionContext(database: database, plan: stored.plan, planSHA256: stored.planSHA256, asOf: asOf.date,
                                             unit: unit, openOnly: true) { !$0.isDone }
            let l = output.lang.labels
            let window = Window(count: ctx.plan.escalation?.remindBeforeDays ?? 7, workingDays: false)
            let until = ctx.windowEnd(window)
            let states = try ctx.filter(unit: unit, task: nil)
            let lists = SupervisionLists.escalations(plan: ctx.plan, states: states, actions: ctx.actions.map(\.fact),
                                                     asOf: ctx.asOf, dueSoonUntil: until)
            let (rows, own, behind) = (lists.units, lists.coordinatorFollowUps, lists.behindSchedule)
            switch output.format.rendering {
            case .json: lists.streamJSON(to: Console.out(bytes:))
            case .text:
                var out = l.escalateTextHeading.filling(ctx.asOf) + "\n"
                for r in rows { out += "【\(l.level(r.level))】\(r.unit_name):\(r.reason)\n" }
                if let own { out += l.ownText.filling(own.unit_name).filling(own.overdue_items).filling(own.due_soon_items) + "\n" }
                for b in behind {
                    out += "【\(l.schedule)\(b.colour == "red" ? l.red : l.yellow)】\(b.unit_name) \(l.node) \(b.milestone ?? ""):\(b.reason)\n"
                }
                Console.out(out)
            case .xlsx:
                try WorkbookOutput.write([SupervisionReports.ladderTable(rows, colour: false, labels: l).sheet(named: "督办等级"),
                                          SupervisionReports.itemsTable(own?.items ?? [], labels: l).sheet(named: "牵头单位自身待办"),
                                          SupervisionReports.behindTable(behind, colour: false, labels: l).sheet(named: "序时进度滞后")], to: output.out ?? "")
            case .table(let form):
                let colour = form == .text && Terminal.colours
                if form == .text { Console.out(l.escalateHeading.filling(ctx.asOf).filling(rows.count) + "\n") }
                Console.out(SupervisionReports.ladderTable(rows, colour: colour, labels: l).render(form))
                if let own {
                    let heading = l.ownHeading.filling(own.unit_name).filling(own.overdue_items).filling(own.due_soon_items)
                    Console.out(form == .text ? "\n\(heading)\n" : "\n")
                    Console.out(SupervisionReports.itemsTable(own.items, labels: l).render(form))
                }
                if !behind.isEmpty {
                    Console.out(form == .text ? "\n" + l.behindHeading.filling(behind.count) + "\n" : "\n")
                    Console.out(SupervisionReports.behindTable(behind, colour: colour, labels: l).render(form))
                }
            }
        }
    }
}

/// Colour on a terminal only: not when piped, not with NO_COLOR.
enum Terminal {
    static var colours: Bool {
        ProcessInfo.processInfo.environment["NO_COLOR"] == nil && isatty(STDOUT_FILENO) != 0
    }
}
