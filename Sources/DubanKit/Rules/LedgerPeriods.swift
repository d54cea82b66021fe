/// The one rule for which ledger periods a plan's schedule owes. `ledgers`, `overdue`, `notify`,
/// `escalate`, the digest, `ledger submit` and `ledger template` all ask it.
///
/// A period of the schedule is owed when it overlaps the plan's period (`start … end`) and, with
/// `ledgers.from`, starts on or after that date. A plan starting mid-quarter (2024-01-15) owes
/// its first quarter's ledger (2024-Q1); `from: 2024-04-01` would start with 2024-Q2.
public enum LedgerPeriods {
    /// Every owed period, in order.
    public static func owed(_ plan: Plan) -> [ReportingPeriod] {
        guard let schedule = plan.ledgers else { return [] }
        var periods: [ReportingPeriod] = []
        var p = ReportingPeriod(containing: plan.start, frequency: schedule.every)
        while p.start <= plan.end {
            if isOwed(p, plan: plan) { periods.append(p) }
            p = p.next
        }
        return periods
    }

    /// Whether `period` (of the schedule's frequency) is owed.
    public static func isOwed(_ period: ReportingPeriod, plan: Plan) -> Bool {
        guard let schedule = plan.ledgers, period.frequency == schedule.every else { return false }
        return period.end >= plan.start && period.start <= plan.end && period.start >= (schedule.from ?? .distantPast)
    }

    /// The earliest `ledgers.from` that means anything: the start of the period holding the
    /// plan's first day. An earlier one is refused by `plan check`.
    public static func earliestFrom(every: Frequency, planStart: LocalDate) -> LocalDate {
        ReportingPeriod(containing: planStart, frequency: every).start
    }

    /// "2024-Q1 … 2026-Q4", or "none".
    public static func span(_ plan: Plan) -> String {
        let all = owed(plan)
        guard let first = all.first, let last = all.last else { return "none" }
        return "\(first) … \(last)"
    }
}
