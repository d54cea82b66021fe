/// Reads and checks the ledger files of one `ledger submit`: decodes each (UTF-8 or GB18030),
/// reads it as YAML or CSV by its extension, finds its plan and validates it. Every problem of
/// every file is reported; the ledgers are returned only when there is none, so that a submit
/// writes all of its files or none.
public struct LedgerLoader {
    let diagnostics: DiagnosticCollector
    public var encoding: TextEncodingChoice
    /// Header fields given on the command line, for CSV files.
    public var defaults: LedgerHeaderDefaults

    public init(diagnostics: DiagnosticCollector, encoding: TextEncodingChoice = .auto,
                defaults: LedgerHeaderDefaults = LedgerHeaderDefaults()) {
        self.diagnostics = diagnostics
        self.encoding = encoding
        self.defaults = defaults
    }

    /// The format a file name implies: `.csv` is CSV, `.yaml` and `.yml` are YAML.
    public static func format(of path: String) -> LedgerFormat? {
        let lower = path.lowercased()
        if lower.hasSuffix(".csv") { return .csv }
        if lower.hasSuffix(".yaml") || lower.hasSuffix(".yml") { return .yaml }
        return nil
    }

    /// Reads one file into a spec (nil when it cannot be read at all).
    public func read(path: String) -> LedgerFileSpec? {
        read(path: path, into: diagnostics, register: true).spec
    }

    /// Reads one file into a spec, reporting to `diagnostics`; also gives the decoded text.
    func read(path: String, into diagnostics: DiagnosticCollector, register: Bool) -> (spec: LedgerFileSpec?, text: String?) {
        if path.lowercased().hasSuffix(".xlsx") {
            // A FIFO or device would block the zip reader's open: refused before it, and the zip
            // reader reads the very file checked.
            guard let file = InputFile.openRegular(path, into: diagnostics) else { return (nil, nil) }
            // Read as its CSV layout; findings name cells (FILE:台账!F7), so no text is kept to quote.
            return (LedgerXLSXReader(diagnostics: diagnostics).read(path: path, readPath: file.readPath, defaults: defaults), nil)
        }
        guard let format = Self.format(of: path, into: diagnostics),
              let text = LedgerText.read(path: path, encoding: encoding, into: diagnostics, register: register) else { return (nil, nil) }
        return (read(text: text, format: format, path: path, into: diagnostics), text)
    }

    /// Reads a YAML or CSV ledger received whole (an upload named `name`) as `read(path:)` reads
    /// a file of that name: the same limit, decoding and checks, findings at `name`.
    public func read(received bytes: [UInt8], name: String) -> LedgerFileSpec? {
        guard let format = Self.format(of: name, into: diagnostics),
              let text = LedgerText.read(received: bytes, name: name, encoding: encoding, into: diagnostics) else { return nil }
        return read(text: text, format: format, path: name, into: diagnostics)
    }

    /// `format(of:)`, or nil after an error saying how to name the file.
    static func format(of path: String, into diagnostics: DiagnosticCollector) -> LedgerFormat? {
        guard let format = format(of: path) else {
            diagnostics.error(SourceLocation(file: path), "cannot tell the ledger's format from its name",
                              hint: "name YAML ledgers *.yaml, spreadsheet ledgers *.xlsx or *.csv (an .xls: save it as .xlsx)")
            return nil
        }
        return format
    }

    private func read(text: String, format: LedgerFormat, path: String, into diagnostics: DiagnosticCollector) -> LedgerFileSpec? {
        Self.checkEnd(of: text, path: path, into: diagnostics)
        switch format {
        case .yaml: return LedgerFileReader(diagnostics: diagnostics).read(text: text, path: path)
        case .csv: return LedgerCSVReader(diagnostics: diagnostics).read(text: text, path: path, defaults: defaults)
        }
    }

    /// A ledger whose last line has no line break was cut off (a copy or a download that
    /// stopped): whatever came after is lost, so it is an error, not a ledger with fewer entries.
    /// duban's templates, editors and Excel all end a file with a line break.
    static func checkEnd(of text: String, path: String, into diagnostics: DiagnosticCollector) {
        guard let last = text.utf8.last, last != 0x0A, last != 0x0D else { return }
        let (line, column) = TextDecoding.position(ofByte: text.utf8.count, in: Array(text.utf8))
        diagnostics.error(SourceLocation(file: path, line: line, column: column),
                          "the file ends in the middle of line \(line), without a line break: it looks cut off",
                          hint: "submit the whole file; if it is whole, end its last line with a line break (Enter)")
    }

    /// Reads and validates every file against the plans by id; nil when anything is wrong.
    /// `only` restricts the accepted plan (the `--plan` option).
    /// `progress` is told after each file (files done, files in all).
    public func load(paths: [String], plans: [String: Plan], only: String? = nil,
                     progress: ((Int, Int) -> Void)? = nil) -> [Ledger]? {
        let session = Session(loader: self, planIDs: plans.keys.sorted(), plan: { plans[$0] }, only: only)
        var ledgers: [Ledger] = []
        for (done, path) in paths.enumerated() {
            progress?(done, paths.count)
            if let ledger = session.next(path: path) { ledgers.append(ledger) }
        }
        return session.hasErrors ? nil : ledgers
    }

    /// Checks ledgers already read (a form: `LedgerFormReader`) exactly as `load(paths:)` checks
    /// files once read; nil when anything is wrong (the loader's diagnostics say what).
    ///
    /// `owed`: the plans' `OwedIndex`es when the caller keeps them (each built from the very plan
    /// given here: the portal's `PlanCache` builds it with the plan it decodes); else they are
    /// built here.
    public func load(specs: [LedgerFileSpec], plans: [String: Plan], only: String? = nil, owed: [OwedIndex] = []) -> [Ledger]? {
        let session = Session(loader: self, planIDs: plans.keys.sorted(), plan: { plans[$0] }, only: only, owed: owed)
        var ledgers: [Ledger] = []
        for spec in specs {
            if let ledger = session.next(spec: spec) { ledgers.append(ledger) }
        }
        return session.hasErrors ? nil : ledgers
    }

    /// What reading and checking one file on its own gave (`Checker.check`): sendable, so that
    /// files can be checked on another thread than the one recording them.
    public struct FileCheck: Sendable {
        public var path: String
        /// Its ledger; nil when it has errors.
        public var ledger: Ledger?
        /// The plan it was checked against.
        public var plan: Plan?
        /// Its findings, in order, and its text (to quote lines in them).
        public var findings: [Diagnostic] = []
        public var text: String?
        /// Where a second ledger for the same unit and period is reported.
        var unitLocation: SourceLocation?
        /// Why the stored plan it names could not be read (the submit then fails).
        public var failure: String?
        /// A workbook left unread, to be read and recorded as it is checked on the thread that
        /// records (`LedgerIngest`, `Checker.deferringWorkbooks`).
        public var deferred = false
        /// Its ledger's canonical JSON's length and fingerprint (`LedgerEncoding.measure`), when
        /// taken already, on the thread that checks ahead (`CheckAhead`).
        var measured: (size: Int, fingerprint: String)?
    }

    /// Reads and checks files one at a time, each on its own (a `DiagnosticCollector` of its
    /// own; nothing kept between files but each plan's `OwedIndex`). Not thread-safe: one per
    /// thread.
    public final class Checker {
        let encoding: TextEncodingChoice
        let defaults: LedgerHeaderDefaults
        let planIDs: [String]
        let plan: (String) throws -> Plan?
        let only: String?
        private var owed: [String: OwedIndex] = [:]
        /// Whether a workbook (.xlsx) is left unread (`FileCheck.deferred`): `LedgerIngest`'s
        /// checker ahead, so that each workbook is read on the recording thread, its entries
        /// recorded as they are checked, never held whole.
        var deferringWorkbooks = false

        /// `planIDs`: the plans there are (for hints); `plan`: a plan by id (nil if there is none;
        /// throws if it cannot be read); `owed`: indexes built already, each from the very plan
        /// `plan` gives for its id.
        public init(encoding: TextEncodingChoice, defaults: LedgerHeaderDefaults, planIDs: [String],
                    plan: @escaping (String) throws -> Plan?, only: String? = nil, owed: [OwedIndex] = []) {
            self.encoding = encoding
            self.defaults = defaults
            self.planIDs = planIDs
            self.plan = plan
            self.only = only
            for index in owed { self.owed[index.planID] = index }
        }

        public func check(path: String) -> FileCheck {
            let mine = DiagnosticCollector()
            var result = check(path: path, into: mine)
            result.findings = mine.diagnostics
            return result
        }

        private func check(path: String, into mine: DiagnosticCollector) -> FileCheck {
            if path.lowercased().hasSuffix(".xlsx") {
                if deferringWorkbooks {
                    var deferred = FileCheck(path: path, text: nil)
                    deferred.deferred = true
                    return deferred
                }
                return checkWorkbook(path: path, into: mine, recording: nil)
            }
            let loader = LedgerLoader(diagnostics: mine, encoding: encoding, defaults: defaults)
            let (read, text) = loader.read(path: path, into: mine, register: false)
            return check(read, path: path, text: text, into: mine)
        }

        /// Checks a ledger already read (a form), as a file's is once read.
        public func check(spec: LedgerFileSpec) -> FileCheck {
            let mine = DiagnosticCollector()
            var result = check(spec, path: spec.path, text: nil, into: mine)
            result.findings = mine.diagnostics
            return result
        }

        private func check(_ read: LedgerFileSpec?, path: String, text: String?, into mine: DiagnosticCollector) -> FileCheck {
            var result = FileCheck(path: path, text: text)
            guard let spec = read, let (plan, index) = plan(of: spec, into: mine, result: &result) else { return result }
            result.ledger = LedgerValidator(diagnostics: mine, owed: index).validate(spec, plan: plan)
            result.unitLocation = spec.unit?.location ?? spec.location
            return result
        }

        /// A workbook read and checked as its rows come (`LedgerXLSXReader.stream`): its plan is
        /// looked up once the table's header is read, and each entry checked as it is read; the
        /// entries read are not held, only the checked ones. What it reports, and in what order,
        /// is what reading it whole and then checking it reports: the reading's findings, then
        /// the plan's, then the checks'.
        ///
        /// With `recording`, each checked entry goes to it as it is checked (and `ledger` is
        /// the header alone), so a workbook's entries are never all held.
        func check(workbook path: String, recording: WorkbookRecording) -> FileCheck {
            let mine = DiagnosticCollector()
            var result = checkWorkbook(path: path, into: mine, recording: recording)
            result.findings = mine.diagnostics
            return result
        }

        private func checkWorkbook(path: String, into mine: DiagnosticCollector, recording: WorkbookRecording?) -> FileCheck {
            final class Checking {
                var result: FileCheck
                /// The findings of the plan's lookup and of the checks, reported after the reading's.
                let found = DiagnosticCollector()
                var check: LedgerValidator.Check?
                init(path: String) { result = FileCheck(path: path, text: nil) }
            }
            guard let file = InputFile.openRegular(path, into: mine) else { return FileCheck(path: path, text: nil) }
            var checking: Checking?
            let read = LedgerXLSXReader(diagnostics: mine).stream(path: path, readPath: file.readPath, defaults: defaults) { spec in
                let now = Checking(path: path)
                checking = now
                if let (plan, index) = self.plan(of: spec, into: now.found, result: &now.result) {
                    now.check = LedgerValidator.Check(LedgerValidator(diagnostics: now.found, owed: index), header: spec, plan: plan, owed: index)
                    now.result.unitLocation = spec.unit?.location ?? spec.location
                }
                if let recording {
                    // Called again when the rows are read a second time: what was given is forgotten.
                    recording.begin(now.check?.headerLedger)
                    now.check?.each = recording.add
                }
                return { now.check?.add($0) }
            }
            guard read, let checking else { return FileCheck(path: path, text: nil) }
            var result = checking.result
            result.ledger = checking.check?.finish()
            for d in checking.found.diagnostics {
                switch d.severity {
                case .error: mine.error(d.location, d.message, hint: d.hint)
                case .warning: mine.warning(d.location, d.message, hint: d.hint)
                }
            }
            return result
        }

        /// The plan a ledger names, and what its units owe; nil when it has none, or none that
        /// can be read (`result.failure`) or taken (reported to `mine`).
        private func plan(of spec: LedgerFileSpec, into mine: DiagnosticCollector, result: inout FileCheck) -> (Plan, OwedIndex)? {
            guard let planID = spec.plan else { return nil }
            let found: Plan?
            do {
                found = try plan(planID.value)
            } catch {
                result.failure = "plan \(planID.value): \(error)"
                return nil
            }
            guard let plan = found else {
                let known = planIDs.joined(separator: ", ")
                mine.error(planID.location, "no plan \"\(planID.value)\" in the database",
                           hint: known.isEmpty ? "load the plan first: duban plan load FOLDER" : "plans here: \(known)")
                return nil
            }
            result.plan = plan
            if let only, only != plan.id {
                mine.error(planID.location, "the ledger is for plan \"\(plan.id)\", but --plan is \"\(only)\"",
                           hint: "drop --plan, or submit this file with its own plan")
                return nil
            }
            let index = owed[plan.id] ?? OwedIndex(plan)
            owed[plan.id] = index
            return (plan, index)
        }
    }

    /// The reading of one submit's files, one at a time: each file is read and validated on its
    /// own (`Checker`), then taken in order (`accept`), against the files before it (one ledger
    /// per unit and period), so that a caller can record each ledger and drop it before reading
    /// the next.
    ///
    /// What it keeps from file to file is small and does not hold ledgers: the (plan, unit,
    /// period) of each file read, the owed-task index of each plan. A file's findings (with its
    /// text, to quote lines) are passed on to the loader's collector only when there are some: a
    /// clean file leaves nothing behind.
    public final class Session {
        let diagnostics: DiagnosticCollector
        let checker: Checker?
        private var firstFile: [String: String] = [:]
        public private(set) var filesWithErrors = 0

        /// `planIDs`: the plans there are (for hints); `plan`: a plan by id (nil if there is none).
        /// `owed`: indexes built already, each from the very plan `plan` gives for its id.
        public init(loader: LedgerLoader, planIDs: [String], plan: @escaping (String) -> Plan?, only: String? = nil,
                    owed: [OwedIndex] = []) {
            diagnostics = loader.diagnostics
            checker = Checker(encoding: loader.encoding, defaults: loader.defaults, planIDs: planIDs, plan: plan, only: only, owed: owed)
        }

        /// A session whose files are checked elsewhere (`accept` only), reporting to `diagnostics`.
        init(reportingTo diagnostics: DiagnosticCollector) {
            self.diagnostics = diagnostics
            checker = nil
        }

        /// Whether any file so far had an error.
        public var hasErrors: Bool { filesWithErrors > 0 }

        /// Reads and validates one file: its ledger, or nil (its problems reported).
        public func next(path: String) -> Ledger? {
            guard let checker else { return nil }
            return accept(checker.check(path: path))
        }

        /// Validates one ledger already read: its ledger, or nil (its problems reported).
        public func next(spec: LedgerFileSpec) -> Ledger? {
            guard let checker else { return nil }
            return accept(checker.check(spec: spec))
        }

        /// Takes the next file's check, in the order of the files: reports its findings, and a
        /// second file for the same unit and period; its ledger, or nil.
        public func accept(_ check: FileCheck) -> Ledger? {
            var registered = false
            func register() {
                guard !registered, let text = check.text else { return }
                diagnostics.register(file: check.path, text: text)
                registered = true
            }
            var errors = false
            if !check.findings.isEmpty {
                register()
                for d in check.findings {
                    switch d.severity {
                    case .error:
                        errors = true
                        diagnostics.error(d.location, d.message, hint: d.hint)
                    case .warning:
                        diagnostics.warning(d.location, d.message, hint: d.hint)
                    }
                }
            }
            // A file can have a ledger and errors (the reader's, e.g. an unknown key): it still
            // claims its unit and period, as it always did.
            if let ledger = check.ledger {
                let key = "\(ledger.planID)|\(ledger.unitID)|\(ledger.period)"
                if let other = firstFile[key] {
                    register()
                    diagnostics.error(check.unitLocation ?? SourceLocation(file: check.path),
                                      "\(other) is also the ledger of \(check.plan?.unit(id: ledger.unitID)?.name ?? ledger.unitID) for \(ledger.period)",
                                      hint: "submit one ledger per unit and period at a time; a later submit of a corrected one supersedes the earlier")
                    errors = true
                } else {
                    firstFile[key] = ledger.sourceFile
                }
            }
            if errors {
                filesWithErrors += 1
                return nil
            }
            return check.ledger
        }
    }
}
