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
                case .table(let t): out += t.renderMarkdown() + "\n"
                case .chart: continue
                }
            }
        }
        return out + "---\n\n" + escape(doc.footer) + "\n"
    }

    /// Text escaped as every Markdown output escapes it (`MarkdownEscape`).
    static func escape(_ text: String) -> String { MarkdownEscape.text(text) }
}
