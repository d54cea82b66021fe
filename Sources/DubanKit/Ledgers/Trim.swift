import Foundation

extension StringProtocol {
    /// `trimmingCharacters(in: .whitespacesAndNewlines)` (or `.whitespaces`), without Foundation's
    /// bridging when there is nothing to trim, which is nearly always: the ledger readers call it
    /// on every field. Both sets are exactly Unicode's White_Space scalars (`.whitespaces`: without
    /// the line and paragraph separators), so a string whose first and last scalars are not
    /// White_Space trims to itself.
    func trimmedFast(newlines: Bool = true) -> String {
        guard let first = unicodeScalars.first, let last = unicodeScalars.last else { return "" }
        if !first.properties.isWhitespace && !last.properties.isWhitespace { return String(self) }
        return trimmingCharacters(in: newlines ? .whitespacesAndNewlines : .whitespaces)
    }
}
