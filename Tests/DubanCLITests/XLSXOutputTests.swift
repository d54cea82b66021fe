import DubanKit
import Foundation
import XCTest

/// `--format xlsx --out FILE` of the listings and the digest: the workbook LibreOffice reads
/// back holds the same cells as the command's CSV, typed, and text never becomes a formula.
final class XLSXOutputTests: CLITestCase {
    var cli: CLIRunner!

    override func setUpWithError() throws {
        cli = try CLIRunner()
        try cli.loadZhangyeWithSamples()
    }

    func file(_ name: String) -> URL { cli.directory.appendingPathComponent(name) }

    func cells(_ csv: String) -> [[String]] {
        guard case .success(let records) = CSVParser.parse(csv) else { return [] }
        return records.filter { !$0.isBlank }.map { $0.fields.map(\.value) }
    }

    /// The commands and their arguments; each writes `NAME.xlsx` and its CSV twin is compared.
    let commands: [(name: String, args: [String])] = [
        ("overdue", ["overdue", "--as-of", "2024-04-10"]),
        ("notify", ["notify", "--as-of", "2024-04-10", "--within", "30"]),
        ("escalate", ["escalate", "--as-of", "2024-04-10"]),
        ("status", ["status", "--as-of", "2024-04-10"]),
        ("status-unit", ["status", "--as-of", "2024-04-10", "--unit", "甘州区"]),
        ("ledgers", ["ledgers", "--as-of", "2024-04-10"]),
        ("ledgers-period", ["ledgers", "--as-of", "2024-04-10", "--period", "2024-02"]),
        ("units", ["units"]),
        ("tasks", ["tasks"]),
    ]

    func testEachWorkbookOpensInLibreOfficeWithTheCSVCells() throws {
        var written: [URL] = []
        for c in commands {
            let out = file(c.name + ".xlsx")
            let r = try cli.run(c.args + ["--format", "xlsx", "--out", out.path])
            XCTAssertEqual(r.code, 0, "\(c.name): \(r.stderr)")
            XCTAssertTrue(r.stdout.hasPrefix("wrote \(out.path): "), r.stdout)
            written.append(out)
        }
        let converted = try Soffice.convert(written, to: "csv:Text - txt - csv (StarCalc):44,34,76", extension: "csv",
                                            outdir: file("converted"))
        for (c, csvFile) in zip(commands, converted) {
            // The first sheet is the CSV's first table (escalate's CSV goes on with its other tables).
            let expected = try cli.run(c.args + ["--format", "csv"])
            let actual = try String(contentsOf: csvFile, encoding: .utf8)
            XCTAssertEqual(cells(actual), cells(expected.stdout.components(separatedBy: "\r\n\n")[0]), c.name)
            XCTAssertGreaterThan(cells(actual).count, 1, c.name)
        }
    }

    func testCellsAreTypedAndTheHeaderFrozen() throws {
        let out = file("overdue.xlsx")
        XCTAssertEqual(try cli.run(["overdue", "--as-of", "2024-04-10", "--format", "xlsx", "--out", out.path]).code, 0)
        let sheet = try Soffice.run("unzip", ["-p", out.path, "xl/worksheets/sheet1.xml"])
        XCTAssertTrue(sheet.contains("<pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/>"))
        // 任务 (B) a number (— as text), 期限 (D) a date serial with the date style, 逾期天数 (E) a number.
        XCTAssertNotNil(sheet.range(of: #"<c r="B\d+"><v>\d+</v></c>"#, options: .regularExpression), sheet)
        XCTAssertNotNil(sheet.range(of: #"<c r="D2" s="1"><v>45\d\d\d</v></c>"#, options: .regularExpression), sheet)
        XCTAssertNotNil(sheet.range(of: #"<c r="E2"><v>\d+</v></c>"#, options: .regularExpression), sheet)
        XCTAssertNotNil(sheet.range(of: #"<c r="A2" t="s"><v>\d+</v></c>"#, options: .regularExpression), sheet)
        // A CJK column is as wide as its widest text (two units a character).
        XCTAssertNotNil(sheet.range(of: #"<col min="3" max="3" width="(\d+)""#, options: .regularExpression))
    }

    func testFormulaLookingTextIsWrittenAsTextNeverAsAFormula() throws {
        let ledger = file("甘州区-2024-04.csv")
        let template = try cli.run(["ledger", "template", "--unit", "甘州区", "--period", "2024-03", "--format", "csv"])
        XCTAssertEqual(template.code, 0, template.stderr)
        // Put a formula in the first entry's 进展情况 (progress) column.
        var lines = template.stdout.components(separatedBy: "\r\n")
        let headerLine = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("序号,") })
        let column = try XCTUnwrap(lines[headerLine].components(separatedBy: ",").firstIndex(of: "进展情况"))
        let firstEntry = headerLine + 1
        var fields = cells(lines[firstEntry] + "\r\n")[0]
        fields[column] = "=1+2"
        lines[firstEntry] = fields.map(CSV.field).joined(separator: ",")
        try lines.joined(separator: "\r\n").write(to: ledger, atomically: true, encoding: .utf8)
        let submit = try cli.run(["ledger", "submit", ledger.path])
        XCTAssertEqual(submit.code, 0, submit.stderr + submit.stdout)
        let out = file("status.xlsx")
        XCTAssertEqual(try cli.run(["status", "--unit", "甘州区", "--format", "xlsx", "--out", out.path]).code, 0)
        let sheet = try Soffice.run("unzip", ["-p", out.path, "xl/worksheets/sheet1.xml"])
        XCTAssertFalse(sheet.contains("<f>"), "no cell is a formula")
        XCTAssertTrue(try Soffice.run("unzip", ["-p", out.path, "xl/sharedStrings.xml"]).contains("<t>=1+2</t>"))
        let csv = try Soffice.convert([out], to: "csv:Text - txt - csv (StarCalc):44,34,76", extension: "csv", outdir: file("c"))
        XCTAssertTrue(cells(try String(contentsOf: csv[0], encoding: .utf8)).contains { $0.contains("=1+2") },
                      "LibreOffice shows the text =1+2, not 3")
    }

    func testWithoutOutAWorkbookIsRefusedWithUsage() throws {
        for args in [["overdue", "--format", "xlsx"], ["units", "--format", "xlsx"], ["digest", "--format", "xlsx"],
                     ["overdue", "--out", "x.xlsx"]] {
            let r = try cli.run(args)
            XCTAssertEqual(r.code, 64, args.joined(separator: " "))
            XCTAssertTrue(r.stderr.contains("--out"), r.stderr)
            XCTAssertEqual(r.stdout, "")
        }
    }

    func testDigestHasASheetPerSection() throws {
        let out = file("digest.xlsx")
        let r = try cli.run(["digest", "--week", "2024-W15", "--format", "xlsx", "--out", out.path])
        XCTAssertEqual(r.code, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("8 sheets"), r.stdout)
        let workbook = try Soffice.run("unzip", ["-p", out.path, "xl/workbook.xml"])
        for name in ["一、总体情况", "四、逾期事项", "五、督办名单"] where !workbook.contains(name) {
            XCTFail("no sheet named like \(name) in \(workbook)")
        }
        let csv = try Soffice.convert([out], to: "csv:Text - txt - csv (StarCalc):44,34,76", extension: "csv", outdir: file("c"))
        XCTAssertFalse(cells(try String(contentsOf: csv[0], encoding: .utf8)).isEmpty)
    }
}
