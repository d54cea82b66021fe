import Foundation
import ZIPFoundation

/// Workbooks made by the tests: a package from parts given as text, or a copy of a workbook with
/// some parts replaced (a template filled in, a hostile entry added).
enum XLSXFixture {
    /// A zip of `parts` (name → bytes) at `url`, deflated.
    static func write(_ parts: [(String, Data)], to url: URL) throws {
        try? FileManager.default.removeItem(at: url)
        let archive = try Archive(url: url, accessMode: .create)
        for (name, data) in parts {
            try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
    }

    /// Every part of the workbook at `url`, in order.
    static func parts(of url: URL) throws -> [(String, Data)] {
        let archive = try Archive(url: url, accessMode: .read)
        return try archive.map { entry in
            var data = Data()
            _ = try archive.extract(entry) { data.append($0) }
            return (entry.path, data)
        }
    }

    /// A copy of `source` at `url` with the text of part `name` changed by `edit`.
    static func edit(_ source: URL, part name: String, to url: URL, _ edit: (String) -> String) throws {
        let parts = try parts(of: source).map { part -> (String, Data) in
            part.0 == name ? (part.0, Data(edit(String(decoding: part.1, as: UTF8.self)).utf8)) : part
        }
        try write(parts, to: url)
    }

    static let contentTypes = """
        <?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
        <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
        <Default Extension="xml" ContentType="application/xml"/>\
        <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
        <Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\
        </Types>
        """
    static let rootRels = """
        <?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>\
        </Relationships>
        """
    static let workbookRels = """
        <?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>\
        <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>\
        <Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>\
        </Relationships>
        """

    /// A one-sheet workbook written by hand, as another program might: a `sheet` part's
    /// `<sheetData>` content, shared strings and styles given.
    static func handBuilt(sheetName: String = "台账", sheetData: String, sharedStrings: String, styles: String,
                          workbookExtra: String = "") -> [(String, Data)] {
        let workbook = """
            <?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
            xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\(workbookExtra)<sheets>\
            <sheet name="\(sheetName)" sheetId="1" r:id="rId1"/></sheets></workbook>
            """
        let sheet = """
            <?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
            <sheetData>\(sheetData)</sheetData></worksheet>
            """
        return [("[Content_Types].xml", contentTypes), ("_rels/.rels", rootRels), ("xl/workbook.xml", workbook),
                ("xl/_rels/workbook.xml.rels", workbookRels), ("xl/worksheets/sheet1.xml", sheet),
                ("xl/sharedStrings.xml", sharedStrings), ("xl/styles.xml", styles)].map { ($0.0, Data($0.1.utf8)) }
    }
}
