extension XLSXReader {
    /// A worksheet's `<sheetData>` read as it is inflated: each `<c>` turned into its text
    /// (`cellText`), each row handed on as soon as it is complete. A cell that cannot be read is
    /// kept as a problem (up to 1,000) and the others are read on.
    final class SheetReader {
        let parser: XMLChunkParser
        private(set) var problems: [OfficeReadError] = []
        private let emit: (Row) throws -> Void
        private var pending = Row(number: 0, cells: [])
        private var cells = 0
        private let sheet: String

        init(sheet: String, part: String, strings: XLSXSharedStrings, formats: XLSXNumberFormats, date1904: Bool,
             row: @escaping (Row) throws -> Void) {
            parser = XMLChunkParser(part: part)
            self.sheet = sheet
            emit = row
            var row = 0, nextColumn = 0
            var ref: (row: Int, column: Int)?
            var refText = ""
            var type = "n", style: Int?
            var value = "", inline = ""
            var inValue = false, inInline = false, phonetic = 0, hasFormula = false
            parser.onStart = { name, attrs in
                switch name {
                case "row":
                    if let r = attrs["r"] {
                        guard let n = Int(r), n >= 1, n <= XLSXSheet.maxRows else { throw OfficeReadError("row number \"\(r)\" is not a row", cell: sheet) }
                        row = n
                    } else {
                        row += 1
                    }
                    nextColumn = 0
                case "c":
                    if let r = attrs["r"] {
                        guard let parsed = XLSXReader.reference(r), parsed.row == row || row == 0 else {
                            throw OfficeReadError("cell reference \"\(QuotedLine(r, column: nil).text)\" is not a cell of row \(row)", cell: sheet)
                        }
                        ref = parsed
                    } else {
                        ref = (max(row, 1), nextColumn)
                    }
                    if let r = ref { refText = XLSXWriter.columnName(r.column) + String(r.row); nextColumn = r.column + 1 }
                    type = attrs["t"] ?? "n"
                    style = attrs["s"].flatMap(Int.init)
                    value = ""; inline = ""; hasFormula = false
                case "v": inValue = true
                case "f": hasFormula = true
                case "is": inInline = true
                case "rPh": phonetic += 1
                default: break
                }
            }
            parser.onText = { text in
                if inValue { value += text } else if inInline && phonetic == 0 { inline += text }
            }
            parser.onEnd = { [unowned self] name in
                switch name {
                case "v": inValue = false
                case "is": inInline = false
                case "rPh": phonetic -= 1
                case "row": try flush()
                case "c":
                    guard let r = ref else { return }
                    ref = nil
                    let text: String
                    do {
                        text = try XLSXReader.cellText(type: type, value: value, inline: inline, style: style, hasFormula: hasFormula,
                                            strings: strings, formats: formats, date1904: date1904, at: "\(sheet)!\(refText)")
                    } catch let problem as OfficeReadError {
                        guard problems.count < 1_000 else { throw problem }
                        problems.append(problem)
                        return
                    }
                    guard !text.isEmpty else { return }
                    guard cells < maxCells else { throw OfficeReadError("the sheet has more than \(maxCells) cells", cell: sheet) }
                    cells += 1
                    if r.row != pending.number { try flush() }
                    pending.number = r.row
                    pending.cells.append((r.column, text))
                default: break
                }
            }
        }

        private func flush() throws {
            guard !pending.cells.isEmpty else { return }
            do {
                try emit(pending)
            } catch let refused as RowRefused {
                throw OfficeReadError(refused.message, hint: refused.hint, cell: "\(sheet)!A\(pending.number)")
            }
            pending.cells.removeAll(keepingCapacity: true)
        }

        /// After the part's last chunk.
        func finish() throws {
            try parser.finish()
            try flush()
        }
    }
}
