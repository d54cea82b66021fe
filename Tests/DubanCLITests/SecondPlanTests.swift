import Foundation
import XCTest

/// The rules on a second plan in Duban's format (`Fixtures/plans/qinghe-2024-2026`): it starts
/// mid-quarter (2024-01-15), takes quarterly ledgers, has towns and county departments as units
/// and thresholds of its own. Run on the built binary, against a copy of the plan folder so a
/// test can edit it.
final class SecondPlanTests: CLITestCase {
    static let fixture = CLIRunner.fixtures + "/plans/qinghe-2024-2026"
    var cli: CLIRunner!
    /// The copy of the plan folder this test loads.
    var plan: String!

    override func setUpWithError() throws {
        cli = try CLIRunner()
        plan = cli.directory.appendingPathComponent("qinghe-2024-2026").path
        try FileManager.default.copyItem(atPath: Self.fixture, toPath: plan)
    }

    /// Loads the plan copy (as it stands) and, when asked, submits its sample ledgers.
    func load(samples: Bool = true, file: StaticString = #filePath, line: UInt = #line) throws {
        let r = try cli.run(["plan", "load", plan])
        XCTAssertEqual(r.code, 0, r.stderr, file: file, line: line)
        guard samples else { return }
        let files = try FileManager.default.contentsOfDirectory(atPath: plan + "/samples").sorted().map { plan + "/samples/" + $0 }
        let s = try cli.run(["ledger", "submit"] + files)
        XCTAssertEqual(s.code, 0, s.stderr, file: file, line: line)
    }

    /// Replaces `old` by `new` in a file of the plan copy.
    func edit(_ name: String, _ old: String, _ new: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let path = plan + "/" + name
        let text = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertTrue(text.contains(old), "\(name) holds \(old)", file: file, line: line)
        try text.replacingOccurrences(of: old, with: new).write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// Writes `name` into the test's folder: the file at `source` (in the plan copy, or a path) with each replacement made.
    func variant(of source: String, _ name: String, _ replacements: [(String, String)]) throws -> String {
        let path = cli.directory.appendingPathComponent(name).path
        var text = try String(contentsOfFile: source.hasPrefix("/") ? source : plan + "/" + source, encoding: .utf8)
        for (old, new) in replacements { text = text.replacingOccurrences(of: old, with: new) }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func json(_ args: [String], file: StaticString = #filePath, line: UInt = #line) throws -> Any {
        let r = try cli.run(args + ["--format", "json"])
        XCTAssertEqual(r.code, 0, r.stderr, file: file, line: line)
        return try JSONSerialization.jsonObject(with: Data(r.stdout.utf8))
    }

    func rows(_ args: [String], file: StaticString = #filePath, line: UInt = #line) throws -> [[String: Any]] {
        try XCTUnwrap(try json(args, file: file, line: line) as? [[String: Any]], file: file, line: line)
    }

    // MARK: owed ledger periods

    func testTheFirstQuarterOfAPlanStartingMidQuarterIsOwedByEveryCommand() throws {
        try load()
        let grid = try rows(["ledgers", "--as-of", "2024-04-20"])
        let q1 = grid.filter { $0["period"] as? String == "2024-Q1" }
        XCTAssertEqual(Set(q1.compactMap { $0["unit"] as? String }), ["chengguan", "hexi", "qingshan", "samr", "transport"])
        XCTAssertEqual(q1.first { $0["unit"] as? String == "hexi" }?["state"] as? String, "submitted")
        XCTAssertEqual(q1.first { $0["unit"] as? String == "transport" }?["state"] as? String, "missing")
        let overdue = try rows(["overdue", "--as-of", "2024-04-20"]).filter { $0["kind"] as? String == "ledger" }
        XCTAssertEqual(Set(overdue.compactMap { $0["unit"] as? String }), ["chengguan", "transport"])
        XCTAssertEqual(Set(overdue.compactMap { $0["period"] as? String }), ["2024-Q1"])
        // What `ledgers` and `overdue` count as owed, `ledger template` and `ledger submit` take.
        let t = try cli.run(["ledger", "template", "--unit", "城关街道", "--period", "2024-Q1", "--as-of", "2024-04-02"])
        XCTAssertEqual(t.code, 0, t.stderr)
        XCTAssertTrue(t.stdout.contains("period: \"2024-Q1\""), t.stdout)
        let d = try cli.run(["ledger", "template", "--unit", "城关街道", "--as-of", "2024-04-02"])
        XCTAssertTrue(d.stdout.contains("period: \"2024-Q1\""), "the default period is the last one ended: \(d.stdout.prefix(400))")
        XCTAssertEqual(try cli.run(["ledgers", "--period", "2024-Q1", "--as-of", "2024-04-20"]).code, 0)
        // A period the plan does not overlap is refused everywhere, naming the owed ones.
        let before = try cli.run(["ledger", "template", "--unit", "城关街道", "--period", "2023-Q4"])
        XCTAssertEqual(before.code, 64)
        XCTAssertTrue(before.stderr.contains("2024-Q1 … 2026-Q4"), before.stderr)
        let ledger = try variant(of: "samples/hexi-2024-Q1.yaml", "hexi-2023-Q4.yaml",
                                 [("period: 2024-Q1", "period: 2023-Q4"), ("submitted: 2024-04-08", "submitted: 2024-01-08")])
        let s = try cli.run(["ledger", "submit", ledger])
        XCTAssertEqual(s.code, 65)
        XCTAssertTrue(s.stderr.contains("period 2023-Q4 is outside the plan's ledger periods (2024-Q1 … 2026-Q4)"), s.stderr)
    }

    func testLedgersFromMayNameTheStartOfTheFirstPeriodAndMovesItEverywhere() throws {
        // `from: 2024-01-01` (before the plan's first day, the start of its quarter) is accepted.
        try edit("plan.yaml", "  every: quarter\n", "  every: quarter\n  from: 2024-01-01\n")
        try load()
        XCTAssertTrue(try rows(["ledgers", "--as-of", "2024-04-20"]).contains { $0["period"] as? String == "2024-Q1" })
        // `from: 2024-04-01`: 2024-Q1 is owed by nothing, so no command shows or takes it.
        try edit("plan.yaml", "  from: 2024-01-01\n", "  from: 2024-04-01\n")
        XCTAssertEqual(try cli.run(["plan", "load", plan]).code, 0)
        let periods = Set(try rows(["ledgers", "--as-of", "2024-07-20"]).compactMap { $0["period"] as? String })
        XCTAssertEqual(periods, ["2024-Q2", "2024-Q3"])
        XCTAssertFalse(try rows(["overdue", "--as-of", "2024-07-20"]).contains { $0["kind"] as? String == "ledger" && $0["period"] as? String == "2024-Q1" })
        XCTAssertEqual(try cli.run(["ledger", "template", "--unit", "河西镇", "--period", "2024-Q1"]).code, 64)
        // Before the start of the plan's first period: refused at its line.
        try edit("plan.yaml", "  from: 2024-04-01\n", "  from: 2023-12-01\n")
        let c = try cli.run(["plan", "check", plan])
        XCTAssertEqual(c.code, 65)
        XCTAssertTrue(c.stderr.contains("plan.yaml:20:9: error: `ledgers.from` (2023-12-01) is outside 2024-01-01 … 2026-12-31"), c.stderr)
    }

    // MARK: the coordinator and the ladder

    func escalation(_ extra: [String] = [], asOf: String) throws -> [String: Any] {
        try XCTUnwrap(try json(["escalate", "--as-of", asOf] + extra) as? [String: Any])
    }

    func testTheCoordinatorIsNotEscalatedAgainstItselfItsItemsAreItsOwnFollowUps() throws {
        try load()
        // 县司法局 owes 2.1 (due 2024-03-31): 50 days overdue on 2024-05-20, past the referral threshold (45).
        let e = try escalation(asOf: "2024-05-20")
        let units = try XCTUnwrap(e["units"] as? [[String: Any]])
        XCTAssertFalse(units.contains { $0["unit"] as? String == "justice" }, "the coordinator is not on its own ladder")
        XCTAssertTrue(units.contains { $0["unit"] as? String == "chengguan" })
        let own = try XCTUnwrap(e["coordinator_follow_ups"] as? [String: Any])
        XCTAssertEqual(own["unit"] as? String, "justice")
        XCTAssertEqual(own["overdue_items"] as? Int, 1)
        XCTAssertEqual((own["items"] as? [[String: Any]])?.compactMap { $0["milestone"] as? String }, ["2.1"])
        let table = try cli.run(["escalate", "--as-of", "2024-05-20"])
        XCTAssertTrue(table.stdout.contains("牵头单位自身待办(不列入督办):县司法局,逾期 1 项"), table.stdout)
        XCTAssertFalse(table.stdout.contains("提请追责问责  县司法局"), table.stdout)
        let text = try cli.run(["escalate", "--as-of", "2024-05-20", "--format", "text"])
        XCTAssertTrue(text.stdout.contains("【自身待办】县司法局(牵头单位,不列入督办):逾期 1 项,即将到期 0 项"), text.stdout)
        // Its notice is its own to-do list: not addressed to itself, not signed by itself.
        let notify = try cli.run(["notify", "--as-of", "2024-05-20", "--format", "text"])
        let blocks = notify.stdout.components(separatedBy: "\n\n")
        let mine = try XCTUnwrap(blocks.first { $0.contains("县司法局(牵头单位)") }, notify.stdout)
        XCTAssertTrue(mine.hasPrefix("【本单位待办】县司法局(牵头单位):"), mine)
        XCTAssertFalse(mine.contains("与县司法局联系"), mine)
        XCTAssertFalse(notify.stdout.contains("【督办提醒】县司法局"), notify.stdout)
        let notices = try rows(["notify", "--as-of", "2024-05-20"])
        XCTAssertEqual(notices.filter { $0["own"] as? Bool == true }.compactMap { $0["unit"] as? String }, ["justice"])
    }

    func testTheCoordinatorOfZhangyeIsNotEscalatedAgainstItselfEither() throws {
        XCTAssertEqual(try cli.run(["plan", "load", CLIRunner.zhangye]).code, 0)
        let e = try escalation(asOf: "2024-04-10")
        XCTAssertFalse(try XCTUnwrap(e["units"] as? [[String: Any]]).contains { $0["unit"] as? String == "justice" })
        XCTAssertEqual((e["coordinator_follow_ups"] as? [String: Any])?["unit_name"] as? String, "市司法局")
        let notify = try cli.run(["notify", "--as-of", "2024-04-10", "--format", "text"])
        XCTAssertFalse(notify.stdout.contains("【督办提醒】市司法局"), notify.stdout)
        XCTAssertTrue(notify.stdout.contains("【本单位待办】市司法局(牵头单位):"), notify.stdout)
    }

    func testEachEscalatedItemHasItsOwnLevelBesideItsUnits() throws {
        try load()
        // 城关街道 reported nothing: on 2024-07-05 its S1 is 156 days overdue (referral), its Q2
        // training 5 days (a reminder), while the unit as a whole stands at referral.
        let units = try XCTUnwrap(try escalation(asOf: "2024-07-05")["units"] as? [[String: Any]])
        let chengguan = try XCTUnwrap(units.first { $0["unit"] as? String == "chengguan" })
        XCTAssertEqual(chengguan["level"] as? String, "referral")
        let items = try XCTUnwrap(chengguan["items"] as? [[String: Any]])
        func item(_ milestone: String, _ period: String?) -> [String: Any]? {
            items.first { $0["milestone"] as? String == milestone && $0["period"] as? String == period }
        }
        XCTAssertEqual(item("S1", nil)?["item_level"] as? String, "referral")
        XCTAssertEqual(item("1.1", "2024-Q2")?["item_level"] as? String, "remind")
        XCTAssertEqual(item("1.1", "2024-Q2")?["level"] as? String, "referral", "`level` stays the unit's")
        // Q1 ledger, due 2024-04-10: 86 days; every item's own level follows its own days overdue
        // on this plan's thresholds (letter 10, circular 20, referral 45).
        for i in items {
            let days = try XCTUnwrap(i["days_overdue"] as? Int)
            let expected = days >= 45 ? "referral" : days >= 20 ? "circular" : days >= 10 ? "letter" : "remind"
            XCTAssertEqual(i["item_level"] as? String, expected, "\(i)")
        }
        // A letter recorded on 2024-07-01 holds the items overdue then at letter (the Q2 ones were not yet).
        XCTAssertEqual(try cli.run(["action", "record", "--unit", "河西镇", "--level", "letter", "--date", "2024-07-01"]).code, 0)
        let hexi = try XCTUnwrap(try XCTUnwrap(try escalation(asOf: "2024-07-05")["units"] as? [[String: Any]])
            .first { $0["unit"] as? String == "hexi" })
        for i in try XCTUnwrap(hexi["items"] as? [[String: Any]]) {
            XCTAssertEqual(i["item_level"] as? String, (i["due"] as? String ?? "") < "2024-07-01" ? "letter" : "remind", "\(i)")
        }
    }

    func testEscalateTakesUnit() throws {
        try load()
        let towns = try XCTUnwrap(try escalation(["--unit", "各乡镇(街道)"], asOf: "2024-07-05")["units"] as? [[String: Any]])
        XCTAssertEqual(Set(towns.compactMap { $0["unit"] as? String }), ["chengguan", "hexi", "qingshan"])
        let one = try escalation(["--unit", "城关街道"], asOf: "2024-07-05")
        XCTAssertEqual((one["units"] as? [[String: Any]])?.compactMap { $0["unit"] as? String }, ["chengguan"])
        XCTAssertTrue(one["coordinator_follow_ups"] is NSNull)
        let justice = try escalation(["--unit", "justice"], asOf: "2024-07-05")
        XCTAssertEqual((justice["units"] as? [[String: Any]])?.count, 0)
        XCTAssertEqual((justice["coordinator_follow_ups"] as? [String: Any])?["unit"] as? String, "justice")
        let bad = try cli.run(["escalate", "--unit", "东湖镇"])
        XCTAssertEqual(bad.code, 64, bad.stderr)
    }

    // MARK: recurring milestones

    func overdueRow(_ unit: String, _ milestone: String, _ period: String, asOf: String) throws -> [String: Any]? {
        try rows(["overdue", "--as-of", asOf, "--unit", unit]).first {
            $0["milestone"] as? String == milestone && $0["period"] as? String == period
        }
    }

    func testAReportFillsTheOccurrenceOfThePeriodItReportsOn() throws {
        try load()
        // 青山乡's Q1 ledger: 1.1 in progress; its Q3 ledger: 1.1 done on 2024-09-12.
        let q1 = try XCTUnwrap(try overdueRow("青山乡", "1.1", "2024-Q1", asOf: "2024-10-20"), "Q1 stays overdue: the Q3 report is not about it")
        XCTAssertTrue(q1["last_status"] is NSNull, "the latest record is about Q3: it does not show on Q1's row: \(q1)")
        XCTAssertNil(try overdueRow("青山乡", "1.1", "2024-Q3", asOf: "2024-10-20"), "the Q3 report completes Q3")
        let q2 = try XCTUnwrap(try overdueRow("青山乡", "1.1", "2024-Q2", asOf: "2024-10-20"))
        XCTAssertTrue(q2["last_status"] is NSNull, "nothing was reported about Q2: \(q2)")
        // No overdue row of a recurring milestone reads 已完成.
        let table = try cli.run(["overdue", "--as-of", "2024-10-20", "--unit", "青山乡"])
        XCTAssertFalse(table.stdout.contains("已完成 100%"), table.stdout)
        // 河西镇 carried Q1's done status (completed 2024-03-20) into a Q2 ledger: it completes nothing new.
        let ledger = try variant(of: "samples/hexi-2024-Q1.yaml", "hexi-2024-Q2.yaml",
                                 [("period: 2024-Q1", "period: 2024-Q2"), ("submitted: 2024-04-08", "submitted: 2024-07-08")])
        XCTAssertEqual(try cli.run(["ledger", "submit", ledger]).code, 0)
        let carried = try XCTUnwrap(try overdueRow("河西镇", "1.1", "2024-Q2", asOf: "2024-07-20"))
        XCTAssertTrue(carried["last_status"] is NSNull, "a done dated before the quarter is not about it: \(carried)")
        XCTAssertNil(try overdueRow("河西镇", "1.1", "2024-Q1", asOf: "2024-07-20"))
    }

    func testCatchingUpAnEarlierOccurrenceIsSaidExplicitly() throws {
        try load()
        let catchUp = ["progress", "record", "--unit", "青山乡", "--milestone", "1.1", "--status", "已完成"]
        // A done record dated in Q4 without --occurrence is about Q4, not the open Q2.
        XCTAssertEqual(try cli.run(catchUp + ["--date", "2024-10-12"]).code, 0)
        XCTAssertNotNil(try overdueRow("青山乡", "1.1", "2024-Q2", asOf: "2024-10-20"))
        let r = try cli.run(catchUp + ["--occurrence", "2024-Q2", "--date", "2024-10-15", "--note", "补报二季度培训"])
        XCTAssertEqual(r.code, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("milestone 1.1 (2024-Q2) 已完成"), r.stdout)
        XCTAssertNil(try overdueRow("青山乡", "1.1", "2024-Q2", asOf: "2024-10-20"))
        XCTAssertNotNil(try overdueRow("青山乡", "1.1", "2024-Q2", asOf: "2024-10-14"), "known from its date on")
        XCTAssertNotNil(try overdueRow("青山乡", "1.1", "2024-Q1", asOf: "2024-10-20"), "Q1 was not caught up")
        // Refused, writing nothing: not an occurrence, not begun, not recurring, not done.
        let dump = try cli.dump()
        for (extra, message) in [(["--occurrence", "2024-07", "--date", "2024-10-15"], "\"2024-07\" is not an occurrence of milestone 1.1"),
                                 (["--occurrence", "2025-Q1", "--date", "2024-10-15"], "occurrence 2025-Q1 begins after --date 2024-10-15"),
                                 (["--occurrence", "2023-Q4", "--date", "2024-10-15"], "\"2023-Q4\" is not an occurrence of milestone 1.1")] {
            let bad = try cli.run(catchUp + extra)
            XCTAssertEqual(bad.code, 65, bad.stderr)
            XCTAssertTrue(bad.stderr.contains(message), bad.stderr)
        }
        let once = try cli.run(["progress", "record", "--unit", "青山乡", "--milestone", "2.2", "--status", "已完成",
                                "--occurrence", "2024-Q2", "--date", "2024-10-15"])
        XCTAssertEqual(once.code, 65)
        XCTAssertTrue(once.stderr.contains("milestone 2.2 is not recurring"), once.stderr)
        let notDone = try cli.run(["progress", "record", "--unit", "青山乡", "--milestone", "1.1", "--status", "推进中",
                                   "--occurrence", "2024-Q1", "--date", "2024-10-15"])
        XCTAssertEqual(notDone.code, 65)
        XCTAssertTrue(notDone.stderr.contains("--occurrence is for a done record"), notDone.stderr)
        XCTAssertEqual(try cli.dump(), dump)
    }

    // MARK: wording and settings of other plans

    func testALedgerMayLeaveOutThePhoneUnlessThePlanRequiresOne() throws {
        try load(samples: false)
        let noPhone = try variant(of: "samples/hexi-2024-Q1.yaml", "chengguan-2024-Q1.yaml",
                                  [("unit: 河西镇", "unit: 城关街道"), ("liaison: {name: 马某某, phone: \"0000-1000001\"}", "liaison: {name: 赵某某}")])
        let ok = try cli.run(["ledger", "submit", noPhone])
        XCTAssertEqual(ok.code, 0, ok.stderr)
        // The template says the phone may be left out; a CSV ledger with an empty 联系电话 row submits.
        let t = try cli.run(["ledger", "template", "--unit", "河西镇", "--period", "2024-Q2", "--as-of", "2024-07-02"])
        XCTAssertTrue(t.stdout.contains("# 联系电话(选填)"), t.stdout)
        let csv = "方案,qinghe-2024-2026\r\n单位,青山乡\r\n期间,2024-Q2\r\n联络员,李某某\r\n联系电话,\r\n报送日期,2024-07-08\r\n"
            + "任务,节点,状态,完成比例,完成日期,进展情况\r\n,S1,已完成,100,2024-01-30,名单已报\r\n1,1.1,推进中,10,,拟定培训方案\r\n"
            + "1,1.2,已完成,100,2024-03-28,计划已印发\r\n2,2.2,推进中,30,,梳理事项\r\n"
        let path = cli.directory.appendingPathComponent("qingshan-2024-Q2.csv").path
        try csv.write(toFile: path, atomically: true, encoding: .utf8)
        let c = try cli.run(["ledger", "submit", path])
        XCTAssertEqual(c.code, 0, c.stderr)
        // A plan that requires the phone refuses a ledger without one, at its liaison.
        try edit("plan.yaml", "  due_after_days: 10\n", "  due_after_days: 10\n  liaison_phone: required\n")
        XCTAssertEqual(try cli.run(["plan", "load", plan]).code, 0)
        let other = try variant(of: noPhone, "transport-2024-Q1.yaml", [("unit: 城关街道", "unit: 县交通运输局"),
            ("  - task: 2\n    milestone: \"2.2\"\n    status: 推进中\n    percent: 40\n    progress: 对照指导目录梳理本镇执法事项。\n", "")])
        let refused = try cli.run(["ledger", "submit", other])
        XCTAssertEqual(refused.code, 65, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("\(other):6:17: error: the ledger gives no telephone for its liaison"), refused.stderr)
        try edit("plan.yaml", "liaison_phone: required", "liaison_phone: sometimes")
        let bad = try cli.run(["plan", "check", plan])
        XCTAssertEqual(bad.code, 65)
        XCTAssertTrue(bad.stderr.contains("`ledgers.liaison_phone` must be `required` or `optional`, found \"sometimes\""), bad.stderr)
    }

    func testZhangyeStillRequiresThePhone() throws {
        XCTAssertEqual(try cli.run(["plan", "load", CLIRunner.zhangye]).code, 0)
        let path = cli.directory.appendingPathComponent("ganzhou-2024-01.yaml").path
        let sample = try String(contentsOfFile: CLIRunner.zhangye + "/samples/ganzhou-2024-01.yaml", encoding: .utf8)
        let phoneLine = try XCTUnwrap(sample.split(separator: "\n").first { $0.contains("phone:") })
        try sample.replacingOccurrences(of: phoneLine + "\n", with: "").write(toFile: path, atomically: true, encoding: .utf8)
        let r = try cli.run(["ledger", "submit", path])
        XCTAssertEqual(r.code, 65, r.stderr)
        XCTAssertTrue(r.stderr.contains("the ledger gives no telephone for its liaison"), r.stderr)
    }

    func testTemplatesCarryNoOtherPlansWording() throws {
        try load()
        for args in [["--unit", "河西镇", "--period", "2024-Q2"], ["--unit", "河西镇", "--period", "2024-Q2", "--format", "csv"]] {
            let t = try cli.run(["ledger", "template", "--as-of", "2024-07-02"] + args)
            XCTAssertEqual(t.code, 0, t.stderr)
            for word in ["甘州", "张掖", "甘政", "市司法局"] { XCTAssertFalse(t.stdout.contains(word), "\(word) in\n\(t.stdout)") }
        }
        let first = try cli.run(["ledger", "template", "--unit", "城关街道", "--period", "2024-Q1", "--as-of", "2024-04-02"])
        XCTAssertTrue(first.stdout.contains("evidence: []      # 例:- 文号(如 ××发〔2024〕1号)、文件名或链接"), first.stdout)
    }

    func testTownsAndCountyDepartmentsAreUnitKinds() throws {
        try load(samples: false)
        let units = try XCTUnwrap((try json(["units"]) as? [String: Any])?["units"] as? [[String: Any]])
        func kind(_ id: String) -> (String?, String?) {
            let u = units.first { $0["id"] as? String == id }
            return (u?["kind"] as? String, u?["kind_label"] as? String)
        }
        XCTAssertTrue(kind("hexi") == ("township", "乡镇"), "\(kind("hexi"))")
        XCTAssertTrue(kind("chengguan") == ("subdistrict", "街道"), "\(kind("chengguan"))")
        XCTAssertTrue(kind("samr") == ("county_department", "县直部门"), "\(kind("samr"))")
        // Stored under the schema's own CHECK: the v1 column says other, finer_kind the kind.
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["sqlite3", cli.db, "SELECT id, kind, finer_kind FROM unit WHERE plan_id = 'qinghe-2024-2026' ORDER BY id"]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let rows = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        XCTAssertEqual(rows, """
            chengguan|other|subdistrict
            hexi|other|township
            justice|other|county_department
            qingshan|other|township
            samr|other|county_department
            transport|other|county_department

            """)
    }

    func testTheDigestNamesAnISOWeekOnlyWhenItsWindowIsOne() throws {
        try load()
        let midweek = try cli.run(["digest", "--as-of", "2024-07-10", "--format", "text"])
        XCTAssertEqual(midweek.code, 0, midweek.stderr)
        XCTAssertTrue(midweek.stdout.contains("截至 2024-07-10(2024-07-04 至 2024-07-10)"), String(midweek.stdout.prefix(300)))
        XCTAssertFalse(midweek.stdout.contains("2024-W28"), String(midweek.stdout.prefix(300)))
        let en = try cli.run(["digest", "--as-of", "2024-07-10", "--format", "text", "--lang", "en"])
        XCTAssertTrue(en.stdout.contains("As of 2024-07-10 (2024-07-04 – 2024-07-10)"), String(en.stdout.prefix(300)))
        let sunday = try cli.run(["digest", "--week", "2024-W28", "--format", "text"])
        XCTAssertTrue(sunday.stdout.contains("截至 2024-07-14(2024-W28,2024-07-08 至 2024-07-14)"), String(sunday.stdout.prefix(300)))
    }

    func testTheSupervisionListsTakeLangEn() throws {
        try load()
        let overdue = try cli.run(["overdue", "--as-of", "2024-07-05", "--lang", "en"])
        XCTAssertEqual(overdue.code, 0, overdue.stderr)
        XCTAssertTrue(overdue.stdout.hasPrefix("As of 2024-07-05, "), overdue.stdout)
        let csv = try cli.run(["overdue", "--as-of", "2024-07-05", "--lang", "en", "--format", "csv"])
        XCTAssertTrue(csv.stdout.hasPrefix("Unit,Task,Item,Due,Days overdue,Last status,Note\r\n"), csv.stdout)
        let notify = try cli.run(["notify", "--as-of", "2024-07-05", "--lang", "en", "--format", "csv"])
        XCTAssertTrue(notify.stdout.hasPrefix("Unit,Liaison,Phone,Kind,Task,Item,Due,Days overdue\r\n"), notify.stdout)
        XCTAssertTrue(notify.stdout.contains(",overdue,"), notify.stdout)
        let escalate = try cli.run(["escalate", "--as-of", "2024-07-05", "--lang", "en"])
        XCTAssertTrue(escalate.stdout.hasPrefix("As of 2024-07-05, "), escalate.stdout)
        XCTAssertTrue(escalate.stdout.contains("referral for accountability"), escalate.stdout)
        XCTAssertTrue(escalate.stdout.contains("The coordinator's own follow-ups (not escalated): 县司法局"), escalate.stdout)
        let text = try cli.run(["escalate", "--as-of", "2024-07-05", "--lang", "en", "--format", "text"])
        XCTAssertTrue(text.stdout.hasPrefix("Escalation as of 2024-07-05:\n"), text.stdout)
        // Chinese stays the default, word for word.
        let zh = try cli.run(["escalate", "--as-of", "2024-07-05", "--lang", "zh"])
        XCTAssertEqual(zh.stdout, try cli.run(["escalate", "--as-of", "2024-07-05"]).stdout)
        XCTAssertTrue(zh.stdout.hasPrefix("截至 2024-07-05,督办单位"), zh.stdout)
        XCTAssertEqual(try cli.run(["overdue", "--lang", "fr"]).code, 64)
    }
}
