/// The digest as plain text: section titles, lists, and tables aligned for Chinese (double-width) text.
public enum DigestTextRenderer {
    public static func render(_ digest: Digest, language: DigestLanguage = .zh) -> String {
        let doc = DigestDocument(digest, language: language)
        var out = doc.title + "\n" + doc.subtitle.joined(separator: "\n") + "\n"
        for section in doc.sections {
            out += "\n" + section.title + "\n" + String(repeating: "=", count: DisplayWidth.of(section.title)) + "\n"
            for block in section.blocks {
                switch block {
                case .paragraph(let p): out += p + "\n"
                case .list(let items): out += items.map { "  - \($0)\n" }.joined()
                case .table(let t): out += t.renderText()
                case .chart: continue
                }
            }
        }
        return out + "\n" + doc.footer + "\n"
    }
}
