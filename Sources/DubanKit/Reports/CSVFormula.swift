/// Formula injection in CSV (OWASP "CSV Injection"): a cell that starts with `=`, `+`, `-`, `@`,
/// a tab or a carriage return (or the full-width `＝＋－＠` a Chinese input method types) is run
/// as a formula by Excel, WPS and LibreOffice when a person opens the file. Every CSV duban
/// writes goes through `CSV.field`, which neutralises such a cell the way OWASP advises: a single
/// quote `'` before it, and the whole cell quoted. A spreadsheet shows the text as written and
/// drops the `'` when it saves; the CSV ledger reader drops it too (`restoredStart`), so a
/// template filled in and submitted back reads the original text.
///
/// A number is not a formula: a cell that is a plain number (`-5`, `+3`, `-2.5`, `-12%`) is
/// written as it is, so negative figures stay numbers. Dates (`2024-01-05`) never start with a
/// sign.
public enum CSVFormula {
    /// Whether `value` would be read as a formula (and is not a plain number).
    public static func needsNeutralising(_ value: String) -> Bool {
        guard let first = value.unicodeScalars.first, isTrigger(first) else { return false }
        return !isPlainNumber(value)
    }

    /// `value` as it is written into a cell: with `'` before it if it needs neutralising.
    public static func neutralised(_ value: String) -> String {
        needsNeutralising(value) ? "'" + value : value
    }

    static func isTrigger(_ s: Unicode.Scalar) -> Bool {
        switch s {
        case "=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠": return true
        default: return false
        }
    }

    /// `[+-]digits[.digits][%]`.
    static func isPlainNumber(_ value: String) -> Bool {
        var bytes = Substring(value).utf8[...]
        if let f = bytes.first, f == UInt8(ascii: "+") || f == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        if bytes.last == UInt8(ascii: "%") { bytes = bytes.dropLast() }
        let parts = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count) else { return false }
        return parts.allSatisfy { !$0.isEmpty && $0.allSatisfy { (0x30...0x39).contains($0) } }
    }

    /// How many bytes to skip at the start of a cell read from CSV: 1 when the cell is `'`
    /// followed by a formula's first character (a cell neutralised by a writer), else 0.
    static func restoredStart(_ v: UnsafeBufferPointer<UInt8>) -> Int {
        guard v.count >= 2, v[0] == UInt8(ascii: "'") else { return 0 }
        switch v[1] {
        case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D: return 1
        case 0xEF:
            // ＝ EF BC 9D, ＋ EF BC 8B, － EF BC 8D, ＠ EF BC A0
            guard v.count >= 4, v[2] == 0xBC else { return 0 }
            return [0x9D, 0x8B, 0x8D, 0xA0].contains(v[3]) ? 1 : 0
        default: return 0
        }
    }
}
