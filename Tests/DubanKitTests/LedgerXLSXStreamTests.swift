@testable import DubanKit
import XCTest

/// A workbook is read a batch of rows at a time and each entry checked as it is read
/// (`LedgerLoader.Checker` over `LedgerXLSXReader.stream`): what that reports, row for row and in
/// order, is what its CSV twin reports, read whole and then checked, across batch boundaries.
final class LedgerXLSXStreamTests: XCTestCase {
    func testAWorkbookOfManyBatchesReportsWhatItsCSVTwinReports() throws {
        let (loaded, diagnostics) = loadPlan(TestPaths.zhangye)
        let plan = try XCTUnwrap(loaded, diagnostics.renderAll())
        let tasks = OwedIndex(plan).owed(by: "ganzhou").tasks.sorted()
        XCTAssertFalse(tasks.isEmpty)
        let header = ["序号", "任务", "节点", "状态", "完成比例", "完成日期", "进展情况", "存在问题", "下步打算", "数据指标", "佐证材料"]
        let top = [["方案", plan.id], ["单位", "甘州区"], ["期间", "2024-04"], ["联络员", "张三"], ["联系电话", "0936-1234567"],
                   ["报送日期", "2024-05-02"]]
        // Rows enough for three batches (`Rows.batch`), every task more than once (a second entry
        // is an error naming the first's line, in an earlier batch), and errors of every kind
        // here and there, some on the rows either side of a batch boundary.
        var rows: [[String]] = []
        for n in 1...(LedgerXLSXReader.Rows.batch * 2 + 90) {
            let task = n > 248 && n < 262 ? "9999" : String(tasks[(n - 1) % tasks.count])
            let status = n % 37 == 0 ? "完成了" : n % 41 == 0 ? "已完成" : "推进中"
            let percent = n % 53 == 0 ? "150" : n % 41 == 0 ? "100" : "50"
            let completed = n % 41 == 0 ? "2024-04-30" : n % 59 == 0 ? "2024-04-01" : ""
            let figures = n % 29 == 0 ? "没有等号" : n % 3 == 0 ? "检查=\(n)次" : ""
            rows.append([String(n), task, "", status, percent, completed, n % 71 == 0 ? "" : "进展\(n)", "", "", figures, n % 71 == 0 ? "报告" : ""])
        }
        let dir = try TestPaths.tempDirectory()
        var sheet = XLSXSheet(name: "台账", header: header, rows: rows.map { $0.map { $0.isEmpty ? .empty : .text($0) } })
        sheet.preamble = top.map { $0.map { .text($0) } }
        let xlsx = dir.appendingPathComponent("甘州区.xlsx")
        try XLSXWriter.data(XLSXWorkbook(sheets: [sheet])).write(to: xlsx)
        let csv = dir.appendingPathComponent("甘州区.csv")
        try ((top + [header] + rows).map { $0.joined(separator: ",") }.joined(separator: "\n") + "\n").write(to: csv, atomically: true, encoding: .utf8)

        let checker = LedgerLoader.Checker(encoding: .auto, defaults: LedgerHeaderDefaults(), planIDs: [plan.id],
                                           plan: { $0 == plan.id ? plan : nil })
        let streamed = checker.check(path: xlsx.path), whole = checker.check(path: csv.path)
        XCTAssertNil(streamed.ledger)
        XCTAssertEqual(streamed.plan?.id, plan.id)
        func rowFindings(_ check: LedgerLoader.FileCheck) -> [String] {
            check.findings.map { "\($0.severity) row \($0.location.line ?? 0): \($0.message)" }
        }
        XCTAssertGreaterThan(whole.findings.count, 400)
        let a = rowFindings(streamed), b = rowFindings(whole)
        XCTAssertEqual(a.count, b.count)
        for (x, y) in zip(a, b) where x != y { XCTFail("\(x)\n   vs \(y)"); break }
        XCTAssertEqual(a, b)
        XCTAssertTrue(streamed.findings.contains { $0.location.cell == "台账!D\(top.count + 1 + 37)" && $0.message.contains("完成了") },
                      "a finding names its cell: \(streamed.findings.prefix(3))")
        XCTAssertEqual(streamed.unitLocation?.cell, "台账!B2")
    }

    /// A sheet does not store a row's empty cells at its end: a row whose 进展情况 and every cell
    /// after it are empty is told so at its cell, naming 列 G, as its CSV twin (`…,,,,`) is.
    func testAnEmptyCellAtTheEndOfARowIsNamedAsInItsCSVTwin() throws {
        let (loaded, diagnostics) = loadPlan(TestPaths.zhangye)
        let plan = try XCTUnwrap(loaded, diagnostics.renderAll())
        let tasks = OwedIndex(plan).owed(by: "ganzhou").tasks.sorted()
        let header = ["序号", "任务", "节点", "状态", "完成比例", "完成日期", "进展情况", "存在问题", "下步打算", "数据指标", "佐证材料"]
        let top = [["方案", plan.id], ["单位", "甘州区"], ["期间", "2024-04"], ["联络员", "张三"], ["报送日期", "2024-05-02"]]
        let rows = [["1", String(tasks[0]), "", "推进中", "50", "", "", "", "", "", ""],
                    ["2", String(tasks[1]), "", "", "", "", "", "", "", "", ""]]
        let dir = try TestPaths.tempDirectory()
        var sheet = XLSXSheet(name: "台账", header: header, rows: rows.map { $0.map { $0.isEmpty ? .empty : .text($0) } })
        sheet.preamble = top.map { $0.map { .text($0) } }
        let xlsx = dir.appendingPathComponent("甘州区.xlsx")
        try XLSXWriter.data(XLSXWorkbook(sheets: [sheet])).write(to: xlsx)
        let csv = dir.appendingPathComponent("甘州区.csv")
        try ((top + [header] + rows).map { $0.joined(separator: ",") }.joined(separator: "\n") + "\n").write(to: csv, atomically: true, encoding: .utf8)

        let checker = LedgerLoader.Checker(encoding: .auto, defaults: LedgerHeaderDefaults(), planIDs: [plan.id],
                                           plan: { $0 == plan.id ? plan : nil })
        let streamed = checker.check(path: xlsx.path), whole = checker.check(path: csv.path)
        XCTAssertEqual(streamed.findings.map { "row \($0.location.line ?? 0): \($0.message)" },
                       whole.findings.map { "row \($0.location.line ?? 0): \($0.message)" })
        XCTAssertEqual(streamed.findings.prefix(3).map { $0.location.cell }, ["台账!G7", "台账!D8", "台账!G8"])
        XCTAssertEqual(streamed.findings.first?.message, "the row has no progress (列 G「进展情况」 is empty)")
    }
}
