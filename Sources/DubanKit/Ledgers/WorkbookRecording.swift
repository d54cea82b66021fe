/// A workbook's ledger recorded as its rows are read and checked (`LedgerIngest`): the checked
/// entries come one by one (`add`) and go to the `LedgerRecording` 256 at a time, so neither
/// the rows read nor the checked entries are ever all held. Whether the ledger is kept is
/// decided once the whole file is checked: `finish` (no error anywhere) or `abandon`.
///
/// Nothing is recorded once the submit has an error (`blocked`), or when the header is not
/// complete; an error of the store while recording is kept and thrown by `finish`.
final class WorkbookRecording {
    static let part = 256
    private let recorder: LedgerRecorder
    private let last: Bool
    private let changes: ProgressChangeSink?
    private let blocked: () -> Bool
    private var recording: LedgerRecording?
    private var pending: [LedgerEntry] = []
    private var failure: Error?

    init(recorder: LedgerRecorder, last: Bool, changes: ProgressChangeSink?, blocked: @escaping () -> Bool) {
        self.recorder = recorder
        self.last = last
        self.changes = changes
        self.blocked = blocked
    }

    /// Starts (again: what was given before is forgotten) with the checked header, if any.
    func begin(_ header: Ledger?) {
        abandon()
        guard let header, failure == nil, !blocked() else { return }
        do {
            recording = try recorder.begin(header, last: last, changes: changes)
        } catch {
            failure = error
        }
    }

    func add(_ entry: LedgerEntry) {
        guard recording != nil else { return }
        pending.append(entry)
        if pending.count >= Self.part { flush() }
    }

    private func flush() {
        guard let recording, !pending.isEmpty else { return }
        do {
            try recording.add(pending)
        } catch {
            failure = error
            self.recording = nil
        }
        pending.removeAll(keepingCapacity: true)
    }

    /// The report of the ledger recorded; throws what the store threw while recording it.
    func finish() throws -> SubmissionReport {
        flush()
        if let failure { throw failure }
        guard let recording else { throw StoreCorruption(description: "a workbook's ledger was checked but not recorded") }
        self.recording = nil
        return try recording.finish()
    }

    /// Gives the ledger up (the file, or the submit, has an error): nothing of it is written.
    func abandon() {
        pending.removeAll()
        guard let recording else { return }
        self.recording = nil
        do {
            try recording.abandon()
        } catch {
            failure = error
        }
    }
}
