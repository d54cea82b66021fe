import ArgumentParser
import DubanKit
import Foundation

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Check, load and show a plan.",
        discussion: """
            Examples:
              duban plan check Plans/zhangye-2023-2025
              duban plan load Plans/zhangye-2023-2025
              duban plan show
            """,
        subcommands: [Check.self, Load.self, Show.self, Versions.self]
    )
}

/// Reads and validates a plan folder, printing every finding; throws with exit 65 on errors.
func loadPlanFolder(_ directory: String) throws -> Plan {
    let diagnostics = DiagnosticCollector()
    let plan = PlanLoader.load(directory: directory, diagnostics: diagnostics)
    Console.err(diagnostics.renderAll())
    guard let plan else {
        let missing = diagnostics.errors.count == 1 && diagnostics.errors[0].message == "no plan folder here"
        throw CLIError.reported(missing ? Exit.inputMissing : Exit.dataError)
    }
    return plan
}

extension PlanCommand {
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Validate a plan folder; write nothing.",
            discussion: """
                Reports every problem as FILE:LINE:COLUMN: error: MESSAGE, with the line and a hint.
                Example:
                  duban plan check Plans/zhangye-2023-2025
                """
        )

        @Argument(help: "The plan folder (holding plan.yaml, units.yaml, tasks.yaml).")
        var directory: String

        func run() throws {
            try CommandRunner.run {
                let plan = try loadPlanFolder(directory)
                Console.out("\(directory): OK: \(plan.title): \(plan.categories.count) categories, \(plan.tasks.count) tasks, \(plan.units.count) units, \(plan.milestones.count) milestones\n")
                try PlanCommand.checkNotifications(directory: directory, plan: plan)
            }
        }
    }

    /// The folder's notifications.yaml, when there is one (it is not part of the plan: `plan
    /// load` does not read it; `notify --send` does, each time).
    static func checkNotifications(directory: String, plan: Plan) throws {
        let path = (directory as NSString).appendingPathComponent(NotificationConfigReader.fileName)
        guard FileManager.default.fileExists(atPath: path) else { return }
        let diagnostics = DiagnosticCollector()
        let config = NotificationConfigReader.read(path: path, plan: plan, planDirectory: directory, diagnostics: diagnostics)
        Console.err(diagnostics.renderAll())
        guard let config else { throw CLIError.reported(Exit.dataError) }
        Console.out("\(path): OK: \(config.channels.count) channels\n")
    }

    struct Load: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "load",
            abstract: "Validate a plan folder and store it in the database (one transaction).",
            discussion: """
                Loading the same plan again writes nothing. An edited plan becomes a new version; \
                progress recorded against its tasks is kept.
                Example:
                  duban plan load Plans/zhangye-2023-2025 --db duban.sqlite
                """
        )

        @Argument(help: "The plan folder.")
        var directory: String

        @OptionGroup var store: StoreOptions

        func run() throws {
            try CommandRunner.run {
                let plan = try loadPlanFolder(directory)
                let database = try store.open(.create)
                let outcome = try PlanStore(database).load(plan, sourceDirectory: directory)
                Console.committed("the plan load is done: `duban plan versions` shows what is stored")
                Console.out(PlanLoadReport.text(outcome, plan: plan, database: store.databasePath))
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Show the loaded plan: title, issuer, period and counts.",
            discussion: "Example:\n  duban plan show --format json"
        )

        @OptionGroup var store: StoreOptions
        @OptionGroup var output: FormatOption

        func run() throws {
            try store.opening(.read) { _, stored in
                switch output.format.tableForm {
                case nil: Console.out(JSONOutput.encode(PlanJSON.summary(stored)))
                case .text: Console.out(PlanReports.planText(stored))
                case let form?:
                    let s = PlanJSON.summary(stored)
                    let rows: [[String]] = [["id", s.id], ["title", s.title], ["issuer", s.issuer], ["issued", s.issued],
                                            ["start", s.start], ["end", s.end], ["coordinator", s.coordinator.name],
                                            ["version", String(s.version)], ["categories", String(s.categories)],
                                            ["tasks", String(s.tasks)], ["units", String(s.units)],
                                            ["groups", String(s.groups)], ["milestones", String(s.milestones)]]
                    Console.out(Table(columns: [.init("field"), .init("value")], rows: rows).render(form))
                }
            }
        }
    }

    struct Versions: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "versions",
            abstract: "List the stored versions of the plan and what changed in each.",
            discussion: "Example:\n  duban plan versions"
        )

        @OptionGroup var store: StoreOptions
        @OptionGroup var output: FormatOption

        func run() throws {
            try store.opening(.read) { database, stored in
                let versions = try PlanStore(database).versions(planID: stored.plan.id)
                guard let form = output.format.tableForm else { return Console.out(JSONOutput.encode(versions)) }
                Console.out(Table(columns: [.init("版本", .right), .init("载入时间"), .init("来源"), .init("指纹"), .init("变更", maxWidth: 60)],
                                  rows: versions.map { v in
                                      [String(v.version), v.loadedAt, v.sourceDirectory, v.fingerprint,
                                       v.version == 1 ? "首次载入" : v.changes.map(\.description).joined(separator: "; ")]
                                  }).render(form))
            }
        }
    }
}
