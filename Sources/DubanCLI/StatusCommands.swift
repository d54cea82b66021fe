import ArgumentParser
import DubanKit
import Foundation

struct History: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Every recorded progress change, newest first, with its source and when it was recorded.",
        discussion: """
            History is append-only: a corrected ledger's earlier records stay, marked 已被 #N 更正. \
            --since compares the day a record was recorded.
            Examples:
              duban history --unit 甘州区 --task 7
              duban history --since 2024-03-01 --format json
            """
    )

    @Option(help: "Only this unit: id, Chinese name or alias.")
    var unit: String?
    @Option(help: "Only this task number.")
    var task: Int?
    @Option(help: ArgumentHelp("Only records recorded on or after this day.", valueName: "YYYY-MM-DD"), transform: parseDate)
    var since: LocalDate?

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: FormatOption

    func run() throws {
        try store.reading { database, plan in
            let unitID = try unit.map { try resolveSingleUnit($0, in: plan).id }
            // Written as read: at country size the records (9.5 million) do not fit in memory.
            // Once the output has failed, reading stops (`Duban.finish` reports the failure).
            do {
                try LedgerStore(database).history(plan: plan.id, unit: unitID, task: task, since: since,
                                                  lists: output.format == .json) { records in
                    try LedgerReports.writeHistory(output.format, plan: plan, records: { each in
                        try withoutActuallyEscaping(each) { each in try records { try Console.stopIfOutputFailed(); try each($0) } }
                    }, to: Console.out(bytes:))
                }
            } catch is Console.OutputFailed {
                return
            }
            // Extensions change due dates: the table shows them too, with both dates (JSON: `duban extensions`).
            guard let form = output.format.tableForm, form != .csv else { return }
            let extensions = try ExtensionList.records(database: database, plan: plan, unitID: unitID, task: task, since: since)
            if !extensions.isEmpty {
                Console.out("\n延期记录 extensions\n" + ExtensionList.table(extensions, plan: plan).render(form))
            }
        }
    }
}

struct Extensions: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extensions",
        abstract: "List the extensions (延期) granted, newest first, with the original and the new due date.",
        discussion: """
            Examples:
              duban extensions
              duban extensions --unit 临泽县 --format json
            """
    )

    @Option(help: "Only this unit: id, Chinese name or alias.") var unit: String?
    @Option(help: "Only this task number.") var task: Int?
    @OptionGroup var store: StoreOptions
    @OptionGroup var output: FormatOption

    func run() throws {
        try store.reading { database, plan in
            let unitID = try unit.map { try resolveSingleUnit($0, in: plan).id }
            let records = try ExtensionList.records(database: database, plan: plan, unitID: unitID, task: task, since: nil)
            guard let form = output.format.tableForm else {
                return Console.out(JSONOutput.encode(records.map { ExtensionList.object($0, plan: plan) }))
            }
            Console.out(ExtensionList.table(records, plan: plan).render(form))
        }
    }
}

/// Reading and showing recorded extensions.
enum ExtensionList {
    struct Object: JSONObject {
        var id: Int64, unit: String, unit_name: String, task: Int?, milestone: String
        var original_due: String, new_due: String, granted_on: String, reason: String, recorded_at: String
    }

    static func records(database: DubanDatabase, plan: Plan, unitID: String?, task: Int?, since: LocalDate?) throws -> [ExtensionRecord] {
        try SupervisionStore(database).extensions(planID: plan.id).filter { r in
            (unitID == nil || r.fact.unitID == unitID)
                && (task == nil || plan.milestones.first { $0.id == r.fact.milestoneID }?.task == task)
                && (since.map { r.recordedAt >= $0.description } ?? true)
        }.reversed()
    }

    static func object(_ r: ExtensionRecord, plan: Plan) -> Object {
        Object(id: r.id, unit: r.fact.unitID, unit_name: plan.unit(id: r.fact.unitID)?.name ?? r.fact.unitID,
               task: plan.milestones.first { $0.id == r.fact.milestoneID }?.task, milestone: r.fact.milestoneID,
               original_due: r.fact.originalDue.description, new_due: r.fact.newDue.description,
               granted_on: r.fact.grantedOn.description, reason: r.reason, recorded_at: r.recordedAt)
    }

    static func table(_ records: [ExtensionRecord], plan: Plan) -> Table {
        Table(columns: [.init("#", .right), .init("录入时间"), .init("单位"), .init("节点"), .init("原期限"), .init("新期限"),
                        .init("批准日期"), .init("原因", maxWidth: 40)],
              rows: records.map { r in
                  [String(r.id), r.recordedAt, plan.unit(id: r.fact.unitID)?.name ?? r.fact.unitID, r.fact.milestoneID,
                   r.fact.originalDue.description, r.fact.newDue.description, r.fact.grantedOn.description, r.reason]
              })
    }
}

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "The status of each unit × task as of a day: the latest record on or before it.",
        discussion: """
            Without --unit: a units × tasks matrix (✓ done, NN% in progress, ○ not started, · no record). \
            With --unit: that unit's tasks with status, percent, date and progress. \
            JSON gives one object per unit and task: unit, unit_name, task, status, percent, reported_on, ….
            Examples:
              duban status --as-of 2024-03-31
              duban status --unit 甘州区 --format json
            """
    )

    @Option(help: "Only this unit: id, Chinese name or alias.")
    var unit: String?

    @OptionGroup var asOf: AsOfOption
    @OptionGroup var store: StoreOptions
    @OptionGroup var output: SheetFormatOption

    func run() throws {
        try store.reading { database, plan in
            // With --unit, only that unit's cells are read (at country size the whole matrix is 75,000).
            let unitID = try unit.map { try resolveSingleUnit($0, in: plan).id }
            let stored = try LedgerStore(database).statusMatrix(plan: plan.id, asOf: asOf.date, unit: unitID)
            let order = Dictionary(plan.units.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
            // In the plan's unit order, then by task: each cell's rank looked up once, positions
            // sorted (ties in the order read, as a stable sort of the cells would leave them).
            let rank = stored.map { (order[$0.unit] ?? 0, $0.task) }
            let cells = stored.indices.sorted { (rank[$0].0, rank[$0].1, $0) < (rank[$1].0, rank[$1].1, $1) }.map { stored[$0] }
            if unitID != nil {
                let table = LedgerReports.unitStatusTable(cells, plan: plan)
                switch output.format.rendering {
                case .json: Console.json(LedgerReports.statusObjects(cells, plan: plan))
                case .xlsx: try WorkbookOutput.write([table.sheet(named: "任务进展")], to: output.out ?? "")
                case .table(let form): Console.out(table.render(form))
                }
                return
            }
            switch output.format.rendering {
            case .json: Console.json(LedgerReports.statusObjects(cells, plan: plan))
            case .table(.text):
                Console.out("截至 \(asOf.date) 各单位任务进展\n" + LedgerReports.statusMatrix(cells, plan: plan).renderText()
                            + LedgerReports.legend + "\n")
            case .xlsx: try WorkbookOutput.write([LedgerReports.statusMatrix(cells, plan: plan).sheet(named: "任务进展")], to: output.out ?? "")
            case .table(let form): Console.out(LedgerReports.statusMatrix(cells, plan: plan).render(form))
            }
        }
    }
}

struct Ledgers: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledgers",
        abstract: "Which unit has submitted which period's ledger: 已报, 迟报 (late), 未报 (missing), 待报, 未到期.",
        discussion: """
            A ledger is due dueAfterDays after its period ends (plan.yaml `ledgers:`); it is late when \
            the date written in it (`submitted`) is after that. Units are the schedule's `owed_by`.
            Examples:
              duban ledgers --as-of 2024-04-10
              duban ledgers --period 2024-02 --format json
            """
    )

    @Option(help: ArgumentHelp("Only this period, e.g. 2024-02.", valueName: "PERIOD"))
    var period: String?

    @OptionGroup var asOf: AsOfOption
    @OptionGroup var store: StoreOptions
    @OptionGroup var output: SheetFormatOption

    func run() throws {
        try store.reading { database, plan in
            let today = asOf.date
            let periods = try period.map { [try resolvePeriod($0, in: plan)] } ?? LedgerCalendar.periods(plan, asOf: today)
            let cells = LedgerCalendar.grid(plan, submissions: try LedgerStore(database).submissions(plan: plan.id),
                                            periods: periods, asOf: today)
            let table = { period == nil ? LedgerReports.ledgerGrid(cells, plan: plan) : LedgerReports.ledgerPeriodTable(cells, plan: plan) }
            switch output.format.rendering {
            case .json: Console.json(LedgerReports.ledgerObjects(cells, plan: plan))
            case .xlsx: try WorkbookOutput.write([table().sheet(named: "台账报送")], to: output.out ?? "")
            case .table(let form): Console.out((form == .text ? "截至 \(today) 台账报送情况\n" : "") + table().render(form))
            }
        }
    }
}
