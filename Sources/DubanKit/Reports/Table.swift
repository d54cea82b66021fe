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
        let cells = rows.map { Self.textCells($0, columns) }
        var widths = Self.headerWidths(columns)
        for row in cells { Self.widen(&widths, to: row) }
        var out = Self.textHead(columns, widths: widths)
        for row in cells { out += Self.textLine(row, columns, widths: widths) }
        return out
    }

    /// A row's cells as the terminal table shows them: line breaks as spaces, each cut to its
    /// column's `maxWidth`, a missing cell empty.
    static func textCells(_ row: [String], _ columns: [Column]) -> [String] {
        columns.indices.map { i -> String in
            let cell = i < row.count ? row[i] : ""
            // Most cells hold no line break: looked for first (replacing took much of a long table's
            // time; BENCHMARKS.md, "Figures the code's choices rest on").
            let flat = cell.utf8.contains(10) ? cell.replacingOccurrences(of: "\n", with: " ") : cell
            return columns[i].maxWidth.map { DisplayWidth.truncate(flat, to: $0) } ?? flat
        }
    }

    static func headerWidths(_ columns: [Column]) -> [Int] { columns.map { DisplayWidth.of($0.header) } }

    /// Each width at least that of the row's cell (`textCells`) in its column.
    static func widen(_ widths: inout [Int], to cells: [String]) {
        for i in widths.indices { widths[i] = max(widths[i], DisplayWidth.of(cells[i])) }
    }

    /// The header line and the rule under it.
    static func textHead(_ columns: [Column], widths: [Int]) -> String {
        textLine(columns.map(\.header), columns, widths: widths) + widths.map { String(repeating: "─", count: $0) }.joined(separator: "  ") + "\n"
    }

    /// One line of the terminal table, with its newline: each cell padded to its column's width
    /// (the last, if left-aligned, not), trailing spaces removed.
    static func textLine(_ values: [String], _ columns: [Column], widths: [Int]) -> String {
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
        return text + "\n"
    }

    /// `Table(columns:rows:).render(form)`'s text, written a row at a time for a list too long to
    /// hold: `rows` hands out the rows (calling `each` once per row, in order, and the same rows
    /// each time it is called), and the text goes to `write` in parts of about `chunk` bytes. The
    /// terminal table calls `rows` twice, first only to measure its columns' widths; CSV and
    /// Markdown once. Only a row and a part are held at a time.
    public static func stream(columns: [Column], form: Form, chunk: Int = 1 << 16,
                              rows: (_ each: ([String]) throws -> Void) throws -> Void,
                              to write: ([UInt8]) -> Void) rethrows {
        // `write` is called from inside `rows`' calls: not escaping, but Swift cannot tell.
        try withoutActuallyEscaping(write) { write in
            var out: [UInt8] = []
            out.reserveCapacity(chunk + chunk / 4)
            func add(_ text: String) {
                out.append(contentsOf: text.utf8)
                if out.count >= chunk {
                    write(out)
                    out.removeAll(keepingCapacity: true)
                }
            }
            switch form {
            case .text:
                var widths = headerWidths(columns)
                try rows { widen(&widths, to: textCells($0, columns)) }
                add(textHead(columns, widths: widths))
                try rows { add(textLine(textCells($0, columns), columns, widths: widths)) }
            case .markdown:
                add(markdownHead(columns))
                try rows { add(markdownLine($0, columns)) }
            case .csv:
                add(CSV.line(columns.map(\.header)))
                try rows { add(CSV.line($0)) }
            }
            write(out)
        }
    }

    /// A GitHub-flavoured Markdown table; every header and cell goes through `MarkdownEscape`
    /// (markup, `|`, HTML and line breaks), except the columns in `markdown`, whose cells the
    /// caller has already written as Markdown (a link built from escaped text).
    public func renderMarkdown(markdown: Set<Int> = []) -> String {
        var out = Self.markdownHead(columns)
        for row in rows { out += Self.markdownLine(row, columns, markdown: markdown) }
        return out
    }

    /// The Markdown table's header and alignment lines.
    static func markdownHead(_ columns: [Column]) -> String {
        "| " + columns.map { MarkdownEscape.text($0.header) }.joined(separator: " | ") + " |\n"
            + "|" + columns.map { $0.alignment == .right ? " ---: |" : " --- |" }.joined() + "\n"
    }

    /// One row of the Markdown table (see `renderMarkdown`).
    static func markdownLine(_ row: [String], _ columns: [Column], markdown: Set<Int> = []) -> String {
        "| " + columns.indices.map { i -> String in
            let cell = i < row.count ? row[i] : ""
            return markdown.contains(i) ? cell : MarkdownEscape.text(cell)
        }.joined(separator: " | ") + " |\n"
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
        ([header] + rows).map(line).joined()
    }

    /// One record: its fields (`field`) joined by commas, and CRLF.
    public static func line(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + "\r\n"
    }
}
