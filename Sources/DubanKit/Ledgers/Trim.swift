import Foundation

extension StringProtocol {
    /// `trimmingCharacters(in: .whitespacesAndNewlines)` (or `.whitespaces`), without Foundation's
    /// bridging when there is nothing to trim, which is nearly always: the ledger readers call it
    /// on every field. Both sets are exactly Unicode's White_Space scalars (`.whitespaces`: without
    /// the line and paragraph separators), so a string whose first and last scalars are not
    /// White_Space trims to itself.
    func trimmedFast(newlines: Bool = true) -> String {
        guard let first = unicodeScalars.first, let last = unicodeScalars.last else { return "" }
        if !first.isWhiteSpaceFast && !last.isWhiteSpaceFast { return String(self) }
        return trimmingCharacters(in: newlines ? .whitespacesAndNewlines : .whitespaces)
    }
}

extension Unicode.Scalar {
    /// `properties.isWhitespace`, answered without the property table for ASCII and for the CJK
    /// ideographs (U+4E00–U+9FFF, none of them White_Space) that nearly every ledger cell starts
    /// and ends with.
    var isWhiteSpaceFast: Bool {
        let v = value
        if v < 0x80 { return v == 0x20 || (0x09...0x0D).contains(v) }
        if (0x4E00...0x9FFF).contains(v) { return false }
        return properties.isWhitespace
    }
}
