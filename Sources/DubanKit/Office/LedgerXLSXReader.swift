/// Reads a spreadsheet ledger saved as .xlsx: the sheet 台账 (else the first visible sheet)
/// is laid out as the CSV form would be, cell for cell, and read by `LedgerCSVReader`, so the
/// checks, the spec and therefore the stored records are the CSV reader's. Every position in
/// what it reports is then moved from the CSV text back to its cell: `FILE:台账!F7`.
///
/// The rows are read as the sheet is inflated, a batch at a time (`Rows`): the rows above the
/// table and its header row first (the header is then given out, so that the plan it names can
/// be looked up before any entry is read), then `Rows.batch` rows at a time, each batch laid out,
/// read, and its entries given out and dropped. No CSV text of the whole sheet is held.
public struct LedgerXLSXReader {
    let diagnostics: DiagnosticCollector

    public init(diagnostics: DiagnosticCollector) {
        self.diagnostics = diagnostics
    }

    /// Reads the workbook at `readPath` (by default `path`; `InputFile.CheckedFile.readPath` for
    /// a file already checked), naming `path` in every finding.
    public func read(path: String, readPath: String? = nil, defaults: LedgerHeaderDefaults = LedgerHeaderDefaults()) -> LedgerFileSpec? {
        final class Whole { var spec: LedgerFileSpec? }
        let whole = Whole()
        let read = stream(path: path, readPath: readPath, defaults: defaults) { header in
            whole.spec = header
            return { whole.spec?.entries.append($0) }
        }
        return read ? whole.spec : nil
    }

    /// Reads the workbook as `read` does, giving out its header (the spec without entries) as
    /// soon as the table's header row is read, then each entry to what `header` returned for it.
    /// `header` is called again (and what it returned before is to be forgotten) when the rows
    /// must be read a second time, in order. Findings of the reading are reported when the
    /// sheet has been read, all at once; when the workbook cannot be read, only that is
    /// reported, and false returned (whatever was given out is then to be forgotten).
    @discardableResult
    func stream(path: String, readPath: String? = nil, defaults: LedgerHeaderDefaults,
                header: @escaping (LedgerFileSpec) -> (LedgerEntrySpec) -> Void) -> Bool {
        let file = readPath ?? path
        let preferred = LedgerTemplate.xlsxSheetName
        var rows = Rows(path: path, defaults: defaults, header: header)
        let sheet: XLSXReader.Sheet
        do {
            do {
                sheet = try XLSXReader.read(path: file, preferred: preferred, opened: { rows.sheet = $0 }) { try rows.append($0) }
                rows.finish()
            } catch is CSVLayout.RowsOutOfOrder {
                // Rows not in ascending order (no program we know writes them so): read again,
                // this time holding every row, and take them in order.
                var held: [Int: [(column: Int, value: String)]] = [:]
                sheet = try XLSXReader.read(path: file, preferred: preferred) { held[$0.number, default: []] += $0.cells }
                rows = Rows(path: path, defaults: defaults, header: header)
                rows.sheet = sheet.name
                for number in held.keys.sorted() {
                    do {
                        try rows.append(XLSXReader.Row(number: number, cells: held[number] ?? []))
                    } catch let refused as XLSXReader.RowRefused {
                        throw OfficeReadError(refused.message, hint: refused.hint, cell: "\(sheet.name)!A\(number)")
                    }
                }
                rows.finish()
            }
        } catch let error as OfficeReadError {
            diagnostics.error(SourceLocation(file: path, cell: error.cell), error.message, hint: error.hint)
            return false
        } catch {
            diagnostics.error(SourceLocation(file: path), "cannot read the workbook: \(error)")
            return false
        }
        for problem in sheet.problems {
            diagnostics.error(SourceLocation(file: path, cell: problem.cell), problem.message, hint: problem.hint)
        }
        for d in rows.found.diagnostics {
            switch d.severity {
            case .error: diagnostics.error(d.location, d.message, hint: d.hint)
            case .warning: diagnostics.warning(d.location, d.message, hint: d.hint)
            }
        }
        return true
    }

    /// The sheet's rows read as they come: held until the table's header row (a cell named
    /// 任务), then a batch at a time.
    struct Rows {
        /// Rows laid out and read at a time once the header is read: what is held of the sheet.
        static let batch = 256

        let path: String
        let defaults: LedgerHeaderDefaults
        let header: (LedgerFileSpec) -> (LedgerEntrySpec) -> Void
        /// The sheet's name (set before the first row).
        var sheet = ""
        /// What the reading found, positions already in the sheet's cells.
        let found = DiagnosticCollector()
        /// The rows not read yet: before the header, every row so far; after, the batch.
        private var layout = CSVLayout()
        private var rowsInLayout = 0
        /// Set once the header row is read: the table's columns (nil when they are wrong: no
        /// row is then read), where the entries go, where "no rows" is reported.
        private var table: (columns: LedgerCSVReader.Columns?, entry: (LedgerEntrySpec) -> Void, header: SourceLocation)?
        private var any = false
        private var cells = [Int](repeating: -1, count: LedgerCSVReader.columns.count)

        init(path: String, defaults: LedgerHeaderDefaults, header: @escaping (LedgerFileSpec) -> (LedgerEntrySpec) -> Void) {
            self.path = path
            self.defaults = defaults
            self.header = header
        }

        mutating func append(_ row: XLSXReader.Row) throws {
            try layout.append(row)
            rowsInLayout += 1
            if table == nil {
                // The header row: this row alone, laid out and scanned, has a cell named 任务.
                var alone = CSVLayout()
                try alone.append(row)
                if case .success(let t) = CSVParser.scan(alone.text), LedgerCSVReader.headerIndex(t) != nil { readHead() }
            } else if rowsInLayout >= Self.batch {
                readBatch()
            }
        }

        /// The end of the sheet: the last batch, or (no header row found) every row read as
        /// the CSV reader reads a file without a table.
        mutating func finish() {
            guard let table else {
                let mine = DiagnosticCollector()
                _ = LedgerCSVReader(diagnostics: mine).read(text: layout.text, path: path, defaults: defaults)
                report(mine)
                return
            }
            readBatch()
            if table.columns != nil && !any {
                let mine = DiagnosticCollector()
                LedgerCSVReader(diagnostics: mine).noRows(at: table.header.line ?? 1, path: path)
                for d in mine.diagnostics { found.error(table.header, d.message, hint: d.hint) }
            }
        }

        /// The rows held (the header row last) read as the CSV reader reads the top of a file.
        private mutating func readHead() {
            let mine = DiagnosticCollector()
            let reader = LedgerCSVReader(diagnostics: mine)
            guard let t = reader.scan(layout.text, path: path), let head = reader.readHead(t, path: path, defaults: defaults) else {
                report(mine)
                return
            }
            var spec = head.spec
            spec.receivedAs = .xlsx
            let layout = self.layout, sheet = self.sheet
            spec.relocate(toSheet: sheet, cell: { layout.cell(line: $0, column: $1) }) { layout.location($0, sheet: sheet) }
            report(mine)
            let at = layout.location(SourceLocation(file: path, line: head.headerLine, column: 1), sheet: sheet)
            table = (head.columns, header(spec), at)
            self.layout.width = head.columns?.fields.count ?? 0
            next()
        }

        /// The batch read: its entries given out, its findings kept.
        private mutating func readBatch() {
            guard let table, rowsInLayout > 0 else { return }
            defer { next() }
            guard let columns = table.columns else { return }
            let mine = DiagnosticCollector()
            let reader = LedgerCSVReader(diagnostics: mine)
            guard let t = reader.scan(layout.text, path: path) else {
                report(mine)
                return
            }
            let layout = self.layout, sheet = self.sheet
            if reader.readRows(t, from: 0, columns: columns, cells: &cells, path: path, each: { e in
                var e = e
                e.relocate(toSheet: sheet, cell: { layout.cell(line: $0, column: $1) }) { layout.location($0, sheet: sheet) }
                table.entry(e)
            }) { any = true }
            report(mine)
        }

        /// A new batch, the limits counted on.
        private mutating func next() {
            layout = CSVLayout(continuing: layout)
            rowsInLayout = 0
        }

        /// The CSV reader's findings on the rows held, moved to their cells.
        private func report(_ mine: DiagnosticCollector) {
            for d in mine.diagnostics {
                let at = layout.location(d.location, sheet: sheet)
                switch d.severity {
                case .error: found.error(at, d.message, hint: d.hint)
                case .warning: found.warning(at, d.message, hint: d.hint)
                }
            }
        }
    }

    /// How a finding names a cell: `台账!F7` (`column` 0-based).
    static func cellName(sheet: String, row: Int, column: Int) -> String {
        "\(sheet)!\(XLSXWriter.columnName(column))\(row)"
    }

    /// The sheet's rows as CSV text (every field quoted; rows without a value left out), built
    /// row by row as they are read, and where each field starts: line and column in the text →
    /// row and column in the sheet.
    struct CSVLayout {
        /// A row came with a number not above the one before it.
        struct RowsOutOfOrder: Error {}

        var text = ""
        /// The sheet's values as the smallest CSV file would hold them: each value's UTF-8 bytes,
        /// a comma between two, a line break after each row (quotes left out, so never more than
        /// any CSV export of the sheet). Held to a CSV ledger's limit, `InputLimits.ledgerFileBytes`.
        /// Counted over the whole sheet, across the layouts of its batches.
        private(set) var csvBytes = 0
        /// Per line of the text (line 1 first): its first field in `fieldStarts`, the sheet row
        /// and the sheet column of that field, and the column of the cell it continues (-1: none).
        private var lines: [(firstField: Int32, row: Int32, column: Int32, continued: Int32)] = []
        /// The text column where each field starts, line after line.
        private var fieldStarts: [Int32] = []
        private var lastRow = 0
        /// Fields laid out per row at least: the table's header row's, once it is read. A sheet
        /// does not store a row's empty cells at its end; a CSV export of it writes them (`,,`),
        /// so a finding about one (an empty 进展情况) names its cell, 列 G, as for the CSV twin.
        var width = 0

        init() {}

        /// The layout of the rows after `earlier`'s: empty, with its count of bytes, its last row
        /// and its width.
        init(continuing earlier: CSVLayout) {
            csvBytes = earlier.csvBytes
            lastRow = earlier.lastRow
            width = earlier.width
        }

        mutating func append(_ row: XLSXReader.Row) throws {
            guard row.number > lastRow else { throw RowsOutOfOrder() }
            lastRow = row.number
            let used = (row.cells.map(\.column).max() ?? -1) + 1
            let width = max(used, self.width)
            var values = [String?](repeating: nil, count: width)
            for cell in row.cells { values[cell.column] = cell.value }
            csvBytes += row.cells.reduce(used) { $0 + $1.value.utf8.count }
            let limit = InputLimits.ledgerFileBytes
            if csvBytes > limit {
                throw XLSXReader.RowRefused(message: "the sheet holds over \(InputFile.grouped(limit)) bytes of values by this row (as a CSV file, without quotes); a ledger is at most \(InputFile.grouped(limit)) bytes, as a CSV or YAML ledger file is",
                                            hint: LedgerText.sizeHint)
            }
            let number = Int32(clamping: row.number)
            lines.append((Int32(fieldStarts.count), number, 0, -1))
            var column: Int32 = 1
            for c in 0..<width {
                if c > 0 { text += ","; column += 1 }
                fieldStarts.append(column)
                text += "\""
                column += 1
                let value = values[c] ?? ""
                if !value.utf8.contains(where: { $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) {
                    text += value
                    column += Int32(value.unicodeScalars.count)
                    text += "\""
                    column += 1
                    continue
                }
                var afterCR = false   // CRLF and CR are line breaks, as LF
                for scalar in value.unicodeScalars {
                    defer { afterCR = scalar == "\r" }
                    switch scalar {
                    case "\"": text += "\"\""; column += 2
                    case "\n" where afterCR: break
                    case "\n", "\r":
                        text += "\n"
                        lines.append((Int32(fieldStarts.count), number, Int32(c + 1), Int32(c)))
                        column = 1
                    default: text.unicodeScalars.append(scalar); column += 1
                    }
                }
                text += "\""
                column += 1
            }
            text += "\n"
        }

        /// A location in the text as the cell it falls in (the row's first cell for a whole
        /// row, the sheet for the whole file).
        func location(_ at: SourceLocation, sheet: String) -> SourceLocation {
            guard let line = at.line, let (row, column) = cell(line: line, column: at.column) else {
                return SourceLocation(file: at.file, cell: sheet)
            }
            return SourceLocation(file: at.file, line: row, column: column + 1,
                                  cell: LedgerXLSXReader.cellName(sheet: sheet, row: row, column: column))
        }

        /// The sheet row and 0-based column of a line and column of the text (nil column: the
        /// line's first field), or nil when they fall in no cell.
        func cell(line: Int, column: Int?) -> (row: Int, column: Int)? {
            guard line >= 1, line <= lines.count else { return nil }
            let entry = lines[line - 1]
            let first = Int(entry.firstField), end = line < lines.count ? Int(lines[line].firstField) : fieldStarts.count
            if first < end {
                let column = column ?? Int(fieldStarts[first])
                let k = (first..<end).last { Int(fieldStarts[$0]) <= column } ?? first
                return (Int(entry.row), Int(entry.column) + k - first)
            } else if entry.continued >= 0 {
                return (Int(entry.row), Int(entry.continued))
            }
            return nil
        }
    }
}

extension LedgerFileSpec {
    /// Every position in the spec moved from the CSV text to the sheet's cells: `cell` gives
    /// the cell of a line and column, `move` any position that is no cell.
    mutating func relocate(toSheet sheet: String, cell: (Int, Int?) -> (row: Int, column: Int)?,
                           move: (SourceLocation) -> SourceLocation) {
        func at<T>(_ value: Located<T>?) -> Located<T>? { value.map { Located($0.value, at: move($0.location)) } }
        location = move(location)
        plan = at(plan); unit = at(unit); period = at(period)
        liaisonName = at(liaisonName); liaisonPhone = at(liaisonPhone); submitted = at(submitted)
        for i in entries.indices {
            entries[i].relocate(toSheet: sheet, cell: { cell($0, $1) }, move: move)
        }
    }
}
