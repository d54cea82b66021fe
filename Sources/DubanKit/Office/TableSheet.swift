extension Table {
    /// The same rows and columns as the CSV form, as a worksheet: each cell typed by its
    /// column's `kind` (numbers, dates, percents), text as text.
    public func sheet(named name: String) -> XLSXSheet {
        XLSXSheet(name: name, header: columns.map(\.header), rows: rows.map { row in
            columns.indices.map { i in Self.cell(i < row.count ? row[i] : "", kind: columns[i].kind) }
        })
    }

    static func cell(_ text: String, kind: Kind) -> XLSXSheet.Cell {
        if text.isEmpty { return .empty }
        switch kind {
        case .text: break
        case .number:
            if let n = Int(text) { return .number(Double(n)) }
        case .date:
            if text.utf8.count == 10, let d = LocalDate(iso: text) { return .date(d) }
        case .percent:
            if text.hasSuffix("%"), let n = Int(text.dropLast()) { return .percent(Double(n) / 100) }
        }
        return .text(text)
    }
}
