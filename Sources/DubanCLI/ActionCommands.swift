import ArgumentParser
import DubanKit
import Foundation

extension EscalationLevel: ExpressibleByArgument {
    public init?(argument: String) { self.init(keyword: argument) }
    /// The names `--level` takes, for its error message (the default would list the raw values 0…4).
    public static var allValueStrings: [String] { [EscalationLevel.letter, .circular, .referral].map(\.keyword) }
}

struct ActionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "action",
        abstract: "Record a step taken against a lagging unit: a letter (函告提醒), a circular (通报), a referral (提请追责问责).",
        discussion: """
            Examples:
              duban action record --unit 甘州区 --level letter --date 2024-01-10 --ref 张司函〔2024〕3号
              duban actions
            """,
        subcommands: [Record.self]
    )

    struct Record: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "record",
            abstract: "Record that a step was taken.",
            discussion: """
                The ladder moves from there: a unit that catches up within the allowed days drops \
                off; one that does not climbs to the next step.
                Example:
                  duban action record --unit 甘州区 --level circular --date 2024-02-01 --task 7 --note 全市通报
                """
        )

        @Option(help: "The unit (id, name or alias).") var unit: String
        @Option(help: "letter (函告提醒), circular (通报) or referral (提请追责问责).") var level: EscalationLevel
        @Option(help: ArgumentHelp("The day it was taken.", valueName: "YYYY-MM-DD"), transform: parseDate) var date: LocalDate
        @Option(help: "The task it concerns, if one.") var task: Int?
        @Option(help: "The document number (文号), or `next` for the next of the plan's 机关代字 this year (letters.code).")
        var ref: String?
        @Option(help: "A note.") var note: String?
        @OptionGroup var store: StoreOptions

        func validate() throws {
            guard [.letter, .circular, .referral].contains(level) else {
                throw ValidationError("--level takes letter, circular or referral")
            }
        }

        func run() throws {
            try store.writing { database, plan in
                let unit = try resolveSingleUnit(self.unit, in: plan)
                let problems = ActionRule.problems(plan: plan, level: level, date: date, task: task, ref: ref)
                if let error = CLIError.all(problems.map { $0.usage ? .usage($0.message, hint: $0.hint) : .invalidData($0.message, hint: $0.hint) }) {
                    throw error
                }
                let code = plan.letters?.code
                let id: Int64
                let ref: String?
                do {
                    (id, ref) = try SupervisionStore(database).recordAction(
                        planID: plan.id, unitID: unit.id, level: level, takenOn: date, task: task,
                        reference: self.ref == "next" ? nil : self.ref, nextNumberCode: self.ref == "next" ? code : nil,
                        planCode: code, note: note)
                } catch let taken as DocumentNumberTaken {
                    throw CLIError.invalidData("\(taken.reference) was already taken by action #\(taken.actionID)",
                                               hint: "use --ref next for the next free number")
                }
                Console.committed("action #\(id) WAS recorded: `duban actions` shows it")
                Console.out("recorded action #\(id): \(level.label) → \(unit.name) on \(date)\(task.map { ", task \($0)" } ?? "")\(ref.map { " (\($0))" } ?? "")\n")
            }
        }
    }
}

struct Actions: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "actions",
        abstract: "List the steps recorded (letters, circulars, referrals), oldest first.",
        discussion: "Example:\n  duban actions --unit 甘州区 --format json"
    )

    @Option(help: "Only this unit.") var unit: String?
    @OptionGroup var store: StoreOptions
    @OptionGroup var output: FormatOption

    func run() throws {
        try store.reading { database, plan in
            var actions = try SupervisionStore(database).actions(planID: plan.id)
            if let unit {
                let ids = Set(plan.expand([try resolveUnit(unit, in: plan)]).map(\.id))
                actions = actions.filter { ids.contains($0.unitID) }
            }
            struct Row: JSONObject {
                var id: Int64, unit: String, unit_name: String, level: String, level_label: String, date: String
                var task: Int?, ref: String?, note: String?, recorded_at: String
            }
            let rows = actions.map { a in
                Row(id: a.id, unit: a.unitID, unit_name: plan.unit(id: a.unitID)?.name ?? a.unitID, level: a.level.keyword,
                    level_label: a.level.label, date: a.takenOn.description, task: a.task, ref: a.reference, note: a.note,
                    recorded_at: a.recordedAt)
            }
            guard let form = output.format.tableForm else { return Console.out(JSONOutput.encode(rows)) }
            Console.out(Table(columns: [.init("编号", .right), .init("日期"), .init("单位"), .init("措施"), .init("任务", .right),
                                        .init("文号"), .init("说明", maxWidth: 40)],
                              rows: rows.map { [String($0.id), $0.date, $0.unit_name, $0.level_label, $0.task.map(String.init) ?? "",
                                                $0.ref ?? "", $0.note ?? ""] }).render(form))
        }
    }
}
