/// A write the rules refuse given what is already stored (a review of a ledger already reviewed,
/// a resubmission dated before its return). Nothing of it was written; `message` says why in the
/// words of the rule that refused it (`LedgerReviewRule`).
public struct LedgerRefusal: Error, Equatable, Sendable {
    /// The ledger file (or form) it is about, when there is one.
    public var file: String?
    public var message: String
    public var hint: String?

    public init(file: String? = nil, message: String, hint: String? = nil) {
        self.file = file
        self.message = message
        self.hint = hint
    }

    /// "file: message", as the command line and the portal print it.
    public var text: String { file.map { "\($0): \(message)" } ?? message }
}
