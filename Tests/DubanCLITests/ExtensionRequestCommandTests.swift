import Foundation
import XCTest

/// `extension request|decide|list` on the built binary: the coordinator's terminal does what the
/// portal does.
extension SupervisionCommandTests {
    func testAnExtensionRequestIsDecidedFromTheCommandLine() throws {
        XCTAssertEqual(try overdueUnits(asOf: "2025-01-05", milestone: "15.1").contains("linze"), true)
        let ask = ["extension", "request", "--unit", "临泽县", "--task", "15", "--milestone", "15.1", "--new-due", "2025-03-31", "--reason", "评估范围扩大"]
        let late = try cli.run(ask + ["--date", "2025-01-01"])
        XCTAssertEqual(late.code, 65)
        XCTAssertTrue(late.stderr.contains("the deadline has passed"), late.stderr)
        let empty = try cli.run(["extension", "request", "--unit", "临泽县", "--task", "15", "--new-due", "2024-06-30", "--reason", " ",
                                 "--date", "2024-12-01"])
        XCTAssertEqual(empty.code, 65)
        XCTAssertTrue(empty.stderr.contains("the reason is empty") && empty.stderr.contains("not after the current one"), "every error: \(empty.stderr)")
        XCTAssertEqual(try cli.run(ask + ["--date", "2024-12-01"]).code, 0)
        XCTAssertEqual(try cli.run(["extension", "request", "--unit", "高台县", "--task", "15", "--new-due", "2025-03-31", "--reason", "x",
                                    "--date", "2024-12-01"]).code, 0)

        let noReason = try cli.run(["extension", "decide", "2", "refuse", "--date", "2024-12-02"])
        XCTAssertEqual(noReason.code, 65, noReason.stderr)
        XCTAssertEqual(try cli.run(["extension", "decide", "9", "approve", "--date", "2024-12-02"]).code, 64)
        XCTAssertEqual(try cli.run(["extension", "decide", "1", "approve", "--date", "2024-12-02"]).code, 0)
        XCTAssertEqual(try cli.run(["extension", "decide", "2", "refuse", "--reason", "理由不充分", "--date", "2024-12-02"]).code, 0)
        XCTAssertEqual(try cli.run(["extension", "decide", "2", "approve", "--date", "2024-12-02"]).code, 65, "decided once")

        let units = try overdueUnits(asOf: "2025-01-05", milestone: "15.1")
        XCTAssertFalse(units.contains("linze"), "approved: due 2025-03-31")
        XCTAssertTrue(units.contains("gaotai"), "refused: unchanged")
        XCTAssertTrue(try overdueUnits(asOf: "2025-04-01", milestone: "15.1").contains("linze"))
        let extensions = try XCTUnwrap(try json(["extensions"]) as? [[String: Any]])
        XCTAssertEqual(extensions.map { $0["new_due"] as? String }, ["2025-03-31"])
        let list = try XCTUnwrap(try json(["extension", "list", "--unit", "临泽县"]) as? [[String: Any]])
        XCTAssertEqual(list.count, 1)
        XCTAssertEqual(list[0]["state"] as? String, "approved")
        XCTAssertEqual((list[0]["decision"] as? [String: Any])?["extension"] as? Int, extensions[0]["id"] as? Int)
        let pending = try XCTUnwrap(try json(["extension", "list", "--state", "pending"]) as? [[String: Any]])
        XCTAssertTrue(pending.isEmpty)
    }

    /// A second extension is asked for before the first runs out; a request made in time may be
    /// approved late (overdue until the approval, as reported then), not after the date asked
    /// for; a decision is not dated before its request. The schema holds the same (v18).
    func testASecondExtensionAndALateApprovalOfATimelyRequest() throws {
        let ask = ["extension", "request", "--unit", "临泽县", "--task", "15", "--milestone", "15.1", "--reason", "评估范围扩大"]
        XCTAssertEqual(try cli.run(ask + ["--new-due", "2025-03-31", "--date", "2024-12-20"]).code, 0)
        let early = try cli.run(["extension", "decide", "1", "approve", "--date", "2024-12-19"])
        XCTAssertEqual(early.code, 65, early.stderr)
        XCTAssertTrue(early.stderr.contains("before the request (2024-12-20)"), early.stderr)
        let late = try cli.run(["extension", "decide", "1", "approve", "--date", "2025-01-10"])
        XCTAssertEqual(late.code, 0, "asked in time, decided after 2024-12-31: \(late.stderr)")
        XCTAssertTrue(try overdueUnits(asOf: "2025-01-05", milestone: "15.1").contains("linze"), "overdue until the approval")
        XCTAssertFalse(try overdueUnits(asOf: "2025-01-10", milestone: "15.1").contains("linze"), "due 2025-03-31 from it")

        // A second extension, asked for after the plan's date but before the first runs out.
        XCTAssertEqual(try cli.run(ask + ["--new-due", "2025-06-30", "--date", "2025-03-20"]).code, 0)
        XCTAssertEqual(try cli.run(["extension", "decide", "2", "approve", "--date", "2025-03-25"]).code, 0)
        XCTAssertFalse(try overdueUnits(asOf: "2025-04-05", milestone: "15.1").contains("linze"))
        XCTAssertTrue(try overdueUnits(asOf: "2025-07-01", milestone: "15.1").contains("linze"))
        let third = try cli.run(ask + ["--new-due", "2025-09-30", "--date", "2025-07-01"])
        XCTAssertEqual(third.code, 65)
        XCTAssertTrue(third.stderr.contains("the deadline has passed: 临泽县's task 15 was due 2025-06-30"), third.stderr)

        // Not after the date asked for.
        XCTAssertEqual(try cli.run(["extension", "request", "--unit", "高台县", "--task", "15", "--new-due", "2025-01-05", "--reason", "x",
                                    "--date", "2024-12-30"]).code, 0)
        let passed = try cli.run(["extension", "decide", "3", "approve", "--date", "2025-01-06"])
        XCTAssertEqual(passed.code, 65, passed.stderr)
        XCTAssertTrue(passed.stderr.contains("the new due date 2025-01-05 has passed on 2025-01-06"), passed.stderr)
        XCTAssertEqual(try cli.run(["extension", "decide", "3", "refuse", "--reason", "已过申请日期", "--date", "2025-01-06"]).code, 0)

        // The schema refuses what the rule refuses.
        for sql in ["INSERT INTO extension_decision (request_id, decision, reason, decided_on, decided_by, address, recorded_at) SELECT id, 'refused', 'x', '2024-01-01', 'x', 'x', 'x' FROM extension_request WHERE unit_id = 'linze' AND id = 1",
                    "INSERT INTO due_extension (plan_id, unit_id, milestone_id, original_due, new_due, reason, granted_on, recorded_at) SELECT plan_id, unit_id, milestone_id, original_due, '2025-02-01', 'x', '2025-02-02', 'x' FROM due_extension LIMIT 1",
                    "INSERT INTO extension_request (plan_id, unit_id, task_number, milestone_id, original_due, current_due, new_due, reason, requested_on, requested_by, address, recorded_at) SELECT plan_id, unit_id, task_number, milestone_id, original_due, current_due, '2026-01-01', 'x', '2025-07-01', 'x', 'x', 'x' FROM extension_request WHERE id = 2"] {
            let r = try cli.run([], shell: "sqlite3 \"$DUBAN_DB\" \"\(sql)\"")
            XCTAssertNotEqual(r.code, 0, sql)
            XCTAssertTrue(r.stderr.contains("CHECK constraint failed") || r.stderr.contains("decided before the request"), r.stderr)
        }
    }
}
