import Foundation

/// A worksheet read from an .xlsx saved by Excel, WPS or LibreOffice: each cell's value as the
/// text a CSV export would hold (shared and inline strings, numbers, booleans, dates recognised
/// by their number format as `YYYY-MM-DD`, percents as `25%`, formulas by their cached value).
struct XLSXReader {
    /// One row's cells with a value, in file order: 0-based column and the text.
    struct Row {
        var number: Int
        var cells: [(column: Int, value: String)]
    }

    /// A row refused by whoever the rows go to (`read(path:preferred:row:)`): reported at the
    /// row's first cell.
    struct RowRefused: Error {
        var message: String
        var hint: String?
    }

    struct Sheet {
        var name: String
        /// Cells that could not be read (an error value, a formula never calculated): each
        /// reported, the others read on.
        var problems: [OfficeReadError] = []
    }

    static let maxCells = 2_000_000

    /// Reads the sheet named `preferred` if there is one, else the first visible sheet: its rows
    /// go to `row` as the sheet's part is inflated and parsed (nothing of it is held but the row
    /// being read). The shared strings (kept aside past a small size: `XLSXSharedStrings`) and
    /// the number formats are read first.
    /// `opened` is told the sheet's name before its first row.
    static func read(path: String, preferred: String, opened: (String) -> Void = { _ in }, row: (Row) throws -> Void) throws -> Sheet {
        var zip = try ZipReader(path: path)
        guard let workbookData = try zip.part("xl/workbook.xml") else {
            throw OfficeReadError("no xl/workbook.xml: not a spreadsheet (.xlsx) package",
                                  hint: "save the file from Excel, WPS or LibreOffice as .xlsx (Excel 工作簿)")
        }
        if zip.names.contains(where: { $0.hasPrefix("xl/externalLinks/") }) {
            throw OfficeReadError("the workbook links to other files (external references); refused",
                                  hint: "copy the values in (粘贴为数值), remove the links (编辑链接 → 断开链接) and save again")
        }
        let book = try workbook(workbookData)
        if book.external { throw OfficeReadError("the workbook declares external references; refused", hint: "remove the links to other workbooks and save again") }
        let relationships = try self.relationships(try zip.part("xl/_rels/workbook.xml.rels"))
        if relationships.values.contains(where: { $0.external }) {
            throw OfficeReadError("the workbook's relationships point outside the file (TargetMode=External); refused",
                                  hint: "remove links to other files and save again")
        }
        guard let chosen = book.sheets.first(where: { $0.name == preferred }) ?? book.sheets.first(where: { !$0.hidden }) else {
            throw OfficeReadError("the workbook has no visible sheet")
        }
        guard let target = relationships[chosen.relationship]?.target else {
            throw OfficeReadError("the sheet \(chosen.name) has no part in the package (relationship \(chosen.relationship))")
        }
        let partName = target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
        guard ZipReader.isSafe(partName), zip.has(partName) else {
            throw OfficeReadError("the sheet \(chosen.name)'s part \(partName) is missing")
        }
        let strings = try XLSXSharedStrings.read(from: &zip)
        let formats = try XLSXNumberFormats.read(try zip.part("xl/styles.xml"))
        opened(chosen.name)
        return try withoutActuallyEscaping(row) { row in
            let reader = SheetReader(sheet: chosen.name, part: partName, strings: strings, formats: formats, date1904: book.date1904, row: row)
            _ = try zip.stream(partName, into: reader.parser.feed)
            try reader.finish()
            return Sheet(name: chosen.name, problems: reader.problems)
        }
    }

    struct Book {
        var sheets: [(name: String, relationship: String, hidden: Bool)] = []
        var date1904 = false
        var external = false
    }

    static func workbook(_ data: Data) throws -> Book {
        var book = Book()
        let events = XMLEvents()
        events.onStart = { name, attrs in
            switch name {
            case "sheet":
                guard book.sheets.count < 1_000 else { throw OfficeReadError("the workbook has more than 1,000 sheets") }
                let id = attrs["r:id"] ?? attrs.first { $0.key.hasSuffix(":id") }?.value ?? ""
                book.sheets.append((attrs["name"] ?? "", id, attrs["state"].map { $0 != "visible" } ?? false))
            case "workbookPr": book.date1904 = ["1", "true"].contains(attrs["date1904"] ?? "")
            case "externalReference": book.external = true
            default: break
            }
        }
        try events.parse(data, name: "xl/workbook.xml")
        return book
    }

    static func relationships(_ data: Data?) throws -> [String: (target: String, external: Bool)] {
        guard let data else { return [:] }
        var out: [String: (target: String, external: Bool)] = [:]
        let events = XMLEvents()
        events.onStart = { name, attrs in
            guard name == "Relationship", let id = attrs["Id"] else { return }
            out[id] = (attrs["Target"] ?? "", attrs["TargetMode"] == "External" || (attrs["Type"] ?? "").hasSuffix("/externalLink"))
        }
        try events.parse(data, name: "xl/_rels/workbook.xml.rels")
        return out
    }

    /// `F7` → (row 7, column 5).
    static func reference(_ ref: String) -> (row: Int, column: Int)? {
        var column = 0, row = 0, letters = 0, digits = 0
        for byte in ref.utf8 {
            switch byte {
            case 65...90 where digits == 0: column = column * 26 + Int(byte - 64); letters += 1
            case 97...122 where digits == 0: column = column * 26 + Int(byte - 96); letters += 1
            case 48...57: row = row * 10 + Int(byte - 48); digits += 1
            default: return nil
            }
            if letters > 3 || digits > 7 { return nil }
        }
        guard letters > 0, digits > 0, row >= 1, row <= XLSXSheet.maxRows, column <= XLSXSheet.maxColumns else { return nil }
        return (row, column - 1)
    }

    static func cellText(type: String, value: String, inline: String, style: Int?, hasFormula: Bool, strings: XLSXSharedStrings,
                         formats: XLSXNumberFormats, date1904: Bool, at: String) throws -> String {
        let v = value.first?.isWhitespace == true || value.last?.isWhitespace == true ? value.trimmingCharacters(in: .whitespacesAndNewlines) : value
        switch type {
        case "s":
            guard let i = Int(v), i >= 0, i < strings.count else {
                throw OfficeReadError("shared string #\(QuotedLine(v, column: nil).text) does not exist", cell: at)
            }
            do {
                return try strings.string(at: i)
            } catch var unread as OfficeReadError {
                unread.cell = at
                throw unread
            }
        case "inlineStr": return XLSXSharedStrings.decodeEscapes(inline)
        case "str": return XLSXSharedStrings.decodeEscapes(value)
        case "b": return v == "1" || v.lowercased() == "true" ? "TRUE" : "FALSE"
        case "e": throw OfficeReadError("the cell holds the error value \(QuotedLine(v, column: nil).text)", hint: "correct the formula, or type the value", cell: at)
        case "d": return String(v.prefix(10))
        default:
            if v.isEmpty {
                if hasFormula { throw OfficeReadError("a formula with no saved result", hint: "open and save the file in Excel, WPS or LibreOffice so that its value is stored", cell: at) }
                return ""
            }
            guard let number = Double(v), number.isFinite else {
                throw OfficeReadError("\"\(QuotedLine(v, column: nil).text)\" is not a number", cell: at)
            }
            switch formats.kind(style: style) {
            case .date:
                guard number >= 1, number < 2_958_466 else { throw OfficeReadError("date serial \(v) is outside the years 1900–9999", cell: at) }
                let day = Int(number.rounded(.down)) - 25_569 + (date1904 ? 1_462 : 0)
                return LocalDate(dayNumber: day).description
            case .percent: return numberText(number * 100) + "%"
            case .number: return numberText(number)
            }
        }
    }

    /// A number as a person reads it: no needless `.0`, 15 significant digits (what Excel shows).
    static func numberText(_ n: Double) -> String {
        if n == n.rounded(), abs(n) < 1e15 { return String(Int64(n)) }
        return String(format: "%.15g", n)
    }
}
