import ArgumentParser
import DubanKit
import Foundation

struct ProgressCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "progress",
        abstract: "Record a single progress update outside a ledger.",
        discussion: """
            Example:
              duban progress record --unit 甘州区 --task 7 --milestone 7.1 --status 已完成 --date 2024-02-10 --note 电话确认
            """,
        subcommands: [Record.self]
    )
}

extension ProgressStatus: ExpressibleByArgument {
    public init?(argument: String) { self.init(written: argument) }
    public static var allValueStrings: [String] { spellings }
}

extension ProgressCommand {
    struct Record: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "record",
            abstract: "Record one status update by the coordinator, audited like a ledger entry.",
            discussion: """
                For an update that does not come in a ledger, e.g. a milestone confirmed by telephone. \
                The record is appended to history with this command line as its source.
                Examples:
                  duban progress record --unit 甘州区 --task 7 --milestone 7.1 --status 已完成 --date 2024-02-10 --note 电话确认
                  duban progress record --unit linze --task 12 --status in_progress --percent 40 --date 2024-03-01
                  duban progress record --unit 河西镇 --milestone 1.1 --occurrence 2024-Q1 --status 已完成 --date 2024-08-20
                """
        )

        @Option(help: "The unit: id, Chinese name or alias.")
        var unit: String
        @Option(help: "The task number (may be left out when --milestone names the milestone).")
        var task: Int?
        @Option(help: "A milestone id of the task, e.g. 7.1.")
        var milestone: String?
        @Option(help: "未启动, 推进中 or 已完成 (not_started, in_progress, done).")
        var status: ProgressStatus
        @Option(help: "Share done, 0–100.")
        var percent: Int?
        @Option(help: ArgumentHelp("The day the status holds on (for 已完成: the completion date).", valueName: "YYYY-MM-DD"),
                transform: parseDate)
        var date: LocalDate
        @Option(help: "Why, or how it was confirmed.")
        var note: String?
        @Option(help: ArgumentHelp("For 已完成 of a recurring milestone: the earlier occurrence caught up on, e.g. 2024-Q1 (default: the one whose period holds --date).",
                                   valueName: "PERIOD"))
        var occurrence: String?

        @OptionGroup var store: StoreOptions

        func validate() throws {
            if let percent, !(0...100).contains(percent) { throw ValidationError("--percent must be from 0 to 100, found \(percent)") }
        }

        func run() throws {
            try store.writing { database, plan in
                let unit = try resolveSingleUnit(self.unit, in: plan)
                // --milestone alone names its task (or a plan-wide obligation, which has none).
                let task = self.task ?? milestone.flatMap { id in plan.milestones.first { $0.id == id }?.task }
                if let task, plan.task(number: task) == nil {
                    throw CLIError.usage("no task \(task) in plan \(plan.id)",
                                         hint: "tasks are numbered \(plan.tasks.first?.number ?? 1) … \(plan.tasks.last?.number ?? 0)")
                }
                if task == nil && milestone == nil {
                    throw CLIError.usage("name a task (--task N) or a milestone (--milestone M)")
                }
                let user = ProcessInfo.processInfo.environment["USER"].map { " (by \($0))" } ?? ""
                let command = (["duban"] + CommandLine.arguments.dropFirst()).map { $0.contains(" ") ? "\"\($0)\"" : $0 }.joined(separator: " ")
                let update = ProgressUpdate(planID: plan.id, unitID: unit.id, task: task, milestone: milestone, status: status,
                                            percent: percent, date: date, note: note, occurrence: occurrence, source: command + user)
                let problems = update.problems(in: plan)
                if let error = CLIError.all(problems.map { .invalidData($0.message, hint: $0.hint) }) { throw error }
                let id = try LedgerStore(database).record(update)
                Console.committed("record #\(id) WAS recorded: `duban history` shows it")
                Console.out("recorded #\(id): \(unit.name)\(task.map { " task \($0)" } ?? "")\(milestone.map { " milestone \($0)" } ?? "")"
                            + (occurrence.map { " (\($0))" } ?? "") + " \(status.label)"
                            + (percent.map { " \($0)%" } ?? "") + " on \(date)\n")
            }
        }
    }
}
