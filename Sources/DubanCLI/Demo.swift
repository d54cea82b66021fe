import ArgumentParser
import DubanKit
import Foundation

/// The README's main command: everything on the bundled plan in one go.
struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Load the bundled Zhangye plan into the default database and show it.",
        discussion: """
            Runs, in order: plan load, plan show, tasks, task 7, tasks --unit 甘州区.
            Example (from the repository's root):
              swift run duban demo
            """
    )

    @Option(help: "The plan folder to load.")
    var plans: String = "Plans/zhangye-2023-2025"

    @OptionGroup var store: StoreOptions

    func run() throws {
        try reportingErrors {
            let plan = try loadPlanFolder(plans)
            let database = try store.open(create: true)
            let outcome = try PlanStore(database).load(plan, sourceDirectory: plans)
            Console.out(PlanLoadReport.text(outcome, plan: plan, database: store.databasePath) + "\n")
            guard let stored = try PlanStore(database).plan(id: plan.id) else {
                throw CLIError.inputMissing("the plan \(plan.id) did not read back from \(store.databasePath)")
            }
            Console.out(PlanReports.planText(stored) + "\n")
            Console.out("== 重点任务 ==\n" + PlanReports.tasksTable(stored.plan.tasks, in: stored.plan).renderText() + "\n")
            if let task = stored.plan.task(number: 7) {
                Console.out("== 任务 7 ==\n" + PlanReports.taskText(task, in: stored.plan) + "\n")
            }
            if let ganzhou = stored.plan.resolve("甘州区") {
                let owed = stored.plan.tasks.filter { TaskQuery.owes(ganzhou, $0, in: stored.plan) }
                Console.out("== 甘州区承担的任务 (\(owed.count)) ==\n" + PlanReports.tasksTable(owed, in: stored.plan).renderText())
            }
        }
    }
}
