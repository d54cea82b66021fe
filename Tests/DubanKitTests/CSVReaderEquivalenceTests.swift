@testable import DubanKit
import Foundation
import XCTest

/// The CSV reader reads cells from the bytes (no string and location per field up front); it
/// must read exactly what the reader before it read (`ReferenceLedgerCSVReader`): the same spec,
/// the same findings with the same messages at the same places, for good files, odd files and
/// thousands of mutated ones. And `CSVParser.parse`, now built on the byte table, parses as the
/// reference parser does.
final class CSVReaderEquivalenceTests: XCTestCase {
    func describe(_ l: Located<String>?) -> String { l.map { "\($0.value)@\($0.location)" } ?? "-" }

    func describe(_ spec: LedgerFileSpec?) -> String {
        guard let spec else { return "nil" }
        var out = "\(spec.path) \(spec.format) \(spec.location) plan=\(describe(spec.plan)) unit=\(describe(spec.unit))"
        out += " period=\(describe(spec.period)) liaison=\(describe(spec.liaisonName)) phone=\(describe(spec.liaisonPhone))"
        out += " submitted=\(spec.submitted.map { "\($0.value)@\($0.location)" } ?? "-")\n"
        for e in spec.entries {
            out += "  \(e.location) task=\(e.task.map { "\($0.value)@\($0.location)" } ?? "-") milestone=\(describe(e.milestone))"
            out += " status=\(describe(e.status)) percent=\(e.percent.map { "\($0.value)@\($0.location)" } ?? "-")"
            out += " completed=\(e.completed.map { "\($0.value)@\($0.location)" } ?? "-") progress=\(describe(e.progress))"
            out += " problems=\(describe(e.problems)) next=\(describe(e.nextSteps))"
            out += " figures=\(e.figures.map { "\($0.value.name)|\($0.value.value)|\($0.value.unit ?? "nil")@\($0.location)" })"
            out += " evidence=\(e.evidence.map { "\($0.value)@\($0.location)" })\n"
        }
        return out
    }

    func describe(_ d: DiagnosticCollector) -> [String] {
        d.diagnostics.map { "\($0.severity) \($0.location): \($0.message) | \($0.hint ?? "")" }
    }

    var checked = 0

    func check(_ text: String, defaults: LedgerHeaderDefaults = LedgerHeaderDefaults(), _ what: @autoclosure () -> String,
               file: StaticString = #filePath, line: UInt = #line) {
        let path = "t.csv"
        let mine = DiagnosticCollector(), reference = DiagnosticCollector()
        let spec = LedgerCSVReader(diagnostics: mine).read(text: text, path: path, defaults: defaults)
        let expected = ReferenceLedgerCSVReader(diagnostics: reference).read(text: text, path: path, defaults: defaults)
        XCTAssertEqual(describe(spec), describe(expected), what(), file: file, line: line)
        XCTAssertEqual(describe(mine), describe(reference), what(), file: file, line: line)
        switch (CSVParser.parse(text), ReferenceCSVParser.parse(text)) {
        case (.success(let a), .success(let b)):
            XCTAssertEqual(a.map { $0.fields.map { "\($0.value)@\($0.line):\($0.column)" } + ["line \($0.line)", "blank \($0.isBlank)"] },
                           b.map { $0.fields.map { "\($0.value)@\($0.line):\($0.column)" } + ["line \($0.line)", "blank \($0.isBlank)"] },
                           what(), file: file, line: line)
        case (.failure(let a), .failure(let b)):
            XCTAssertEqual("\(a.line):\(a.column) \(a.message) \(a.hint)", "\(b.line):\(b.column) \(b.message) \(b.hint)", what(), file: file, line: line)
        case (let a, let b):
            XCTFail("parse: \(a) vs reference \(b): \(what())", file: file, line: line)
        }
        checked += 1
    }

    static let twin: String = {
        let path = TestPaths.fixture("ledgers/good/ganzhou-2024-02.gb18030.csv")
        let bytes = (try? Data(contentsOf: URL(fileURLWithPath: path))).map { [UInt8]($0) } ?? []
        return LedgerText.decode(bytes, path: path, encoding: .auto, into: DiagnosticCollector()) ?? ""
    }()

    static let header = "方案,zhangye-2023-2025\n单位,甘州区\n期间,2024-02\n联络员,李某某\n联系电话,0936-0000001\n报送日期,2024-03-04\n"
    static let columns = "序号,任务,节点,状态,完成比例,完成日期,进展情况,存在问题,下步打算,数据指标,佐证材料\n"

    func testOddFilesReadAsTheReferenceReadsThem() throws {
        XCTAssertFalse(Self.twin.isEmpty)
        check(Self.twin, "the GB18030 twin")
        check(Self.twin.replacingOccurrences(of: "\n", with: "\r\n"), "CRLF")
        check(Self.twin.replacingOccurrences(of: "\n", with: "\r"), "CR alone")
        let rows = [
            "1,2,,推进中,30%,,进展,,,,",
            "1, 2 ,,\u{3000}推进中\u{3000},30％,,\u{A0}进展\u{A0},问题 ,  ,人数=3人;比例＝12%；次数：4次,a；b;c\n d",
            "1,2,,推进中,+5,,\"多行\r\n进展\",,,\"x=\"\"1\"\"\",",
            "1,0012,7.1,已完成,100,2023/12/28,进展,,,,",
            "1,12345,,推进中,101,,进展,,,=1,",
            "1,2,,推进中,５,,进展,,,名称=,",
            "1,2,,推进中,30,,进展,,,,,,extra",
            "1,2,,推进中,30,,进展,,,,,,  ",
            ",,,,,,,,,,",
            "  ,\t, , ,,,,,,,",
            "1,,,推进中,,,,,,,",
            "1,2,,,,2024-02-30,,,,,",
            "1,2,,推进中,30,,进展e\u{301},,,a=1;\u{301}b=2,x;\u{301}y",
            "1,2,,推进中,3\u{301}0%,,进展,,,a=\u{301}1,x",
            "1,2,,推进中,30%\u{301},,进展,,,a=1\u{301},x",
            "1,\u{2003}2\u{2003},,\u{2028}推进中,30,,\u{85}进展\u{85},,,,",
            "1,2,,推进中,30,,\"a\"b,,,,",
            "1,2,,推进中,30,,😀进展😀,,,😀=1😀,😀",
            "1,\u{200B}2\u{200B},,\u{200B}推进中,30\u{200B},,\u{200B}进展,\u{7F}问题\u{1F},\u{3000}打算\u{2FFF},a=1\u{200B},\u{200B}",
            "1,2,,\"推进中\",\"30\",,\"进展\",\"\",\"\",\"a=1\",\"\"",
        ]
        for row in rows {
            check(Self.header + Self.columns + row + "\n", "row \(row.debugDescription)")
            check(Self.header + Self.columns + row, "row without a line end \(row.debugDescription)")
        }
        for text in ["", "\n", "a", "任务", "\"unclosed", "a,\"b\"c,d\n", Self.columns, Self.header,
                     "版本,2\n" + Self.header + Self.columns + rows[0], "单位\n" + Self.columns + rows[0],
                     "标题,,\n未知,值\n方案,p,多余\n" + Self.columns + rows[0],
                     Self.header + "序号,任务,任务,未知列,状态\n1,2,3,4,推进中\n", Self.header + "任务,节点\n2,\n"] {
            check(text, "text \(text.debugDescription)")
        }
        let defaults = LedgerHeaderDefaults(plan: "zhangye-2023-2025", unit: "临泽县", period: "2024-02", liaison: "王", phone: "1",
                                            submitted: LocalDate(iso: "2024-03-01"))
        check(Self.twin, defaults: defaults, "defaults that disagree")
        check(Self.columns + rows[0], defaults: defaults, "defaults for a file without header rows")
    }

    /// Mutations that hit what a CSV reader cares about: separators, quotes, line ends, white
    /// space of every kind, combining marks, full-width signs, cut characters.
    func testMutatedFilesReadAsTheReferenceReadsThem() throws {
        var g = PlanMutationTests.Generator(state: 6_062_024)
        let pieces = [",", "\"", "\"\"", "\r\n", "\n", "\r", ";", "；", "=", "＝", ":", "：", "%", "％", " ", "\t", "\u{3000}",
                      "\u{A0}", "\u{301}", "\u{2028}", "1", "100", "-", "2024-01-01", "2024/1/5", "2024年1月5日", "已完成", "未启动",
                      "x", "任务", "节点", "状态", "完成比例", "\u{FEFF}", "😀", "\u{0}", "\u{1F}", "\u{7F}", "\u{200B}", "\u{85}",
                      "\u{3001}", "\u{2FFF}"]
        let originals = [Self.twin, Self.header + Self.columns + "1,2,,推进中,30%,,\"进展,一\",问题,打算,a=1;b＝2.5次,x；y\n"]
        for (n, original) in originals.enumerated() {
            for round in 0..<1500 {
                var scalars = Array(original.unicodeScalars)
                for _ in 0...g.next(4) {
                    let at = g.next(scalars.count + 1)
                    switch g.next(4) {
                    case 0 where at < scalars.count: scalars.remove(at: at)
                    case 1: scalars = Array(scalars.prefix(at))
                    default: scalars.insert(contentsOf: pieces[g.next(pieces.count)].unicodeScalars, at: min(at, scalars.count))
                    }
                }
                var text = ""
                text.unicodeScalars.append(contentsOf: scalars)
                check(text, "original \(n) round \(round): \(text.debugDescription)")
            }
        }
        // And the byte mutations the ledger mutation test makes, decoded as the loader would.
        let bytes = Array(Self.twin.utf8)
        for round in 0..<1000 {
            let mutated = PlanMutationTests.mutate(bytes, &g)
            check(String(decoding: mutated, as: UTF8.self), "byte mutation \(round)")
        }
        XCTAssertEqual(checked, 4000)
    }

    /// List and figure cells, read from the bytes when plain, as the reference reads them: random
    /// cells over an alphabet of separators, signs, digits, spaces of every kind and marks.
    func testListsAndFiguresSplitAsTheReferenceSplitsThem() {
        var g = PlanMutationTests.Generator(state: 77)
        let alphabet = ["=", "＝", ":", "：", ";", "；", "\n", "\r\n", "\r", " ", "\t", "\u{3000}", "\u{A0}", "\u{200B}", "\u{301}",
                        "\u{37E}", "0", "1", "12", "3.5", "-", "+", ".", "e", "%", "％", "学时", "次", "案卷", "a", "Z", "😀", "\u{1F1E8}",
                        "\u{1100}", "\u{AC00}", "\u{600}", "ｶ", "\u{FF9E}"]
        func describe(_ f: Figure?) -> String { f.map { "\($0.name)|\($0.value)|\($0.unit ?? "nil")" } ?? "nil" }
        for round in 0..<20000 {
            let text = (0..<(1 + g.next(8))).map { _ in alphabet[g.next(alphabet.count)] }.joined()
            XCTAssertEqual(LedgerCSVReader.split(text), ReferenceLedgerCSVReader.split(text), "round \(round): \(text.debugDescription)")
            XCTAssertEqual(describe(LedgerCSVReader.figure(text)), describe(ReferenceLedgerCSVReader.figure(text)),
                           "round \(round): \(text.debugDescription)")
        }
    }
}
