import Foundation

/// Ledger files into the database: reading, checking and recording, the one way files enter it
/// (`ledger submit`, `demo`, the tests that submit files, and next the portal). The checked
/// ledgers are recorded through `LedgerStore.recording`, which knows nothing of files.
public struct LedgerIngest: Sendable {
    public let store: LedgerStore

    public init(_ database: DubanDatabase) {
        store = LedgerStore(database)
    }

    /// What `submit(paths:…)` did.
    public struct Outcome {
        /// False when a file had an error: nothing was written.
        public var succeeded: Bool
        /// What each ledger did, in the order of the files, with its plan's id (empty when the
        /// reports went to `each`, or the submit failed).
        public var reports: [(planID: String, report: SubmissionReport)]
        /// The plans the files named, as read in the write transaction, by id.
        public var plans: [String: Plan]
    }

    /// Reads, checks and records ledger files in ONE write transaction (`LedgerStore.recording`),
    /// one file at a time: each file is read, validated against the plans (read in the same
    /// transaction) and recorded, then dropped, so memory does not grow with the number of files.
    /// Reading and checking run on a thread of their own a few files ahead (`CheckAhead`).
    /// Once a file has an error nothing more is recorded, but every remaining file is still read
    /// and checked, so that all errors of all files are reported (to the loader's diagnostics);
    /// the transaction is then rolled back and nothing is written. Otherwise it commits (or, with
    /// `dryRun`, rolls back after doing the same work, so the reports say what would change).
    ///
    /// `progress` is told before each file and at the end (files done, files in all);
    /// `afterRecord` after each progress row inserted, with the running count (a test hook).
    /// `each` is given each ledger's report (with the plan it was checked against) as soon as
    /// the ledger is recorded, instead of keeping them all (`SubmitTextSpool` writes them out);
    /// reports given before a later file fails describe nothing that was written. With
    /// `changes`, each ledger's changes from the previous period go there (reset before each
    /// ledger) instead of into its report: `each` must take them before the next ledger's.
    ///
    /// `LedgerStreamingTests` checks `PRAGMA foreign_key_check` after streamed submits, and that a
    /// ledger naming a plan, unit, task or milestone the database lacks writes nothing.
    public func submit(paths: [String], loader: LedgerLoader, only: String? = nil, dryRun: Bool = false,
                       now: Date = Date(), progress: ((Int, Int) -> Void)? = nil,
                       afterRecord: ((Int) -> Void)? = nil,
                       each: ((SubmissionReport, Plan) -> Void)? = nil, changes: ProgressChangeSink? = nil) throws -> Outcome {
        try store.recording(now: now, afterRecord: afterRecord) { recorder in
            // Files are read and checked on another thread, a few ahead (`CheckAhead`), against
            // the plans as stored now; ledgers are recorded here, in order.
            let stored = try recorder.storedPlans()
            let ids = stored.ids, texts = stored.texts, encoding = loader.encoding, defaults = loader.defaults
            let ahead = CheckAhead(paths: paths) {
                let plans = PlanDecoder(texts)
                let checker = LedgerLoader.Checker(encoding: encoding, defaults: defaults, planIDs: ids, plan: plans.plan, only: only)
                checker.deferringWorkbooks = true
                return checker
            }
            defer { ahead.stop() }
            // Workbooks are read here, their entries recorded as they are checked.
            var here: LedgerLoader.Checker?
            let session = LedgerLoader.Session(reportingTo: loader.diagnostics)
            var reports: [(planID: String, report: SubmissionReport)] = []
            var plans: [String: Plan] = [:]
            let sink = each == nil ? nil : changes
            for done in paths.indices {
                progress?(done, paths.count)
                guard var check = ahead.next() else { break }
                let last = done == paths.count - 1
                var workbook: WorkbookRecording?
                if check.deferred {
                    let checker = here ?? LedgerLoader.Checker(encoding: encoding, defaults: defaults, planIDs: ids,
                                                               plan: PlanDecoder(texts).plan, only: only)
                    here = checker
                    let recording = WorkbookRecording(recorder: recorder, last: last, changes: sink, blocked: { session.hasErrors })
                    check = checker.check(workbook: check.path, recording: recording)
                    workbook = recording
                }
                if let failure = check.failure { throw StoreCorruption(description: failure) }
                if let plan = check.plan, plans[plan.id] == nil { plans[plan.id] = plan }
                let ledger = session.accept(check)
                guard let ledger, !session.hasErrors else {
                    workbook?.abandon()
                    reports = []
                    continue
                }
                let report = try workbook?.finish() ?? recorder.record(ledger, last: last, changes: sink, measured: check.measured)
                if let each, let plan = check.plan {
                    each(report, plan)
                } else {
                    reports.append((ledger.planID, report))
                }
            }
            progress?(paths.count, paths.count)
            let outcome = Outcome(succeeded: !session.hasErrors, reports: reports, plans: plans)
            return (outcome, dryRun || session.hasErrors ? .rollBack : .commit(plans: plans))
        }
    }
}

/// Stored plans decoded when a file first names them, once each (one per checking thread).
private final class PlanDecoder {
    let texts: [String: String]
    private var decoded: [String: Plan] = [:]

    init(_ texts: [String: String]) {
        self.texts = texts
    }

    func plan(_ id: String) throws -> Plan? {
        if let plan = decoded[id] { return plan }
        guard let json = texts[id] else { return nil }
        let plan = try JSONDecoder().decode(Plan.self, from: Data(json.utf8))
        decoded[id] = plan
        return plan
    }
}
