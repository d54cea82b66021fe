/// What the store knows, reduced to what the rules need. Every fact carries the date from which
/// it was known (a ledger's submission date, a command's `--date`), so that any as-of date can be
/// replayed exactly: a fact known after the as-of date does not exist for it.
public struct ProgressFact: Equatable, Sendable {
    /// The stored record it comes from, when it comes from the store: what `Facts.union` dedupes on.
    public var recordID: Int64?
    public var unitID: String
    public var task: Int?
    public var milestoneID: String?
    public var status: ProgressStatus
    public var percent: Int?
    /// The date the record was made known (ledger submitted, update recorded).
    public var knownOn: LocalDate
    /// For `done`: the day the work was completed (defaults to `knownOn`).
    public var completedOn: LocalDate?
    /// The day a corrected ledger replaced the one this record came from: from then on it no longer counts.
    public var supersededOn: LocalDate?
    /// The day the record speaks for: a ledger's period end, a command's `--date` (nil: its completion date).
    /// A record of a recurring milestone is about the occurrence whose period holds this day.
    public var reportedOn: LocalDate?
    /// An earlier occurrence named explicitly (`progress record --occurrence 2024-Q1`): a catch-up.
    public var occurrence: String?

    public init(recordID: Int64? = nil, unitID: String, task: Int?, milestoneID: String? = nil, status: ProgressStatus,
                percent: Int? = nil, knownOn: LocalDate, completedOn: LocalDate? = nil, supersededOn: LocalDate? = nil,
                reportedOn: LocalDate? = nil, occurrence: String? = nil) {
        self.recordID = recordID
        self.reportedOn = reportedOn
        self.occurrence = occurrence
        self.supersededOn = supersededOn
        self.unitID = unitID
        self.task = task
        self.milestoneID = milestoneID
        self.status = status
        self.percent = percent
        self.knownOn = knownOn
        self.completedOn = completedOn
    }

    public var completionDate: LocalDate { completedOn ?? knownOn }

    /// The day that places the record among a recurring milestone's occurrences.
    public var placedOn: LocalDate { reportedOn ?? completionDate }

    /// Known on `date` and not superseded by then: what `Facts.known(on:)` keeps.
    func isKnown(on date: LocalDate) -> Bool { knownOn <= date && (supersededOn.map { $0 > date } ?? true) }
}

/// A ledger received: unit, period, the day it was submitted.
public struct LedgerFact: Equatable, Sendable {
    public var unitID: String
    public var period: ReportingPeriod
    public var submittedOn: LocalDate
    /// The day the coordinator returned it (退回), if it was: from then on it counts as not received.
    public var returnedOn: LocalDate?

    public init(unitID: String, period: ReportingPeriod, submittedOn: LocalDate, returnedOn: LocalDate? = nil) {
        self.unitID = unitID
        self.period = period
        self.submittedOn = submittedOn
        self.returnedOn = returnedOn
    }
}

/// An extension (延期) granted to one unit for one milestone occurrence.
public struct ExtensionFact: Equatable, Sendable {
    public var unitID: String
    public var milestoneID: String
    /// The due date it moves (the occurrence's original due date).
    public var originalDue: LocalDate
    public var newDue: LocalDate
    public var grantedOn: LocalDate

    public init(unitID: String, milestoneID: String, originalDue: LocalDate, newDue: LocalDate, grantedOn: LocalDate) {
        self.unitID = unitID
        self.milestoneID = milestoneID
        self.originalDue = originalDue
        self.newDue = newDue
        self.grantedOn = grantedOn
    }
}

/// Everything recorded, for the rules.
public struct Facts: Sendable {
    public var progress: [ProgressFact]
    public var ledgers: [LedgerFact]
    public var extensions: [ExtensionFact]

    public init(progress: [ProgressFact] = [], ledgers: [LedgerFact] = [], extensions: [ExtensionFact] = []) {
        self.progress = progress
        self.ledgers = ledgers
        self.extensions = extensions
    }

    /// Both sets of facts, each stored record once (facts read for two as-of dates overlap).
    public func union(_ other: Facts) -> Facts {
        var seen = Set(progress.compactMap(\.recordID))
        let more = other.progress.filter { f in f.recordID.map { seen.insert($0).inserted } ?? true }
        struct LedgerKey: Hashable { var unitID: String; var period: ReportingPeriod; var submittedOn: LocalDate; var returnedOn: LocalDate? }
        var ledgerKeys = Set(ledgers.map { LedgerKey(unitID: $0.unitID, period: $0.period, submittedOn: $0.submittedOn, returnedOn: $0.returnedOn) })
        var extensionKeys = Set(extensions.map { "\($0.unitID)|\($0.milestoneID)|\($0.originalDue)|\($0.grantedOn)" })
        return Facts(progress: progress + more,
                     ledgers: ledgers + other.ledgers.filter {
                         ledgerKeys.insert(LedgerKey(unitID: $0.unitID, period: $0.period, submittedOn: $0.submittedOn,
                                                     returnedOn: $0.returnedOn)).inserted
                     },
                     extensions: extensions + other.extensions.filter {
                         extensionKeys.insert("\($0.unitID)|\($0.milestoneID)|\($0.originalDue)|\($0.grantedOn)").inserted
                     })
    }

    /// Only the facts about `units` (all of them when nil).
    public func about(_ units: Set<String>?) -> Facts {
        guard let units else { return self }
        return Facts(progress: progress.filter { units.contains($0.unitID) }, ledgers: ledgers.filter { units.contains($0.unitID) },
                     extensions: extensions.filter { units.contains($0.unitID) })
    }

    /// Only what was known on `date`.
    public func known(on date: LocalDate) -> Facts {
        // Facts read for the date are all known on it: no copy then (at scale they are many).
        if progress.allSatisfy({ $0.isKnown(on: date) }),
           ledgers.allSatisfy({ $0.submittedOn <= date }), extensions.allSatisfy({ $0.grantedOn <= date }) {
            return self
        }
        return Facts(progress: progress.filter { $0.isKnown(on: date) },
              ledgers: ledgers.filter { $0.submittedOn <= date },
              extensions: extensions.filter { $0.grantedOn <= date })
    }
}
