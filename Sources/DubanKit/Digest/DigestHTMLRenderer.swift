/// The digest as one self-contained HTML page: inline CSS, inline SVG charts, no script and no
/// external resource. Readable on a phone; printed on A4, each section starts a page.
/// Every piece of text is escaped.
public enum DigestHTMLRenderer {
    public static func render(_ digest: Digest, language: DigestLanguage = .zh) -> String {
        let l = language.labels
        let doc = DigestDocument(digest, language: language)
        var body = "<header><h1>\(e(doc.title))</h1>" + doc.subtitle.map { "<p class=\"sub\">\(e($0))</p>" }.joined() + "</header>\n"
        for section in doc.sections {
            body += "<section id=\"\(e(section.id))\"><h2>\(e(section.title))</h2>\n"
            var first = true
            for block in section.blocks {
                switch block {
                case .paragraph(let p): body += "<p class=\"lead\">\(e(p))</p>\n"
                case .list(let items): body += "<ul>" + items.map { "<li>\(e($0))</li>" }.joined() + "</ul>\n"
                case .table(let t):
                    body += section.id == "headline" && first ? cards(t) : table(t, levels: section.id == "escalations" || section.id == "units",
                                                                                            wide: section.id == "escalations")
                    first = false
                case .chart(.burnUp): body += "<figure>" + DigestCharts.burnUp(digest, l) + "<figcaption>\(e(l.burnUp))</figcaption></figure>\n"
                case .chart(.categories): body += "<figure>" + DigestCharts.categories(digest, l) + "</figure>\n"
                }
            }
            body += "</section>\n"
        }
        body += "<footer>\(e(doc.footer))</footer>\n"
        return page(title: doc.title, lang: l.htmlLang, body: body)
    }

    /// A page around `body`, with the digest's style sheet.
    static func page(title: String, lang: String, body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="\(e(lang))">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(e(title))</title>
        <style>
        \(style)
        </style>
        </head>
        <body>
        \(body)</body>
        </html>

        """
    }

    static func e(_ s: String) -> String { HTMLEscape.text(s) }

    /// The headline table as figure cards: label, this week's value, last week's and the change.
    static func cards(_ t: Table) -> String {
        var out = "<div class=\"cards\">"
        for row in t.rows where row.count >= 4 {
            let change = row[3]
            out += "<div class=\"card\"><div class=\"label\">\(e(row[0]))</div><div class=\"value\">\(e(row[1]))</div>"
            out += "<div class=\"prev\">\(e(t.columns[2].header)) \(e(row[2])) · <span class=\"change\">\(e(change))</span></div></div>"
        }
        return out + "</div>\n"
    }

    /// A table; a `wide` one keeps its width on a phone and scrolls sideways instead of squeezing its text.
    static func table(_ t: Table, levels: Bool, wide: Bool = false) -> String {
        var out = "<div class=\"scroll\"><table\(wide ? " class=\"wide\"" : "")><thead><tr>"
        out += t.columns.map { "<th\($0.alignment == .right ? " class=\"num\"" : "")>\(e($0.header))</th>" }.joined()
        out += "</tr></thead><tbody>"
        for row in t.rows {
            out += "<tr>"
            for (i, column) in t.columns.enumerated() {
                let cell = i < row.count ? row[i] : ""
                var content = e(cell)
                if levels, let keyword = levelKeyword(cell) { content = "<span class=\"level \(keyword)\">\(content)</span>" }
                let kind = column.alignment == .right ? " class=\"num\"" : LocalDate(iso: cell) != nil ? " class=\"date\"" : ""
                out += "<td\(kind)>\(content)</td>"
            }
            out += "</tr>"
        }
        return out + "</tbody></table></div>\n"
    }

    static func levelKeyword(_ cell: String) -> String? {
        for l in EscalationLevel.allCases where cell == DigestLabels.chinese.level(l.keyword) || cell == DigestLabels.english.level(l.keyword) {
            return l.keyword
        }
        return nil
    }

    static let style = """
        :root { --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --soft: #f6f8fa; --accent: #0b5cad;
                --done: #1a7f37; --due: #8c959f; --over: #cf222e; }
        * { box-sizing: border-box; }
        body { margin: 0 auto; max-width: 980px; padding: 16px; color: var(--ink); background: #fff;
               font: 15px/1.6 "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", system-ui, sans-serif; }
        header { border-bottom: 3px solid var(--over); margin-bottom: 8px; }
        h1 { font-size: 1.35rem; line-height: 1.4; margin: 0 0 6px; }
        h2 { font-size: 1.1rem; margin: 22px 0 8px; padding-left: 8px; border-left: 4px solid var(--accent); }
        .sub { margin: 0 0 4px; color: var(--muted); font-size: .9rem; }
        .lead { font-weight: 600; margin: 10px 0 4px; }
        ul { margin: 0 0 8px; padding-left: 1.3em; }
        li { margin: 2px 0; }
        .cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 8px; }
        .card { border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; background: var(--soft); }
        .card .label { font-size: .82rem; color: var(--muted); }
        .card .value { font-size: 1.35rem; font-weight: 700; font-variant-numeric: tabular-nums; }
        .card .prev { font-size: .78rem; color: var(--muted); }
        .change { color: var(--ink); font-weight: 600; }
        .scroll { overflow-x: auto; -webkit-overflow-scrolling: touch; }
        table { border-collapse: collapse; width: 100%; font-size: .86rem; }
        th, td { border-bottom: 1px solid var(--line); padding: 5px 6px; text-align: left; vertical-align: top; }
        th { background: var(--soft); white-space: nowrap; }
        td.date { white-space: nowrap; font-variant-numeric: tabular-nums; }
        td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        .level { display: inline-block; padding: 0 6px; border-radius: 10px; font-size: .8rem; white-space: nowrap; }
        .level.none { background: #dafbe1; } .level.remind { background: #ddf4ff; } .level.letter { background: #fff8c5; }
        .level.circular { background: #ffe2c2; } .level.referral { background: #ffd8d3; color: #82071e; }
        figure { margin: 12px 0; } figcaption { font-size: .8rem; color: var(--muted); text-align: center; }
        .chart { width: 100%; max-width: 640px; height: auto; display: block; margin: 0 auto; }
        .chart text { font-size: 11px; fill: var(--ink); } .chart .tick { fill: var(--muted); font-size: 10px; }
        .chart .grid { stroke: var(--line); stroke-width: 1; }
        .chart .due { fill: none; stroke: var(--due); stroke-width: 2; stroke-dasharray: 5 3; }
        .chart .done { fill: none; stroke: var(--done); stroke-width: 2.5; }
        .chart .due-key { fill: var(--due); } .chart .done-key { fill: var(--done); }
        .chart .asof { stroke: var(--over); stroke-width: 1; stroke-dasharray: 2 2; } .chart .asof-label { fill: var(--over); font-size: 10px; }
        .chart .track { fill: #eaeef2; } .chart .bar-done { fill: var(--done); } .chart .bar-overdue { fill: var(--over); }
        .chart .bar-value { font-size: 11px; font-variant-numeric: tabular-nums; }
        footer { margin-top: 24px; padding-top: 8px; border-top: 1px solid var(--line); color: var(--muted); font-size: .8rem; }
        @media (max-width: 480px) { body { padding: 10px; font-size: 14px; } h1 { font-size: 1.15rem; }
            .cards { grid-template-columns: repeat(2, 1fr); } table { font-size: .8rem; }
            table.wide { min-width: 640px; } }
        @page { size: A4; margin: 14mm 12mm; }
        @media print {
            body { max-width: none; padding: 0; font-size: 10.5pt; }
            section + section { break-before: page; page-break-before: always; }
            .scroll { overflow: visible; } table.wide { min-width: 0; }
            tr, .card, figure { break-inside: avoid; page-break-inside: avoid; }
            thead { display: table-header-group; }
            * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
        }
        """
}
