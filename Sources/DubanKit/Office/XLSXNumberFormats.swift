import Foundation

/// Which cell styles of a workbook show numbers as dates or as percents, from `xl/styles.xml`:
/// built-in formats 14–22 (and the CJK date formats 27–31, 36, 50–58 that Chinese Excel and WPS
/// use), and custom formats whose code has a year or day part (y, d, 年, 月, 日)
/// outside quotes and brackets.
struct XLSXNumberFormats {
    enum Kind { case number, date, percent }

    /// Per cell style (`s` index), what its number format shows.
    var kinds: [Kind] = []

    func kind(style: Int?) -> Kind {
        guard let style, style >= 0, style < kinds.count else { return .number }
        return kinds[style]
    }

    static let builtInDates: Set<Int> = Set(14...22).union(27...31).union([36]).union(50...58)
    static let builtInPercents: Set<Int> = [9, 10]

    static func kind(code: String) -> Kind {
        var plain = ""
        var quoted = false, bracket = false, escaped = false
        for ch in code {
            if escaped { escaped = false; continue }
            if quoted { if ch == "\"" { quoted = false }; continue }
            if bracket { if ch == "]" { bracket = false }; continue }
            switch ch {
            case "\"": quoted = true
            case "[": bracket = true
            case "\\", "_", "*": escaped = true
            default: plain.append(ch)
            }
        }
        let lower = plain.lowercased()
        if lower.contains("y") || lower.contains("d") || plain.contains("年") || plain.contains("月") || plain.contains("日") {
            return .date
        }
        if lower.contains("%") { return .percent }
        return .number
    }

    /// Reads `xl/styles.xml`: its `numFmts` and the number format of each `cellXfs` entry.
    static func read(_ data: Data?) throws -> XLSXNumberFormats {
        var formats = XLSXNumberFormats()
        guard let data else { return formats }
        var custom: [Int: String] = [:]
        var inCellXfs = false
        let events = XMLEvents()
        events.onStart = { name, attrs in
            switch name {
            case "numFmt":
                if let id = attrs["numFmtId"].flatMap(Int.init) { custom[id] = attrs["formatCode"] ?? "" }
            case "cellXfs": inCellXfs = true
            case "xf" where inCellXfs:
                guard formats.kinds.count < 65_536 else { throw OfficeReadError("xl/styles.xml has more than 65,536 cell styles") }
                let id = attrs["numFmtId"].flatMap(Int.init) ?? 0
                if let code = custom[id] {
                    formats.kinds.append(kind(code: code))
                } else {
                    formats.kinds.append(builtInDates.contains(id) ? .date : builtInPercents.contains(id) ? .percent : .number)
                }
            default: break
            }
        }
        events.onEnd = { name in if name == "cellXfs" { inCellXfs = false } }
        try events.parse(data, name: "xl/styles.xml")
        return formats
    }
}
