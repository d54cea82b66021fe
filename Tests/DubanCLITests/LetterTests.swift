import Foundation
import XCTest

/// `duban letter`: the 信函 form as docx, converted by LibreOffice to PDF (A4, the text there),
/// page 1 rendered by pdftoppm; the text form; the 文号 counter of `action record --ref next`.
final class LetterTests: CLITestCase {
    var cli: CLIRunner!

    override func setUpWithError() throws {
        cli = try CLIRunner()
        try cli.loadZhangyeWithSamples()
    }

    func file(_ name: String) -> URL { cli.directory.appendingPathComponent(name) }

    /// The first unit `escalate` puts at 函告提醒 as of the day, and its items.
    func letterUnit(asOf: String) throws -> (name: String, items: [[String: Any]]) {
        let r = try cli.run(["escalate", "--as-of", asOf, "--format", "json"])
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let units = try XCTUnwrap(json["units"] as? [[String: Any]])
        let unit = try XCTUnwrap(units.first { $0["level"] as? String == "letter" } ?? units.first)
        return (try XCTUnwrap(unit["unit_name"] as? String), unit["items"] as? [[String: Any]] ?? [])
    }

    func testTheTextFormCitesThePlanItemsAndReplyDate() throws {
        let (unit, items) = try letterUnit(asOf: "2024-04-10")
        let r = try cli.run(["letter", "--unit", unit, "--level", "letter", "--as-of", "2024-04-10", "--ref", "张司函〔2024〕12号"])
        XCTAssertEqual(r.code, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("张司函〔2024〕12号"))
        XCTAssertTrue(r.stdout.contains("关于\(unit)落实《张掖市提升行政执法质量三年行动工作方案(2023—2025年)》逾期事项的督办函"), r.stdout)
        XCTAssertTrue(r.stdout.contains("\(unit):"))
        XCTAssertTrue(r.stdout.contains("请于2024年4月20日前") || r.stdout.contains("并于2024年4月20日前"), r.stdout)
        XCTAssertTrue(r.stdout.contains("\n2024年4月10日\n"), "成文日期 in Arabic numerals, no padding")
        let overdue = items.filter { ($0["days_overdue"] as? Int ?? 0) > 0 }
        XCTAssertFalse(overdue.isEmpty)
        for item in overdue {
            XCTAssertTrue(r.stdout.contains("已逾期\(item["days_overdue"] as? Int ?? -1)天"), "\(item)")
        }
    }

    func testTheDocxBecomesAnA4PDFWithTheLetter() throws {
        let (unit, _) = try letterUnit(asOf: "2024-04-10")
        let docx = file("督办函.docx")
        let r = try cli.run(["letter", "--unit", unit, "--level", "letter", "--as-of", "2024-04-10", "--ref", "张司函〔2024〕12号",
                             "--format", "docx", "--out", docx.path])
        XCTAssertEqual(r.code, 0, r.stderr)
        let document = try Soffice.run("unzip", ["-p", docx.path, "word/document.xml"])
        XCTAssertTrue(document.contains("<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"), "A4")
        XCTAssertTrue(document.contains("<w:pgMar w:top=\"2098\" w:right=\"1474\" w:bottom=\"1984\" w:left=\"1587\""), "37/26/35/28 mm")
        XCTAssertTrue(document.contains("<w:docGrid w:type=\"lines\" w:linePitch=\"579\"/>"), "22 lines: 225 mm / 22")
        XCTAssertTrue(document.contains("<w:spacing w:val=\"-5\"/><w:sz w:val=\"32\"/>"), "3号 condensed to 28 a line")
        XCTAssertTrue(document.contains("<w:rFonts w:ascii=\"方正小标宋简体\""))
        XCTAssertTrue(document.contains("<w:sz w:val=\"44\"/>"), "title 2号")
        let fonts = try Soffice.run("unzip", ["-p", docx.path, "word/fontTable.xml"])
        XCTAssertTrue(fonts.contains("<w:font w:name=\"仿宋_GB2312\"><w:altName w:val=\"Noto Serif CJK SC\"/>"), fonts)

        let pdf = try Soffice.convert([docx], to: "pdf", extension: "pdf", outdir: file("pdf"))[0]
        let info = try Soffice.run("pdfinfo", [pdf.path])
        XCTAssertTrue(info.contains("Page size:") && info.contains("595.") && info.contains("841.") && info.contains("(A4)"), info)
        let text = try Soffice.run("pdftotext", ["-layout", pdf.path, "-"]).replacingOccurrences(of: " ", with: "")
        for expected in ["张司函〔2024〕12号", "督办函", "\(unit):", "2024年4月10日", "已逾期"] {
            XCTAssertTrue(text.contains(expected), "\(expected) in \(text)")
        }
        _ = try Soffice.run("pdftoppm", ["-r", "50", "-png", "-f", "1", "-l", "1", pdf.path, file("page").path])
        let png = try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: cli.directory.path).first { $0.hasPrefix("page") && $0.hasSuffix(".png") })
        let bytes = try Data(contentsOf: file(png))
        // PNG header: width and height (big-endian) at 16 and 20: A4 at 50 dpi is 413 × 585.
        let width = bytes[16..<20].reduce(0) { $0 << 8 | Int($1) }, height = bytes[20..<24].reduce(0) { $0 << 8 | Int($1) }
        XCTAssertEqual(width, 414)
        XCTAssertEqual(height, 585)

        // The two red double rules of the 信函 form (GB/T 9704-2012 10.1), found in page 1 rendered at
        // 200 dpi: under the office's name, and 20 mm above the bottom edge; each 170 mm long.
        _ = try Soffice.run("pdftoppm", ["-r", "200", "-f", "1", "-l", "1", "-singlefile", pdf.path, file("rules").path])
        let rules = try RedRules(ppm: Data(contentsOf: file("rules.ppm")))
        XCTAssertEqual(rules.bands.count, 2, "two red rules: \(rules.bands)")
        if let lower = rules.bands.last {
            XCTAssertEqual(lower.fromBottom, 20, accuracy: 1, "the lower rule 20 mm above the bottom edge: \(lower)")
            XCTAssertEqual(lower.length, 170, accuracy: 2, "\(lower)")
            XCTAssertEqual(lower.lines, 2, "a double rule: \(lower)")
            XCTAssertLessThan(lower.lineHeights[0], lower.lineHeights[1], "thin over thick: \(lower)")
        }
        if let upper = rules.bands.first, rules.bands.count == 2 {
            XCTAssertEqual(upper.length, 170, accuracy: 2, "\(upper)")
            XCTAssertEqual(upper.lines, 2, "a double rule: \(upper)")
            XCTAssertGreaterThan(upper.lineHeights[0], upper.lineHeights[1], "thick over thin: \(upper)")
        }
    }

    func testACircularNamesSeveralUnits() throws {
        let r = try cli.run(["escalate", "--as-of", "2024-04-10", "--format", "json"])
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let names = (json["units"] as? [[String: Any]] ?? []).prefix(2).compactMap { $0["unit_name"] as? String }
        XCTAssertEqual(names.count, 2)
        let letter = try cli.run(["letter", "--unit", names[0], "--unit", names[1], "--level", "circular", "--as-of", "2024-04-10"])
        XCTAssertEqual(letter.code, 0, letter.stderr)
        XCTAssertTrue(letter.stdout.contains("关于\(names[0])、\(names[1])落实"), letter.stdout)
        XCTAssertTrue(letter.stdout.contains("的通报"))
        XCTAssertTrue(letter.stdout.contains("一、\(names[0])") && letter.stdout.contains("二、\(names[1])"))
    }

    func testPDFWithoutLibreOfficeIsExit69AndBinaryNeedsOut() throws {
        let (unit, _) = try letterUnit(asOf: "2024-04-10")
        var noOffice = cli!
        noOffice.environment["PATH"] = "/nonexistent"
        let r = try noOffice.run(["letter", "--unit", unit, "--level", "letter", "--as-of", "2024-04-10", "--format", "pdf",
                                  "--out", file("x.pdf").path])
        XCTAssertEqual(r.code, 69, r.stderr)
        XCTAssertTrue(r.stderr.contains("PDF needs LibreOffice"), r.stderr)
        XCTAssertEqual(try cli.run(["letter", "--unit", unit, "--level", "letter", "--format", "docx"]).code, 64)
    }

    func testActionRecordTakesTheNextNumberOfTheYear() throws {
        let (unit, _) = try letterUnit(asOf: "2024-04-10")
        func record(_ ref: String, date: String = "2024-04-10") throws -> CLIRunner.Result {
            try cli.run(["action", "record", "--unit", unit, "--level", "letter", "--date", date, "--ref", ref])
        }
        XCTAssertTrue(try record("next").stdout.contains("张司函〔2024〕1号"))
        XCTAssertTrue(try record("张司函〔2024〕7号").stdout.contains("张司函〔2024〕7号"))
        XCTAssertTrue(try record("next").stdout.contains("张司函〔2024〕8号"))
        XCTAssertTrue(try record("next", date: "2025-01-03").stdout.contains("张司函〔2025〕1号"), "a new year starts at 1")
        let before = try cli.dump()
        let again = try record("张司函〔2024〕7号")
        XCTAssertEqual(again.code, 65)
        XCTAssertTrue(again.stderr.contains("张司函〔2024〕7号 was already taken by action #2"), again.stderr)
        XCTAssertEqual(try cli.dump(), before)
        // The letter of that day takes the recorded number when --ref is not given.
        let letter = try cli.run(["letter", "--unit", unit, "--level", "letter", "--as-of", "2024-04-10"])
        XCTAssertTrue(letter.stdout.contains("张司函〔2024〕8号"), letter.stdout)
    }
}

/// The red horizontal rules of a page rendered as a binary PPM (P6): bands of rows with a long
/// run of red pixels, each with its place and length in mm and the heights of its lines in rows.
struct RedRules {
    struct Band: CustomStringConvertible {
        var fromBottom: Double
        var length: Double
        var lineHeights: [Int]
        var lines: Int { lineHeights.count }
        var description: String { "\(fromBottom) mm from the bottom, \(length) mm long, lines \(lineHeights) rows" }
    }

    var bands: [Band] = []

    init(ppm: Data) throws {
        let bytes = [UInt8](ppm)
        // "P6\n<w> <h>\n255\n", then RGB rows.
        var fields: [Int] = [], i = 2, number = ""
        while fields.count < 3, i < bytes.count {
            let c = bytes[i]
            if (0x30...0x39).contains(c) { number.append(Character(UnicodeScalar(c))) } else if !number.isEmpty { fields.append(Int(number) ?? 0); number = "" }
            i += 1
        }
        guard bytes.starts(with: Array("P6".utf8)), fields.count == 3 else { throw CocoaError(.fileReadCorruptFile) }
        let (width, height) = (fields[0], fields[1])
        let mmPerRow = 297.0 / Double(height), mmPerColumn = 210.0 / Double(width)
        // A row is part of a rule when a third of the page's width or more is red.
        var red: [(row: Int, length: Double)] = []
        for row in 0..<height {
            var count = 0
            for x in 0..<width {
                let p = i + (row * width + x) * 3
                guard p + 2 < bytes.count else { break }
                if bytes[p] > 180, bytes[p + 1] < 110, bytes[p + 2] < 110 { count += 1 }
            }
            if Double(count) > Double(width) / 3 { red.append((row, Double(count) * mmPerColumn)) }
        }
        // Rows within 2 mm of each other are one band; a gap of white rows inside it splits its lines.
        var k = 0
        while k < red.count {
            var end = k
            while end + 1 < red.count, Double(red[end + 1].row - red[end].row) * mmPerRow < 2 { end += 1 }
            var heights = [1]
            for j in (k + 1)...max(k, end) where j <= end {
                if red[j].row == red[j - 1].row + 1 { heights[heights.count - 1] += 1 } else { heights.append(1) }
            }
            let middle = Double(red[k].row + red[end].row + 1) / 2
            bands.append(Band(fromBottom: (Double(height) - middle) * mmPerRow, length: red[k...end].map(\.length).max() ?? 0,
                              lineHeights: heights))
            k = end + 1
        }
    }
}
