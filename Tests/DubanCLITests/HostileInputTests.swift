import DubanKit
import Foundation
import XCTest

/// Issue 14, "hangs", "silent loss" and "wrong or unclear errors", on the built binary: each
/// refused input exits with its code, says what is wrong where it is, and leaves the database
/// byte for byte as it was.
final class HostileInputTests: CLITestCase {
    var cli: CLIRunner!

    override func setUpWithError() throws {
        cli = try CLIRunner()
        XCTAssertEqual(try cli.run(["plan", "load", CLIRunner.zhangye]).code, 0)
        // A first read checkpoints the write-ahead log into the file: from then on its bytes
        // change only if something is written.
        XCTAssertEqual(try cli.run(["units"]).code, 0)
    }

    func path(_ name: String) -> String { cli.directory.appendingPathComponent(name).path }

    var sample: Data {
        get throws { try Data(contentsOf: URL(fileURLWithPath: CLIRunner.zhangye + "/samples/ganzhou-2024-01.yaml")) }
    }

    /// Runs `duban ARGS` (killed after 20 s: a hang is exit 124) and checks that the database
    /// did not change, byte for byte and by its dump.
    func runUnchanged(_ args: [String], file: StaticString = #filePath, line: UInt = #line) throws -> CLIRunner.Result {
        func fileBytes() throws -> Data { try Data(contentsOf: URL(fileURLWithPath: cli.db)) }
        let before = try fileBytes(), dump = try cli.dump()
        let r = try cli.run(args, shell: #"timeout 20 "$@""#)
        XCTAssertNotEqual(r.code, 124, "it hung: \(args)", file: file, line: line)
        XCTAssertEqual(try fileBytes(), before, "database file unchanged", file: file, line: line)
        XCTAssertEqual(try cli.dump(), dump, "database content unchanged", file: file, line: line)
        return r
    }

    // MARK: Hangs and silent loss

    func testAFIFODeviceOrFolderIsRefusedWithoutBlocking() throws {
        XCTAssertEqual(mkfifo(path("fifo.yaml"), 0o600), 0)
        try FileManager.default.createSymbolicLink(atPath: path("null.csv"), withDestinationPath: "/dev/null")
        try FileManager.default.createDirectory(atPath: path("folder.yaml"), withIntermediateDirectories: true)
        XCTAssertEqual(mkfifo(path("fifo.xlsx"), 0o600), 0)
        for (name, kind) in [("fifo.yaml", "a FIFO (named pipe)"), ("null.csv", "a character device"), ("folder.yaml", "a folder"),
                             ("fifo.xlsx", "a FIFO (named pipe)")] {
            let r = try runUnchanged(["ledger", "submit", path(name)])
            XCTAssertEqual(r.code, 65, r.stderr)
            XCTAssertTrue(r.stderr.contains("\(path(name)): error: not a regular file but \(kind): not read"), r.stderr)
        }
    }

    func testALedgerCutInTheMiddleIsRejected() throws {
        let whole = try sample
        try whole.prefix(whole.count / 2).write(to: URL(fileURLWithPath: path("half.yaml")))
        let half = try runUnchanged(["ledger", "submit", path("half.yaml")])
        XCTAssertEqual(half.code, 65, half.stderr)
        XCTAssertTrue(half.stderr.contains("without a line break: it looks cut off"), half.stderr)
        XCTAssertTrue(half.stderr.contains("error: the entries stop after task 11: no entry for tasks 12, 13,"), half.stderr)
        XCTAssertFalse(half.stderr.contains(": warning:"), half.stderr)
    }

    func testALedgerCutAtALineBreakIsRejected() throws {
        let text = String(decoding: try sample, as: UTF8.self)
        let cut = try XCTUnwrap(text.range(of: "  - task: 12\n"))
        try String(text[..<cut.lowerBound]).write(toFile: path("cut.yaml"), atomically: true, encoding: .utf8)
        let r = try runUnchanged(["ledger", "submit", path("cut.yaml")])
        XCTAssertEqual(r.code, 65, r.stderr)
        XCTAssertTrue(r.stderr.contains("cut.yaml:3:1: error: the entries stop after task 11: no entry for tasks 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, which 甘州区 owes; was the file cut off?"), r.stderr)
    }

    // MARK: Errors at the right place, in words

    func testAControlCharacterIsReportedAtItsLineAndColumn() throws {
        let plan = try cli.copyOfZhangye { text in
            var lines = text.components(separatedBy: "\n")
            XCTAssertEqual(lines[12], "    title: 着力提高政治能力")
            lines[12] = "    title: 着力\u{7}提高政治能力"
            return lines.joined(separator: "\n")
        }
        let r = try runUnchanged(["plan", "load", plan])
        XCTAssertEqual(r.code, 65, r.stderr)
        XCTAssertTrue(r.stderr.contains("Plans/p/tasks.yaml:13:14: error: control character U+0007 in the text"), r.stderr)
    }

    func testAnInvalidByteInAUTF8LedgerIsReportedAtItsLineAndColumn() throws {
        var lines = try sample.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
        XCTAssertEqual(String(decoding: lines[4], as: UTF8.self), "unit: 甘州区")
        lines[4].insert(0xFF, at: 12) // after "unit: 甘州"
        try Data(lines.joined(separator: [0x0A])).write(to: URL(fileURLWithPath: path("bad.yaml")))
        let r = try runUnchanged(["ledger", "submit", path("bad.yaml")])
        XCTAssertEqual(r.code, 65, r.stderr)
        XCTAssertTrue(r.stderr.contains("bad.yaml:5:9: error: the file is not UTF-8 text (invalid byte 0xFF)"), r.stderr)
    }

    func testALedgerOneByteOverTheLimitStatesBothSizes() throws {
        try Data(repeating: UInt8(ascii: "#"), count: 4 * 1_048_576 + 1).write(to: URL(fileURLWithPath: path("big.yaml")))
        let r = try runUnchanged(["ledger", "submit", path("big.yaml")])
        XCTAssertEqual(r.code, 65, r.stderr)
        XCTAssertTrue(r.stderr.contains("big.yaml:1:1: error: the file is 4,194,305 bytes; a ledger file is at most 4,194,304 bytes"), r.stderr)
    }

    func testAUTF16PlanFileIsCalledUTF16() throws {
        let plan = try cli.copyOfZhangye()
        let text = try String(contentsOfFile: plan + "/units.yaml", encoding: .utf8)
        try XCTUnwrap(text.data(using: .utf16LittleEndian)).write(to: URL(fileURLWithPath: plan + "/units.yaml"))
        let r = try runUnchanged(["plan", "check", plan])
        XCTAssertEqual(r.code, 65, r.stderr)
        XCTAssertTrue(r.stderr.contains("units.yaml:1:1: error: the file is UTF-16 text"), r.stderr)
        XCTAssertFalse(r.stderr.contains("binary data"), r.stderr)
    }

    func testAnImpossibleCSVDateGetsOnlyItsOwnError() throws {
        let t = try cli.run(["ledger", "template", "--unit", "甘州区", "--period", "2024-01", "--format", "csv"])
        XCTAssertEqual(t.code, 0, t.stderr)
        var lines = t.stdout.components(separatedBy: "\r\n")
        let i = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("报送日期,") })
        lines[i] = "报送日期,2024/2/30"
        try lines.joined(separator: "\r\n").write(toFile: path("l.csv"), atomically: true, encoding: .utf8)
        let r = try runUnchanged(["ledger", "submit", path("l.csv")])
        XCTAssertEqual(r.code, 65, r.stderr)
        XCTAssertTrue(r.stderr.contains("l.csv:\(i + 1):6: error: 报送日期 (submitted) must be a date YYYY-MM-DD, found \"2024/2/30\""), r.stderr)
        XCTAssertFalse(r.stderr.contains("has no 报送日期"), r.stderr)
    }

    func testAnUnknownLevelListsTheLevelNames() throws {
        let r = try runUnchanged(["action", "record", "--unit", "甘州区", "--level", "bogus", "--date", "2024-04-01"])
        XCTAssertEqual(r.code, 64, r.stderr)
        XCTAssertTrue(r.stderr.contains("Please provide one of 'letter', 'circular' or 'referral'"), r.stderr)
        XCTAssertFalse(r.stderr.contains("'0'"), r.stderr)
    }

    func testAnUnknownCommandIsNamedEvenBeforeAnOption() throws {
        let r = try runUnchanged(["frobnicate", "--db", cli.db])
        XCTAssertEqual(r.code, 64, r.stderr)
        XCTAssertTrue(r.stderr.hasPrefix("duban: error: unknown command \"frobnicate\""), r.stderr)
        XCTAssertFalse(r.stderr.contains("Unknown option"), r.stderr)
    }

    func testADigestFolderUnderAFileSaysWhatIsWrong() throws {
        FileManager.default.createFile(atPath: path("FILE"), contents: Data())
        let r = try runUnchanged(["digest", "--out", "FILE/sub", "--from", "2024-W02", "--to", "2024-W03"])
        XCTAssertEqual(r.code, 66, r.stderr)
        XCTAssertTrue(r.stderr.contains("duban: error: cannot create the folder FILE/sub: FILE is a file, not a folder (Not a directory)"), r.stderr)
        XCTAssertFalse(r.stderr.contains("NSCocoaErrorDomain"), r.stderr)
    }

    // MARK: Sizes and lengths

    func testAPlanFileOverItsSizeIsRefusedUnread() throws {
        let task = "  - number: 1\n    category: 1\n    title: 任务\n    text: 内容\n    lead: [市司法局]\n"
        let plan = try cli.copyOfZhangye { _ in "version: 1\ntasks:\n" + String(repeating: task, count: 40_000) }
        let size = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: plan + "/tasks.yaml")[.size] as? Int)
        XCTAssertGreaterThan(size, 2_097_152)
        let r = try runUnchanged(["plan", "load", plan])
        XCTAssertEqual(r.code, 65, r.stderr)
        XCTAssertTrue(r.stderr.contains("p/tasks.yaml:1:1: error: the file is \(InputFile.grouped(size)) bytes; a plan file is at most 2,097,152 bytes"), r.stderr)
    }

    func testATextOverItsLimitIsAnErrorAtItsPlace() throws {
        let plan = try cli.copyOfZhangye { $0.replacingOccurrences(of: "    title: 着力提高政治能力\n", with: "    title: " + String(repeating: "长", count: 501) + "\n") }
        let r = try runUnchanged(["plan", "load", plan])
        XCTAssertEqual(r.code, 65, r.stderr)
        XCTAssertTrue(r.stderr.contains("p/tasks.yaml:13:12: error: `title` of task #1 is 501 characters long; at most 500"), r.stderr)

        var yaml = String(decoding: try sample, as: UTF8.self)
        let progress = try XCTUnwrap(yaml.range(of: "    progress: "))
        yaml.insert(contentsOf: String(repeating: "进", count: 10_001) + "。", at: progress.upperBound)
        try yaml.write(toFile: path("long.yaml"), atomically: true, encoding: .utf8)
        let ledger = try runUnchanged(["ledger", "submit", path("long.yaml")])
        XCTAssertEqual(ledger.code, 65, ledger.stderr)
        XCTAssertTrue(ledger.stderr.contains("long.yaml:15:15: error: `progress` of entry #1 is 10,"), ledger.stderr)
        XCTAssertTrue(ledger.stderr.contains("characters long; at most 10,000"), ledger.stderr)

        let t = try cli.run(["ledger", "template", "--unit", "甘州区", "--period", "2024-01", "--format", "csv"])
        let csv = t.stdout.replacingOccurrences(of: "联络员,\r\n", with: "联络员," + String(repeating: "李", count: 201) + "\r\n")
        try csv.write(toFile: path("long.csv"), atomically: true, encoding: .utf8)
        let c = try runUnchanged(["ledger", "submit", path("long.csv")])
        XCTAssertEqual(c.code, 65, c.stderr)
        XCTAssertTrue(c.stderr.contains("long.csv:6:5: error: header row `联络员` is 201 characters long; at most 200"), c.stderr)
    }

    func testAPlanOfAThousandYearsIsRefused() throws {
        let plan = try cli.copyOfZhangye(editing: "plan.yaml") { $0.replacingOccurrences(of: "  end: 2025-12-31", with: "  end: 2999-12-31") }
        let r = try runUnchanged(["plan", "load", plan])
        XCTAssertEqual(r.code, 65, r.stderr)
        XCTAssertTrue(r.stderr.contains("p/plan.yaml:13:8: error: the plan runs 356,491 days; a plan runs at most 3,661 days (ten years)"), r.stderr)
    }

    func testATerminalEscapeInAFileIsShownEscaped() throws {
        let t = try cli.run(["ledger", "template", "--unit", "甘州区", "--period", "2024-01", "--format", "csv"])
        let csv = t.stdout.replacingOccurrences(of: ",无记录,未启动,0,", with: ",无记录,\u{1B}[2J\u{1B}]0;pwned\u{07}未启动,0,")
        try csv.write(toFile: path("esc.csv"), atomically: true, encoding: .utf8)
        let r = try runUnchanged(["ledger", "submit", path("esc.csv")])
        XCTAssertEqual(r.code, 65, r.stderr)
        XCTAssertFalse(r.stderr.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{07}" }, r.stderr)
        XCTAssertTrue(r.stderr.contains(#"\u{1B}[2J\u{1B}]0;pwned\u{7}未启动"#), r.stderr)
    }
}
