import Foundation
import XCTest

/// Hostile .xlsx ledgers: each refused with a clear error at the file, and nothing written,
/// even beside a good ledger in the same submit.
final class XLSXHostileTests: CLITestCase {
    var cli: CLIRunner!

    override func setUpWithError() throws {
        cli = try CLIRunner()
        XCTAssertEqual(try cli.run(["plan", "load", CLIRunner.zhangye]).code, 0)
    }

    /// A plain, valid one-sheet workbook's parts, to be spoiled by each case.
    func parts(sheetData: String = "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>",
               strings: String = "<?xml version=\"1.0\"?><sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><si><t>任务</t></si></sst>") -> [(String, Data)] {
        XLSXFixture.handBuilt(sheetData: sheetData, sharedStrings: strings,
                              styles: "<?xml version=\"1.0\"?><styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"/>")
    }

    func assertRefused(_ parts: [(String, Data)], _ expected: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let url = cli.directory.appendingPathComponent("bad.xlsx")
        try XLSXFixture.write(parts, to: url)
        try assertRefused(url, expected, file: file, line: line)
    }

    func assertRefused(_ url: URL, _ expected: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let good = CLIRunner.zhangye + "/samples/ganzhou-2024-01.yaml"
        let before = try cli.dump()
        let r = try cli.run(["ledger", "submit", good, url.path])
        XCTAssertEqual(r.code, 65, r.stderr, file: file, line: line)
        XCTAssertTrue(r.stderr.contains("\(url.path): error: ") && r.stderr.contains(expected), r.stderr, file: file, line: line)
        XCTAssertEqual(try cli.dump(), before, "nothing written", file: file, line: line)
    }

    /// A workbook is held to a CSV ledger's 4 MiB, counted on its values as the smallest CSV file
    /// holding them (`value,value\n`, no quotes): the same values written so as a CSV file pass
    /// or fail the file limit exactly when the workbook passes or fails it.
    func testAWorkbookIsHeldToTheLimitOfItsCSVTwin() throws {
        var seed: UInt64 = 17
        func letters(_ n: Int) -> String {
            // Letters that do not repeat (a run of one letter would deflate past the zip-bomb ratio).
            String(decoding: (0..<n).map { _ -> UInt8 in
                seed = seed &* 6364136223846793005 &+ 1442695040888963407
                return UInt8(97 + Int(seed >> 33) % 26)
            }, as: UTF8.self)
        }
        let rows = (0..<4096).map { _ in letters(1023) }   // 4096 × (1023 + "\n") = 4 MiB exactly
        for extra in [0, 1] {
            var values = rows
            values[values.count - 1] += String(repeating: "z", count: extra)
            let csv = cli.directory.appendingPathComponent("twin-\(extra).csv")
            try Data(values.map { $0 + "\n" }.joined().utf8).write(to: csv)
            XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: csv.path)[.size] as? Int, 4_194_304 + extra)
            let sheetData = values.enumerated().map { "<row r=\"\($0.offset + 1)\"><c r=\"A\($0.offset + 1)\" t=\"inlineStr\"><is><t>\($0.element)</t></is></c></row>" }.joined()
            let xlsx = cli.directory.appendingPathComponent("twin-\(extra).xlsx")
            try XLSXFixture.write(parts(sheetData: sheetData), to: xlsx)
            let before = try cli.dump()
            let twin = try cli.run(["ledger", "submit", csv.path]), workbook = try cli.run(["ledger", "submit", xlsx.path])
            XCTAssertEqual(twin.code, 65, twin.stderr)
            XCTAssertEqual(workbook.code, 65, workbook.stderr)
            XCTAssertEqual(try cli.dump(), before, "nothing written")
            let csvTooBig = twin.stderr.contains("a ledger file is at most 4,194,304 bytes")
            let xlsxTooBig = workbook.stderr.contains("\(xlsx.path):台账!A4096: error: the sheet holds over 4,194,304 bytes of values by this row")
            XCTAssertEqual(csvTooBig, extra == 1, twin.stderr)
            XCTAssertEqual(xlsxTooBig, extra == 1, String(workbook.stderr.prefix(2000)))
            if extra == 0 { XCTAssertFalse(workbook.stderr.contains("4,194,304"), "at the limit: read, and refused for what it holds") }
        }
    }

    func testAZipBombIsStoppedWhileInflating() throws {
        // 40 MB of spaces inside a row deflate to about 40 KB: the ratio limit stops it at 1 MB.
        let bomb = "<row r=\"1\">" + String(repeating: " ", count: 40 << 20) + "</row>"
        try assertRefused(parts(sheetData: bomb), "zip bomb")
    }

    func testThousandsOfEntriesAreRefused() throws {
        let many = (0..<1_500).map { ("xl/media/image\($0).xml", Data("<a/>".utf8)) }
        try assertRefused(parts() + many, "more than 1000 entries")
    }

    func testEntryNamesClimbingOutOrAbsoluteAreRefused() throws {
        try assertRefused(parts() + [("../../evil.txt", Data("x".utf8))], "an absolute path or one climbing out")
        try assertRefused(parts() + [("xl/../../evil.txt", Data("x".utf8))], "an absolute path or one climbing out")
        try assertRefused(parts() + [("/etc/evil", Data("x".utf8))], "an absolute path or one climbing out")
    }

    func testADoctypeOrEntityIsRefusedBeforeParsing() throws {
        let laughs = """
            <?xml version="1.0"?><!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>\
            <sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&b;</t></si></sst>
            """
        try assertRefused(parts(strings: laughs), "declares a DOCTYPE or an entity")
        let external = """
            <?xml version="1.0"?><!doctype sst SYSTEM "file:///etc/passwd"><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>
            """
        try assertRefused(parts(strings: external), "declares a DOCTYPE or an entity")
    }

    func testExternalReferencesAreRefused() throws {
        try assertRefused(parts() + [("xl/externalLinks/externalLink1.xml", Data("<externalLink/>".utf8))], "external references")
    }

    func testNotAZipIsRefused() throws {
        let url = cli.directory.appendingPathComponent("renamed.xlsx")
        try Data("序号,任务\n".utf8).write(to: url)
        try assertRefused(url, "not a zip file")
    }

    func testAnErrorValueAndAnUncalculatedFormulaNameTheirCells() throws {
        let data = "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"e\"><v>#DIV/0!</v></c><c r=\"C1\"><f>1+1</f></c></row>"
        let url = cli.directory.appendingPathComponent("cells.xlsx")
        try XLSXFixture.write(parts(sheetData: data), to: url)
        let r = try cli.run(["ledger", "submit", url.path])
        XCTAssertEqual(r.code, 65)
        XCTAssertTrue(r.stderr.contains("cells.xlsx:台账!B1: error: the cell holds the error value #DIV/0!"), r.stderr)
        XCTAssertTrue(r.stderr.contains("cells.xlsx:台账!C1: error: a formula with no saved result"), r.stderr)
    }
}
