import Foundation
import GRDB

/// What submitting one ledger did (or, in a dry run, would do).
public struct SubmissionReport: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        /// First ledger of this unit for this period.
        case new
        /// A corrected ledger: it supersedes submission `supersedes`, which stays in history.
        case correction(supersedes: Int64)
        /// The same content is already the current ledger of this unit and period: nothing written.
        case unchanged(existing: Int64)
    }

    public var kind: Kind
    public var sourceFile: String
    public var unitID: String
    public var period: ReportingPeriod
    /// The new submission's id (nil when unchanged; in a dry run, the id it would have had).
    public var submissionID: Int64?
    public var entries: Int
    /// Milestones reported 已完成 whose last earlier record was not.
    public var newlyCompleted: [String]
    /// Entries whose status or percent differ from the last record before this period.
    public var changes: [ProgressChange]
}

/// A status change between the previous record and a new one.
public struct ProgressChange: Equatable, Sendable {
    public var task: Int?
    public var milestone: String?
    public var before: ProgressState?
    public var after: ProgressState
}

/// A status and percent, as a record holds them.
public struct ProgressState: Equatable, Sendable, CustomStringConvertible {
    public var status: ProgressStatus
    public var percent: Int?

    public var description: String { status.label + (percent.map { " \($0)%" } ?? "") }
}

/// Records ledgers and single progress updates. Everything is appended: a correction is a new
/// submission that supersedes the old; nothing is updated in place or deleted.
public struct LedgerStore: Sendable {
    public let database: DubanDatabase

    public init(_ database: DubanDatabase) {
        self.database = database
    }

    /// Records `ledgers` in ONE write transaction (`BEGIN IMMEDIATE`): either every file of a
    /// submit is recorded or none is. A ledger whose content equals the current one of its unit
    /// and period writes nothing. With `dryRun` the same work is done and rolled back, so the
    /// report says exactly what would change.
    ///
    /// `afterRecord` is called after each progress row is inserted (with the running count),
    /// inside the transaction; tests use it to kill the process mid-way.
    public func submit(_ ledgers: [Ledger], dryRun: Bool = false, now: Date = Date(),
                       afterRecord: ((Int) -> Void)? = nil) throws -> [SubmissionReport] {
        try database.writer.writeWithoutTransaction { db in
            var reports: [SubmissionReport] = []
            var inserted = 0
            // One timestamp per submit: formatting a date costs more than inserting a ledger.
            let recordedAt = Timestamp.iso(now)
            try db.inTransaction(.immediate) {
                let writer = try LedgerWriter(db)
                for ledger in ledgers {
                    reports.append(try submit(ledger, writer: writer, recordedAt: recordedAt) {
                        inserted += 1
                        afterRecord?(inserted)
                    })
                }
                return dryRun ? .rollback : .commit
            }
            return reports
        }
    }

    private func submit(_ ledger: Ledger, db: Database, now: Date, inserted: () -> Void) throws -> SubmissionReport {
        try submit(ledger, writer: try LedgerWriter(db), recordedAt: Timestamp.iso(now), inserted: inserted)
    }

    func submit(_ ledger: Ledger, writer: LedgerWriter, recordedAt: String, inserted: () -> Void) throws -> SubmissionReport {
        let content = ledger.canonicalJSON
        let current = try writer.currentSubmission(plan: ledger.planID, unit: ledger.unitID, period: ledger.period.description)
        var report = SubmissionReport(kind: .new, sourceFile: ledger.sourceFile, unitID: ledger.unitID, period: ledger.period,
                                      submissionID: nil, entries: ledger.entries.count, newlyCompleted: [], changes: [])
        if let current {
            if current.content == content {
                report.kind = .unchanged(existing: current.id)
                report.entries = 0
                return report
            }
            report.kind = .correction(supersedes: current.id)
        }
        let before = ledger.reportedOn.adding(days: -1).description
        for entry in ledger.entries {
            let previous = try writer.previousState(plan: ledger.planID, unit: ledger.unitID, task: entry.task,
                                                    milestone: entry.milestone, asOf: before)
            let after = ProgressState(status: entry.status, percent: entry.percent)
            if previous != after {
                report.changes.append(ProgressChange(task: entry.task, milestone: entry.milestone, before: previous, after: after))
            }
            if let m = entry.milestone, entry.status == .done, previous?.status != .done {
                report.newlyCompleted.append(m)
            }
        }
        var supersedes: Int64?
        if case .correction(let id) = report.kind { supersedes = id }
        let submissionID = try writer.insert(submissionOf: ledger, content: content, hash: PlanStore.fingerprint(content),
                                             supersedes: supersedes, recordedAt: recordedAt)
        report.submissionID = submissionID
        let reportedOn = ledger.reportedOn.description
        for entry in ledger.entries {
            try writer.insert(entry, of: ledger, reportedOn: reportedOn, submissionID: submissionID, recordedAt: recordedAt)
            inserted()
        }
        return report
    }

    /// Records one update by the coordinator; returns the new record's id.
    @discardableResult
    public func record(_ update: ProgressUpdate, now: Date = Date()) throws -> Int64 {
        try database.writer.write { db in
            try db.execute(sql: """
                INSERT INTO progress_record (plan_id, unit_id, task_number, milestone_id, status, percent, completed_on,
                    reported_on, origin, source, note, recorded_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'command', ?, ?, ?)
                """, arguments: [update.planID, update.unitID, update.task, update.milestone, update.status.rawValue,
                                 update.percent ?? (update.status == .done ? 100 : update.status == .notStarted ? 0 : nil),
                                 update.status == .done ? update.date.description : nil, update.date.description,
                                 update.source, update.note, Timestamp.iso(now)])
            return db.lastInsertedRowID
        }
    }

    static func json<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
    }
}
