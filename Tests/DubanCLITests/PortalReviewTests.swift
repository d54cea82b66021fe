import Foundation
import XCTest

/// Ledger review on the built server: the coordinator returns a ledger with a reason on
/// /reviews; the liaison sees the reason on its ledger page, the period is owed again, an early
/// resubmission is refused at its 报送日期, a later one is taken and reviewed anew; only the
/// coordinator decides, and every decision is in the audit log.
final class PortalReviewTests: CLITestCase {
    var cli: CLIRunner!
    var samples: String { CLIRunner.zhangye + "/samples" }

    override func setUpWithError() throws {
        cli = try CLIRunner()
        let plan = try cli.copyOfZhangye(editing: "plan.yaml") {
            $0.replacingOccurrences(of: "  liaison_phone: required", with: "  review: required\n  liaison_phone: required")
        }
        XCTAssertEqual(try cli.run(["plan", "load", plan]).code, 0)
        let r = try cli.run(["ledger", "submit"] + (1...3).map { "\(samples)/ganzhou-2024-0\($0).yaml" })
        XCTAssertEqual(r.code, 0, r.stderr)
    }

    func overdueLedgerPeriods(_ asOf: String) throws -> [String] {
        let r = try cli.run(["overdue", "--unit", "甘州区", "--as-of", asOf, "--format", "json"])
        let items = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
        return items.filter { $0["kind"] as? String == "ledger" }.compactMap { $0["period"] as? String }
    }

    func testTheCoordinatorReturnsALedgerAndTheLiaisonSeesTheReasonAndResubmits() throws {
        let (server, office) = try cli.signedInClient("sfj-wang", ["--role", "coordinator"])
        defer { _ = server.stop() }
        let (_, liaison) = try cli.signedInClient("ganzhou-li", ["--role", "liaison", "--unit", "甘州区"], server: server)
        let (_, leader) = try cli.signedInClient("leader-zhao", ["--role", "leader"], server: server)

        // Only the coordinator gets the buttons, and only the coordinator decides.
        let queue = try office.get("/reviews")
        XCTAssertEqual(queue.status, 200)
        XCTAssertTrue(queue.body.contains("待审核 Pending 3") && queue.body.contains("id=\"review-3\""), queue.body)
        XCTAssertTrue(queue.body.contains("name=\"decision\" value=\"return\""))
        let officeCSRF = try XCTUnwrap(PortalClient.csrf(in: queue.body))
        for client in [liaison, leader] {
            let page = try client.get("/reviews")
            XCTAssertEqual(page.status, 200)
            XCTAssertFalse(page.body.contains("name=\"decision\""))
            let csrf = try XCTUnwrap(PortalClient.csrf(in: page.body))
            XCTAssertEqual(try client.post("/reviews/3", [("csrf", csrf), ("decision", "accept")]).status, 403)
        }
        XCTAssertEqual(try office.post("/reviews/3", [("csrf", "forged"), ("decision", "accept")]).status, 403, "CSRF")
        XCTAssertEqual(try cli.query("SELECT count(*) FROM ledger_review"), "0\n")

        // A return without a reason: 422, nothing written.
        let bare = try office.post("/reviews/3", [("csrf", officeCSRF), ("decision", "return"), ("reason", " ")])
        XCTAssertEqual(bare.status, 422)
        XCTAssertTrue(bare.body.contains("needs a reason"), bare.body)
        XCTAssertEqual(try cli.query("SELECT count(*) FROM ledger_review"), "0\n")

        let returned = try office.post("/reviews/3", [("csrf", officeCSRF), ("decision", "return"), ("reason", "缺少佐证材料<script>x</script>")])
        XCTAssertEqual(returned.status, 200, returned.body)
        XCTAssertTrue(returned.body.contains("已退回") && returned.body.contains("缺少佐证材料&lt;script&gt;"), returned.body)
        XCTAssertFalse(returned.body.contains("<script>x"))
        XCTAssertEqual(try cli.query("SELECT action || \" \" || detail FROM audit_event WHERE action = \"ledger.review\""),
                       "ledger.review #3 ganzhou 2024-03 return: 缺少佐证材料<script>x</script>\n")
        XCTAssertEqual(try office.post("/reviews/3", [("csrf", officeCSRF), ("decision", "accept")]).status, 422, "a decision is final")

        // The liaison sees the reason; the period is owed again.
        let mine = try liaison.get("/ledger")
        XCTAssertTrue(mine.body.contains("已退回:缺少佐证材料&lt;script&gt;x&lt;/script&gt;(请修改后重新报送)"), mine.body)
        XCTAssertTrue(mine.body.contains("role=\"alert\">2024-03 台账(#3)已于 2024-04-10 被退回:缺少佐证材料&lt;script&gt;"), "an alert above the form")
        XCTAssertEqual(try overdueLedgerPeriods("2024-04-10"), ["2024-03"])

        // The same file again: the portal dates it the day received, on or after the return, so it is
        // taken as the resubmission (unchanged content and all), 迟报 from then on.
        let csrf = try XCTUnwrap(PortalClient.csrf(in: mine.body))
        let original = try Data(contentsOf: URL(fileURLWithPath: "\(samples)/ganzhou-2024-03.yaml"))
        let receipt = try liaison.postMultipart("/ledger", fields: [("csrf", csrf), ("encoding", "auto")],
                                                file: ("file", "ganzhou-2024-03.yaml", original))
        XCTAssertEqual(receipt.status, 200, receipt.body)
        XCTAssertTrue(receipt.body.contains("#4") && receipt.body.contains("待审核"), receipt.body)
        XCTAssertTrue(receipt.body.contains("台账中填写的是 2024-04-02"), receipt.body)
        XCTAssertEqual(try cli.query("SELECT submitted_on, supersedes_id FROM ledger_submission WHERE id = 4"), "2024-04-10|3\n")
        XCTAssertEqual(try overdueLedgerPeriods("2024-04-10"), [])

        let accepted = try office.post("/reviews/4", [("csrf", officeCSRF), ("decision", "accept")])
        XCTAssertEqual(accepted.status, 200, accepted.body)
        let history = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(try cli.run(["ledger", "reviews", "--all", "--as-of", "2024-04-10",
                                                                                        "--unit", "甘州区", "--format", "json"]).stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(history.prefix(2).map { $0["review"] as? String }, ["accepted", "returned"])
        XCTAssertEqual(history.first?["decided_by"] as? String, "某某(sfj-wang)")
    }

    /// The API: the coordinator's token decides, a liaison's gets 403 and reads its own unit only.
    func testTheAPIReviewsWithTheCoordinatorsTokenOnly() throws {
        for (login, extra) in [("sfj-wang", ["--role", "coordinator"]), ("ganzhou-li", ["--role", "liaison", "--unit", "甘州区"]),
                               ("linze-li", ["--role", "liaison", "--unit", "临泽县"])] {
            XCTAssertEqual(try cli.run(["account", "add", "--login", login, "--name", "某某"] + extra).code, 0)
        }
        func client(_ login: String, _ server: PortalServerRunner) throws -> PortalClient {
            let c = PortalClient(port: server.port)
            c.bearer = try cli.run(["account", "token", login]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            return c
        }
        let server = try PortalServerRunner(runner: cli)
        defer { _ = server.stop() }
        let office = try client("sfj-wang", server), mine = try client("ganzhou-li", server), other = try client("linze-li", server)
        let body = { (text: String) in Data(text.utf8) }
        XCTAssertEqual(try mine.send("POST", "/api/v1/ledgers/2/review", body: body(#"{"decision":"accept"}"#), contentType: "application/json").status, 403)
        let noReason = try office.send("POST", "/api/v1/ledgers/2/review", body: body(#"{"decision":"return"}"#), contentType: "application/json")
        XCTAssertEqual(noReason.status, 422)
        XCTAssertTrue(noReason.body.contains("needs a reason"), noReason.body)
        XCTAssertEqual(try office.send("POST", "/api/v1/ledgers/2/review", body: body(#"{"decision":"maybe"}"#), contentType: "application/json").status, 400)
        XCTAssertEqual(try cli.query("SELECT count(*) FROM ledger_review"), "0\n")
        let returned = try office.send("POST", "/api/v1/ledgers/2/review", body: body(#"{"decision":"return","reason":"数据指标缺失"}"#),
                                       contentType: "application/json")
        XCTAssertEqual(returned.status, 200, returned.body)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(returned.body.utf8)) as? [String: Any])
        XCTAssertEqual(json["review"] as? String, "returned")
        XCTAssertEqual(json["reason"] as? String, "数据指标缺失")
        XCTAssertEqual(json["period"] as? String, "2024-02")
        // The liaison reads its unit's decisions; another unit's liaison reads none of them.
        let list = try mine.get("/api/v1/reviews?all=true")
        XCTAssertEqual(list.status, 200)
        let rows = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(list.body.utf8)) as? [[String: Any]])
        XCTAssertEqual(rows.count, 3)
        XCTAssertEqual(rows.first { $0["submission"] as? Int == 2 }?["reason"] as? String, "数据指标缺失")
        XCTAssertEqual(try other.get("/api/v1/reviews?all=true").body.trimmingCharacters(in: .whitespacesAndNewlines), "[\n\n]")
        XCTAssertEqual(try other.get("/api/v1/reviews?unit=%E7%94%98%E5%B7%9E%E5%8C%BA").status, 403)
        XCTAssertEqual(try mine.send("TRACE", "/api/v1/reviews", body: nil, contentType: nil).status, 405)
    }
}
