import ArgumentParser
import DubanKit
import Foundation

/// The forms of the supervision lists.
enum ListFormat: String, CaseIterable, ExpressibleByArgument {
    case table, json, csv, markdown, text, xlsx

    /// The table rendering of this format (text lists are written by each command).
    var tableFormat: OutputFormat { OutputFormat(rawValue: rawValue) ?? .table }
}

struct ListFormatOption: ParsableArguments {
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
    var facts: Facts
    var actions: [ActionRecord]
    var asOf: LocalDate
    var states: [ItemState]

    /// With `unit` (a unit or group), only its units' facts are read and states computed: a
    /// liaison's `--unit` costs one unit's work, not the whole plan's. With `including`, only the
    /// states the command can show are kept (`overdue` the overdue ones, `notify` and `escalate`
    /// the open ones): at country size most of the millions of items are done.
    init(store: StoreOptions, asOf: LocalDate, unit: String? = nil, including: (@Sendable (ItemState) -> Bool)? = nil) throws {
        database = try store.open(.read)
        let plan = try store.storedPlan(in: database).plan
        self.plan = plan
        let units = try unit.map { Set(plan.expand([try resolveUnit($0, in: plan)]).map(\.id)) }
        let snapshot = try SupervisionSnapshot(database: database, plan: plan, asOf: asOf, units: units, including: including)
        facts = snapshot.facts
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
    func windowEnd(_ window: Window) -> LocalDate {
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
            Sorted by days overdue, then unit. An item is done when a record known on or before
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
        try reportingErrors {
            let date = asOf.date
            let ctx = try SupervisionContext(store: store, asOf: date, unit: unit) { $0.isOverdue(asOf: date) }
            let items = SupervisionReports.overdue(try ctx.filter(unit: unit, task: task), plan: ctx.plan, asOf: ctx.asOf)
                .map { SupervisionJSON.item($0, plan: ctx.plan, asOf: ctx.asOf) }
            switch output.format {
            case .json: Console.out(JSONOutput.encode(items))
            case .text:
                Console.out("截至 \(ctx.asOf),逾期事项 \(items.count) 项:\n" + items.enumerated().map { "\($0 + 1). \($1.unit_name):\($1.reason)\n" }.joined())
            case .xlsx: try WorkbookOutput.write([SupervisionReports.itemsTable(items).sheet(named: "逾期事项")], to: output.out ?? "")
            case .table, .csv, .markdown:
                let table = SupervisionReports.itemsTable(items)
                if output.format == .table { Console.out("截至 \(ctx.asOf),逾期事项 \(items.count) 项\n") }
                Console.out(table.render(output.format.tableFormat))
            }
        }
    }
}

struct Notify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notify",
        abstract: "The reminder list: per unit, what falls due within the window and what is already late.",
        discussion: """
            The window defaults to the plan's escalation.remind_before_days; 5wd counts working
            days on the plan's holiday calendar (调休 included).
            Examples:
              duban notify --as-of 2024-09-27 --within 5wd
              duban notify --format text > reminders.txt
              duban notify --format csv > mail-merge.csv
            """
    )

    @Option(help: ArgumentHelp("Look-ahead: N days, Nd, or Nwd working days.", valueName: "WINDOW"), transform: parseWindow)
    var within: Window?
    @Option(help: "Only this unit or group.") var unit: String?
    @OptionGroup var asOf: AsOfOption
    @OptionGroup var store: StoreOptions
    @OptionGroup var output: ListFormatOption

    func run() throws {
        try reportingErrors {
            let ctx = try SupervisionContext(store: store, asOf: asOf.date, unit: unit) { !$0.isDone }
            let window = within ?? Window(count: ctx.plan.escalation?.remindBeforeDays ?? 7, workingDays: false)
            let until = ctx.windowEnd(window)
            let liaisons = try SupervisionStore(ctx.database).liaisons(planID: ctx.plan.id, asOf: ctx.asOf)
            let states = try ctx.filter(unit: unit, task: nil)
            var notices: [SupervisionJSON.Notice] = []
            let byUnit = Dictionary(grouping: states, by: \.item.unitID)
            let rank = SupervisionReports.unitRank(ctx.plan)
            for u in ctx.plan.units {
                guard let mine = byUnit[u.id] else { continue }
                let soon = mine.filter { !$0.isDone && $0.due >= ctx.asOf && $0.due <= until }.sorted { $0.due < $1.due }
                let late = SupervisionReports.overdue(mine, rank: rank, asOf: ctx.asOf)
                guard !soon.isEmpty || !late.isEmpty else { continue }
                let liaison = u.liaison ?? liaisons[u.id]
                notices.append(SupervisionJSON.Notice(unit: u.id, unit_name: u.name, liaison: liaison?.name, phone: liaison?.phone,
                                     due_until: until.description,
                                     due_soon: soon.map { SupervisionJSON.item($0, plan: ctx.plan, asOf: ctx.asOf) },
                                     overdue: late.map { SupervisionJSON.item($0, plan: ctx.plan, asOf: ctx.asOf) },
                                     own: u.id == ctx.plan.coordinator))
            }
            switch output.format {
            case .json: Console.out(JSONOutput.encode(notices))
            case .text: Console.out(notices.map { SupervisionReports.noticeText($0, plan: ctx.plan, asOf: ctx.asOf) }.joined(separator: "\n"))
            case .table, .csv, .markdown, .xlsx:
                var rows: [[String]] = []
                for n in notices {
                    let tagged = n.overdue.map { ("已逾期", $0) } + n.due_soon.map { ("即将到期", $0) }
                    for (kind, i) in tagged {
                        let what = (i.milestone.map { "[\($0)] " } ?? "") + i.title
                        rows.append([n.unit_name, n.liaison ?? "", n.phone ?? "", kind, i.task.map(String.init) ?? "—",
                                     what, i.due, String(i.days_overdue)])
                    }
                }
                let table = Table(columns: [.init("单位"), .init("联络员"), .init("电话"), .init("类别"), .init("任务", .right, kind: .number),
                                            .init("事项", maxWidth: 30), .init("期限", kind: .date),
                                            .init("逾期天数", .right, kind: .number)], rows: rows)
                if output.format == .xlsx { return try WorkbookOutput.write([table.sheet(named: "提醒")], to: output.out ?? "") }
                if output.format == .table { Console.out("截至 \(ctx.asOf),提醒 \(notices.count) 个单位(窗口 \(window),至 \(until))\n") }
                Console.out(table.render(output.format.tableFormat))
            }
        }
    }
}

struct Escalate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "escalate",
        abstract: "The escalation list: each lagging unit's step on the ladder 提醒 → 函告提醒 → 通报 → 提请追责问责, and why.",
        discussion: """
            Thresholds come from the plan file (escalation:). A recorded step (duban action record)
            holds until the unit catches up; unrectified past the allowed days, the unit climbs.
            The coordinator does not escalate against itself: its own open items are listed after
            the ladder as its own follow-ups (JSON: coordinator_follow_ups). Milestones behind
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
        try reportingErrors {
            let ctx = try SupervisionContext(store: store, asOf: asOf.date, unit: unit) { !$0.isDone }
            let window = Window(count: ctx.plan.escalation?.remindBeforeDays ?? 7, workingDays: false)
            let until = ctx.windowEnd(window)
            let states = try ctx.filter(unit: unit, task: nil)
            let ladder = Ladder.evaluate(plan: ctx.plan, states: states, actions: ctx.actions.map(\.fact), asOf: ctx.asOf,
                                         dueSoonUntil: until)
            let rows = ladder.map { SupervisionJSON.escalation($0, plan: ctx.plan, asOf: ctx.asOf) }
            let own = Ladder.ownFollowUps(plan: ctx.plan, states: states, asOf: ctx.asOf, dueSoonUntil: until)
                .map { SupervisionJSON.followUps($0, plan: ctx.plan, asOf: ctx.asOf) }
            let behind = BehindSchedule.find(plan: ctx.plan, states: states, asOf: ctx.asOf)
                .map { SupervisionJSON.behind($0, plan: ctx.plan) }
            switch output.format {
            case .json:
                struct Out: JSONObject, JSONValueConvertible {
                    var as_of: String; var units: [SupervisionJSON.Escalation]; var coordinator_follow_ups: SupervisionJSON.FollowUps?
                    var behind_schedule: [SupervisionJSON.Behind]
                    var jsonValue: JSONValue {
                        .object([("as_of", .string(as_of)), ("units", units.jsonValue),
                                 ("coordinator_follow_ups", coordinator_follow_ups?.jsonValue ?? .null),
                                 ("behind_schedule", behind_schedule.jsonValue)])
                    }
                }
                Console.out(JSONOutput.encode(Out(as_of: ctx.asOf.description, units: rows, coordinator_follow_ups: own,
                                                  behind_schedule: behind)))
            case .text:
                var out = "截至 \(ctx.asOf) 督办等级:\n"
                for r in rows { out += "【\(r.level_label)】\(r.unit_name):\(r.reason)\n" }
                if let own { out += "【自身待办】\(own.unit_name)(牵头单位,不列入督办):\(Self.ownSummary(own))\n" }
                for b in behind { out += "【序时进度\(b.colour == "red" ? "红" : "黄")】\(b.unit_name) 节点 \(b.milestone ?? ""):\(b.reason)\n" }
                Console.out(out)
            case .xlsx:
                try WorkbookOutput.write([Self.ladderTable(rows, colour: false).sheet(named: "督办等级"),
                                          SupervisionReports.itemsTable(own?.items ?? []).sheet(named: "牵头单位自身待办"),
                                          Self.behindTable(behind, colour: false).sheet(named: "序时进度滞后")], to: output.out ?? "")
            case .table, .csv, .markdown:
                let format = output.format.tableFormat
                let colour = output.format == .table && Terminal.colours
                if output.format == .table { Console.out("截至 \(ctx.asOf),督办单位 \(rows.count) 个\n") }
                Console.out(Self.ladderTable(rows, colour: colour).render(format))
                if let own {
                    Console.out(output.format == .table ? "\n牵头单位自身待办(不列入督办):\(own.unit_name),\(Self.ownSummary(own))\n" : "\n")
                    Console.out(SupervisionReports.itemsTable(own.items).render(format))
                }
                if !behind.isEmpty {
                    Console.out(output.format == .table ? "\n序时进度滞后 \(behind.count) 项\n" : "\n")
                    Console.out(Self.behindTable(behind, colour: colour).render(format))
                }
            }
        }
    }

    static func ownSummary(_ own: SupervisionJSON.FollowUps) -> String {
        "逾期 \(own.overdue_items) 项,即将到期 \(own.due_soon_items) 项"
    }

    static func ladderTable(_ rows: [SupervisionJSON.Escalation], colour: Bool) -> Table {
        Table(columns: [.init("等级"), .init("单位"), .init("逾期", .right, kind: .number), .init("最长逾期天数", .right, kind: .number),
                        .init("已采取"), .init("原因", maxWidth: 60)],
              rows: rows.map { r -> [String] in
                  let level = colour ? Terminal.paint(r.level_label, r.colour) : r.level_label
                  var taken = ""
                  if let a = r.last_action, let l = EscalationLevel(keyword: a) { taken = "\(l.label) \(r.last_action_on ?? "")" }
                  return [level, r.unit_name, String(r.overdue_items), String(r.days_overdue), taken, r.reason]
              })
    }

    static func behindTable(_ behind: [SupervisionJSON.Behind], colour: Bool) -> Table {
        Table(columns: [.init("序时进度"), .init("单位"), .init("节点"), .init("期限", kind: .date),
                        .init("已过时间", .right, kind: .percent), .init("完成", .right, kind: .percent)],
              rows: behind.map { b -> [String] in
                  let name = b.colour == "red" ? "红" : "黄"
                  return [colour ? Terminal.paint(name, b.colour) : name, b.unit_name, b.milestone ?? "", b.due,
                          "\(b.elapsed)%", "\(b.percent)%"]
              })
    }
}

/// Colour on a terminal only: not when piped, not with NO_COLOR.
enum Terminal {
    static var colours: Bool {
        ProcessInfo.processInfo.environment["NO_COLOR"] == nil && isatty(STDOUT_FILENO) != 0
    }

    static func paint(_ text: String, _ colour: String) -> String {
        let code: String
        switch colour {
        case "blue": code = "34"
        case "yellow": code = "33"
        case "orange": code = "38;5;208"
        case "red": code = "31"
        default: return text
        }
        return "\u{1B}[\(code)m\(text)\u{1B}[0m"
    }
}
