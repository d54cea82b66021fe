import ArgumentParser
import DubanKit

struct Tasks: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tasks",
        abstract: "List the plan's tasks, optionally those owed by one unit or in one category.",
        discussion: """
            --unit takes a unit id, Chinese name or alias and matches through groups:
            甘州区 sees every task owed by 各县区人民政府.
            Examples:
              duban tasks
              duban tasks --unit 甘州区 --format json
              duban tasks --category 3 --format markdown
            """
    )

    @Option(help: "A unit or group: id, Chinese name or alias.")
    var unit: String?

    @Option(help: "A category number (1 … 6) or its numeral (一 … 六).")
    var category: String?

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: SheetFormatOption

    func run() throws {
        try store.reading { _, plan in
            var tasks = plan.tasks
            if let unit {
                let ref = try resolveUnit(unit, in: plan)
                tasks = tasks.filter { TaskQuery.owes(ref, $0, in: plan) }
            }
            if let category {
                guard let c = plan.categories.first(where: { String($0.number) == category || $0.numeral == category }) else {
                    throw CLIError.usage("no category \"\(category)\"",
                                         hint: "categories: " + plan.categories.map { "\($0.number) (\($0.numeral)) \($0.title)" }.joined(separator: "; "))
                }
                tasks = tasks.filter { $0.category == c.number }
            }
            switch output.format.rendering {
            case .json: Console.out(JSONOutput.encode(tasks.map { PlanJSON.task($0, in: plan) }))
            case .xlsx: try WorkbookOutput.write([PlanReports.tasksTable(tasks, in: plan).sheet(named: "任务")], to: output.out ?? "")
            case .table(let form): Console.out(PlanReports.tasksTable(tasks, in: plan).render(form))
            }
        }
    }
}

/// Finds a unit or group by what the user typed, with a suggestion when nothing matches.
func resolveUnit(_ text: String, in plan: Plan) throws -> UnitRef {
    if let ref = plan.resolve(text) { return ref }
    let names = plan.units.map(\.name) + plan.groups.map(\.name) + plan.units.map(\.id)
    let near = Suggest.nearest(text, among: names).map { "did you mean \"\($0)\"? " } ?? ""
    throw CLIError.usage("no unit or group \"\(text)\" in plan \(plan.id)", hint: near + "see `duban units`")
}

struct TaskDetail: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "task",
        abstract: "Show one task in full: text, units as written and expanded, milestones with due dates and sources.",
        discussion: """
            Examples:
              duban task 7
              duban task 17 --format json
            """
    )

    @Argument(help: "The task number.")
    var number: Int

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: FormatOption

    func run() throws {
        try store.reading { _, plan in
            guard let task = plan.task(number: number) else {
                throw CLIError.usage("no task \(number) in plan \(plan.id)",
                                     hint: "tasks are numbered \(plan.tasks.first?.number ?? 1) … \(plan.tasks.last?.number ?? 0)")
            }
            switch output.format {
            case .json: Console.out(JSONOutput.encode(PlanJSON.task(task, in: plan)))
            case .table: Console.out(PlanReports.taskText(task, in: plan))
            case .markdown: Console.out(PlanReports.taskMarkdown(task, in: plan))
            case .csv: Console.out(PlanReports.milestonesTable(task.milestones, in: plan).renderCSV())
            }
        }
    }
}

struct Units: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "units",
        abstract: "List the units and the groups with their members.",
        discussion: """
            Examples:
              duban units
              duban units --format csv > units.csv
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: SheetFormatOption

    func run() throws {
        try store.reading { _, plan in
            switch output.format {
            case .json: Console.out(JSONOutput.encode(PlanJSON.units(plan)))
            case .csv: Console.out(PlanReports.unitsTable(plan).renderCSV())
            case .table: Console.out(PlanReports.unitsTable(plan).renderText() + "\n" + PlanReports.groupsTable(plan).renderText())
            case .markdown: Console.out(PlanReports.unitsTable(plan).renderMarkdown() + "\n" + PlanReports.groupsTable(plan).renderMarkdown())
            case .xlsx:
                try WorkbookOutput.write([PlanReports.unitsTable(plan).sheet(named: "单位"), PlanReports.groupsTable(plan).sheet(named: "分组")],
                                         to: output.out ?? "")
            }
        }
    }
}
