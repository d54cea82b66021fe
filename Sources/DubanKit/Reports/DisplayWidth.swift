/// Terminal column widths: East Asian wide and fullwidth characters take two columns,
/// combining marks none, so that tables holding Chinese line up.
public enum DisplayWidth {
    public static func of(_ text: some StringProtocol) -> Int {
        var width = 0
        for scalar in text.unicodeScalars { width += of(scalar) }
        return width
    }

    public static func of(_ scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        // Printable ASCII and the CJK ideographs (every one a letter, wide) answered without
        // looking up the general category, which took much of a long table's time (`history`;
        // BENCHMARKS.md, "Figures the code's choices rest on").
        if v >= 0x20 && v < 0x7F { return 1 }
        if (0x4E00...0x9FFF).contains(v) || (0x3400...0x4DBF).contains(v) { return 2 }
        return byCategory(scalar)
    }

    /// `of(scalar)` from the general category: what its fast paths must agree with.
    static func byCategory(_ scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        if v == 0 || (v < 32) || (v >= 0x7F && v < 0xA0) { return 0 }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        if v == 0x200B { return 0 }
        return isWide(v) ? 2 : 1
    }

    static func isWide(_ v: UInt32) -> Bool {
        switch v {
        case 0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x23F0, 0x23F3,
             0x25FD...0x25FE, 0x2614...0x2615, 0x2648...0x2653, 0x267F, 0x2693, 0x26A1,
             0x26AA...0x26AB, 0x26BD...0x26BE, 0x26C4...0x26C5, 0x26CE, 0x26D4, 0x26EA,
             0x26F2...0x26F3, 0x26F5, 0x26FA, 0x26FD, 0x2705, 0x270A...0x270B, 0x2728, 0x274C,
             0x274E, 0x2753...0x2755, 0x2757, 0x2795...0x2797, 0x27B0, 0x27BF, 0x2B1B...0x2B1C,
             0x2B50, 0x2B55, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
             0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19,
             0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF,
             0x20000...0x2FFFD, 0x30000...0x3FFFD:
            return true
        default:
            return false
        }
    }

    /// Pads `text` with spaces on the right to `width` columns.
    public static func padRight(_ text: String, to width: Int) -> String {
        let w = of(text)
        return w >= width ? text : text + String(repeating: " ", count: width - w)
    }

    /// Pads `text` with spaces on the left to `width` columns.
    public static func padLeft(_ text: String, to width: Int) -> String {
        let w = of(text)
        return w >= width ? text : String(repeating: " ", count: width - w) + text
    }

    /// Cuts `text` to at most `width` columns, ending with `…` when cut.
    public static func truncate(_ text: String, to width: Int) -> String {
        guard of(text) > width, width > 0 else { return text }
        // The characters that fit, found first and copied at once (not appended one by one).
        var end = text.startIndex
        var used = 0
        while end < text.endIndex {
            var w = 0
            for scalar in text[end].unicodeScalars { w += of(scalar) }
            if used + w > width - 1 { break }
            used += w
            end = text.index(after: end)
        }
        return text[..<end] + "…"
    }
}
