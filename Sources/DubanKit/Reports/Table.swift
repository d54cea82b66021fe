import Foundation

/// The forms every listing can take.
public enum OutputFormat: String, CaseIterable, Sendable {
    case table, json, csv, markdown
}

/// Rows of text under headers, rendered as an aligned terminal table, Markdown or CSV.
public struct Table: Sendable {
    public enum Alignment: Sendable { case left, right }

    /// What a column's cells hold, for typed forms (xlsx): a cell that does not read as its
    /// column's kind (`—`, `2 / 39`) is written as text.
    public enum Kind: Sendable { case text, number, date, percent }

    public struct Column: Sendable {
        public var header: String
        public var alignment: Alignment
        /// Cells wider than this are cut with `…` in the terminal table (not in CSV or Markdown).
        public var maxWidth: Int?
        public var kind: Kind

        public init(_ header: String, _ alignment: Alignment = .left, maxWidth: Int? = nil, kind: Kind = .text) {
            self.header = header
            self.alignment = alignment
            self.maxWidth = maxWidth
            self.kind = kind
        }
    }

    public var columns: [Column]
    public var rows: [[String]]

    public init(columns: [Column], rows: [[String]]) {
        self.columns = columns
        self.rows = rows
    }

    /// A terminal table: columns separated by two spaces, a rule under the header, wide
    /// (Chinese) characters counted as two columns so that everything lines up.
    public func renderText() -> String {
        let cells = rows.map { row in
            columns.indices.map { i -> String in
                let cell = i < row.count ? row[i] : ""
                let flat = cell.replacingOccurrences(of: "\n", with: " ")
                return columns[i].maxWidth.map { DisplayWidth.truncate(flat, to: $0) } ?? flat
            }
        }
        let widths = columns.indices.map { i in
            max(DisplayWidth.of(columns[i].header), cells.map { DisplayWidth.of($0[i]) }.max() ?? 0)
        }
        func line(_ values: [String]) -> String {
            var parts: [String] = []
            for (i, value) in values.enumerated() {
                let last = i == values.count - 1
                switch columns[i].alignment {
                case .left: parts.append(last ? value : DisplayWidth.padRight(value, to: widths[i]))
                case .right: parts.append(DisplayWidth.padLeft(value, to: widths[i]))
                }
            }
            var text = parts.joined(separator: "  ")
            while text.last == " " { text.removeLast() }
            return text
        }
        var out = line(columns.map(\.header)) + "\n"
        out += widths.map { String(repeating: "─", count: $0) }.joined(separator: "  ") + "\n"
        for row in cells { out += line(row) + "\n" }
        return out
    }

    /// A GitHub-flavoured Markdown table; every header and cell goes through `MarkdownEscape`
    /// (markup, `|`, HTML and line breaks), except the columns in `markdown`, whose cells the
    /// caller has already written as Markdown (a link built from escaped text).
    public func renderMarkdown(markdown: Set<Int> = []) -> String {
        var out = "| " + columns.map { MarkdownEscape.text($0.header) }.joined(separator: " | ") + " |\n"
        out += "|" + columns.map { $0.alignment == .right ? " ---: |" : " --- |" }.joined() + "\n"
        for row in rows {
            out += "| " + columns.indices.map { i -> String in
                let cell = i < row.count ? row[i] : ""
                return markdown.contains(i) ? cell : MarkdownEscape.text(cell)
            }.joined(separator: " | ") + " |\n"
        }
        return out
    }

    /// RFC 4180 CSV: a header row, CRLF line ends, fields quoted when they hold `,`, `"` or a line
    /// break, formulas neutralised (`CSV.field`).
    public func renderCSV() -> String {
        CSV.render(header: columns.map(\.header), rows: rows)
    }

    /// The forms a table is written in. JSON is not one of them: each list writes its JSON from
    /// its own objects, whose keys its schema documents, never from a table's headers.
    public enum Form: Sendable, Equatable {
        /// The aligned terminal table (`renderText`).
        case text
        case csv
        case markdown
    }

    public func render(_ form: Form) -> String {
        switch form {
        case .text: renderText()
        case .markdown: renderMarkdown()
        case .csv: renderCSV()
        }
    }
}

public enum CSV {
    /// One cell: a formula neutralised (`CSVFormula`: `'=…`, quoted), quoted when it holds `,`,
    /// `"` or a line break. Every CSV duban writes goes through here.
    public static func field(_ value: String) -> String {
        if CSVFormula.needsNeutralising(value) {
            return "\"'" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        if value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return value
    }

    public static func render(header: [String], rows: [[String]]) -> String {
        ([header] + rows).map { $0.map(field).joined(separator: ",") + "\r\n" }.joined()
    }
}
