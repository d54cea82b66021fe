/// A line of a file quoted under a finding as a bounded, escaped window: at most `width`
/// characters around the column, `…` where it is cut, and every control or format character
/// written `\u{…}`, so a finding about a file that is not what it claims (a calendar that is
/// really something else) shows no more of it than a few words and nothing a terminal acts on.
struct QuotedLine {
    static let width = 60

    /// The window, and the column of the same place in it (nil if none was given).
    let text: String
    let column: Int?

    init(_ line: String, column: Int?, width: Int = QuotedLine.width) {
        let scalars = Array(line.unicodeScalars)
        let at = max(0, min((column ?? 1) - 1, scalars.count))
        let start = scalars.count <= width ? 0 : max(0, min(at - width / 3, scalars.count - width))
        let end = min(scalars.count, start + width)
        var out = start > 0 ? "…" : ""
        var caret: Int?
        for i in start..<end {
            if i == at { caret = out.unicodeScalars.count + 1 }
            out += Self.escaped(scalars[i])
        }
        if caret == nil { caret = out.unicodeScalars.count + 1 }
        if end < scalars.count { out += "…" }
        text = out
        self.column = column == nil ? nil : caret
    }

    static func escaped(_ s: Unicode.Scalar) -> String {
        switch s.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator, .privateUse, .unassigned, .surrogate:
            return "\\u{" + String(s.value, radix: 16, uppercase: true) + "}"
        default:
            return String(s)
        }
    }

    /// Whether `text` holds a control character (C0, DEL, C1).
    static func hasControls(_ text: String) -> Bool {
        text.unicodeScalars.contains { $0.properties.generalCategory == .control }
    }

    /// `text` with every control character but the line break written `\u{…}`: what a message
    /// quotes from a file (a cell's text) cannot move the cursor or recolour a terminal.
    static func escapingControls(_ text: String) -> String {
        guard hasControls(text) else { return text }
        var out = ""
        for s in text.unicodeScalars {
            if s != "\n", s.properties.generalCategory == .control {
                out += "\\u{" + String(s.value, radix: 16, uppercase: true) + "}"
            } else {
                out.unicodeScalars.append(s)
            }
        }
        return out
    }
}
