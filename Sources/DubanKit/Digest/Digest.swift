/// The weekly digest (周报): where the plan stands on an as-of date, what changed in the week
/// before it, and who is behind. Computed by `DigestBuilder`; rendered by the `Digest…Renderer`s.
/// Encodes to the documented JSON schema (docs/digest.md) with snake_case keys.
public struct Digest: Equatable, Sendable, Encodable, JSONObject {
    public var planID: String
    public var planTitle: String
    public var coordinator: String
    public var planStart: LocalDate
    public var planEnd: LocalDate
    public var asOf: LocalDate
    /// The ISO week holding `asOf`.
    public var week: String
    /// The first day of the week reported on: `asOf` − 6.
    public var weekStart: LocalDate
    /// The date the previous week's figures are computed for: `asOf` − 7.
    public var previousAsOf: LocalDate
    public var headline: DigestHeadline
    public var previous: DigestHeadline
    public var taskStatus: DigestTaskStatus
    public var categories: [DigestCategory]
    public var changes: DigestChanges
    public var overdue: [DigestItemGroup]
    public var escalations: [DigestEscalation]
    public var behindSchedule: Int
    public var missingLedgers: [DigestMissingLedgers]
    public var units: [DigestUnitRow]
    /// The look-ahead window of `upcoming`, in days.
    public var upcomingDays: Int
    public var upcoming: [DigestItemGroup]
    public var burnUp: [DigestBurnPoint]
}

/// The figures at the top, for one as-of date.
public struct DigestHeadline: Equatable, Sendable, Encodable, JSONObject {
    /// Milestone items: one per owing unit and per occurrence of each milestone.
    public var milestonesTotal: Int
    /// Due on or before the as-of date.
    public var milestonesDue: Int
    /// Done by the as-of date (including ahead of their due date).
    public var milestonesDone: Int
    /// Not done, not overdue, not behind schedule.
    public var milestonesOnTrack: Int
    /// Not done and not overdue, but their reported percent trails the elapsed time (序时进度).
    public var milestonesBehind: Int
    public var milestonesOverdue: Int
    /// Ledgers past their due date and not submitted (every period so far).
    public var ledgersOverdue: Int
    /// The latest ledger period that has ended by the as-of date, if any.
    public var ledgerPeriod: String?
    public var ledgerPeriodDue: LocalDate?
    public var ledgersOwed: Int
    public var ledgersReceived: Int
    public var ledgersOnTime: Int
    public var ledgersLate: Int
    public var ledgersMissing: Int
    public var ledgersPending: Int
    /// Units above 正常 on the ladder, and those at 提请追责问责.
    public var unitsEscalated: Int
    public var unitsAtReferral: Int

    /// Every key is written (null when absent) so that the schema is stable.
}

/// Units × tasks, by the latest status each unit reported on each task it owes.
public struct DigestTaskStatus: Equatable, Sendable, Encodable, JSONObject {
    public var cells: Int
    public var done: Int
    public var inProgress: Int
    public var notStarted: Int
    public var noRecord: Int
}

/// One category (一 … 六) of tasks; number 0 holds the plan-wide obligations (三(二)).
public struct DigestCategory: Equatable, Sendable, Encodable, JSONObject {
    public var number: Int
    public var numeral: String
    public var title: String
    public var total: Int
    /// Milestone items due on or before the as-of date.
    public var due: Int
    /// Of those due, done.
    public var doneOfDue: Int
    /// Done, whatever their due date.
    public var done: Int
    public var overdue: Int
    public var doneThisWeek: Int
}

/// A unit, as JSON names it: id and name as written in the plan.
public struct DigestUnitRef: Equatable, Sendable, Encodable, JSONObject {
    public var id: String
    public var name: String
}

/// One owed item (a milestone occurrence or a ledger) of one unit.
public struct DigestItem: Equatable, Sendable, Encodable, JSONObject {
    public var unit: DigestUnitRef
    /// `milestone` or `ledger`.
    public var kind: String
    public var task: Int?
    public var milestone: String?
    public var title: String
    public var period: String?
    public var due: LocalDate
    public var daysOverdue: Int
    public var doneOn: LocalDate?
}

/// Items that share a milestone (or ledger period) and a due date, with every unit concerned:
/// the short form of the overdue list and of the coming deadlines.
public struct DigestItemGroup: Equatable, Sendable, Encodable, JSONObject {
    public var kind: String
    public var task: Int?
    public var milestone: String?
    public var title: String
    public var period: String?
    public var due: LocalDate
    public var daysOverdue: Int
    public var units: [DigestUnitRef]
}

/// What happened between `previous_as_of` (exclusive) and `as_of` (inclusive).
public struct DigestChanges: Equatable, Sendable, Encodable, JSONObject {
    public var newlyCompleted: [DigestItem]
    public var newlyOverdue: [DigestItem]
    public var ledgersReceived: [DigestLedgerReceipt]
    public var newEscalations: [DigestLevelChange]
    public var actions: [DigestAction]
}

public struct DigestLedgerReceipt: Equatable, Sendable, Encodable, JSONObject {
    public var unit: DigestUnitRef
    public var period: String
    public var submittedOn: LocalDate
    public var late: Bool
}

/// A unit that climbed the ladder during the week.
public struct DigestLevelChange: Equatable, Sendable, Encodable, JSONObject {
    public var unit: DigestUnitRef
    /// Level keywords: none, remind, letter, circular, referral.
    public var from: String
    public var to: String
    public var reason: String
}

/// A step the coordinator recorded (函告提醒, 通报, 提请追责问责).
public struct DigestAction: Equatable, Sendable, Encodable, JSONObject {
    public var unit: DigestUnitRef
    public var level: String
    public var date: LocalDate
    public var task: Int?
}

/// A unit above 正常 on the ladder, as `duban escalate` lists it.
public struct DigestEscalation: Equatable, Sendable, Encodable, JSONObject {
    public var unit: DigestUnitRef
    public var level: String
    public var overdueItems: Int
    public var daysOverdue: Int
    public var reason: String
    public var lastAction: String?
    public var lastActionOn: LocalDate?
}

/// A unit with ledgers past due and not submitted.
public struct DigestMissingLedgers: Equatable, Sendable, Encodable, JSONObject {
    public var unit: DigestUnitRef
    public var periods: [String]
}

/// One row of the per-unit table: the figures the annual assessment uses.
public struct DigestUnitRow: Equatable, Sendable, Encodable, JSONObject {
    public var unit: DigestUnitRef
    /// Ledgers whose due date has passed (submitted on time, late, or missing).
    public var ledgersDue: Int
    public var ledgersOnTime: Int
    public var ledgersLate: Int
    public var ledgersMissing: Int
    /// `ledgers_on_time / ledgers_due` in percent, rounded down; null when none was due yet.
    public var onTimeRate: Int?
    public var milestonesDue: Int
    public var milestonesDone: Int
    /// Every overdue item: milestones and ledgers.
    public var overdueItems: Int
    public var level: String
}

/// One point of the burn-up: milestone items due and done by `date`.
public struct DigestBurnPoint: Equatable, Sendable, Encodable, JSONObject {
    public var date: LocalDate
    public var due: Int
    /// Null after the as-of date.
    public var done: Int?
}
