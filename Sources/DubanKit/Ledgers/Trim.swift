import Foundation

extension StringProtocol {
    /// Exactly `trimmingCharacters(in: .whitespacesAndNewlines)` (or `.whitespaces`), without
    /// Foundation's bridging when there is nothing to trim, which is nearly always: the ledger
    /// readers call it on every field. The shortcut is taken only when the first and last scalars
    /// are ones Foundation never trims (`String.neverTrimmed`: printable ASCII, U+3001 on);
    /// Foundation's sets are not Unicode's White_Space (they also trim U+200B), so anything else
    /// goes to Foundation. `ExactTrimTests` checks the shortcut over every scalar.
    func trimmedFast(newlines: Bool = true) -> String {
        guard let first = unicodeScalars.first, let last = unicodeScalars.last else { return "" }
        if String.neverTrimmed(first) && String.neverTrimmed(last) { return String(self) }
        return trimmingCharacters(in: newlines ? .whitespacesAndNewlines : .whitespaces)
    }
}
