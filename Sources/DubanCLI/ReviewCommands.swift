import ArgumentParser
import DubanKit
import Foundation

extension ReviewDecision: ExpressibleByArgument {}

extension LedgerCommand {
    struct Review: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "review",
            abstract: "Accept or return (退回) a unit's ledger for a period, when the plan reviews ledgers.",
            discussion: """
                Only for plans with `review: required` under `ledgers:` in plan.yaml. The decision is on \
                the current ledger of the unit and period (the last correction). A returned ledger needs \
                a reason; from the day it is returned the period counts as not received: it is owed \
                again and, past its due date, overdue from that original date, until the unit \
                resubmits (dated on or after the return; an unchanged file is taken too). A decision is \
                final; a resubmission is reviewed anew. Refusals exit 65 and write nothing.
                Examples:
                  duban ledger review --unit 甘州区 --period 2024-04 accept
                  duban ledger review --unit 甘州区 --period 2024-04 return --reason "缺少佐证材料" --date 2024-05-08
                """
        )

        @Option(help: "The unit: id, Chinese name or alias.")
        var unit: String
        @Option(help: ArgumentHelp("The reporting period, e.g. 2024-04.", valueName: "PERIOD"))
        var period: String
        @Argument(help: "accept or return.")
        var decision: ReviewDecision
        @Option(help: "Why it is returned (required with return; at most 2,000 characters). The unit sees it.")
        var reason: String?
        @Option(help: ArgumentHelp("The day of the decision (default: today).", valueName: "YYYY-MM-DD"), transform: parseDate)
        var date: LocalDate?
        @Option(help: "Who decides, as the history shows it (default: cli:$USER). The audit log records cli:$USER either way.")
        var by: String?
        @OptionGroup var store: StoreOptions

        func run() throws {
            try store.writing { database, plan in
                let unit = try resolveSingleUnit(self.unit, in: plan)
                let period = try resolvePeriod(self.period, in: plan)
                let day = date ?? today()
                let reviewer = by ?? AccountCommand.actor
                let receipt = try LedgerStore(database).review(plan: plan, .current(unitID: unit.id, period: period.description),
                                                               decision: decision, reason: reason ?? "", on: day, by: reviewer,
                                                               actor: .commandLine)
                let s = receipt.submission
                Console.committed("the decision WAS recorded")
                Console.out("\(unit.name) \(period): ledger #\(s.id) (submitted \(s.submittedOn)) \(decision.label) on \(day)"
                            + (decision == .return ? ": \(reason ?? "")\n  the period counts as not received until the unit resubmits\n" : "\n"))
            }
        }
    }

    struct Reviews: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reviews",
            abstract: "The review queue: ledgers waiting for a decision (待审核), or with --all every decision.",
            discussion: """
                Newest first. --all lists every submission with its review: accepted (已通过), returned \
                (已退回, with the reason), superseded ones with the resubmission that replaced them. \
                JSON fields: submission, unit, unit_name, period, submitted_on, liaison, entries, \
                review (pending|accepted|returned), review_label, decided_on, decided_by, reason, \
                superseded_by.
                Examples:
                  duban ledger reviews
                  duban ledger reviews --all --unit 甘州区 --format json
                """
        )

        @Flag(help: "Every submission and decision, not only the pending ones.")
        var all = false
        @Option(help: "Only this unit.")
        var unit: String?
        @OptionGroup var asOf: AsOfOption
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: SheetFormatOption

        func run() throws {
            try store.reading { database, plan in
                guard LedgerReviewRule.policy(plan) == .required else {
                    throw CLIError.invalidData("plan \(plan.id) does not review ledgers (ledgers.review is none)",
                                               hint: "set `review: required` under `ledgers:` in its plan.yaml and load it again")
                }
                let units = try unit.map { Set([try resolveSingleUnit($0, in: plan).id]) }
                let rows = ReviewReports.rows(plan, submissions: try LedgerStore(database).submissions(plan: plan.id),
                                              asOf: asOf.date, all: all, units: units)
                switch output.format.rendering {
                case .json: Console.out(JSONOutput.encode(ReviewReports.objects(rows, plan: plan)))
                case .xlsx: try WorkbookOutput.write([ReviewReports.table(rows, plan: plan).sheet(named: "台账审核")], to: output.out ?? "")
                case .table(let form):
                    Console.out((form == .text ? "截至 \(asOf.date) " + (all ? "台账审核记录\n" : "待审核台账 \(rows.count) 份\n") : "")
                                + ReviewReports.table(rows, plan: plan).render(form))
                }
            }
        }
    }
}
