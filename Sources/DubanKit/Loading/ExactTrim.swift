import Foundation

extension String {
    /// Exactly `trimmingCharacters(in: .whitespacesAndNewlines)` (or `.whitespaces`), without
    /// calling Foundation when the first and last scalars are ones it never trims: printable
    /// ASCII other than the space, and anything from U+3001 on (CJK text and punctuation).
    /// Everything else goes to Foundation, because its sets are not Unicode's White_Space: it
    /// also trims U+200B ZERO WIDTH SPACE. `ExactTrimTests` checks the shortcut over every scalar.
    func trimmedLikeFoundation(newlines: Bool = true) -> String {
        let scalars = unicodeScalars
        guard let first = scalars.first, let last = scalars.last else { return self }
        if Self.neverTrimmed(first) && Self.neverTrimmed(last) { return self }
        return trimmingCharacters(in: newlines ? .whitespacesAndNewlines : .whitespaces)
    }

    static func neverTrimmed(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        return (0x21...0x7E).contains(v) || v >= 0x3001
    }
}
