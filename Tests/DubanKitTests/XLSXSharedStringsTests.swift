import Foundation
import XCTest
@testable import DubanKit

/// A workbook's shared strings kept aside (`XLSXSharedStrings` past `heldBytes`) read back as
/// the table held in memory reads them, string for string; a cell naming a string past the
/// table is still refused at its cell; the temporary files are closed (so gone: they have no
/// name) once the table is done with, whether the workbook was read or refused.
final class XLSXSharedStringsTests: XCTestCase {
    static let sst = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"

    /// Strings of every kind a table holds, then `filler` more (distinct, CJK), then one long one.
    static func items(filler: Int) -> [String] {
        var items = [
            "<si><t>序号</t></si>",
            "<si><r><rPr><b/></rPr><t>富</t></r><r><t xml:space=\"preserve\"> 文本 </t></r><r><t>runs</t></r></si>",
            "<si><t>东京</t><rPh sb=\"0\" eb=\"2\"><t>トウキョウ</t></rPh><phoneticPr fontId=\"1\"/></si>",
            "<si><t>a_x000D_b_x000A_c_x005F_x000D_</t></si>",
            "<si><t>&lt;&amp;&gt;&quot;&apos;&#x4E2D;&#25991;</t></si>",
            "<si><t/></si>",
            "<si></si>",
            "<si><t>甘州区工作台账・推进中</t></si>",
            "<si><t>_x4E2D_</t></si>",
        ]
        for n in 0..<filler { items.append("<si><t>第\(n)行进展情况:已完成\(n % 7)项</t></si>") }
        items.append("<si><t>" + String(repeating: "存在问题", count: 200) + "</t></si>")
        return items
    }

    static let expectedHead = ["序号", "富 文本 runs", "东京", "a\rb\nc_x000D_", "<&>\"'中文", "", "", "甘州区工作台账・推进中", "中"]

    func zip(_ parts: [(String, String)]) throws -> ZipReader {
        var writer = ZipWriter()
        for (name, text) in parts { writer.add(name, text) }
        return try ZipReader(data: try writer.data(), name: "t.xlsx")
    }

    func table(_ items: [String], heldBytes: Int) throws -> XLSXSharedStrings {
        var z = try zip([(XLSXSharedStrings.part, Self.sst + items.joined() + "</sst>")])
        return try XLSXSharedStrings.read(from: &z, heldBytes: heldBytes)
    }

    func strings(_ t: XLSXSharedStrings, _ order: [Int]) throws -> [String] {
        try order.map { try t.string(at: $0) }
    }

    func testSpooledStringsReadAsTheTableHeldInMemory() throws {
        let items = Self.items(filler: 3_000)
        let held = try table(items, heldBytes: .max)
        XCTAssertFalse(held.spooled)
        XCTAssertEqual(held.count, items.count)
        XCTAssertEqual(try strings(held, Array(0..<Self.expectedHead.count)), Self.expectedHead)
        XCTAssertEqual(try held.string(at: items.count - 1), String(repeating: "存在问题", count: 200))
        let all = Array(0..<items.count)
        // Forward, backward, and indices sharing a cache slot one after the other.
        let slots = XLSXSharedStrings.cacheSlots
        let order = all + all.reversed() + (0..<200).flatMap { [$0, $0 + slots, $0, $0 + 2 * slots, items.count - 1, $0] }
        let reference = try strings(held, order)
        for heldBytes in [0, 1, XLSXSharedStrings.heldBytes] {
            let spooled = try table(items, heldBytes: heldBytes)
            XCTAssertTrue(spooled.spooled, "\(heldBytes)")
            XCTAssertEqual(spooled.count, items.count)
            XCTAssertEqual(try strings(spooled, order), reference, "\(heldBytes)")
        }
    }

    /// A small table stays in memory at the default threshold; one just past it is kept aside.
    func testTheThresholdKeepsSmallTablesInMemory() throws {
        let small = try table(Self.items(filler: 100), heldBytes: XLSXSharedStrings.heldBytes)
        XCTAssertFalse(small.spooled)
        XCTAssertEqual(try strings(small, Array(0..<Self.expectedHead.count)), Self.expectedHead)
        // Each filler string is about 30 bytes of UTF-8 and 16 counted for its String.
        var filler = 100
        while try !table(Self.items(filler: filler), heldBytes: XLSXSharedStrings.heldBytes).spooled { filler += 50 }
        let justPast = try table(Self.items(filler: filler), heldBytes: XLSXSharedStrings.heldBytes)
        let held = try table(Self.items(filler: filler), heldBytes: .max)
        XCTAssertLessThan(filler, 2_000)
        XCTAssertEqual(try strings(justPast, Array(0..<justPast.count)), try strings(held, Array(0..<held.count)))
    }

    /// A one-sheet workbook of these shared strings whose sheet names them by `sheetData`.
    func workbook(strings items: [String], sheetData: String) throws -> String {
        let main = "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\""
        var writer = ZipWriter()
        writer.add("xl/workbook.xml", "<?xml version=\"1.0\"?><workbook \(main) xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets><sheet name=\"台账\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>")
        writer.add("xl/_rels/workbook.xml.rels", "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>")
        writer.add("xl/worksheets/sheet1.xml", "<?xml version=\"1.0\"?><worksheet \(main)><sheetData>\(sheetData)</sheetData></worksheet>")
        writer.add(XLSXSharedStrings.part, Self.sst + items.joined() + "</sst>")
        let path = try TestPaths.tempDirectory().appendingPathComponent("t.xlsx").path
        try writer.data().write(to: URL(fileURLWithPath: path))
        return path
    }

    func testACellNamingAStringPastTheSpooledTableIsRefusedAtItsCell() throws {
        let items = Self.items(filler: 3_000)
        let n = items.count
        let path = try workbook(strings: items, sheetData: "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>\(n - 1)</v></c><c r=\"B1\" t=\"s\"><v>\(n)</v></c>"
                                + "<c r=\"C1\" t=\"s\"><v>3</v></c></row><row r=\"2\"><c r=\"D2\" t=\"s\"><v>-1</v></c></row>")
        var rows: [[String]] = []
        let sheet = try XLSXReader.read(path: path, preferred: "台账") { rows.append($0.cells.map(\.value)) }
        XCTAssertEqual(rows, [[String(repeating: "存在问题", count: 200), "a\rb\nc_x000D_"]])
        XCTAssertEqual(sheet.problems.map { "\($0.cell ?? "-"): \($0.message)" },
                       ["台账!B1: shared string #\(n) does not exist", "台账!D2: shared string #-1 does not exist"])
    }

    /// The process's open files (`/proc/self/fd`; the listing's own is the same each time).
    func openFiles() throws -> Int {
        try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count
    }

    func testTheTemporaryFilesAreGoneAfterAReadAndAfterAnError() throws {
        #if !os(Linux)
        throw XCTSkip("counts open files in /proc/self/fd")
        #endif
        let items = Self.items(filler: 3_000)
        let before = try openFiles()
        do {
            let t = try table(items, heldBytes: 0)
            XCTAssertTrue(t.spooled)
            XCTAssertEqual(try openFiles(), before + 2, "the texts and their ends, each in a temporary file")
            XCTAssertEqual(try t.string(at: 0), "序号")
        }
        XCTAssertEqual(try openFiles(), before, "after a read")

        // The part ends before its elements close: refused after the files were made.
        var broken = try zip([(XLSXSharedStrings.part, Self.sst + items.joined())])
        XCTAssertThrowsError(try XLSXSharedStrings.read(from: &broken, heldBytes: 0)) {
            XCTAssertTrue(($0 as? OfficeReadError)?.message.contains("the part ends before its elements close") == true, "\($0)")
        }
        XCTAssertEqual(try openFiles(), before, "after a refused part")

        // Whoever takes the rows refuses one, as the sheet is read.
        struct Stop: Error {}
        let path = try workbook(strings: items, sheetData: "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>7</v></c></row><row r=\"2\"><c r=\"A2\" t=\"s\"><v>8</v></c></row>")
        var seen: [String] = []
        XCTAssertThrowsError(try XLSXReader.read(path: path, preferred: "台账") { row in
            seen += row.cells.map(\.value)
            // The texts and their ends, and the workbook (open for as long as it is read).
            XCTAssertGreaterThanOrEqual(try openFiles(), before + 2, "kept aside while the sheet is read")
            throw Stop()
        }) { XCTAssertTrue($0 is Stop) }
        XCTAssertEqual(seen, ["甘州区工作台账・推进中"])
        XCTAssertEqual(try openFiles(), before, "after a row was refused")
    }
}
