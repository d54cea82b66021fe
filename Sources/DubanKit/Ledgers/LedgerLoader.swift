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
        guard let format = Self.format(of: path) else {
            diagnostics.error(SourceLocation(file: path), "cannot tell the ledger's format from its name",
                              hint: "name YAML ledgers *.yaml and spreadsheet ledgers *.csv")
            return nil
        }
        guard let text = LedgerText.read(path: path, encoding: encoding, into: diagnostics) else { return nil }
        switch format {
        case .yaml: return LedgerFileReader(diagnostics: diagnostics).read(text: text, path: path)
        case .csv: return LedgerCSVReader(diagnostics: diagnostics).read(text: text, path: path, defaults: defaults)
        }
    }

    /// Reads and validates every file against the plans by id; nil when anything is wrong.
    /// `only` restricts the accepted plan (the `--plan` option).
    /// `progress` is told after each file (files done, files in all).
    public func load(paths: [String], plans: [String: Plan], only: String? = nil,
                     progress: ((Int, Int) -> Void)? = nil) -> [Ledger]? {
        let errorsBefore = diagnostics.errors.count
        var ledgers: [Ledger] = []
        var firstFile: [String: String] = [:]
        var owed: [String: OwedIndex] = [:]
        for (done, path) in paths.enumerated() {
            progress?(done, paths.count)
            guard let spec = read(path: path) else { continue }
            guard let planID = spec.plan else { continue }
            let known = plans.keys.sorted().joined(separator: ", ")
            guard let plan = plans[planID.value] else {
                diagnostics.error(planID.location, "no plan \"\(planID.value)\" in the database",
                                  hint: known.isEmpty ? "load the plan first: duban plan load FOLDER" : "plans here: \(known)")
                continue
            }
            if let only, only != plan.id {
                diagnostics.error(planID.location, "the ledger is for plan \"\(plan.id)\", but --plan is \"\(only)\"",
                                  hint: "drop --plan, or submit this file with its own plan")
                continue
            }
            let index = owed[plan.id] ?? OwedIndex(plan)
            owed[plan.id] = index
            if let ledger = LedgerValidator(diagnostics: diagnostics, owed: index).validate(spec, plan: plan) {
                let key = "\(ledger.planID)|\(ledger.unitID)|\(ledger.period)"
                if let other = firstFile[key] {
                    diagnostics.error(spec.unit?.location ?? spec.location,
                                      "\(other) is also the ledger of \(plan.unit(id: ledger.unitID)?.name ?? ledger.unitID) for \(ledger.period)",
                                      hint: "submit one ledger per unit and period at a time; a later submit of a corrected one supersedes the earlier")
                    continue
                }
                firstFile[key] = ledger.sourceFile
                ledgers.append(ledger)
            }
        }
        return diagnostics.errors.count == errorsBefore ? ledgers : nil
    }
}
