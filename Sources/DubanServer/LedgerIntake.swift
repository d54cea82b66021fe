import DubanKit
import Foundation

/// One ledger file received by the portal or the API, checked exactly as `duban ledger submit`
/// checks a file and recorded only when it has no error and is for a unit the account reports
/// for. Every outcome is written to the audit log.
///
/// In two steps: `check` reads and checks the upload (no database write; many may run at once),
/// then `record` writes what the check found, the ledgers or the refusal's audit line, through a
/// recorder of the portal's group commit (`LedgerWriterQueue`): in a savepoint of its own, so a
/// submission that fails there rolls back alone.
struct LedgerIntake: Sendable {
    enum Outcome: Sendable {
        /// `redated`: the date the ledger itself gave, when it was not the day received (`SubmissionDate`).
        case recorded([SubmissionReport], redated: LocalDate?)
        /// The file's errors, each at its line and column (file names as the sender gave them).
        case invalid([Diagnostic], rendered: String)
        /// The ledger is for a unit the account does not report for.
        case refused(unitID: String)
        /// The name is not `*.yaml`, `*.yml` or `*.csv`, or is empty or too long.
        case badName
    }

    /// What `check` found: what `record` writes.
    enum Checked: Sendable {
        /// Nothing to write (not even an audit line): the name is refused.
        case badName
        /// The errors, audited as `ledger.rejected` with `detail`.
        case invalid([Diagnostic], rendered: String, detail: String)
        /// For a unit the account does not report for: audited as `ledger.refused`.
        case refused(unitID: String, detail: String)
        /// Checked ledgers, named as the portal records them (`sourceFile`), and the form's
        /// evidence files by form entry (empty for an upload).
        case ready([Ledger], name: String, redated: LocalDate?, evidence: [Int: [EvidenceFile]])
    }

    let database: DubanDatabase
    let plan: Plan
    /// The plan's version (`plan.current_version` when it was read): recording uses `plan` for
    /// the fold when that is still the current version.
    let planVersion: Int
    /// `OwedIndex(plan)`, built once per plan version (`PlanCache`).
    let owed: OwedIndex
    /// The day the portal received the ledger (the server's today): the ledger's submission date
    /// (`SubmissionDate.stampReceived`).
    let receivedOn: LocalDate
    /// When the portal received the ledger: recorded as its `recorded_at`, shown on the receipt.
    var receivedAt = Date()
    let account: Account
    let address: String

    /// An uploaded file, read from memory (the body is already size-bounded) as `ledger submit`
    /// reads a file of that name: its findings name the file as sent.
    func check(_ data: [UInt8], filename: String, encoding: TextEncodingChoice) -> Checked {
        guard let name = UploadName.safe(filename), LedgerLoader.format(of: name) != nil else { return .badName }
        let diagnostics = DiagnosticCollector()
        let loader = LedgerLoader(diagnostics: diagnostics, encoding: encoding)
        guard var spec = loader.read(received: data, name: name) else {
            return conclude(nil, diagnostics, name: name)
        }
        let redated = SubmissionDate.stampReceived(&spec, receivedOn: receivedOn)
        let ledgers = loader.load(specs: [spec], plans: [plan.id: plan], only: plan.id, owed: [owed])
        return conclude(ledgers, diagnostics, name: name, redated: redated)
    }

    /// The name a form's ledger is known by, in errors and records (`portal:LOGIN/form`).
    static let formName = "form"

    /// A ledger filled in on the portal's form (its fields by name; `malformed`: fields that were
    /// not UTF-8), read by `LedgerFormReader`, then checked as a file is. `files`: the form's
    /// file inputs by name (`eN.files`: evidence for entry N), each checked
    /// (`EvidenceFile.check`); a file refused is an error at its input, as a field's is. The
    /// files are stored and attached in the ledger's own savepoint (`record`).
    func check(form values: [String: String], malformed: Set<String>, files: [String: [UploadedFile]] = [:]) -> Checked {
        let diagnostics = DiagnosticCollector()
        var spec = LedgerFormReader(diagnostics: diagnostics).read(values, malformed: malformed, file: Self.formName)
        let redated = SubmissionDate.stampReceived(&spec, receivedOn: receivedOn)
        let evidence = Self.evidence(files, entries: Set(spec.entries.compactMap(\.location.line)), into: diagnostics)
        let ledgers = LedgerLoader(diagnostics: diagnostics).load(specs: [spec], plans: [plan.id: plan], only: plan.id, owed: [owed])
        return conclude(ledgers, diagnostics, name: Self.formName, redated: redated, evidence: evidence)
    }

    /// `EvidenceRule` refused the files of form entry `entry` (the recording is rolled back).
    private struct FormEvidenceRefusal: Error {
        var entry: Int?
        var refusal: EvidenceRule.Refusal
    }

    /// The evidence files sent with a form, by entry number; each file refused is reported at its
    /// entry's file input, as are files for an entry the form does not have and too many files.
    static func evidence(_ files: [String: [UploadedFile]], entries: Set<Int>, into diagnostics: DiagnosticCollector) -> [Int: [EvidenceFile]] {
        var out: [Int: [EvidenceFile]] = [:]
        var count = 0
        for (name, uploads) in files.sorted(by: { $0.key < $1.key }) {
            // A file input left empty sends a part with no name and no bytes.
            let sent = uploads.filter { !($0.filename.isEmpty && $0.data.isEmpty) }
            guard !sent.isEmpty, let (n, key) = LedgerFormReader.entryField(name), key == LedgerForm.filesKey else { continue }
            let at = LedgerForm.location(LedgerForm.filesKey, entry: n, file: formName)
            let what = LedgerForm.fieldDescription(key: LedgerForm.filesKey, entry: n)
            guard entries.contains(n) else {
                diagnostics.error(at, "\(what): the form has no entry \(n) to attach files to", hint: "reload the ledger page")
                continue
            }
            for upload in sent {
                count += 1
                switch EvidenceFile.check(Data(upload.data), sentName: upload.filename) {
                case .success(let file): out[n, default: []].append(file)
                case .failure(let problem):
                    diagnostics.error(at, "\(what) “\(EvidenceFile.cleanName(upload.filename))”: \(problem)",
                                      hint: "attach PDF, PNG, JPEG, Word (.docx) or Excel (.xlsx) files of at most 5 MiB each")
                }
            }
        }
        if EvidenceRule.tooMany(attached: 0, adding: count) {
            diagnostics.error(LedgerForm.location(LedgerForm.filesKey, entry: nil, file: formName),
                              "\(count) evidence files; a ledger takes at most \(EvidenceFile.maxPerLedger)",
                              hint: "attach the most telling ones; list the rest under 佐证材料 by document number")
        }
        return out
    }

    /// The end of every check: the errors, a ledger for a unit the account does not report for,
    /// or the ledgers to record.
    private func conclude(_ ledgers: [Ledger]?, _ diagnostics: DiagnosticCollector, name: String, redated: LocalDate? = nil,
                          evidence: [Int: [EvidenceFile]] = [:]) -> Checked {
        guard let ledgers, diagnostics.errors.isEmpty else {
            // A form's findings in the form's order; a file's as found (the API's `diagnostics`).
            return .invalid(name == Self.formName ? diagnostics.sorted : diagnostics.diagnostics, rendered: diagnostics.renderAll(),
                            detail: "\(name): \(diagnostics.errors.count) error(s)")
        }
        let permissions = Permissions(account)
        if let other = ledgers.first(where: { !permissions.maySubmitLedger(for: $0.unitID) }) {
            return .refused(unitID: other.unitID, detail: "\(name): for \(other.unitID)")
        }
        let stamped = ledgers.map { ledger -> Ledger in
            var ledger = ledger
            ledger.sourceFile = "portal:\(account.login)/\(name)"
            return ledger
        }
        return .ready(stamped, name: name, redated: redated, evidence: evidence)
    }

    /// Writes what `checked` found through `recorder` (a savepoint of the portal's group commit):
    /// the refusal's audit line, or each ledger with its evidence files and its audit line
    /// (`ledger.submit`). What the store refuses when recording (a resubmission dated before its
    /// return, evidence `EvidenceRule` refuses) is rolled back and audited as `ledger.rejected`.
    func record(_ checked: Checked, with recorder: LedgerRecorder) throws -> Outcome {
        let actor = AuditActor(account, address: address)
        switch checked {
        case .badName:
            return .badName
        case .invalid(let diagnostics, let rendered, let detail):
            try recorder.audit(actor, action: "ledger.rejected", detail: detail)
            return .invalid(diagnostics, rendered: rendered)
        case .refused(let unitID, let detail):
            try recorder.audit(actor, action: "ledger.refused", detail: detail)
            return .refused(unitID: unitID)
        case .ready(let ledgers, let name, let redated, let evidence):
            do {
                let reports = try recorder.undoable {
                    try ledgers.map { ledger in
                        let report = try recorder.record(ledger)
                        if !evidence.isEmpty { try attach(evidence, of: ledger, report: report, with: recorder, actor: actor) }
                        // The audit line in the ledger's own savepoint: it is in the log exactly when the ledger is recorded.
                        try recorder.audit(actor, action: "ledger.submit",
                                           detail: "\(report.unitID) \(report.period) \(report.submissionID.map { "#\($0)" } ?? "unchanged") \(report.entries) entries")
                        return report
                    }
                }
                return .recorded(reports, redated: redated)
            } catch let refusal as LedgerRefusal {
                // What is stored refuses it (a resubmission dated before its return): an error at the
                // ledger's `submitted` (报送日期), nothing written.
                let location = name == Self.formName ? LedgerForm.location("submitted", entry: nil, file: name)
                    : SourceLocation(file: name, field: "submitted")
                try recorder.audit(actor, action: "ledger.rejected", detail: "\(name): \(refusal.message)")
                return .invalid([Diagnostic(.error, location, refusal.message, hint: refusal.hint)],
                                rendered: "\(name): error: \(refusal.message)\n" + (refusal.hint.map { "  hint: \($0)\n" } ?? ""))
            } catch let refused as FormEvidenceRefusal {
                // The ledger's files may not be attached to it (`EvidenceRule`): nothing was written.
                let at = LedgerForm.location(LedgerForm.filesKey, entry: refused.entry, file: Self.formName)
                let what = LedgerForm.fieldDescription(key: LedgerForm.filesKey, entry: refused.entry)
                try recorder.audit(actor, action: "ledger.rejected", detail: "\(Self.formName): \(refused.refusal.message)")
                let diagnostic = Diagnostic(.error, at, "\(what): \(refused.refusal.message)", hint: refused.refusal.hint)
                return .invalid([diagnostic], rendered: "\(Self.formName): error: \(diagnostic.message)\n  hint: \(refused.refusal.hint)\n")
            }
        }
    }

    /// Attaches the form's evidence files (by form entry) to `ledger`, recorded (or found
    /// unchanged) just now as `report` says.
    private func attach(_ evidence: [Int: [EvidenceFile]], of ledger: Ledger, report: SubmissionReport, with recorder: LedgerRecorder,
                        actor: AuditActor) throws {
        let submission: Int64
        switch report.kind {
        case .unchanged(let existing): submission = existing
        default:
            guard let id = report.submissionID else { return }
            submission = id
        }
        // The API's entry numbers (the records' order in the ledger) and the form's.
        var byEntry: [Int: [EvidenceFile]] = [:], formEntry: [Int: Int] = [:]
        for (n, files) in evidence {
            guard let index = ledger.entries.firstIndex(where: { $0.line == n }) else { continue }
            byEntry[index + 1] = files
            formEntry[index + 1] = n
        }
        do {
            try recorder.attach(byEntry, plan: plan.id, submission: submission, actor: actor)
        } catch let refusal as EvidenceRule.Refusal {
            throw FormEvidenceRefusal(entry: formEntry[refusal.entry], refusal: refusal)
        }
    }
}
