@testable import DubanKit
import XCTest

final class TableTests: XCTestCase {
    func testDisplayWidthCountsChineseAsTwoColumns() {
        XCTAssertEqual(DisplayWidth.of("abc"), 3)
        XCTAssertEqual(DisplayWidth.of("甘州区"), 6)
        XCTAssertEqual(DisplayWidth.of("(二)、"), 6)
        XCTAssertEqual(DisplayWidth.of("e\u{301}"), 1, "a combining accent takes no column")
        XCTAssertEqual(DisplayWidth.truncate("肃南裕固族自治县", to: 7), "肃南裕…")
    }

    func testTerminalTableAlignsMixedWidthCells() {
        let table = Table(columns: [.init("单位"), .init("任务", .right), .init("状态")],
                          rows: [["甘州区", "7", "已完成"], ["肃南裕固族自治县", "17", "推进中"], ["ndrc", "123", "x"]])
        let lines = table.renderText().split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 5)
        // The third column starts at the same display column on every line.
        let starts = lines.map { line -> Int in
            let parts = line.components(separatedBy: "  ").filter { !$0.isEmpty }
            guard let last = parts.last, let range = line.range(of: last, options: .backwards) else { return -1 }
            return DisplayWidth.of(line[..<range.lowerBound])
        }
        XCTAssertEqual(Set(starts).count, 1, "\(lines)")
    }

    /// DisplayWidth's fast paths (printable ASCII, CJK ideographs) give what the general
    /// category gives, for every scalar.
    func testDisplayWidthFastPathsAgreeWithTheGeneralCategory() throws {
        var differ: [String] = []
        for v in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(v) else { continue }
            if DisplayWidth.of(scalar) != DisplayWidth.byCategory(scalar) { differ.append(String(v, radix: 16)) }
        }
        XCTAssertEqual(differ, [])
        XCTAssertEqual(DisplayWidth.truncate("/work/c0449.csv:12", to: 8), "/work/c…")
        XCTAssertEqual(DisplayWidth.truncate("e\u{301}e\u{301}e\u{301}", to: 2), "e\u{301}…")
    }

    /// `history` writes its table a row at a time (`Table.stream`), the rows handed out by a
    /// callback: in every form the text is `render`'s for the same rows (widths measured over all
    /// of them, cells cut, line breaks flattened, missing cells, CSV quoting and formulas,
    /// Markdown escaping), whatever the part size; the terminal table asks for the rows twice
    /// (measuring, then writing), CSV and Markdown once.
    func testAStreamedTableIsTheRenderedText() throws {
        let columns: [Table.Column] = [.init("#", .right), .init("单位"), .init("比例", .right), .init("来源", maxWidth: 12),
                                       .init("备注", maxWidth: 6)]
        let pool = ["", "7", "甘州区", "肃南裕固族自治县", "100%", "e\u{301}x", "a\nb", "=1+1", "x|y", "say \"hi\", 2",
                    "samples/ganzhou-2024-03.yaml:194", "已被 #26 更正; 电话确认", "ndrc"]
        var rng = SystemRandomNumberGenerator()
        for n in [0, 1, 2] + (0..<40).map({ _ in Int.random(in: 3...30, using: &rng) }) {
            let rows = (0..<n).map { _ in (0..<Int.random(in: 3...5, using: &rng)).map { _ in pool.randomElement(using: &rng) ?? "" } }
            let table = Table(columns: columns, rows: rows)
            for (form, passes) in [(Table.Form.text, 2), (.csv, 1), (.markdown, 1)] {
                var parts: [[UInt8]] = []
                var asked = 0
                try Table.stream(columns: columns, form: form, chunk: Int.random(in: 1...300, using: &rng), rows: { each in
                    asked += 1
                    try rows.forEach(each)
                }) { parts.append($0) }
                XCTAssertEqual(String(decoding: parts.flatMap { $0 }, as: UTF8.self), table.render(form), "\(form), \(n) rows")
                XCTAssertEqual(asked, passes, "\(form)")
            }
        }
    }

    func testCSVFollowsRFC4180() {
        let csv = Table(columns: [.init("a"), .init("b")], rows: [["x,y", "say \"hi\""], ["多\n行", "plain"]]).renderCSV()
        XCTAssertEqual(csv, "a,b\r\n\"x,y\",\"say \"\"hi\"\"\"\r\n\"多\n行\",plain\r\n")
    }

    func testMarkdownEscapesPipes() {
        let md = Table(columns: [.init("a")], rows: [["x|y"]]).renderMarkdown()
        XCTAssertEqual(md, "| a |\n| --- |\n| x\\|y |\n")
    }
}

final class JSONObjectTests: XCTestCase {
    struct Sample: JSONObject {
        var name: String
        var task: Int?
        var list: [String]?
    }

    func testOptionalsWithoutValueAreWrittenAsNull() {
        XCTAssertEqual(JSONOutput.encode(Sample(name: "甘州区", task: nil, list: ["a"])).filter { !$0.isWhitespace },
                       #"{"list":["a"],"name":"甘州区","task":null}"#)
        XCTAssertEqual(JSONOutput.encode([Sample(name: "x", task: 7, list: nil)]).filter { !$0.isWhitespace },
                       #"[{"list":null,"name":"x","task":7}]"#)
    }
}

/// `CSV.field`'s neutralising of formulas (OWASP "CSV Injection"), and plain numbers kept.
final class CSVFormulaTests: XCTestCase {
    func testFormulaCellsAreNeutralisedAndNumbersAreNot() {
        for formula in ["=1+1", "+cmd", "-2+3", "@SUM(A1)", "\tx", "\rx", "-", "＝1", "－1", "-1e5", "+86 0936"] {
            XCTAssertEqual(CSV.field(formula), "\"'" + formula + "\"", formula.debugDescription)
        }
        XCTAssertEqual(CSV.field(#"=HYPERLINK("a","b")"#), #""'=HYPERLINK(""a"",""b"")""#)
        for plain in ["-5", "+3", "-2.5", "-12%", "2024-01-05", "a=1", "0936-0000001", "甘州区", ""] {
            XCTAssertEqual(CSV.field(plain), plain, plain)
        }
    }

    func testTheParserReadsANeutralisedCellAsTheOriginal() throws {
        for original in ["=1+1", "+cmd|' /C calc'!A0", "-x", "@a", "＝1", "=a\nb", "=\"q\""] {
            let line = CSV.field(original) + ",'=kept?,'x\r\n"
            let records = try CSVParser.parse(line).get()
            XCTAssertEqual(records[0].fields.map(\.value), [original, "=kept?", "'x"], line.debugDescription)
        }
    }
}
