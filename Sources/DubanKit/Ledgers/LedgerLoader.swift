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
        guard let format = Self.format(of: path) else {
            diagnostics.error(SourceLocation(file: path), "cannot tell the ledger's format from its name",
                              hint: "name YAML ledgers *.yaml and spreadsheet ledgers *.csv")
            return (nil, nil)
        }
        guard let text = LedgerText.read(path: path, encoding: encoding, into: diagnostics, register: register) else { return (nil, nil) }
        switch format {
        case .yaml: return (LedgerFileReader(diagnostics: diagnostics).read(text: text, path: path), text)
        case .csv: return (LedgerCSVReader(diagnostics: diagnostics).read(text: text, path: path, defaults: defaults), text)
        }
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

    /// The reading of one submit's files, one at a time: each file is read and validated on its
    /// own, against the plans and against the files before it (one ledger per unit and period),
    /// so that a caller can record each ledger and drop it before reading the next.
    ///
    /// What it keeps from file to file is small and does not hold ledgers: the (plan, unit,
    /// period) of each file read, the owed-task index of each plan. Each file is checked with its
    /// own `DiagnosticCollector`, and its findings (with its text, to quote lines) are passed on
    /// to the loader's only when there are some: a clean file leaves nothing behind.
    public final class Session {
        let loader: LedgerLoader
        let planIDs: [String]
        let plan: (String) -> Plan?
        let only: String?
        private var firstFile: [String: String] = [:]
        private var owed: [String: OwedIndex] = [:]
        public private(set) var filesWithErrors = 0

        /// `planIDs`: the plans there are (for hints); `plan`: a plan by id (nil if there is none).
        public init(loader: LedgerLoader, planIDs: [String], plan: @escaping (String) -> Plan?, only: String? = nil) {
            self.loader = loader
            self.planIDs = planIDs
            self.plan = plan
            self.only = only
        }

        /// Whether any file so far had an error.
        public var hasErrors: Bool { filesWithErrors > 0 }

        /// Reads and validates one file: its ledger, or nil (its problems reported).
        public func next(path: String) -> Ledger? {
            let mine = DiagnosticCollector()
            let (ledger, text) = check(path: path, diagnostics: mine)
            if !mine.diagnostics.isEmpty {
                let main = loader.diagnostics
                if let text { main.register(file: path, text: text) }
                var errors = false
                for d in mine.diagnostics {
                    switch d.severity {
                    case .error:
                        errors = true
                        main.error(d.location, d.message, hint: d.hint)
                    case .warning:
                        main.warning(d.location, d.message, hint: d.hint)
                    }
                }
                if errors {
                    filesWithErrors += 1
                    return nil
                }
            }
            return ledger
        }

        private func check(path: String, diagnostics: DiagnosticCollector) -> (Ledger?, String?) {
            let (read, text) = loader.read(path: path, into: diagnostics, register: false)
            guard let spec = read, let planID = spec.plan else { return (nil, text) }
            guard let plan = plan(planID.value) else {
                let known = planIDs.joined(separator: ", ")
                diagnostics.error(planID.location, "no plan \"\(planID.value)\" in the database",
                                  hint: known.isEmpty ? "load the plan first: duban plan load FOLDER" : "plans here: \(known)")
                return (nil, text)
            }
            if let only, only != plan.id {
                diagnostics.error(planID.location, "the ledger is for plan \"\(plan.id)\", but --plan is \"\(only)\"",
                                  hint: "drop --plan, or submit this file with its own plan")
                return (nil, text)
            }
            let index = owed[plan.id] ?? OwedIndex(plan)
            owed[plan.id] = index
            guard let ledger = LedgerValidator(diagnostics: diagnostics, owed: index).validate(spec, plan: plan) else { return (nil, text) }
            let key = "\(ledger.planID)|\(ledger.unitID)|\(ledger.period)"
            if let other = firstFile[key] {
                diagnostics.error(spec.unit?.location ?? spec.location,
                                  "\(other) is also the ledger of \(plan.unit(id: ledger.unitID)?.name ?? ledger.unitID) for \(ledger.period)",
                                  hint: "submit one ledger per unit and period at a time; a later submit of a corrected one supersedes the earlier")
                return (nil, text)
            }
            firstFile[key] = ledger.sourceFile
            return (ledger, text)
        }
    }
}
