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
        let sheet: XLSXReader.Sheet
        do {
            sheet = try XLSXReader.read(path: readPath ?? path, preferred: LedgerTemplate.xlsxSheetName)
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
        let layout = CSVLayout(sheet)
        let mine = DiagnosticCollector()
        var spec = LedgerCSVReader(diagnostics: mine).read(text: layout.text, path: path, defaults: defaults)
        for d in mine.diagnostics {
            let at = layout.location(d.location, sheet: sheet.name)
            switch d.severity {
            case .error: diagnostics.error(at, d.message, hint: d.hint)
            case .warning: diagnostics.warning(at, d.message, hint: d.hint)
            }
        }
        spec?.relocate { layout.location($0, sheet: sheet.name) }
        return spec
    }

    /// The sheet's rows as CSV text (every field quoted; rows without a value left out), and
    /// where each field starts: line and column in the text → row and column in the sheet.
    struct CSVLayout {
        var text = ""
        /// Per line of the text: the fields starting on it (column in the text, sheet row, sheet column).
        private var starts: [Int: [(column: Int, row: Int, sheetColumn: Int)]] = [:]
        /// Lines continuing a multi-line cell: that cell.
        private var continuation: [Int: (row: Int, sheetColumn: Int)] = [:]

        init(_ sheet: XLSXReader.Sheet) {
            var byRow: [Int: [XLSXReader.Cell]] = [:]
            var order: [Int] = []
            for cell in sheet.cells {
                if byRow[cell.row] == nil { order.append(cell.row) }
                byRow[cell.row, default: []].append(cell)
            }
            var line = 1
            for row in order.sorted() {
                guard let cells = byRow[row] else { continue }
                var values: [Int: String] = [:]
                for c in cells { values[c.column] = c.value }
                let width = (values.keys.max() ?? -1) + 1
                var column = 1
                var fields: [(column: Int, row: Int, sheetColumn: Int)] = []
                for c in 0..<width {
                    if c > 0 { text += ","; column += 1 }
                    fields.append((column, row, c))
                    text += "\""
                    column += 1
                    let value = (values[c] ?? "").replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
                    for scalar in value.unicodeScalars {
                        switch scalar {
                        case "\"": text += "\"\""; column += 2
                        case "\n":
                            starts[line, default: []] += fields
                            fields = []
                            text += "\n"
                            line += 1
                            continuation[line] = (row, c)
                            column = 1
                        default: text.unicodeScalars.append(scalar); column += 1
                        }
                    }
                    text += "\""
                    column += 1
                }
                starts[line, default: []] += fields
                text += "\n"
                line += 1
            }
        }

        /// A location in the text as the cell it falls in (the row's first cell for a whole
        /// row, the sheet for the whole file).
        func location(_ at: SourceLocation, sheet: String) -> SourceLocation {
            guard let line = at.line else { return SourceLocation(file: at.file, cell: sheet) }
            var cell: (row: Int, sheetColumn: Int)?
            if let fields = starts[line], let column = at.column ?? fields.first?.column {
                if let field = fields.last(where: { $0.column <= column }) ?? fields.first { cell = (field.row, field.sheetColumn) }
            }
            if cell == nil { cell = continuation[line] }
            guard let (row, column) = cell else { return SourceLocation(file: at.file, cell: sheet) }
            return SourceLocation(file: at.file, line: row, column: column + 1,
                                  cell: "\(sheet)!\(XLSXWriter.columnName(column))\(row)")
        }
    }
}

extension LedgerFileSpec {
    /// Every position in the spec, moved by `move`.
    mutating func relocate(_ move: (SourceLocation) -> SourceLocation) {
        func at<T>(_ value: Located<T>?) -> Located<T>? { value.map { Located($0.value, at: move($0.location)) } }
        location = move(location)
        plan = at(plan); unit = at(unit); period = at(period)
        liaisonName = at(liaisonName); liaisonPhone = at(liaisonPhone); submitted = at(submitted)
        for i in entries.indices {
            var e = entries[i]
            e.location = move(e.location)
            e.task = at(e.task); e.milestone = at(e.milestone); e.status = at(e.status); e.percent = at(e.percent)
            e.completed = at(e.completed); e.progress = at(e.progress); e.problems = at(e.problems); e.nextSteps = at(e.nextSteps)
            e.figures = e.figures.map { Located($0.value, at: move($0.location)) }
            e.evidence = e.evidence.map { Located($0.value, at: move($0.location)) }
            entries[i] = e
        }
    }
}
