/// The one escaping of text put into Markdown, for table cells and running text alike (every
/// listing's `--format markdown`, the digest, `task N --format markdown`): nothing a unit name,
/// a note or a plan's text holds can start markup, end a table cell or become raw HTML.
public enum MarkdownEscape {
    /// `\ ` * _ [ ] # |` are backslash-escaped, `< > &` become entities, a line break `<br>`.
    public static func text(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for ch in s {
            switch ch {
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "\\", "`", "*", "_", "[", "]", "#", "|": out += "\\" + String(ch)
            case "\n", "\r\n", "\r": out += "<br>"
            default: out.append(ch)
            }
        }
        return out
    }
}
