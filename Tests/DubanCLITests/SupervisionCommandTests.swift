import Foundation
import SnapshotTesting
import XCTest

/// `overdue`, `notify`, `escalate`, `action`, `extension` end to end on the built binary.
final class SupervisionCommandTests: CLITestCase {
    var cli: CLIRunner!

    override func setUpWithError() throws {
        cli = try CLIRunner()
        let r = try cli.run(["plan", "load", CLIRunner.zhangye])
        XCTAssertEqual(r.code, 0, r.stderr)
    }

    func json(_ args: [String], file: StaticString = #filePath, line: UInt = #line) throws -> Any {
        let r = try cli.run(args + ["--format", "json"])
        XCTAssertEqual(r.code, 0, r.stderr, file: file, line: line)
        return try JSONSerialization.jsonObject(with: Data(r.stdout.utf8))
    }

    func overdueUnits(asOf: String, milestone: String) throws -> Set<String> {
        let items = try XCTUnwrap(try json(["overdue", "--as-of", asOf]) as? [[String: Any]])
        return Set(items.filter { $0["milestone"] as? String == milestone }.compactMap { $0["unit"] as? String })
    }

    func record(_ args: [String]) throws {
        let r = try cli.run(["progress", "record"] + args)
        XCTAssertEqual(r.code, 0, r.stderr)
    }

    func testEveryOwnerIsOverdueInJanuary2024WithNoRecords() throws {
        let units = try XCTUnwrap(try json(["units"]) as? [String: Any])
        let groups = try XCTUnwrap(units["groups"] as? [[String: Any]])
        func members(_ id: String) -> Set<String> {
            Set((groups.first { $0["id"] as? String == id }?["members"] as? [[String: String]] ?? []).compactMap { $0["id"] })
        }
        XCTAssertEqual(try overdueUnits(asOf: "2024-01-05", milestone: "S3.2-measures"), members("counties"))
        XCTAssertEqual(try overdueUnits(asOf: "2024-01-05", milestone: "S3.2-liaisons"), members("enforcement"))
        XCTAssertEqual(try overdueUnits(asOf: "2024-01-05", milestone: "7.1"), members("counties").union(members("enforcement")).union(["justice"]))
        let items = try XCTUnwrap(try json(["overdue", "--as-of", "2024-01-05"]) as? [[String: Any]])
        for key in ["unit", "unit_name", "task", "milestone", "due", "days_overdue", "reason"] {
            XCTAssertTrue(items.allSatisfy { $0.keys.contains(key) }, key)
        }
    }

    func testARecordDatedBeforeTheDeadlineClearsItFromThatDayOn() throws {
        try record(["--unit", "甘州区", "--task", "7", "--milestone", "7.1", "--status", "已完成", "--date", "2023-12-20"])
        for asOf in ["2023-12-20", "2024-01-01", "2024-03-01"] {
            XCTAssertFalse(try overdueUnits(asOf: asOf, milestone: "7.1").contains("ganzhou"), asOf)
        }
        XCTAssertTrue(try overdueUnits(asOf: "2024-01-01", milestone: "7.1").contains("linze"))
    }

    func testARecordDatedAfterTheAsOfDateDoesNotCountYet() throws {
        try record(["--unit", "甘州区", "--task", "7", "--milestone", "7.1", "--status", "done", "--date", "2024-01-10"])
        XCTAssertTrue(try overdueUnits(asOf: "2024-01-01", milestone: "7.1").contains("ganzhou"))
        XCTAssertFalse(try overdueUnits(asOf: "2024-01-10", milestone: "7.1").contains("ganzhou"))
    }

    func level(_ unit: String, asOf: String) throws -> String {
        let out = try XCTUnwrap(try json(["escalate", "--as-of", asOf]) as? [String: Any])
        let units = try XCTUnwrap(out["units"] as? [[String: Any]])
        return units.first { $0["unit"] as? String == unit }?["level"] as? String ?? "none"
    }

    /// A year of weekly as-of dates: 山丹县's level climbs with time, drops after it catches up
    /// following a letter, and climbs again when a circular goes unanswered.
    func testWeeklyScenarioOver2024() throws {
        // Every unit but 山丹县 keeps up with everything due in the first quarter.
        var week = LocalDateString("2023-12-18")
        var levels: [String: String] = [:]
        func step(until date: String) throws {
            while week.value <= date {
                levels[week.value] = try level("shandan", asOf: week.value)
                week = week.adding(days: 7)
            }
        }
        try step(until: "2024-01-08")
        XCTAssertEqual(levels["2023-12-18"], "remind", "S3.2 falls due within a week")
        XCTAssertEqual(levels["2024-01-08"], "letter", "17 days late")
        let a = try cli.run(["action", "record", "--unit", "山丹县", "--level", "letter", "--date", "2024-01-09", "--ref", "张司函〔2024〕1号"])
        XCTAssertEqual(a.code, 0, a.stderr)
        // It catches up on both overdue items on 2024-01-12.
        try record(["--unit", "山丹县", "--task", "7", "--milestone", "7.1", "--status", "done", "--date", "2024-01-12"])
        try recordObligation(unit: "山丹县", milestone: "S3.2-measures", date: "2024-01-12")
        try step(until: "2024-01-29")
        XCTAssertEqual(levels["2024-01-15"], "none", "caught up after the letter: off the list")
        // Then it stops sending ledgers: January's (due 02-05) and February's go missing.
        try step(until: "2024-03-11")
        XCTAssertEqual(levels["2024-02-05"], "remind")
        XCTAssertEqual(levels["2024-02-26"], "letter", "21 days late")
        XCTAssertEqual(levels["2024-03-11"], "circular", "35 days late")
        let c = try cli.run(["action", "record", "--unit", "山丹县", "--level", "circular", "--date", "2024-03-12"])
        XCTAssertEqual(c.code, 0, c.stderr)
        try step(until: "2024-04-15")
        XCTAssertEqual(levels["2024-04-08"], "circular", "27 days after the circular")
        XCTAssertEqual(levels["2024-04-15"], "referral", "unanswered 34 days after the circular (≥ 30)")
        let sequence = levels.keys.sorted().map { levels[$0] ?? "" }
        XCTAssertEqual(sequence.first, "remind")
        XCTAssertEqual(sequence.last, "referral")
    }

    func recordObligation(unit: String, milestone: String, date: String) throws {
        try record(["--unit", unit, "--milestone", milestone, "--status", "done", "--date", date])
    }

    func testAThresholdInThePlanFileChangesTheOutcome() throws {
        XCTAssertEqual(try level("ganzhou", asOf: "2024-01-01"), "remind")
        let copy = cli.directory.appendingPathComponent("strict").path
        try FileManager.default.copyItem(atPath: CLIRunner.zhangye, toPath: copy)
        try FileManager.default.copyItem(atPath: CLIRunner.zhangye + "/../calendars", toPath: cli.directory.appendingPathComponent("calendars").path)
        let plan = copy + "/plan.yaml"
        let text = try String(contentsOfFile: plan, encoding: .utf8)
        let edited = text.replacingOccurrences(of: #"letter:\s*\{days_overdue: 15"#, with: "letter: {days_overdue: 5", options: .regularExpression)
        XCTAssertNotEqual(edited, text)
        try edited.write(toFile: plan, atomically: true, encoding: .utf8)
        let r = try cli.run(["plan", "load", copy])
        XCTAssertEqual(r.code, 0, r.stderr)
        XCTAssertEqual(try level("ganzhou", asOf: "2024-01-01"), "letter")
    }

    func testBehindScheduleAndExtensions() throws {
        // Task 15.1 is due 2024-12-31; 60% of 2023-12-18 … 2024-12-31 has passed on 2024-08-05.
        try record(["--unit", "临泽县", "--task", "15", "--milestone", "15.1", "--status", "in_progress", "--percent", "20", "--date", "2024-08-01"])
        let out = try XCTUnwrap(try json(["escalate", "--as-of", "2024-08-05"]) as? [String: Any])
        let behind = try XCTUnwrap(out["behind_schedule"] as? [[String: Any]])
        let linze = try XCTUnwrap(behind.first { $0["unit"] as? String == "linze" && $0["milestone"] as? String == "15.1" })
        XCTAssertEqual(linze["colour"] as? String, "red", "60% elapsed, 20% done: 40 points behind")
        XCTAssertEqual(linze["percent"] as? Int, 20)
        let table = try cli.run(["escalate", "--as-of", "2024-08-05"]).stdout
        XCTAssertTrue(table.contains("序时进度"), table)

        let granted = try cli.run(["extension", "record", "--unit", "临泽县", "--task", "15", "--milestone", "15.1",
                                   "--new-due", "2025-03-31", "--reason", "评估范围扩大", "--date", "2024-12-01"])
        XCTAssertEqual(granted.code, 0, granted.stderr)
        XCTAssertFalse(try overdueUnits(asOf: "2025-01-15", milestone: "15.1").contains("linze"))
        XCTAssertTrue(try overdueUnits(asOf: "2025-01-15", milestone: "15.1").contains("gaotai"))
        XCTAssertTrue(try overdueUnits(asOf: "2025-04-01", milestone: "15.1").contains("linze"))

        let history = try cli.run(["history", "--unit", "临泽县"])
        XCTAssertTrue(history.stdout.contains("延期记录"), history.stdout)
        XCTAssertTrue(history.stdout.contains("2024-12-31") && history.stdout.contains("2025-03-31"), "both dates")
        let listed = try XCTUnwrap(try json(["extensions"]) as? [[String: Any]])
        XCTAssertEqual(listed.first?["original_due"] as? String, "2024-12-31")
        XCTAssertEqual(listed.first?["new_due"] as? String, "2025-03-31")

        let refused = try cli.run(["extension", "record", "--unit", "高台县", "--task", "15", "--milestone", "15.1",
                                   "--new-due", "2025-03-31", "--reason", "迟到的申请", "--date", "2025-01-05"])
        XCTAssertEqual(refused.code, 65, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("the deadline has passed"), refused.stderr)
    }

    func submitSamples() throws {
        let folder = CLIRunner.zhangye + "/samples"
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).sorted().map { folder + "/" + $0 }
        let r = try cli.run(["ledger", "submit"] + files)
        XCTAssertEqual(r.code, 0, r.stderr)
    }

    func testALedgerEntryCanReportAPlanWideObligation() throws {
        try submitSamples()
        // The counties report 三(二) in their January ledgers, submitted in early February: not
        // known on 01-05, known on 02-10.
        XCTAssertEqual(try overdueUnits(asOf: "2024-01-05", milestone: "S3.2-measures").count, 6)
        XCTAssertEqual(try overdueUnits(asOf: "2024-02-10", milestone: "S3.2-measures"), [])
        XCTAssertTrue(try overdueUnits(asOf: "2024-02-10", milestone: "S3.2-liaisons").contains("ndrc"), "市发展改革委 sent nothing")
        let history = try XCTUnwrap(try json(["history", "--unit", "甘州区"]) as? [[String: Any]])
        XCTAssertTrue(history.contains { $0["milestone"] as? String == "S3.2-measures" && ($0["task"] == nil || $0["task"] is NSNull) })
    }

    func testListsUsersReadOnTheSamples() throws {
        try submitSamples()
        _ = try cli.run(["action", "record", "--unit", "市交通运输局", "--level", "letter", "--date", "2024-03-20", "--ref", "张司函〔2024〕9号"])
        assertSnapshot(of: try cli.run(["escalate", "--as-of", "2024-04-10"]).stdout, as: .lines, named: "escalate")
        assertSnapshot(of: try cli.run(["overdue", "--as-of", "2024-04-10", "--unit", "各县区人民政府"]).stdout, as: .lines, named: "overdue-counties")
        assertSnapshot(of: try cli.run(["notify", "--as-of", "2024-03-29", "--within", "5wd", "--format", "text", "--unit", "市交通运输局"]).stdout,
                       as: .lines, named: "notify-text")
        assertSnapshot(of: try cli.run(["actions"]).stdout, as: .lines, named: "actions")
    }

    func testNotifyCountsWorkingDaysOverNationalDay() throws {
        // September's ledger is due 2024-10-05; five working days from Friday 09-27 reach Thursday 10-10.
        let notices = try XCTUnwrap(try json(["notify", "--as-of", "2024-09-27", "--within", "5wd"]) as? [[String: Any]])
        XCTAssertFalse(notices.isEmpty)
        XCTAssertTrue(notices.allSatisfy { $0["due_until"] as? String == "2024-10-10" })
        let ganzhou = try XCTUnwrap(notices.first { $0["unit"] as? String == "ganzhou" })
        let soon = try XCTUnwrap(ganzhou["due_soon"] as? [[String: Any]])
        XCTAssertTrue(soon.contains { $0["kind"] as? String == "ledger" && $0["period"] as? String == "2024-09" })
        let text = try cli.run(["notify", "--as-of", "2024-09-27", "--within", "5wd", "--unit", "甘州区", "--format", "text"])
        XCTAssertTrue(text.stdout.hasPrefix("【督办提醒】甘州区"), text.stdout)
        XCTAssertTrue(text.stdout.contains("2024-09 工作台账"), text.stdout)
    }
}

/// A date as text with day arithmetic, for stepping through a scenario.
struct LocalDateString {
    var value: String
    init(_ value: String) { self.value = value }

    func adding(days: Int) -> LocalDateString {
        let f = DateFormatter()
        f.dateFormat = "yyyy-MM-dd"
        f.timeZone = TimeZone(identifier: "UTC")
        guard let d = f.date(from: value) else { return self }
        return LocalDateString(f.string(from: d.addingTimeInterval(Double(days) * 86_400)))
    }
}
