import DubanKit
import Foundation
import XCTest

/// `ledger template --format xlsx`: the CSV template's cells, typed, with a drop-down for 状态,
/// limits on 完成比例 and 完成日期, the identifying columns protected, A4 landscape printing.
final class XLSXTemplateTests: CLITestCase {
    var cli: CLIRunner!

    override func setUpWithError() throws {
        cli = try CLIRunner()
        try cli.loadZhangyeWithSamples()
    }

    /// Non-blank rows, trailing empty cells dropped.
    static func cells(_ csv: String) -> [[String]] {
        guard case .success(let records) = CSVParser.parse(csv) else { return [] }
        return records.filter { !$0.isBlank }.map { record in
            var row = record.fields.map(\.value)
            while row.last == "" { row.removeLast() }
            return row
        }
    }

    let args = ["ledger", "template", "--unit", "甘州区", "--period", "2024-04", "--as-of", "2024-05-02"]

    func testLibreOfficeReadsTheCSVTemplatesCells() throws {
        let out = cli.directory.appendingPathComponent("甘州区-2024-04.xlsx")
        let r = try cli.run(args + ["--format", "xlsx", "--out", out.path])
        XCTAssertEqual(r.code, 0, r.stderr)
        let csv = try Soffice.convert([out], to: "csv:Text - txt - csv (StarCalc):44,34,76", extension: "csv",
                                      outdir: cli.directory.appendingPathComponent("c"))
        let expected = try cli.run(args + ["--format", "csv"]).stdout
        let actual = Self.cells(try String(contentsOf: csv[0], encoding: .utf8))
        XCTAssertEqual(actual, Self.cells(String(expected.drop { $0 == "\u{FEFF}" })))
        XCTAssertTrue(actual.contains { $0.first == "序号" && $0.contains("佐证材料") })
    }

    func testDropDownLimitsProtectionAndPrintSetup() throws {
        let out = cli.directory.appendingPathComponent("t.xlsx")
        XCTAssertEqual(try cli.run(args + ["--format", "xlsx", "--out", out.path]).code, 0)
        let sheet = try Soffice.run("unzip", ["-p", out.path, "xl/worksheets/sheet1.xml"])
        let workbook = try Soffice.run("unzip", ["-p", out.path, "xl/workbook.xml"])
        // The table's header is row 10: frozen below it, repeated on each printed page.
        XCTAssertTrue(sheet.contains("<pane ySplit=\"10\" topLeftCell=\"A11\""), sheet)
        XCTAssertTrue(workbook.contains("<definedName name=\"_xlnm.Print_Titles\" localSheetId=\"0\">&apos;台账&apos;!$10:$10</definedName>"), workbook)
        XCTAssertTrue(sheet.contains("<pageSetup paperSize=\"9\" orientation=\"landscape\""))
        // 状态 (H) from the hidden sheet's list, 完成比例 (I) 0–100, 完成日期 (J) a date.
        XCTAssertTrue(workbook.contains("<sheet name=\"选项\" sheetId=\"2\" state=\"hidden\""), workbook)
        XCTAssertTrue(workbook.contains("<definedName name=\"状态选项\">&apos;选项&apos;!$A$1:$A$3</definedName>"), workbook)
        XCTAssertNotNil(sheet.range(of: #"<dataValidation type="list"[^>]*sqref="H11:H\d+"><formula1>状态选项</formula1>"#, options: .regularExpression))
        XCTAssertNotNil(sheet.range(of: #"<dataValidation type="whole"[^>]*sqref="I11:I\d+"><formula1>0</formula1><formula2>100</formula2>"#, options: .regularExpression))
        XCTAssertNotNil(sheet.range(of: #"<dataValidation type="date"[^>]*sqref="J11:J\d+">"#, options: .regularExpression))
        // Protected; 状态 (H) unlocked (style 4/5/6), 任务 (B) locked (no unlocked style); 报送日期 (B8) unlocked date.
        XCTAssertTrue(sheet.contains("<sheetProtection sheet=\"1\""))
        XCTAssertNotNil(sheet.range(of: #"<c r="H11" s="4" t="s">"#, options: .regularExpression), sheet)
        XCTAssertNotNil(sheet.range(of: #"<c r="B11"><v>1</v></c>"#, options: .regularExpression), sheet)
        XCTAssertNotNil(sheet.range(of: #"<c r="B8" s="5"><v>\d+</v></c>"#, options: .regularExpression), sheet)
        let styles = try Soffice.run("unzip", ["-p", out.path, "xl/styles.xml"])
        XCTAssertTrue(styles.contains("<protection locked=\"0\"/>"))
    }

    func testThePrintedPageIsA4Landscape() throws {
        let out = cli.directory.appendingPathComponent("t.xlsx")
        XCTAssertEqual(try cli.run(args + ["--format", "xlsx", "--out", out.path]).code, 0)
        let pdf = try Soffice.convert([out], to: "pdf", extension: "pdf", outdir: cli.directory.appendingPathComponent("p"))
        let info = try Soffice.run("pdfinfo", [pdf[0].path])
        XCTAssertTrue(info.contains("841.89 x 595.") && info.contains("(A4)"), info)
    }
}
