import XCTest

/// Issue 14, "crashes and hangs": every window and date argument is bounded (windows at most
/// 3660 days or working days, dates and weeks in 1900–2999, a digest series at most 522 weeks),
/// and a value outside is a `duban: error:` with exit 64, never an overflow (SIGILL, exit 132),
/// a count that runs until killed, or a due date in the year 273792724.
final class ArgumentBoundsTests: CLITestCase {
    var cli: CLIRunner!

    override func setUpWithError() throws {
        cli = try CLIRunner()
        XCTAssertEqual(try cli.run(["plan", "load", CLIRunner.zhangye]).code, 0)
    }

    func assertUsageError(_ args: [String], saying text: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let r = try cli.run(args, file: file, line: line)
        XCTAssertEqual(r.code, 64, "\(args): \(r.stderr)", file: file, line: line)
        XCTAssertTrue(r.stderr.hasPrefix("duban: error: "), r.stderr, file: file, line: line)
        XCTAssertTrue(r.stderr.contains(text), "\(args): \(r.stderr)", file: file, line: line)
        XCTAssertEqual(r.stdout, "", file: file, line: line)
    }

    func testWindowsAreAtMost3660DaysOrWorkingDays() throws {
        for window in ["9223372036854775000", "99999999999wd", "99999999999", "99999999999999999999999d", "3661", "3661wd"] {
            try assertUsageError(["notify", "--as-of", "2024-04-10", "--within", window], saying: "at most 3660 days or working days")
        }
        // The largest window from the last allowed day is still counted (on weekdays, with a warning).
        let edge = try cli.run(["notify", "--as-of", "2999-12-31", "--within", "3660wd", "--format", "json"])
        XCTAssertEqual(edge.code, 0, edge.stderr)
        XCTAssertTrue(edge.stderr.contains("no holiday calendar"), edge.stderr)
    }

    func testDatesAndWeeksLieIn1900To2999() throws {
        try assertUsageError(["overdue", "--as-of", "0001-01-01"], saying: "dates lie in the years 1900–2999")
        try assertUsageError(["overdue", "--as-of", "3000-01-01"], saying: "dates lie in the years 1900–2999")
        try assertUsageError(["action", "record", "--unit", "民乐县", "--level", "letter", "--date", "9999-12-31"],
                             saying: "dates lie in the years 1900–2999")
        try assertUsageError(["history", "--since", "1899-12-31"], saying: "dates lie in the years 1900–2999")
        try assertUsageError(["digest", "--week", "1899-W01"], saying: "weeks lie in the years 1900–2999")
        try assertUsageError(["digest", "--out", "d", "--from", "1900-W01", "--to", "2999-W01"],
                             saying: "a series is at most 522 weeks")
        XCTAssertFalse(FileManager.default.fileExists(atPath: cli.directory.appendingPathComponent("d").path))
        XCTAssertEqual(try cli.run(["overdue", "--as-of", "1900-01-01"]).code, 0)
    }
}
