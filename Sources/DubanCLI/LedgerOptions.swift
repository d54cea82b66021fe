import ArgumentParser
import DubanKit
import Foundation

/// `--as-of YYYY-MM-DD`, for every command whose answer depends on the date.
struct AsOfOption: ParsableArguments {
    @Option(name: .customLong("as-of"), help: ArgumentHelp("The day to answer for (default: today).", valueName: "YYYY-MM-DD"),
            transform: parseDate)
    var asOf: LocalDate?

    /// The given day, or today in the machine's time zone.
    var date: LocalDate { asOf ?? today() }
}

/// Today in the machine's time zone.
func today() -> LocalDate {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = .current
    let c = calendar.dateComponents([.year, .month, .day], from: Date())
    return LocalDate(year: c.year ?? 1970, month: c.month ?? 1, day: c.day ?? 1) ?? LocalDate(dayNumber: 0)
}

extension TextEncodingChoice: ExpressibleByArgument {}

/// The forms of `ledger template`.
enum TemplateFormat: String, CaseIterable, ExpressibleByArgument {
    case yaml, csv, xlsx
}

/// A unit (not a group) named by id, Chinese name or alias.
func resolveSingleUnit(_ text: String, in plan: Plan) throws -> PlanUnit {
    let ref = try resolveUnit(text, in: plan)
    guard ref.kind == .unit, let unit = plan.unit(id: ref.id) else {
        throw CLIError.usage("\"\(text)\" is a group of units; name one unit",
                             hint: "members: " + (plan.group(id: ref.id)?.members.compactMap { plan.unit(id: $0)?.name }.joined(separator: "、") ?? ""))
    }
    return unit
}

/// A reporting period of the plan's ledger schedule, or a usage error saying which are valid.
func resolvePeriod(_ text: String, in plan: Plan) throws -> ReportingPeriod {
    guard let schedule = plan.ledgers else {
        throw CLIError.usage("plan \(plan.id) has no ledger schedule", hint: "add `ledgers:` to its plan.yaml")
    }
    guard let period = ReportingPeriod(label: text, frequency: schedule.every), LedgerPeriods.isOwed(period, plan: plan) else {
        throw CLIError.usage("\"\(text)\" is not a ledger period of plan \(plan.id)",
                             hint: "ledgers are due \(schedule.every.label); periods: \(LedgerPeriods.span(plan))")
    }
    return period
}
