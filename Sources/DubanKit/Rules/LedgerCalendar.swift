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
    /// The current submission's review on the as-of date (`LedgerReviewRule.state`): nil when the
    /// plan does not review ledgers or nothing came in. `.returned`: the period counts as not received.
    public var review: ReviewState? = nil

    /// The state with its review, as the grid shows it: 已报, 已报(待审核), 未报(已退回)…
    public var label: String {
        guard let review, review != .accepted else { return state.label }
        return "\(state.label)(\(review.label))"
    }
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

    /// When a unit's ledger for a period counts as received on `asOf`, given its submissions in
    /// the order they were recorded, each with the day it was returned (if it was): the date of
    /// the first one submitted by `asOf` after the last one returned by `asOf`, reading them by
    /// their submitted dates (`inSubmittedOrder`: a correction dated before what it corrects
    /// counts from its own date). A correction does not change the date; a return undoes it, so
    /// the period is owed again (and overdue from its original due date) until a resubmission
    /// comes in.
    public static func receivedOn(_ submissions: [(submittedOn: LocalDate, returnedOn: LocalDate?)], asOf: LocalDate) -> LocalDate? {
        var received: LocalDate?
        for s in inSubmittedOrder(submissions, by: { $0.submittedOn }) where s.submittedOn <= asOf {
            if let r = s.returnedOn, r <= asOf {
                received = nil
            } else if received == nil {
                received = s.submittedOn
            }
        }
        return received
    }

    /// The grid for the schedule's units (`owed_by`) and `periods`. A submission counts from
    /// the date written in it (`submitted`), if that is on or before `asOf`, until it is returned.
    public static func grid(_ plan: Plan, submissions: [LedgerSubmission], periods: [ReportingPeriod],
                            asOf: LocalDate) -> [LedgerCell] {
        grid(plan, submissions: submissions, periods: periods, asOf: asOf, reviews: LedgerReviewRule.policy(plan) == .required)
    }

    /// What the grid reads of a submission: a stored one (`LedgerSubmission`) or one made from a
    /// ledger fact (`FactSubmission`, without the stored one's other fields: at country size,
    /// 100,000 of them).
    protocol Submission {
        /// Named in the cell (`LedgerCell.submissionID`).
        var id: Int64 { get }
        var unitID: String { get }
        /// The period's label (`ReportingPeriod.description`).
        var period: String { get }
        var submittedOn: LocalDate { get }
        var receivedAs: LedgerReceivedAs? { get }
        var review: LedgerReview? { get }
    }

    /// `reviews`: whether the submissions carry the reviews (the ledger facts carry only returns).
    static func grid<S: Submission>(_ plan: Plan, submissions: [S], periods: [ReportingPeriod],
                                    asOf: LocalDate, reviews: Bool) -> [LedgerCell] {
        let units = Obligations.ledgerOwners(plan)
        // Each period's due date, once rather than per unit.
        let dues = periods.map { due($0, in: plan) }
        // Each (unit, period) slot's submissions by `asOf`, in the order given, as positions in
        // `submissions` grouped by slot (a counting sort): no array per cell, no copy of a
        // submission (at country size, hundreds of thousands of each).
        var unitSlot: [String: Int] = [:]
        for unit in units where unitSlot[unit.id] == nil { unitSlot[unit.id] = unitSlot.count }
        var periodSlot: [String: Int] = [:]
        for period in periods where periodSlot[period.description] == nil { periodSlot[period.description] = periodSlot.count }
        let slotCount = unitSlot.count * periodSlot.count
        var slotOf = [Int](repeating: -1, count: submissions.count)
        var start = [Int](repeating: 0, count: slotCount + 1)
        for (i, s) in submissions.enumerated() where s.submittedOn <= asOf {
            guard let u = unitSlot[s.unitID], let p = periodSlot[s.period] else { continue }
            let slot = u * periodSlot.count + p
            slotOf[i] = slot
            start[slot + 1] += 1
        }
        for slot in 0..<slotCount { start[slot + 1] += start[slot] }
        var next = start
        var inSlot = [Int](repeating: 0, count: start[slotCount])
        for (i, slot) in slotOf.enumerated() where slot >= 0 {
            inSlot[next[slot]] = i
            next[slot] += 1
        }
        var out: [LedgerCell] = []
        out.reserveCapacity(units.count * periods.count)
        // Each period's slot and each unit's, looked up once rather than per cell.
        let periodSlots = periods.map { periodSlot[$0.description] ?? 0 }
        for unit in units {
            let unitBase = (unitSlot[unit.id] ?? 0) * periodSlot.count
            for (i, period) in periods.enumerated() {
                let due = dues[i]
                let slot = unitBase + periodSlots[i]
                let subs = inSlot[start[slot]..<start[slot + 1]]
                let last = subs.last.map { submissions[$0] }
                let state: LedgerState
                let received = receivedOn(subs.map { i in
                    (submissions[i].submittedOn, LedgerReviewRule.returnedOn(submissions[i].review))
                }, asOf: asOf)
                if let received {
                    state = received <= due ? .submitted : .late
                } else if asOf > due {
                    state = .missing
                } else if asOf > period.end {
                    state = .pending
                } else {
                    state = .open
                }
                var review = last.flatMap { LedgerReviewRule.state(plan, submittedOn: $0.submittedOn, review: $0.review, asOf: asOf) }
                if !reviews, review != .returned { review = nil }
                out.append(LedgerCell(unitID: unit.id, period: period, due: due, state: state,
                                      submittedOn: received, submissionID: last?.id,
                                      receivedAs: last?.receivedAs, review: review))
            }
        }
        return out
    }
}

extension LedgerSubmission: LedgerCalendar.Submission {}
