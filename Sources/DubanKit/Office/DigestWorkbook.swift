/// The digest as a workbook: a sheet per section, in the order of the other forms, tables
/// with typed cells and running text as rows of one cell (charts are HTML only).
public enum DigestWorkbook {
    public static func workbook(_ digest: Digest, language: DigestLanguage) -> XLSXWorkbook {
        let document = DigestDocument(digest, language: language)
        let sheets = document.sections.map { section -> XLSXSheet in
            var header: [String]?
            var rows: [[XLSXSheet.Cell]] = []
            for block in section.blocks {
                switch block {
                case .table(let table):
                    let sheet = table.sheet(named: section.title)
                    if header == nil { header = sheet.header } else { rows.append(sheet.header.map { .text($0) }) }
                    rows += sheet.rows
                case .paragraph(let text): rows.append([.text(text)])
                case .list(let lines): rows += lines.map { [.text($0)] }
                case .chart: continue
                }
            }
            return XLSXSheet(name: section.title, header: header ?? [section.title], rows: rows)
        }
        return XLSXWorkbook(sheets: sheets)
    }
}
