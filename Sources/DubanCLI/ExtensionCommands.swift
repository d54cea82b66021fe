import ArgumentParser
import DubanKit
import Foundation

struct ExtensionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "extension",
        abstract: "Extensions (延期) of one unit's deadline: record one, or request, decide and list requests (延期申请).",
        discussion: """
            Examples:
              duban extension record --unit 临泽县 --task 15 --new-due 2025-03-31 --reason 评估范围扩大 --date 2024-12-01
              duban extension request --unit 临泽县 --task 15 --new-due 2025-03-31 --reason 评估范围扩大 --date 2024-12-01
              duban extension decide 3 approve --date 2024-12-02
              duban extension list --state pending --format json
            """,
        subcommands: [Record.self, Request.self, Decide.self, List.self]
    )

    /// Which occurrence an extension dated `date` moves, as `ExtensionRule` decides; its refusal as the CLI's error.
    static func target(_ plan: Plan, extensions: [ExtensionFact], unit: PlanUnit, task: Int, milestone: String?,
                       newDue: LocalDate, date: LocalDate) throws -> ExtensionRule.Target {
        switch ExtensionRule.target(plan: plan, extensions: extensions, unitID: unit.id, task: task, milestone: milestone,
                                    newDue: newDue, on: date) {
        case .success(let t): return t
        case .failure(let r): throw error(r)
        }
    }

    static func error(_ r: ExtensionRule.Refusal) -> CLIError {
        r.usage ? .usage(r.message, hint: r.hint) : .invalidData(r.message, hint: r.hint)
    }

    struct Record: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "record",
            abstract: "Move a unit's due date for a milestone of a task.",
            discussion: """
                The occurrence moved is the first one still open on --date (due then or \
                later, after any extension already granted); one dated after the date due \
                then (the plan's, or the last extension's) is refused (exit 65).
                Example:
                  duban extension record --unit 临泽县 --task 15 --milestone 15.1 --new-due 2025-03-31 --reason 评估范围扩大 --date 2024-12-01
                """
        )

        @Option(help: "The unit.") var unit: String
        @Option(help: "The task number.") var task: Int
        @Option(help: "The milestone id, when the task has several open ones.") var milestone: String?
        @Option(name: .customLong("new-due"), help: ArgumentHelp("The new due date.", valueName: "YYYY-MM-DD"), transform: parseDate)
        var newDue: LocalDate
        @Option(help: "Why it was granted.") var reason: String
        @Option(help: ArgumentHelp("The day it was granted.", valueName: "YYYY-MM-DD"), transform: parseDate) var date: LocalDate
        @OptionGroup var store: StoreOptions

        func run() throws {
            try store.writing { database, plan in
                let unit = try resolveSingleUnit(self.unit, in: plan)
                guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else { throw CLIError.usage("--reason is empty") }
                let supervision = SupervisionStore(database)
                let target = try ExtensionCommand.target(plan, extensions: try supervision.extensions(planID: plan.id).map(\.fact), unit: unit,
                                                         task: task, milestone: milestone, newDue: newDue, date: date)
                let fact = ExtensionFact(unitID: unit.id, milestoneID: target.milestoneID, originalDue: target.originalDue, newDue: newDue, grantedOn: date)
                let id = try supervision.recordExtension(planID: plan.id, fact, reason: reason)
                Console.committed("extension #\(id) WAS recorded: `duban extensions` shows it")
                Console.out("recorded extension #\(id): \(unit.name), milestone \(fact.milestoneID): \(target.originalDue) → \(newDue) (granted \(date))\n")
            }
        }
    }

    struct Request: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "request",
            abstract: "Record a unit's request (延期申请) for a later due date, to be decided by the coordinator.",
            discussion: """
                Made on or before the date due then (the plan's, or the last extension's: a \
                second extension is asked for before the first runs out; after it: refused, \
                exit 65), for the first occurrence still open on --date. Audited as the \
                system user.
                Example:
                  duban extension request --unit 临泽县 --task 15 --new-due 2025-03-31 --reason 评估范围扩大 --date 2024-12-01
                """
        )

        @Option(help: "The unit.") var unit: String
        @Option(help: "The task number.") var task: Int
        @Option(help: "The milestone id, when the task has several open ones.") var milestone: String?
        @Option(name: .customLong("new-due"), help: ArgumentHelp("The due date asked for.", valueName: "YYYY-MM-DD"), transform: parseDate)
        var newDue: LocalDate
        @Option(help: "Why (required, at most 500 characters).") var reason: String
        @Option(help: ArgumentHelp("The day it was asked.", valueName: "YYYY-MM-DD"), transform: parseDate) var date: LocalDate
        @OptionGroup var store: StoreOptions

        func run() throws {
            try store.writing { database, plan in
                let unit = try resolveSingleUnit(self.unit, in: plan)
                let r = try ExtensionCommand.refusing {
                    try ExtensionRequestStore(database).request(plan: plan, unitID: unit.id, task: task, milestone: milestone, due: nil,
                                                                newDue: newDue, reason: reason, on: date, by: .commandLine)
                }
                Console.committed("request #\(r.id) WAS recorded: `duban extension list` shows it")
                Console.out("requested #\(r.id): \(unit.name), milestone \(r.milestoneID): \(r.currentDue) → \(r.newDue) (asked \(date); 待审批)\n")
            }
        }
    }

    enum Verdict: String, ExpressibleByArgument, CaseIterable { case approve, refuse }

    struct Decide: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "decide",
            abstract: "Approve or refuse an extension request; an approval records the extension.",
            discussion: """
                An approval writes the extension (as `extension record` does, granted on \
                --date) in the same transaction as the decision: a request made in time may \
                be approved after the date it moves, not after the date asked for, nor \
                before the request. A refusal needs --reason. A request is decided once.
                Examples:
                  duban extension decide 3 approve --date 2024-12-02
                  duban extension decide 4 refuse --reason 理由不充分 --date 2024-12-02
                """
        )

        @Argument(help: "The request's number (see `duban extension list`).") var id: Int64
        @Argument(help: "approve or refuse.") var decision: Verdict
        @Option(help: "Why (required to refuse).") var reason: String?
        @Option(help: ArgumentHelp("The day it was decided.", valueName: "YYYY-MM-DD"), transform: parseDate) var date: LocalDate
        @OptionGroup var store: StoreOptions

        func run() throws {
            try store.writing { database, plan in
                let decided = try ExtensionCommand.refusing {
                    try ExtensionRequestStore(database).decide(plan: plan, id: id, approve: decision == .approve, reason: reason, on: date,
                                                               by: .commandLine)
                }
                guard let decided, let d = decided.decision else {
                    throw CLIError.usage("no extension request #\(id) in plan \(plan.id)", hint: "see duban extension list")
                }
                Console.committed("decision on request #\(id) WAS recorded: `duban extension list` shows it")
                let unitName = plan.unit(id: decided.unitID)?.name ?? decided.unitID
                Console.out("\(d.approved ? "approved" : "refused") #\(id): \(unitName), milestone \(decided.milestoneID) \(decided.currentDue) → \(decided.newDue)"
                            + (d.extensionID.map { " (extension #\($0))" } ?? "") + "\n")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List extension requests with their state and decision, newest first.",
            discussion: "Example:\n  duban extension list --unit 临泽县 --state pending --format json"
        )

        enum State: String, ExpressibleByArgument, CaseIterable { case pending, approved, refused }

        @Option(help: "Only this unit or group.") var unit: String?
        @Option(help: "Only pending, approved or refused ones.") var state: State?
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: FormatOption

        func run() throws {
            try store.reading { database, plan in
                let units = try unit.map { Set(plan.expand([try resolveUnit($0, in: plan)]).map(\.id)) }
                let requests = try ExtensionRequestStore(database).requests(planID: plan.id, units: units)
                    .filter { state == nil || $0.state.rawValue == state?.rawValue }
                guard let form = output.format.tableForm else {
                    return Console.out(JSONOutput.encode(requests.map { ExtensionRequestJSON($0, plan: plan) }))
                }
                Console.out(Table(columns: [.init("编号", .right), .init("单位"), .init("节点"), .init("原期限"), .init("申请延至"),
                                            .init("申请日"), .init("状态"), .init("理由", maxWidth: 30), .init("审批意见", maxWidth: 30)],
                                  rows: requests.map { r in
                                      [String(r.id), plan.unit(id: r.unitID)?.name ?? r.unitID, r.milestoneID, r.currentDue.description,
                                       r.newDue.description, r.requestedOn.description, ExtensionRequestJSON.label(r.state), r.reason,
                                       r.decision.map { "\($0.decidedOn) \($0.decidedBy)" + ($0.reason.map { " " + $0 } ?? "") } ?? ""]
                                  }).render(form))
            }
        }
    }

    /// Runs a request or decision; its refusals are printed, all of them, and the first is the error.
    static func refusing<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let refused as ExtensionRequestRefused {
            throw CLIError.all(refused.refusals.map(error)) ?? CLIError.invalidData("refused")
        }
    }
}

extension AuditActor {
    /// The command line as the audit log names it: `cli:USER` from `local`.
    static var commandLine: AuditActor { AuditActor(accountID: nil, login: AccountCommand.actor, address: "local") }
}
