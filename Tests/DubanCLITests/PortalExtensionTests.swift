import Foundation
import XCTest

/// Extension requests (延期申请) on the built server: a liaison asks on /extensions or the API,
/// before the deadline; the coordinator approves (then `overdue` uses the new date) or refuses
/// (nothing moves); a liaison asks for no other unit and reads none of its requests.
extension PortalTests {
    func overdueDues(_ asOf: String, milestone: String) throws -> [String] {
        let r = try cli.run(["overdue", "--unit", "甘州区", "--as-of", asOf, "--format", "json"])
        XCTAssertEqual(r.code, 0, r.stderr)
        let items = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
        return items.filter { $0["milestone"] as? String == milestone }.compactMap { $0["due"] as? String }
    }

    func testALiaisonRequestsAnExtensionBeforeTheDeadlineAndTheCoordinatorDecides() throws {
        let liaison = try addAccount(["--login", "ganzhou-li", "--unit", "甘州区", "--role", "liaison", "--name", "李某某"])
        let coordinator = try addAccount(["--login", "sfj-wang", "--role", "coordinator", "--name", "王某某"])
        let leader = try addAccount(["--login", "leader-zhao", "--role", "leader", "--name", "赵某某"])
        let token = try cli.run(["account", "token", "ganzhou-li"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertEqual(try overdueDues("2025-01-05", milestone: "14.1"), ["2024-12-31"], "overdue before any extension")

        let server = try PortalServerRunner(runner: cli, asOf: "2024-04-10")
        defer { server.stop() }
        let mine = try client(server, "ganzhou-li", liaison)
        let page = try mine.get("/extensions")
        XCTAssertEqual(page.status, 200)
        XCTAssertTrue(page.body.contains("id=\"ext-14.1@2024-12-31\""), "a form per open item")
        XCTAssertFalse(page.body.contains("临泽县"))
        let csrf = try XCTUnwrap(PortalClient.csrf(in: page.body))
        let item = [("csrf", csrf), ("task", "14"), ("milestone", "14.1"), ("due", "2024-12-31")]

        // Every error at its field, nothing written.
        let bad = try mine.post("/extensions", item + [("new_due", "2024-10-01"), ("reason", "  ")])
        XCTAssertEqual(bad.status, 422)
        XCTAssertTrue(bad.body.contains("申请延至") && bad.body.contains("is not after the current one (2024-12-31)"), bad.body)
        XCTAssertTrue(bad.body.contains("理由") && bad.body.contains("the reason is empty"), bad.body)
        XCTAssertTrue(bad.body.contains("value=\"2024-10-01\""), "the value as typed")
        XCTAssertEqual(try cli.query("SELECT count(*) FROM extension_request"), "0\n")

        // Another unit's item: 403, nothing written, not by the form nor by the API.
        XCTAssertEqual(try mine.post("/extensions", item + [("unit", "临泽县"), ("new_due", "2025-03-31"), ("reason", "x")]).status, 403)
        let api = PortalClient(port: server.port)
        api.bearer = token
        let other = try api.send("POST", "/api/v1/extension-requests", body: Data(#"{"unit":"临泽县","task":14,"new_due":"2025-03-31","reason":"x"}"#.utf8),
                                 contentType: "application/json")
        XCTAssertEqual(other.status, 403)
        XCTAssertFalse(other.body.contains("linze"))
        XCTAssertEqual(try api.get("/api/v1/extension-requests?unit=%E4%B8%B4%E6%B3%BD%E5%8E%BF").status, 403)
        XCTAssertEqual(try cli.query("SELECT count(*) FROM extension_request"), "0\n")

        let asked = try mine.post("/extensions", item + [("new_due", "2025-03-31"), ("reason", "需与省厅协调<script>")])
        XCTAssertEqual(asked.status, 200, asked.body)
        XCTAssertTrue(asked.body.contains("已提交延期申请 #1"))
        XCTAssertTrue(asked.body.contains("需与省厅协调&lt;script&gt;") && !asked.body.contains("<script>"), "escaped")
        XCTAssertEqual(try mine.post("/extensions", item + [("new_due", "2025-06-30"), ("reason", "再次")]).status, 422, "one pending per item")
        // By the API: another item, later refused.
        let second = try api.send("POST", "/api/v1/extension-requests",
                                  body: Data(#"{"task":15,"milestone":"15.1","new_due":"2025-06-30","reason":"评估范围扩大"}"#.utf8), contentType: "application/json")
        XCTAssertEqual(second.status, 201, second.body)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(second.body.utf8)) as? [String: Any])
        XCTAssertEqual(json["state"] as? String, "pending")
        XCTAssertEqual(json["original_due"] as? String, "2024-12-31")
        XCTAssertEqual(json["unit"] as? String, "ganzhou")

        // The liaison and the leader decide nothing.
        XCTAssertEqual(try mine.post("/extensions/1/decision", [("csrf", csrf), ("decision", "approve")]).status, 403)
        XCTAssertEqual(try api.send("POST", "/api/v1/extension-requests/1/decision", body: Data(#"{"decision":"approve"}"#.utf8),
                                    contentType: "application/json").status, 403)
        let boss = try client(server, "leader-zhao", leader)
        let bossPage = try boss.get("/extensions")
        XCTAssertEqual(bossPage.status, 200)
        XCTAssertFalse(bossPage.body.contains("name=\"decision\""), "no decision buttons for a leader")
        XCTAssertEqual(try boss.post("/extensions", item + [("csrf", PortalClient.csrf(in: bossPage.body) ?? ""), ("unit", "甘州区"),
                                                            ("new_due", "2025-03-31"), ("reason", "x")]).status, 403)

        // The coordinator sees both pending, approves one, refuses the other (with a reason).
        let office = try client(server, "sfj-wang", coordinator)
        let queue = try office.get("/extensions")
        XCTAssertTrue(queue.body.contains("待审批 Pending 2"), queue.body)
        let officeCSRF = try XCTUnwrap(PortalClient.csrf(in: queue.body))
        XCTAssertEqual(try office.post("/extensions/2/decision", [("csrf", officeCSRF), ("decision", "refuse"), ("reason", "")]).status, 422,
                       "a refusal needs a reason")
        XCTAssertEqual(try office.post("/extensions/99/decision", [("csrf", officeCSRF), ("decision", "approve")]).status, 404)
        let approved = try office.post("/extensions/1/decision", [("csrf", officeCSRF), ("decision", "approve")])
        XCTAssertEqual(approved.status, 200, approved.body)
        XCTAssertTrue(approved.body.contains("#1 已批准"))
        let refused = try office.post("/extensions/2/decision", [("csrf", officeCSRF), ("decision", "refuse"), ("reason", "理由不充分")])
        XCTAssertEqual(refused.status, 200, refused.body)
        XCTAssertEqual(try office.post("/extensions/1/decision", [("csrf", officeCSRF), ("decision", "refuse"), ("reason", "x")]).status, 422,
                       "decided once")

        // Approved: the extension is recorded as `extension record` records it, and overdue uses it.
        XCTAssertEqual(try cli.query("SELECT unit_id, milestone_id, original_due, new_due, granted_on FROM due_extension"),
                       "ganzhou|14.1|2024-12-31|2025-03-31|2024-04-10\n")
        XCTAssertEqual(try overdueDues("2025-01-05", milestone: "14.1"), [], "not overdue before the new date")
        XCTAssertEqual(try overdueDues("2025-04-05", milestone: "14.1"), ["2025-03-31"])
        XCTAssertEqual(try overdueDues("2025-01-05", milestone: "15.1"), ["2024-12-31"], "refused: unchanged")

        // Both sides see the state and the decision.
        let after = try mine.get("/extensions")
        XCTAssertTrue(after.body.contains("已批准") && after.body.contains("未批准") && after.body.contains("理由不充分"), after.body)
        let list = try cli.run(["extension", "list", "--format", "json"])
        let rows = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(rows.map { $0["state"] as? String }, ["refused", "approved"])
        XCTAssertEqual((rows[1]["decision"] as? [String: Any])?["decided_by"] as? String, "sfj-wang")
        let audit = try cli.query("SELECT actor, address, action FROM audit_event ORDER BY id").split(separator: "\n")
            .filter { $0.contains("|extension.") }.map { $0 + "\n" }.joined()
        XCTAssertEqual(audit, "ganzhou-li|127.0.0.1|extension.request\nganzhou-li|127.0.0.1|extension.request\n"
                       + "sfj-wang|127.0.0.1|extension.approve\nsfj-wang|127.0.0.1|extension.refuse\n")
    }

    func testAnExtensionRequestAfterTheDeadlineIsRefusedNamingTheField() throws {
        let liaison = try addAccount(["--login", "ganzhou-li", "--unit", "甘州区", "--role", "liaison", "--name", "李某某"])
        let server = try PortalServerRunner(runner: cli, asOf: "2025-01-02")
        defer { server.stop() }
        let mine = try client(server, "ganzhou-li", liaison)
        let page = try mine.get("/extensions")
        XCTAssertFalse(page.body.contains("id=\"ext-14.1@2024-12-31\""), "no form for a passed deadline")
        let csrf = try XCTUnwrap(PortalClient.csrf(in: page.body))
        let late = try mine.post("/extensions", [("csrf", csrf), ("task", "14"), ("milestone", "14.1"), ("due", "2024-12-31"),
                                                 ("new_due", "2025-03-31"), ("reason", "来不及")])
        XCTAssertEqual(late.status, 422)
        XCTAssertTrue(late.body.contains("期限") && late.body.contains("the deadline has passed"), late.body)
        XCTAssertEqual(try cli.query("SELECT count(*) FROM extension_request"), "0\n")
        // The command line says the same, exit 65.
        let r = try cli.run(["extension", "request", "--unit", "甘州区", "--task", "15", "--new-due", "2025-03-31", "--reason", "x",
                             "--date", "2026-01-02"])
        XCTAssertEqual(r.code, 65, r.stderr)
        XCTAssertTrue(r.stderr.contains("the deadline has passed"), r.stderr)
    }
}
