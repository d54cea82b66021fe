/// Every bound on what Duban reads from a file, in one place (docs/limits.md lists them):
/// beyond these, the file or value is refused with an error at its place, before any of it is
/// stored. File sizes are checked while reading, so a huge file costs no more than its limit.
public enum InputLimits {
    /// `plan.yaml`, `units.yaml`, `tasks.yaml`, the plan's text and its calendar, each.
    public static let planFileBytes = 2 * 1024 * 1024
    /// One ledger file, YAML or CSV.
    public static let ledgerFileBytes = 4 * 1024 * 1024
    /// The values (nodes) that aliases (`*name`) may copy into one YAML file, all counted: an
    /// alias stands for a copy of what its anchor names (`FlatYAML`).
    public static let yamlAliasedNodes = 100_000

    /// A plan's period, `period.end` minus `period.start` in days (ten years): every due date,
    /// ledger period and reminder is counted over it.
    public static let planDays = 3660
    /// `days_overdue` and `unrectified_days` of an escalation step, at most (ten years).
    public static let escalationDays = 3660
    /// `overdue_items` of an escalation step, at most.
    public static let escalationItems = 100_000

    /// Long texts: a task's `text`, a `note`, a `source` quote; a ledger entry's `progress`,
    /// `problems`, `next_steps`, and a CSV cell of 数据指标 or 佐证材料.
    public static let longTextCharacters = 10_000
    /// `title` of the plan, a category, a task or a milestone.
    public static let titleCharacters = 500
    /// One item of a ledger entry's `evidence` (a document number, file name or link).
    public static let evidenceCharacters = 1_000
    /// Every other text: ids, names, aliases, units named in lists, the liaison's name and
    /// phone, a ledger's plan, unit and period, a figure's name and unit, paths in plan.yaml.
    public static let shortTextCharacters = 200

    static let longTextKeys: Set<String> = ["text", "note", "source", "progress", "problems", "next_steps", "figures"]

    /// The most characters (Unicode scalars) a value under `key` may have.
    public static func maxCharacters(forKey key: String) -> Int {
        if longTextKeys.contains(key) { return longTextCharacters }
        if key == "title" { return titleCharacters }
        if key == "evidence" { return evidenceCharacters }
        return shortTextCharacters
    }

    /// Reports `text` (the value of `key`, called `what`) at `location` if it is over its limit;
    /// true when it fits.
    @discardableResult
    static func check(_ text: String, key: String, what: @autoclosure () -> String, at location: SourceLocation,
                      into diagnostics: DiagnosticCollector) -> Bool {
        let limit = maxCharacters(forKey: key)
        // The byte count is at hand; the scalars are counted only for a text over it in bytes.
        if text.utf8.count <= limit { return true }
        let characters = text.unicodeScalars.count
        if characters <= limit { return true }
        report(what(), characters: characters, limit: limit, at: location, into: diagnostics)
        return false
    }

    static func report(_ what: String, characters: Int, limit: Int, at location: SourceLocation, into diagnostics: DiagnosticCollector) {
        diagnostics.error(location, "\(what) is \(InputFile.grouped(characters)) characters long; at most \(InputFile.grouped(limit))",
                          hint: "shorten it (docs/limits.md lists every limit)")
    }
}
