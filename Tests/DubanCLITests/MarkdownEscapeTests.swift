import Foundation
import XCTest

/// `--format markdown` of every listing escapes what a plan or a user wrote: a unit name or a
/// note holding HTML or Markdown table syntax comes out as text, and the table keeps its cells.
final class MarkdownEscapeTests: CLITestCase {
    static let hostile = "<script>alert(1)</script>|**x**"
    static let escaped = #"&lt;script&gt;alert(1)&lt;/script&gt;\|\*\*x\*\*"#

    var cli: CLIRunner!

    override func setUpWithError() throws {
        cli = try CLIRunner()
        let plans = cli.directory.appendingPathComponent("Plans")
        let plan = plans.appendingPathComponent("p")
        try FileManager.default.createDirectory(at: plans, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: CLIRunner.zhangye, toPath: plan.path)
        try FileManager.default.copyItem(atPath: CLIRunner.zhangye + "/../calendars", toPath: plans.appendingPathComponent("calendars").path)
        let units = plan.appendingPathComponent("units.yaml")
        let text = try String(contentsOf: units, encoding: .utf8)
        let edited = text.replacingOccurrences(of: "    name: 甘州区\n", with: "    name: '甘州区\(Self.hostile)'\n")
        XCTAssertNotEqual(edited, text)
        try edited.write(to: units, atomically: true, encoding: .utf8)
        for args in [["plan", "load", plan.path],
                     ["progress", "record", "--unit", "ganzhou", "--task", "7", "--milestone", "7.1", "--status", "in_progress",
                      "--percent", "10", "--date", "2024-01-10", "--note", Self.hostile],
                     ["action", "record", "--unit", "ganzhou", "--level", "letter", "--date", "2024-03-01",
                      "--ref", Self.hostile, "--note", Self.hostile],
                     ["extension", "record", "--unit", "ganzhou", "--task", "7", "--milestone", "7.1", "--new-due", "2024-06-30",
                      "--reason", Self.hostile, "--date", "2023-12-20"]] {
            let r = try cli.run(args)
            XCTAssertEqual(r.code, 0, "\(args): \(r.stderr)")
        }
    }

    /// Every line of a table has as many cell separators (`|` not escaped) as its header.
    func assertTablesKeepTheirCells(_ markdown: String, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        func separators(_ l: Substring) -> Int {
            var n = 0, previous: Character = " "
            for c in l { if c == "|" && previous != "\\" { n += 1 }; previous = c }
            return n
        }
        var header: Int?
        for l in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            guard l.hasPrefix("|") else { header = nil; continue }
            if let header {
                XCTAssertEqual(separators(l), header, "\(what): \(l)", file: file, line: line)
            } else {
                header = separators(l)
            }
        }
    }

    func testEveryMarkdownListingEscapesUnitNamesAndNotes() throws {
        let asOf = ["--as-of", "2024-04-10"]
        let commands: [[String]] = [
            ["overdue"] + asOf, ["overdue", "--unit", "ganzhou"] + asOf, ["notify"] + asOf, ["escalate"] + asOf,
            ["units"], ["history"], ["history", "--unit", "ganzhou"], ["actions"], ["extensions"],
            ["status"] + asOf, ["status", "--unit", "ganzhou"] + asOf, ["ledgers"] + asOf,
            ["tasks", "--unit", "ganzhou"], ["task", "7"], ["digest"] + asOf,
        ]
        var shown = 0
        for command in commands {
            let r = try cli.run(command + ["--format", "markdown"])
            let what = command.joined(separator: " ")
            XCTAssertEqual(r.code, 0, "\(what): \(r.stderr)")
            XCTAssertFalse(r.stdout.contains("<script>"), "\(what):\n\(r.stdout)")
            XCTAssertFalse(r.stdout.contains("**x**"), "\(what):\n\(r.stdout)")
            if r.stdout.contains(Self.escaped) { shown += 1 }
            assertTablesKeepTheirCells(r.stdout, what)
        }
        XCTAssertGreaterThanOrEqual(shown, 10, "the hostile text is shown, escaped, in most listings")
    }
}
