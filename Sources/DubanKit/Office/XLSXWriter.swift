import Foundation

/// A workbook: sheets in order, and the names (print titles, lists) defined over them.
public struct XLSXWorkbook: Sendable {
    public struct DefinedName: Sendable {
        public var name: String
        /// The sheet it belongs to (index), e.g. for `_xlnm.Print_Titles`; nil: the whole workbook.
        public var sheet: Int?
        public var reference: String
    }

    public var sheets: [XLSXSheet]
    public var definedNames: [DefinedName] = []

    public init(sheets: [XLSXSheet]) {
        self.sheets = sheets
    }
}

/// Writes a workbook as SpreadsheetML (.xlsx): the seven parts Excel, WPS and LibreOffice need,
/// text as escaped XML, strings shared, numbers and dates typed, nothing ever as a formula.
public enum XLSXWriter {
    /// The .xlsx file's bytes. Throws `OfficeError.tooLarge` past Excel's row or column limits.
    public static func data(_ workbook: XLSXWorkbook) throws -> Data {
        var workbook = workbook
        for (i, sheet) in workbook.sheets.enumerated() {
            guard sheet.rows.count + sheet.headerRow <= XLSXSheet.maxRows else {
                throw OfficeError.tooLarge("the sheet \(sheet.name) would have \(sheet.rows.count + sheet.headerRow) rows; a sheet holds at most \(XLSXSheet.maxRows)")
            }
            guard sheet.header.count <= XLSXSheet.maxColumns else {
                throw OfficeError.tooLarge("the sheet \(sheet.name) would have \(sheet.header.count) columns; a sheet holds at most \(XLSXSheet.maxColumns)")
            }
            workbook.sheets[i].name = uniqueName(XLSXSheet.safeName(sheet.name), among: workbook.sheets[..<i].map(\.name))
        }
        var strings = SharedStringsBuilder()
        var zip = ZipWriter()
        zip.add("[Content_Types].xml", contentTypes(sheetCount: workbook.sheets.count))
        zip.add("_rels/.rels", rootRelationships)
        zip.add("xl/workbook.xml", workbookXML(workbook))
        zip.add("xl/_rels/workbook.xml.rels", workbookRelationships(sheetCount: workbook.sheets.count))
        zip.add("xl/styles.xml", XLSXStyles.xml)
        for (i, sheet) in workbook.sheets.enumerated() {
            zip.add("xl/worksheets/sheet\(i + 1).xml", sheetXML(sheet, selected: i == 0, strings: &strings))
        }
        zip.add("xl/sharedStrings.xml", strings.xml())
        return try zip.data()
    }

    static func uniqueName(_ name: String, among used: [String]) -> String {
        var candidate = name
        var n = 2
        while used.contains(where: { $0.lowercased() == candidate.lowercased() }) {
            let suffix = " (\(n))"
            candidate = String(name.prefix(31 - suffix.count)) + suffix
            n += 1
        }
        return candidate
    }

    /// `A`, `B`, … `Z`, `AA`, … for a 0-based column.
    public static func columnName(_ index: Int) -> String {
        var n = index + 1
        var name = ""
        while n > 0 {
            let r = (n - 1) % 26
            name = String(UnicodeScalar(UInt8(65 + r))) + name
            n = (n - 1) / 26
        }
        return name
    }

    /// Days since 1899-12-30, Excel's (1900 date system) serial number of a day.
    public static func serial(_ date: LocalDate) -> Int { date.dayNumber + 25_569 }

    static func numberText(_ n: Double) -> String {
        if n.isFinite, n == n.rounded(), abs(n) < 1e15 { return String(Int64(n)) }
        return n.isFinite ? String(n) : "0"
    }

    static func sheetXML(_ sheet: XLSXSheet, selected: Bool, strings: inout SharedStringsBuilder) -> String {
        let columns = max(sheet.header.count, sheet.rows.map(\.count).max() ?? 0, sheet.preamble.map(\.count).max() ?? 0, 1)
        let top = sheet.headerRow
        let protected = sheet.unlockedColumns != nil
        let unlocked = sheet.unlockedColumns ?? []
        var out = XMLText.declaration
        out += "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
        if sheet.printLandscape { out += "<sheetPr><pageSetUpPr fitToPage=\"1\"/></sheetPr>" }
        out += "<dimension ref=\"A1:\(columnName(columns - 1))\(sheet.rows.count + top)\"/>"
        out += "<sheetViews><sheetView workbookViewId=\"0\"\(selected ? " tabSelected=\"1\"" : "")>"
        if sheet.freezeHeader {
            out += "<pane ySplit=\"\(top)\" topLeftCell=\"A\(top + 1)\" activePane=\"bottomLeft\" state=\"frozen\"/><selection pane=\"bottomLeft\" activeCell=\"A\(top + 1)\" sqref=\"A\(top + 1)\"/>"
        }
        out += "</sheetView></sheetViews><sheetFormatPr defaultRowHeight=\"15\"/><cols>"
        for (i, width) in sheet.columnWidths().enumerated() {
            out += "<col min=\"\(i + 1)\" max=\"\(i + 1)\" width=\"\(numberText(width))\" customWidth=\"1\"/>"
        }
        out += "</cols><sheetData>"
        func row(_ cells: [XLSXSheet.Cell], at ref: Int, unlocked: (Int) -> Bool, wrap: (Int) -> Bool) {
            out += "<row r=\"\(ref)\">"
            for (i, cell) in cells.enumerated() {
                let style = XLSXStyles.style(for: cell, unlocked: unlocked(i), wrap: wrap(i))
                let at = "r=\"\(columnName(i))\(ref)\"" + (style == 0 ? "" : " s=\"\(style)\"")
                switch cell {
                case .empty, .emptyDate: if style != 0 { out += "<c \(at)/>" }
                case .text(let t): out += "<c \(at) t=\"s\"><v>\(strings.index(of: t))</v></c>"
                case .number(let n), .percent(let n): out += "<c \(at)><v>\(numberText(n))</v></c>"
                case .date(let d): out += "<c \(at)><v>\(serial(d))</v></c>"
                }
            }
            out += "</row>"
        }
        for (r, cells) in sheet.preamble.enumerated() {
            row(cells, at: r + 1, unlocked: { sheet.unlockedPreamble.contains([r, $0]) }, wrap: { _ in false })
        }
        out += "<row r=\"\(top)\">"
        for (i, title) in sheet.header.enumerated() {
            out += "<c r=\"\(columnName(i))\(top)\" s=\"\(XLSXStyles.header)\" t=\"s\"><v>\(strings.index(of: title))</v></c>"
        }
        out += "</row>"
        for (r, cells) in sheet.rows.enumerated() {
            let filled = cells.enumerated().map { i, cell in cell == .empty && sheet.dateColumns.contains(i) ? .emptyDate : cell }
            row(filled, at: r + top + 1, unlocked: { unlocked.contains($0) }, wrap: { sheet.wrapColumns.contains($0) })
        }
        out += "</sheetData>"
        if protected {
            out += "<sheetProtection sheet=\"1\" objects=\"1\" scenarios=\"1\" formatColumns=\"0\" formatRows=\"0\"/>"
        }
        let lastRow = max(sheet.rows.count + top, top + 1)
        if !sheet.validations.isEmpty {
            out += "<dataValidations count=\"\(sheet.validations.count)\">"
            for (column, rule) in sheet.validations.sorted(by: { $0.key < $1.key }) {
                let range = "\(columnName(column))\(top + 1):\(columnName(column))\(lastRow)"
                switch rule {
                case .list(let source, let prompt):
                    out += "<dataValidation type=\"list\" allowBlank=\"1\" showInputMessage=\"1\" showErrorMessage=\"1\" errorTitle=\"\(XMLText.escape(sheet.header[safe: column] ?? ""))\" error=\"\(XMLText.escape(prompt))\" prompt=\"\(XMLText.escape(prompt))\" sqref=\"\(range)\"><formula1>\(XMLText.escape(source))</formula1></dataValidation>"
                case .wholeNumber(let min, let max, let prompt):
                    out += "<dataValidation type=\"whole\" allowBlank=\"1\" showInputMessage=\"1\" showErrorMessage=\"1\" error=\"\(XMLText.escape(prompt))\" prompt=\"\(XMLText.escape(prompt))\" sqref=\"\(range)\"><formula1>\(min)</formula1><formula2>\(max)</formula2></dataValidation>"
                case .date(let min, let max, let prompt):
                    out += "<dataValidation type=\"date\" allowBlank=\"1\" showInputMessage=\"1\" showErrorMessage=\"1\" error=\"\(XMLText.escape(prompt))\" prompt=\"\(XMLText.escape(prompt))\" sqref=\"\(range)\"><formula1>\(serial(min))</formula1><formula2>\(serial(max))</formula2></dataValidation>"
                }
            }
            out += "</dataValidations>"
        }
        out += "<pageMargins left=\"0.5\" right=\"0.5\" top=\"0.6\" bottom=\"0.6\" header=\"0.3\" footer=\"0.3\"/>"
        if sheet.printLandscape {
            out += "<pageSetup paperSize=\"9\" orientation=\"landscape\" fitToWidth=\"1\" fitToHeight=\"0\"/>"
        }
        out += "</worksheet>"
        return out
    }

    static func workbookXML(_ workbook: XLSXWorkbook) -> String {
        var out = XMLText.declaration
        out += "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
        out += "<bookViews><workbookView activeTab=\"0\"/></bookViews><sheets>"
        for (i, sheet) in workbook.sheets.enumerated() {
            out += "<sheet name=\"\(XMLText.escape(sheet.name))\" sheetId=\"\(i + 1)\"\(sheet.hidden ? " state=\"hidden\"" : "") r:id=\"rId\(i + 1)\"/>"
        }
        out += "</sheets>"
        var names = workbook.definedNames
        for (i, sheet) in workbook.sheets.enumerated() where sheet.printLandscape {
            names.append(.init(name: "_xlnm.Print_Titles", sheet: i, reference: "\(quotedSheet(sheet.name))!$\(sheet.headerRow):$\(sheet.headerRow)"))
        }
        if !names.isEmpty {
            out += "<definedNames>"
            for n in names {
                out += "<definedName name=\"\(XMLText.escape(n.name))\"\(n.sheet.map { " localSheetId=\"\($0)\"" } ?? "")>\(XMLText.escape(n.reference))</definedName>"
            }
            out += "</definedNames>"
        }
        out += "</workbook>"
        return out
    }

    /// A sheet name as a formula reference: `'名称'` with inner quotes doubled.
    public static func quotedSheet(_ name: String) -> String {
        "'" + name.replacingOccurrences(of: "'", with: "''") + "'"
    }

    static func contentTypes(sheetCount: Int) -> String {
        var out = XMLText.declaration
        out += "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
        out += "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
        out += "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
        out += "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
        for i in 0..<sheetCount {
            out += "<Override PartName=\"/xl/worksheets/sheet\(i + 1).xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
        }
        out += "<Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>"
        out += "<Override PartName=\"/xl/sharedStrings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml\"/>"
        out += "</Types>"
        return out
    }

    static let rootRelationships = XMLText.declaration
        + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        + "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/>"
        + "</Relationships>"

    static func workbookRelationships(sheetCount: Int) -> String {
        var out = XMLText.declaration + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        for i in 0..<sheetCount {
            out += "<Relationship Id=\"rId\(i + 1)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet\(i + 1).xml\"/>"
        }
        out += "<Relationship Id=\"rId\(sheetCount + 1)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>"
        out += "<Relationship Id=\"rId\(sheetCount + 2)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" Target=\"sharedStrings.xml\"/>"
        out += "</Relationships>"
        return out
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
