/// Whether a unit's ledger for a period came in, and on time.
public enum LedgerState: String, Codable, CaseIterable, Sendable {
    /// Submitted by the due date.
    case submitted
    /// Submitted after the due date.
    case late
    /// The due date has passed and nothing came in.
    case missing
    /// The period has ended; the ledger is not yet due.
    case pending
    /// The period has not ended yet.
    case open

    public var label: String {
        switch self {
        case .submitted: return "已报"
        case .late: return "迟报"
        case .missing: return "未报"
        case .pending: return "待报"
        case .open: return "未到期"
        }
    }
}

/// One cell of the units × periods grid.
public struct LedgerCell: Equatable, Sendable {
    public var unitID: String
    public var period: ReportingPeriod
    public var due: LocalDate
    public var state: LedgerState
    /// The submission date of the first ledger for the period (a correction does not change it).
    public var submittedOn: LocalDate?
    /// The current submission (the last correction), if any.
    public var submissionID: Int64?
    /// How the current submission came in (yaml, csv, xlsx, form), where it was read.
    public var receivedAs: LedgerReceivedAs? = nil
}

/// The ledger schedule as of a date: which unit owes which period's ledger, and its state.
public enum LedgerCalendar {
    /// Every owed period (`LedgerPeriods`) that has started by `asOf`.
    public static func periods(_ plan: Plan, asOf: LocalDate) -> [ReportingPeriod] {
        LedgerPeriods.owed(plan).filter { $0.start <= asOf }
    }

    public static func due(_ period: ReportingPeriod, in plan: Plan) -> LocalDate {
        period.end.adding(days: plan.ledgers?.dueAfterDays ?? 0)
    }

    /// The grid for the schedule's units (`owed_by`) and `periods`. A submission counts from
    /// the date written in it (`submitted`), if that is on or before `asOf`.
    public static func grid(_ plan: Plan, submissions: [LedgerSubmission], periods: [ReportingPeriod],
                            asOf: LocalDate) -> [LedgerCell] {
        struct UnitPeriod: Hashable { var unit: String; var period: String }
        let units = plan.expand(plan.ledgers?.owedBy ?? [])
        var byKey: [UnitPeriod: [LedgerSubmission]] = [:]
        for s in submissions where s.submittedOn <= asOf { byKey[UnitPeriod(unit: s.unitID, period: s.period), default: []].append(s) }
        // Each period's label and due date, once rather than per unit.
        let labels = periods.map(\.description)
        let dues = periods.map { due($0, in: plan) }
        var out: [LedgerCell] = []
        out.reserveCapacity(units.count * periods.count)
        for unit in units {
            for (i, period) in periods.enumerated() {
                let due = dues[i]
                let subs = byKey[UnitPeriod(unit: unit.id, period: labels[i])] ?? []
                let state: LedgerState
                if let first = subs.first {
                    state = first.submittedOn <= due ? .submitted : .late
                } else if asOf > due {
                    state = .missing
                } else if asOf > period.end {
                    state = .pending
                } else {
                    state = .open
                }
                out.append(LedgerCell(unitID: unit.id, period: period, due: due, state: state,
                                      submittedOn: subs.first?.submittedOn, submissionID: subs.last?.id,
                                      receivedAs: subs.last?.receivedAs))
            }
        }
        return out
    }
}
