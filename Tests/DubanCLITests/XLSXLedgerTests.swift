import DubanKit
import Foundation
import XCTest

/// `ledger submit FILE.xlsx`: a template filled in is the same ledger as its YAML twin, as
/// LibreOffice re-saves it and as written by hand (rich text, formulas, booleans, date formats);
/// errors name the cell; hostile files are refused and nothing is written.
final class XLSXLedgerTests: CLITestCase {
    var cli: CLIRunner!

    override func setUpWithError() throws {
        cli = try CLIRunner()
        try cli.loadZhangyeWithSamples()
    }

    func file(_ name: String) -> URL { cli.directory.appendingPathComponent(name) }
    let template = ["ledger", "template", "--unit", "甘州区", "--period", "2024-04", "--as-of", "2024-05-02"]

    /// The template as a workbook, with its first entry's cells (row 11) replaced: 状态 H, 完成比例 I,
    /// 完成日期 J (a date serial), 进展情况 K (an inline string).
    func filledWorkbook(_ name: String, status: String = "已完成", percent: String = "100") throws -> URL {
        let blank = file("blank.xlsx")
        XCTAssertEqual(try cli.run(template + ["--format", "xlsx", "--out", blank.path]).code, 0)
        let filled = file(name)
        try XLSXFixture.edit(blank, part: "xl/worksheets/sheet1.xml", to: filled) { xml in
            var xml = xml
            for (ref, cell) in [("H11", "<c r=\"H11\" s=\"4\" t=\"inlineStr\"><is><t>\(status)</t></is></c>"),
                                ("I11", "<c r=\"I11\" s=\"6\"><v>\(percent)</v></c>"),
                                ("J11", "<c r=\"J11\" s=\"5\"><v>45404</v></c>"),
                                ("K11", "<c r=\"K11\" s=\"4\" t=\"inlineStr\"><is><t>四月:专题学习4次,&lt;廉政&gt;风险点复查完毕。</t></is></c>")] {
                if let range = xml.range(of: "<c r=\"\(ref)\"[^>/]*(/>|>.*?</c>)", options: .regularExpression) {
                    xml.replaceSubrange(range, with: cell)
                }
            }
            return xml
        }
        return filled
    }

    /// The YAML template with the same first entry filled in.
    func yamlTwin() throws -> URL {
        var yaml = try cli.run(template).stdout
        let first = try XCTUnwrap(yaml.range(of: "  - task: 1\n"))
        let end = yaml[first.upperBound...].range(of: "  - task:")?.lowerBound ?? yaml.endIndex
        var entry = String(yaml[first.upperBound..<end])
        entry = entry.replacingOccurrences(of: #"status: \S+"#, with: "status: 已完成", options: .regularExpression)
        entry = entry.replacingOccurrences(of: #"percent: \d+"#, with: "percent: 100\n    completed: 2024-04-22", options: .regularExpression)
        entry = entry.replacingOccurrences(of: #"progress: ".*""#, with: "progress: 四月:专题学习4次,<廉政>风险点复查完毕。",
                                           options: .regularExpression)
        yaml.replaceSubrange(first.upperBound..<end, with: entry)
        let url = file("甘州区-2024-04.yaml")
        try yaml.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    func testAFilledTemplateIsTheSameLedgerAsItsYAMLTwin() throws {
        let xlsx = try filledWorkbook("甘州区-2024-04.xlsx")
        let r = try cli.run(["ledger", "submit", xlsx.path])
        XCTAssertEqual(r.code, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("recorded 24 entries"), r.stdout)
        XCTAssertTrue(r.stdout.contains("task 1: 推进中 45% → 已完成"), r.stdout)
        // The YAML twin has the same content hash: submitting it records nothing.
        let twin = try cli.run(["ledger", "submit", try yamlTwin().path])
        XCTAssertEqual(twin.code, 0, twin.stderr)
        XCTAssertTrue(twin.stdout.contains("unchanged: identical to submission"), twin.stdout)
        // Re-saved by LibreOffice (its own strings, styles and date cells): the same ledger again.
        let lo = try Soffice.convert([xlsx], to: "xlsx:Calc MS Excel 2007 XML", extension: "xlsx", outdir: file("lo"))
        let resaved = try cli.run(["ledger", "submit", lo[0].path])
        XCTAssertEqual(resaved.code, 0, resaved.stderr)
        XCTAssertTrue(resaved.stdout.contains("unchanged: identical to submission"), resaved.stdout)
    }

    /// `received_as` says how each ledger came in (v13): xlsx for a workbook, read as CSV
    /// (`source_format` csv) and with its YAML twin's content hash; yaml and csv for the samples.
    func testHowEachLedgerCameInIsRecordedAndShown() throws {
        let xlsx = try filledWorkbook("甘州区-2024-04.xlsx")
        XCTAssertEqual(try cli.run(["ledger", "submit", xlsx.path]).code, 0)
        XCTAssertEqual(try cli.query("SELECT received_as, source_format, count(*) FROM ledger_submission GROUP BY 1, 2 ORDER BY 1"),
                       "csv|csv|1\nxlsx|csv|1\nyaml|yaml|24\n")
        let other = try CLIRunner()
        XCTAssertEqual(try other.run(["plan", "load", CLIRunner.zhangye]).code, 0)
        XCTAssertEqual(try other.run(["ledger", "submit", try yamlTwin().path]).code, 0)
        XCTAssertEqual(try cli.query("SELECT content_hash FROM ledger_submission ORDER BY id DESC LIMIT 1"),
                       try other.query("SELECT content_hash FROM ledger_submission"), "the workbook's content hash is its YAML twin's")

        let ledgers = try cli.run(["ledgers", "--period", "2024-04", "--as-of", "2024-05-10", "--format", "json"])
        let cells = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(ledgers.stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(cells.first { $0["unit"] as? String == "ganzhou" }?["received_as"] as? String, "xlsx", ledgers.stdout)
        XCTAssertTrue(cells.contains { $0["unit"] as? String == "linze" && $0["received_as"] is NSNull }, "nothing submitted: null")
        let march = try cli.run(["ledgers", "--period", "2024-03", "--as-of", "2024-05-10", "--format", "json"])
        let marchCells = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(march.stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(marchCells.first { $0["unit"] as? String == "linze" }?["received_as"] as? String, "csv")
        XCTAssertEqual(marchCells.first { $0["unit"] as? String == "ganzhou" }?["received_as"] as? String, "yaml")

        let history = try cli.run(["history", "--unit", "甘州区", "--format", "json"])
        let records = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(records.first?["received_as"] as? String, "xlsx", "newest first: the workbook's records")
        XCTAssertEqual(Set(records.compactMap { $0["received_as"] as? String }), ["xlsx", "yaml"])
        XCTAssertEqual(try cli.run(["progress", "record", "--unit", "ganzhou", "--task", "1", "--status", "in_progress", "--percent", "50",
                                    "--date", "2024-05-06", "--note", "电话核实"]).code, 0)
        let after = try cli.run(["history", "--unit", "甘州区", "--format", "json"])
        let newest = try XCTUnwrap((try JSONSerialization.jsonObject(with: Data(after.stdout.utf8)) as? [[String: Any]])?.first)
        XCTAssertEqual(newest["origin"] as? String, "command")
        XCTAssertTrue(newest["received_as"] is NSNull, "a command's record came in no ledger: \(newest)")
    }

    func testErrorsNameTheSheetAndCellAndNothingIsWritten() throws {
        let bad = try filledWorkbook("甘州区-2024-04.xlsx", status: "完成了", percent: "150")
        let before = try cli.dump()
        let r = try cli.run(["ledger", "submit", bad.path])
        XCTAssertEqual(r.code, 65, r.stderr)
        XCTAssertTrue(r.stderr.contains("甘州区-2024-04.xlsx:台账!H11: error: "), r.stderr)
        XCTAssertTrue(r.stderr.contains("甘州区-2024-04.xlsx:台账!I11: error: "), r.stderr)
        XCTAssertEqual(try cli.dump(), before)
    }

    /// The sheet is read as it streams, row by row: rows out of order (a header row and an entry's
    /// moved to the end) are still laid out in order, and a cell after a two-line cell is still named right.
    func testARowOutOfOrderAndACellAfterALineBreakAreStillNamedRight() throws {
        let filled = try filledWorkbook("filled.xlsx")
        let shuffled = file("甘州区-2024-04.xlsx")
        try XLSXFixture.edit(filled, part: "xl/worksheets/sheet1.xml", to: shuffled) { xml in
            var xml = xml
            guard let row = xml.range(of: "<row r=\"11\".*?</row>", options: .regularExpression) else { return xml }
            var moved = String(xml[row])
            xml.removeSubrange(row)
            moved = moved.replacingOccurrences(of: "专题学习4次,", with: "专题学习4次,&#13;&#10;")
            moved = moved.replacingOccurrences(of: "<c r=\"N11\"[^>/]*(/>|>.*?</c>)", with: "<c r=\"N11\" t=\"inlineStr\"><is><t>无等号</t></is></c>",
                                               options: .regularExpression)
            guard let header = xml.range(of: "<row r=\"2\".*?</row>", options: .regularExpression) else { return xml }
            moved = String(xml[header]) + moved
            xml.removeSubrange(header)
            return xml.replacingOccurrences(of: "</sheetData>", with: moved + "</sheetData>")
        }
        let r = try cli.run(["ledger", "submit", shuffled.path])
        XCTAssertEqual(r.code, 65, r.stderr)
        XCTAssertTrue(r.stderr.contains("甘州区-2024-04.xlsx:台账!N11: error: "), r.stderr)
        XCTAssertEqual(r.stderr.components(separatedBy: ": error: ").count, 2, r.stderr)
    }

    func testAHandBuiltWorkbookWithRichTextFormulasBooleansAndDateFormats() throws {
        // Shared strings: a rich-text run with a phonetic guide, and Excel's _x000D_ escape.
        let strings = """
            <?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
            <si><t>任务</t></si><si><t>状态</t></si><si><t>进展情况</t></si><si><t>完成比例</t></si><si><t>完成日期</t></si>\
            <si><t>佐证材料</t></si><si><t>推进中</t></si>\
            <si><r><t>第一</t></r><r><rPr><b/></rPr><t>部分</t></r><rPh sb="0" eb="1"><t>ディイチ</t></rPh></si>\
            <si><t>已完成</t></si><si><t>a_x000D_b</t></si></sst>
            """
        // Style 1: custom format yyyy"年"m"月"d"日" (a date); style 2: built-in 14 (a date); style 3: 0% (a percent).
        let styles = """
            <?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
            <numFmts count="1"><numFmt numFmtId="176" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/></numFmts>\
            <cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="176"/><xf numFmtId="14"/><xf numFmtId="9"/></cellXfs></styleSheet>
            """
        let header = [("方案", "zhangye-2023-2025"), ("单位", "甘州区"), ("期间", "2024-04"), ("联络员", "李某某"), ("联系电话", "0936-0000001")]
        var rows = header.enumerated().map { i, kv in
            "<row r=\"\(i + 1)\"><c r=\"A\(i + 1)\" t=\"inlineStr\"><is><t>\(kv.0)</t></is></c><c r=\"B\(i + 1)\" t=\"inlineStr\"><is><t>\(kv.1)</t></is></c></row>"
        }.joined()
        rows += "<row r=\"6\"><c r=\"A6\" t=\"inlineStr\"><is><t>报送日期</t></is></c><c r=\"B6\" s=\"1\"><v>45414</v></c></row>"
        rows += "<row r=\"8\">" + ["A", "B", "C", "D", "E", "F"].enumerated().map { "<c r=\"\($1)8\" t=\"s\"><v>\($0)</v></c>" }.joined() + "</row>"
        // Task 1: rich text progress, percent by a formula's cached value (as a 0% percent), a boolean evidence.
        rows += "<row r=\"9\"><c r=\"A9\"><v>1</v></c><c r=\"B9\" t=\"s\"><v>6</v></c><c r=\"C9\" t=\"s\"><v>7</v></c>"
            + "<c r=\"D9\" s=\"3\"><f>0.5+0.1</f><v>0.6</v></c><c r=\"F9\" t=\"b\"><v>1</v></c></row>"
        // Task 2: done on a built-in date, the evidence written with _x000D_.
        rows += "<row r=\"10\"><c r=\"A10\"><v>2</v></c><c r=\"B10\" t=\"s\"><v>8</v></c><c r=\"C10\" t=\"str\"><f>\"培训\"&amp;\"完成\"</f><v>培训完成</v></c>"
            + "<c r=\"D10\"><v>100</v></c><c r=\"E10\" s=\"2\"><v>45400</v></c><c r=\"F10\" t=\"s\"><v>9</v></c></row>"
        // Tasks 3 … 24, not started (a ledger names every task owed).
        for task in 3...24 {
            let r = task + 8
            rows += "<row r=\"\(r)\"><c r=\"A\(r)\"><v>\(task)</v></c>"
                + "<c r=\"B\(r)\" t=\"inlineStr\"><is><t>未启动</t></is></c><c r=\"C\(r)\" t=\"inlineStr\"><is><t>尚未开始</t></is></c></row>"
        }
        let url = file("hand.xlsx")
        try XLSXFixture.write(XLSXFixture.handBuilt(sheetData: rows, sharedStrings: strings, styles: styles), to: url)
        let r = try cli.run(["ledger", "submit", url.path])
        XCTAssertEqual(r.code, 0, r.stderr)
        let history = try XCTUnwrap(try JSONSerialization.jsonObject(
            with: Data(try cli.run(["history", "--unit", "甘州区", "--since", "2000-01-01", "--format", "json"]).stdout.utf8)) as? [[String: Any]])
        let mine = history.filter { ($0["source"] as? String)?.hasPrefix(url.path) == true }
        let one = try XCTUnwrap(mine.first { $0["task"] as? Int == 1 })
        XCTAssertEqual(one["progress"] as? String, "第一部分")
        XCTAssertEqual(one["percent"] as? Int, 60)
        XCTAssertEqual(one["evidence"] as? [String], ["TRUE"])
        XCTAssertEqual(one["status"] as? String, "in_progress")
        let two = try XCTUnwrap(mine.first { $0["task"] as? Int == 2 })
        XCTAssertEqual(two["progress"] as? String, "培训完成")
        XCTAssertEqual(two["completed_on"] as? String, "2024-04-18")
        XCTAssertEqual(two["evidence"] as? [String], ["a", "b"])
        XCTAssertEqual(two["source"] as? String, url.path + ":10", "the source line is the sheet's row")
    }
}
