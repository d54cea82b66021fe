/// When a ledger counts as submitted (报送日期), which decides 已报 or 迟报 and from when its
/// records are known:
/// - recorded by the coordinator with `duban ledger submit`: the day written in it (`submitted`),
///   since the liaison sent it earlier, by mail or through the office system;
/// - submitted on the portal or through its API: the day the portal received it, whatever the
///   file or form says (a liaison cannot date a ledger before it arrived, nor after). A completion
///   after that day is then an error, as it is after any ledger's date.
public enum SubmissionDate {
    /// Sets a portal submission's date to `receivedOn`, at the position of the date it had (or
    /// the file's start when it had none); returns the date it had, when that differed.
    @discardableResult
    public static func stampReceived(_ spec: inout LedgerFileSpec, receivedOn: LocalDate) -> LocalDate? {
        let written = spec.submitted
        spec.submitted = Located(receivedOn, at: written?.location ?? SourceLocation(file: spec.path, field: "submitted"))
        guard let written, written.value != receivedOn else { return nil }
        return written.value
    }
}
