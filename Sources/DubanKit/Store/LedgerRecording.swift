import Foundation

/// One ledger being recorded by a `LedgerRecorder`, in its transaction: the one way a ledger is
/// written. Its entries come in parts (`add`), in order; each part's previous states are looked
/// up, its changes from the previous period reported (to the sink, if any) and its records
/// written; `finish` gives the report.
///
/// A ledger given whole (`LedgerRecorder.record`) is measured first, so whether it equals the
/// current submission is known before anything is written, and its submission row goes in
/// before its records. A ledger whose entries come as they are read and checked
/// (`LedgerRecorder.begin`: a workbook's, never held whole) is known only at its last entry:
/// its records are staged (`LedgerWriter.insertRecords(staged:)`, a temporary table) and its
/// content spooled (`LedgerContentSpool`) as they come; `finish` then compares the content with
/// the current submission's (equal: the staging is dropped, nothing written, as for a ledger
/// given whole), or inserts the submission and its content and moves the records in. Either
/// way the same rows, the same report; any error leaves the submit's transaction to roll back.
public final class LedgerRecording {
    private let recorder: LedgerRecorder
    private let header: Ledger
    /// The ledger, when given whole (kept for `RecentStates`).
    private let whole: Ledger?
    private let keepRecent: Bool
    private let sink: ProgressChangeSink?
    private let asOf: LocalDate
    private var report: SubmissionReport
    private var current: (id: Int64, returnedOn: String?)?
    /// Why the ledger may not be recorded (a returned ledger resubmitted too early), thrown by
    /// `finish`: a streamed ledger's entries are all checked first, as a whole one's were.
    private var refusal: LedgerRefusal?
    private var mode: Mode
    private var count = 0

    private enum Mode {
        /// Given whole, submission row inserted: records go straight in.
        case direct(submissionID: Int64)
        /// Given whole and equal to the current submission: nothing is written.
        case unchanged
        /// Entries a part at a time: staged and spooled until `finish`.
        case staged(LedgerContentSpool)
        case done
    }

    /// A ledger given whole; `measured`: its canonical JSON's length and fingerprint, when taken
    /// already (`LedgerEncoding.measure(ledger)`).
    init(whole ledger: Ledger, recorder: LedgerRecorder, keepRecent: Bool, changes: ProgressChangeSink?,
         measured: (size: Int, fingerprint: String)? = nil) throws {
        self.recorder = recorder
        header = ledger
        whole = ledger
        self.keepRecent = keepRecent
        sink = changes
        asOf = ledger.reportedOn.adding(days: -1)
        report = SubmissionReport(kind: .new, sourceFile: ledger.sourceFile, unitID: ledger.unitID, period: ledger.period,
                                  submissionID: nil, entries: ledger.entries.count, newlyCompleted: [], changes: [])
        sink?.reset()
        let writer = recorder.writer
        if let measured { writer.measured = measured } else { writer.measure(ledger) }
        current = try writer.currentSubmission(of: ledger)
        mode = .done
        try checkCurrent()
        if let refusal { throw refusal }
        if let current, current.returnedOn == nil,
           try writer.storedContent(of: current.id, is: { try LedgerEncoding.canonical(ledger, $0) }) {
            report.kind = .unchanged(existing: current.id)
            report.entries = 0
            mode = .unchanged
            return
        }
        let id = try writer.insert(submissionOf: ledger, entryCount: ledger.entries.count, supersedes: current?.id,
                                   recordedAt: recorder.recordedAt, content: { try LedgerEncoding.canonical(ledger, $0) })
        report.submissionID = id
        mode = .direct(submissionID: id)
    }

    /// A ledger whose entries come in parts (`header`'s own are not read).
    init(header: Ledger, recorder: LedgerRecorder, keepRecent: Bool, changes: ProgressChangeSink?) throws {
        self.recorder = recorder
        var bare = header
        bare.entries = []
        self.header = bare
        whole = nil
        self.keepRecent = keepRecent
        sink = changes
        asOf = header.reportedOn.adding(days: -1)
        report = SubmissionReport(kind: .new, sourceFile: header.sourceFile, unitID: header.unitID, period: header.period,
                                  submissionID: nil, entries: 0, newlyCompleted: [], changes: [])
        sink?.reset()
        current = try recorder.writer.currentSubmission(of: header)
        mode = .staged(LedgerContentSpool())
        try recorder.writer.clearStaged()
        try checkCurrent()
    }

    /// The kind of the report from the current submission, and the refusal if it was returned
    /// and this ledger is dated before the return.
    private func checkCurrent() throws {
        guard let current else { return }
        report.kind = .correction(supersedes: current.id)
        if let returned = current.returnedOn.flatMap(LocalDate.init(iso:)),
           let message = LedgerReviewRule.resubmissionRefusal(returnedOn: returned, submittedOn: header.submitted,
                                                              period: header.period.description) {
            // A returned ledger is resubmitted, even unchanged: a correction of the returned one.
            refusal = LedgerRefusal(file: header.sourceFile, message: message,
                                    hint: "write the day you resubmit in `submitted` (报送日期)")
        }
    }

    /// The next entries of the ledger, in order (for a ledger given whole: all of them, once).
    public func add(_ entries: [LedgerEntry]) throws {
        let writer = recorder.writer
        var staged = false
        switch mode {
        case .unchanged, .done: return
        case .direct: break
        case .staged(let spool):
            if refusal != nil { return }
            staged = true
            try spool.add(entries)
        }
        var part = header
        part.entries = entries
        let previousStates: [ProgressState?]
        if let recent = recorder.recent {
            var states = [ProgressState?](repeating: nil, count: entries.count)
            let missing = try recent.previousStates(of: part, asOf: asOf, writer: writer, into: &states)
            try writer.previousStates(of: part, entries: missing, asOf: asOf.description, into: &states)
            previousStates = states
        } else {
            previousStates = try writer.previousStates(of: part, asOf: asOf.description)
        }
        for i in entries.indices {
            let previous = previousStates[i]
            let after = ProgressState(status: entries[i].status, percent: entries[i].percent)
            if previous != after {
                let change = ProgressChange(task: entries[i].task, milestone: entries[i].milestone, before: previous, after: after)
                if let sink {
                    sink.add(change)
                    report.changesSpooled += 1
                } else {
                    report.changes.append(change)
                }
            }
            if entries[i].status == .done, previous?.status != .done, let m = entries[i].milestone {
                report.newlyCompleted.append(m)
            }
        }
        count += entries.count
        try writer.insertRecords(of: part, reportedOn: header.reportedOn.description, submissionID: report.submissionID,
                                 recordedAt: recorder.recordedAt, staged: staged, inserted: recorder.inserted)
    }

    /// What recording the ledger did (throws the refusal of a returned ledger resubmitted too
    /// early). Call once, after the last `add`.
    public func finish() throws -> SubmissionReport {
        if let refusal { throw refusal }
        let writer = recorder.writer
        switch mode {
        case .done, .unchanged:
            break
        case .direct:
            if keepRecent, let whole { recorder.recent?.recorded(whole) }
        case .staged(let spool):
            writer.measured = try spool.finish(header)
            if let current, current.returnedOn == nil, try writer.storedContent(of: current.id, is: spool.read) {
                try writer.clearStaged()
                sink?.reset()
                report = SubmissionReport(kind: .unchanged(existing: current.id), sourceFile: header.sourceFile, unitID: header.unitID,
                                          period: header.period, submissionID: nil, entries: 0, newlyCompleted: [], changes: [])
                break
            }
            let id = try writer.insert(submissionOf: header, entryCount: count, supersedes: current?.id,
                                       recordedAt: recorder.recordedAt, content: spool.read)
            if keepRecent, let recent = recorder.recent {
                try recent.recorded(unit: header.unitID, day: header.reportedOn.dayNumber, count: count) { note in
                    try writer.stagedStates { task, milestone, state in note(RecentStates.Key(task: task, milestone: milestone), state) }
                }
            }
            let moved = try writer.moveStaged(of: header, reportedOn: header.reportedOn.description, submissionID: id,
                                              recordedAt: recorder.recordedAt)
            guard moved == count else {
                throw StoreCorruption(description: "\(moved) staged records moved for a ledger of \(count) entries")
            }
            for _ in 0..<moved { recorder.inserted() }
            report.submissionID = id
            report.entries = count
        }
        mode = .done
        return report
    }

    /// Gives the ledger up (its file had an error: the submit will roll back): drops what was
    /// staged, writes nothing more.
    public func abandon() throws {
        if case .staged = mode { try recorder.writer.clearStaged() }
        sink?.reset()
        mode = .done
    }
}
