import Foundation

/// The index page of a series of weekly digests written with `--out`: one row per week, with
/// its file and its headline figures.
public enum DigestIndexRenderer {
    /// One week of the series.
    public struct Entry: Sendable {
        public var file: String
        public var digest: Digest

        public init(file: String, digest: Digest) {
            self.file = file
            self.digest = digest
        }
    }

    public static func render(_ entries: [Entry], format: DigestFormat, language: DigestLanguage) -> String {
        let l = language.labels
        let title = (entries.first.map { language == .en ? "\($0.digest.planTitle) — " : "《\($0.digest.planTitle)》" } ?? "") + l.index
        let table = Table(columns: [.init(l.week), .init(l.asOf), .init(l.milestonesDone, .right), .init(l.milestonesOverdue, .right),
                                    .init(l.ledgersReceived, .right), .init(l.unitsEscalated, .right)],
                          rows: entries.map { en in
                              let h = en.digest.headline
                              return [en.digest.week, en.digest.asOf.description, "\(h.milestonesDone)", "\(h.milestonesOverdue)",
                                      "\(h.ledgersReceived)/\(h.ledgersOwed)" + (h.ledgerPeriod.map { " (\($0))" } ?? ""),
                                      "\(h.unitsEscalated)"]
                          })
        switch format {
        case .text:
            return title + "\n\n" + table.renderText().split(separator: "\n", omittingEmptySubsequences: false).enumerated().map { i, line in
                i >= 2 && i - 2 < entries.count ? line + "  " + entries[i - 2].file : String(line)
            }.joined(separator: "\n")
        case .markdown:
            var linked = table
            linked.rows = zip(table.rows, entries).map { row, en in
                // The file is a name duban writes (the week and its extension).
                ["[\(MarkdownEscape.text(row[0]))](\(en.file))"] + row.dropFirst()
            }
            return "# \(MarkdownEscape.text(title))\n\n" + linked.renderMarkdown(markdown: [0])
        case .json:
            struct Item: Encodable { var week: String; var asOf: LocalDate; var file: String; var headline: DigestHeadline }
            struct Index: Encodable { var planId: String?; var weeks: [Item] }
            let index = Index(planId: entries.first?.digest.planID,
                              weeks: entries.map { Item(week: $0.digest.week, asOf: $0.digest.asOf, file: $0.file, headline: $0.digest.headline) })
            return JSONOutput.encode(index, snakeCaseKeys: true)
        case .html:
            let e = DigestHTMLRenderer.e
            var body = "<header><h1>\(e(title))</h1></header>\n<section id=\"index\"><div class=\"scroll\"><table><thead><tr>"
            body += table.columns.map { "<th\($0.alignment == .right ? " class=\"num\"" : "")>\(e($0.header))</th>" }.joined()
            body += "</tr></thead><tbody>"
            for (row, en) in zip(table.rows, entries) {
                body += "<tr><td class=\"date\"><a href=\"\(e(en.file))\">\(e(row[0]))</a></td>"
                body += row.dropFirst().map { "<td class=\"num\">\(e($0))</td>" }.joined() + "</tr>"
            }
            body += "</tbody></table></div></section>\n"
            return DigestHTMLRenderer.page(title: title, lang: l.htmlLang, body: body)
        }
    }
}
