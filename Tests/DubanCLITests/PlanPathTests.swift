import Foundation
import XCTest

/// Paths named in plan.yaml (`calendar:`, `text:`) stay inside the plan's folder or the folder
/// holding it, and a file that is not a calendar is never shown beyond a short escaped window.
final class PlanPathTests: CLITestCase {
    var cli: CLIRunner!
    var plans: URL!

    override func setUpWithError() throws {
        cli = try CLIRunner()
        plans = cli.directory.appendingPathComponent("Plans")
        try FileManager.default.createDirectory(at: plans, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: CLIRunner.zhangye, toPath: plan.path)
        try FileManager.default.copyItem(atPath: CLIRunner.zhangye + "/../calendars", toPath: plans.appendingPathComponent("calendars").path)
    }

    var plan: URL { plans.appendingPathComponent("p") }

    /// Rewrites one line of plan.yaml; returns its line and the column where the value starts.
    @discardableResult
    func setPlanLine(_ key: String, _ value: String) throws -> (line: Int, column: Int) {
        let file = plan.appendingPathComponent("plan.yaml")
        var lines = try String(contentsOf: file, encoding: .utf8).components(separatedBy: "\n")
        let i = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("\(key):") }, "plan.yaml has `\(key):`")
        lines[i] = "\(key): \(value)"
        try lines.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
        return (i + 1, key.count + 3)
    }

    func assertRefused(_ at: (line: Int, column: Int), mentions: String, notShowing secret: String,
                       file: StaticString = #filePath, line: UInt = #line) throws {
        for command in ["check", "load"] {
            let r = try cli.run(["plan", command, plan.path])
            XCTAssertEqual(r.code, 65, r.stderr, file: file, line: line)
            XCTAssertTrue(r.stderr.contains("plan.yaml:\(at.line):\(at.column): error: \(mentions)"), r.stderr, file: file, line: line)
            XCTAssertTrue(r.stderr.contains("inside the plan's folder or the folder holding it"), r.stderr, file: file, line: line)
            XCTAssertFalse(r.stderr.contains(secret), r.stderr, file: file, line: line)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: cli.db), "nothing written", file: file, line: line)
    }

    func testACalendarPathOutsideThePlansIsRefusedWithoutReadingIt() throws {
        let at = try setPlanLine("calendar", "../../../../../../../etc/passwd")
        try assertRefused(at, mentions: "the calendar \"../../../../../../../etc/passwd\" is outside", notShowing: "root:")
    }

    func testAnAbsolutePathOutsideIsRefused() throws {
        let at = try setPlanLine("calendar", "/etc/passwd")
        try assertRefused(at, mentions: "the calendar \"/etc/passwd\" is outside", notShowing: "root:")
    }

    func testTheSourceTextPathIsConfinedToo() throws {
        let at = try setPlanLine("text", "../../../../../../../etc/passwd")
        try assertRefused(at, mentions: "the plan text \"../../../../../../../etc/passwd\" is outside", notShowing: "root:")
    }

    func testASymlinkInsideThePlanPointingOutIsRefused() throws {
        let secret = cli.directory.appendingPathComponent("secret.yaml")
        try "password: hunter2-very-secret\n".write(to: secret, atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: plan.appendingPathComponent("cal.yaml").path, withDestinationPath: secret.path)
        let at = try setPlanLine("calendar", "cal.yaml")
        try assertRefused(at, mentions: "the calendar \"cal.yaml\" is outside", notShowing: "hunter2")
        // A symlinked folder too.
        try FileManager.default.createSymbolicLink(atPath: plan.appendingPathComponent("etc").path, withDestinationPath: "/etc")
        let at2 = try setPlanLine("calendar", "etc/passwd")
        try assertRefused(at2, mentions: "the calendar \"etc/passwd\" is outside", notShowing: "root:")
    }

    func testAFileInsideThatIsNoCalendarIsQuotedOnlyAsAShortEscapedWindow() throws {
        let long = "token-" + String(repeating: "s3cr3t", count: 40) + "\u{1B}[31m"
        try "\(long)\n  more: \(long)\n".write(to: plans.appendingPathComponent("notes.yaml"), atomically: true, encoding: .utf8)
        try setPlanLine("calendar", "../notes.yaml")
        let r = try cli.run(["plan", "check", plan.path])
        XCTAssertEqual(r.code, 65, r.stderr)
        XCTAssertTrue(r.stderr.contains("notes.yaml:"), r.stderr)
        XCTAssertFalse(r.stderr.contains(String(repeating: "s3cr3t", count: 11)), "at most 60 characters of a line: \(r.stderr)")
        XCTAssertFalse(r.stderr.contains("\u{1B}"), "control characters escaped")
    }

    func testTheBundledLayoutStillLoads() throws {
        let r = try cli.run(["plan", "load", plan.path])
        XCTAssertEqual(r.code, 0, r.stderr)
        let notify = try cli.run(["notify", "--as-of", "2024-09-27", "--within", "5wd", "--format", "json"])
        XCTAssertEqual(notify.code, 0, notify.stderr)
    }
}
