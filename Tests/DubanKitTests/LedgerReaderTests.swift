import DubanKit
import Foundation
import XCTest

/// Reading and validating ledgers (YAML, CSV, encodings) against the bundled plan.
final class LedgerReaderTests: XCTestCase {
    static let plan: Plan? = loadPlan(TestPaths.zhangye).0

    func load(_ paths: [String], encoding: TextEncodingChoice = .auto) throws -> ([Ledger]?, DiagnosticCollector) {
        let plan = try XCTUnwrap(Self.plan)
        let diagnostics = DiagnosticCollector()
        let ledgers = LedgerLoader(diagnostics: diagnostics, encoding: encoding).load(paths: paths, plans: [plan.id: plan])
        return (ledgers, diagnostics)
    }

    func testTheGoodLedgerReads() throws {
        let (ledgers, d) = try load([TestPaths.fixture("ledgers/good/ganzhou-2024-02.yaml")])
        let ledger = try XCTUnwrap(ledgers?.first, d.renderAll())
        XCTAssertEqual(ledger.unitID, "ganzhou")
        XCTAssertEqual(ledger.period.description, "2024-02")
        XCTAssertEqual(ledger.entries.map(\.task), [2, 7, 11, 18])
        XCTAssertEqual(ledger.entries[1].milestone, "7.1")
        XCTAssertEqual(ledger.entries[1].percent, 100, "已完成 implies 100%")
        XCTAssertEqual(ledger.entries[2].status, .inProgress, "English keywords are accepted")
        XCTAssertEqual(ledger.entries[2].figures, [Figure(name: "评查案卷", value: 45, unit: "卷"), Figure(name: "抽查比例", value: 12, unit: "%")])
    }

    func testTheGB18030CSVTwinHasTheSameContentAsTheYAML() throws {
        let yaml = try XCTUnwrap(try load([TestPaths.fixture("ledgers/good/ganzhou-2024-02.yaml")]).0?.first)
        let (csvLedgers, d) = try load([TestPaths.fixture("ledgers/good/ganzhou-2024-02.gb18030.csv")])
        let csv = try XCTUnwrap(csvLedgers?.first, d.renderAll())
        XCTAssertEqual(csv.format, .csv)
        XCTAssertEqual(csv.canonicalJSON, yaml.canonicalJSON)
        XCTAssertEqual(csv.entries.map(\.line), [10, 11, 12, 14], "CSV lines are physical lines (row 12 holds a line break)")
    }

    func testIconvDecodesGB18030() {
        let bytes: [UInt8] = [0xB8, 0xCA, 0xD6, 0xDD, 0xC7, 0xF8] // 甘州区
        XCTAssertEqual(try LedgerText.convert(bytes, from: "GB18030").get(), "甘州区")
        XCTAssertEqual(LedgerText.convert([0xB8, 0x20], from: "GB18030"), .failure(.invalid(offset: 0)))
    }

    func testForcingUTF8OnAGB18030FileIsAPositionedError() throws {
        let (ledgers, d) = try load([TestPaths.fixture("ledgers/good/ganzhou-2024-02.gb18030.csv")], encoding: .utf8)
        XCTAssertNil(ledgers)
        XCTAssertEqual(d.errors.first?.location.line, 1)
        XCTAssertTrue(d.errors.first?.message.contains("not UTF-8") ?? false)
    }

    func testCSVParserHandlesQuotesEscapesAndLineEnds() throws {
        let records = try CSVParser.parse("a,\"b,\"\"c\"\"\",d\r\n\"x\r\ny\",,z\nlast").get()
        XCTAssertEqual(records.map { $0.fields.map(\.value) }, [["a", "b,\"c\"", "d"], ["x\ny", "", "z"], ["last"]])
        XCTAssertEqual(records[1].fields[2].line, 3)
        XCTAssertEqual(records[1].fields[2].column, 5)
        XCTAssertEqual(records[2].line, 4)
    }

    /// Every bad ledger is rejected with its specific message at FILE:LINE:COLUMN.
    static let corpus: [(file: String, line: Int, message: String)] = [
        ("bad-status.yaml", 12, "status \"进行了\" is not one of"),
        ("binary-garbage.yaml", 2, "binary data"),
        ("completed-after-submitted.yaml", 23, "is after the ledger was submitted"),
        ("csv-bad-status.csv", 12, "status \"做完了\" is not one of"),
        ("csv-not-gb18030.csv", 9, "neither UTF-8 nor GB18030"),
        ("csv-unclosed-quote.csv", 12, "never closed"),
        ("done-without-date.yaml", 22, "without a completion date"),
        ("duplicate-entry.yaml", 39, "a second entry for task 11 (the first is at line 27)"),
        ("group-as-unit.yaml", 4, "is a group of units"),
        ("impossible-date.yaml", 9, "2024-02-30 is not a day on the calendar"),
        ("milestone-of-other-task.yaml", 21, "milestone 7.1 belongs to task 7, not task 2"),
        ("missing-status.yaml", 20, "has no `status`"),
        ("not-owed.yaml", 39, "市市场监管局 does not owe task 24"),
        ("percent-120.yaml", 13, "must be from 0 to 100, found 120"),
        ("period-off-schedule.yaml", 5, "is a quarter"),
        ("period-outside-plan.yaml", 5, "period 2026-02 is outside the plan"),
        ("submitted-before-period.yaml", 9, "is before the period 2024-02 starts"),
        ("truncated.yaml", 30, "not valid YAML"),
        ("unknown-key.yaml", 31, "unknown key `problem`"),
        ("unknown-task.yaml", 39, "unknown task 99"),
        ("unknown-unit.yaml", 4, "unknown unit \"甘洲区\""),
        ("utf16.yaml", 1, "UTF-16"),
        ("wrong-plan.yaml", 3, "no plan \"jiuquan-2023-2025\""),
        ("wrong-version.yaml", 2, "unsupported ledger format version 2"),
    ]

    func testEveryBadLedgerIsRejectedWithItsMessage() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: TestPaths.fixture("ledgers/bad"))
        XCTAssertEqual(Set(files), Set(Self.corpus.map(\.file)), "every fixture has an expectation")
        for c in Self.corpus {
            let path = TestPaths.fixture("ledgers/bad/" + c.file)
            let (ledgers, d) = try load([path])
            XCTAssertNil(ledgers, c.file)
            let rendered = d.renderAll()
            XCTAssertTrue(rendered.contains("\(path):\(c.line):"), "\(c.file): expected line \(c.line)\n\(rendered)")
            XCTAssertTrue(rendered.contains(c.message), "\(c.file): expected \(c.message)\n\(rendered)")
        }
    }

    func testATenMegabyteFileIsRefusedUnread() throws {
        let path = try TestPaths.tempDirectory().appendingPathComponent("huge.yaml").path
        let line = "# " + String(repeating: "台账", count: 40) + "\n"
        let data = Data(String(repeating: line, count: 10 * 1_048_576 / line.utf8.count + 1).utf8)
        try data.write(to: URL(fileURLWithPath: path))
        let (ledgers, d) = try load([path])
        XCTAssertNil(ledgers)
        let size = InputFile.grouped(data.count)
        XCTAssertTrue(d.renderAll().contains("\(path):1:1: error: the file is \(size) bytes; a ledger file is at most 4,194,304 bytes"), d.renderAll())
    }
}
