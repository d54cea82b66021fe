/// Reads a spreadsheet ledger saved as .xlsx: the sheet 台账 (else the first visible sheet)
/// is laid out as the CSV form would be, cell for cell, and read by `LedgerCSVReader`, so the
/// checks, the spec and therefore the stored records are the CSV reader's. Every position in
/// what it reports is then moved from the CSV text back to its cell: `FILE:台账!F7`.
public struct LedgerXLSXReader {
    let diagnostics: DiagnosticCollector

    public init(diagnostics: DiagnosticCollector) {
        self.diagnostics = diagnostics
    }

    /// Reads the workbook at `readPath` (by default `path`; `InputFile.CheckedFile.readPath` for
    /// a file already checked), naming `path` in every finding.
    public func read(path: String, readPath: String? = nil, defaults: LedgerHeaderDefaults = LedgerHeaderDefaults()) -> LedgerFileSpec? {
        var sheet: XLSXReader.Sheet
        var layout = CSVLayout()
        do {
            do {
                sheet = try XLSXReader.read(path: readPath ?? path, preferred: LedgerTemplate.xlsxSheetName) { try layout.append($0) }
            } catch is CSVLayout.RowsOutOfOrder {
                // Rows not in ascending order (no program we know writes them so): read again,
                // this time holding every row, and lay them out in order.
                var rows: [Int: [(column: Int, value: String)]] = [:]
                sheet = try XLSXReader.read(path: readPath ?? path, preferred: LedgerTemplate.xlsxSheetName) { rows[$0.number, default: []] += $0.cells }
                layout = CSVLayout()
                for number in rows.keys.sorted() {
                    do {
                        try layout.append(XLSXReader.Row(number: number, cells: rows[number] ?? []))
                    } catch let refused as XLSXReader.RowRefused {
                        throw OfficeReadError(refused.message, hint: refused.hint, cell: "\(sheet.name)!A\(number)")
                    }
                }
            }
        } catch let error as OfficeReadError {
            diagnostics.error(SourceLocation(file: path, cell: error.cell), error.message, hint: error.hint)
            return nil
        } catch {
            diagnostics.error(SourceLocation(file: path), "cannot read the workbook: \(error)")
            return nil
        }
        for problem in sheet.problems {
            diagnostics.error(SourceLocation(file: path, cell: problem.cell), problem.message, hint: problem.hint)
        }
        let mine = DiagnosticCollector()
        var spec = LedgerCSVReader(diagnostics: mine).read(text: layout.text, path: path, defaults: defaults)
        spec?.receivedAs = .xlsx
        for d in mine.diagnostics {
            let at = layout.location(d.location, sheet: sheet.name)
            switch d.severity {
            case .error: diagnostics.error(at, d.message, hint: d.hint)
            case .warning: diagnostics.warning(at, d.message, hint: d.hint)
            }
        }
        spec?.relocate(toSheet: sheet.name, cell: { layout.cell(line: $0, column: $1) }) { layout.location($0, sheet: sheet.name) }
        return spec
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
        private(set) var csvBytes = 0
        /// Per line of the text (line 1 first): its first field in `fieldStarts`, the sheet row
        /// and the sheet column of that field, and the column of the cell it continues (-1: none).
        private var lines: [(firstField: Int32, row: Int32, column: Int32, continued: Int32)] = []
        /// The text column where each field starts, line after line.
        private var fieldStarts: [Int32] = []
        private var lastRow = 0

        mutating func append(_ row: XLSXReader.Row) throws {
            guard row.number > lastRow else { throw RowsOutOfOrder() }
            lastRow = row.number
            let width = (row.cells.map(\.column).max() ?? -1) + 1
            var values = [String?](repeating: nil, count: width)
            for cell in row.cells { values[cell.column] = cell.value }
            csvBytes += row.cells.reduce(width) { $0 + $1.value.utf8.count }
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
