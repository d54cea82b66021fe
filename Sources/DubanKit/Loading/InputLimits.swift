/// Every bound on what Duban reads from a file, in one place (docs/limits.md lists them):
/// beyond these, the file or value is refused with an error at its place, before any of it is
/// stored. Checked while reading, so a huge file costs no more than its limit.
public enum InputLimits {
    /// `plan.yaml`, `units.yaml`, `tasks.yaml`, the plan's text and its calendar, each.
    public static let planFileBytes = 2 * 1024 * 1024
    /// One ledger file, YAML or CSV.
    public static let ledgerFileBytes = 4 * 1024 * 1024
}
