/// The digest as GitHub-flavoured Markdown: headings, lists and tables, for a code forge or a wiki.
public enum DigestMarkdownRenderer {
    public static func render(_ digest: Digest, language: DigestLanguage = .zh) -> String {
        let doc = DigestDocument(digest, language: language)
        var out = "# \(escape(doc.title))\n\n" + doc.subtitle.map { escape($0) }.joined(separator: "  \n") + "\n"
        for section in doc.sections {
            out += "\n## \(escape(section.title))\n\n"
            for block in section.blocks {
                switch block {
                case .paragraph(let p): out += "**\(escape(p))**\n\n"
                case .list(let items): out += items.map { "- \(escape($0))\n" }.joined() + "\n"
                case .table(let t): out += escaped(t).renderMarkdown() + "\n"
                case .chart: continue
                }
            }
        }
        return out + "---\n\n" + escape(doc.footer) + "\n"
    }

    /// A table whose cells cannot start markup or raw HTML (`|` is escaped by `Table` itself).
    static func escaped(_ t: Table) -> Table {
        func cell(_ s: String) -> String {
            var out = ""
            for ch in s {
                switch ch {
                case "<": out += "&lt;"
                case ">": out += "&gt;"
                case "\\", "`", "*", "_", "[", "]": out += "\\" + String(ch)
                default: out.append(ch)
                }
            }
            return out
        }
        var copy = t
        copy.columns = t.columns.map { var c = $0; c.header = cell(c.header); return c }
        copy.rows = t.rows.map { $0.map(cell) }
        return copy
    }

    /// Escapes the characters Markdown would read as markup in running text.
    static func escape(_ text: String) -> String {
        var out = ""
        for ch in text {
            switch ch {
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\\", "`", "*", "_", "[", "]", "#", "|": out += "\\" + String(ch)
            default: out.append(ch)
            }
        }
        return out
    }
}
