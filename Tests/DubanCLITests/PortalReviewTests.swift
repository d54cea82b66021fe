import Foundation
import XCTest

/// Ledger review on the built server: the coordinator returns a ledger with a reason on
/// /reviews; the liaison sees the reason on its ledger page, the period is owed again, an early
/// resubmission is refused at its 报送日期, a later one is taken and reviewed anew; only the
/// coordinator decides, and every decision is in the audit log.
final class PortalReviewTests: XCTestCase {
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

        // A resubmission dated before the return is refused at its 报送日期, nothing written.
        let csrf = try XCTUnwrap(PortalClient.csrf(in: mine.body))
        let original = try Data(contentsOf: URL(fileURLWithPath: "\(samples)/ganzhou-2024-03.yaml"))
        let early = try liaison.postMultipart("/ledger", fields: [("csrf", csrf), ("encoding", "auto")],
                                              file: ("file", "ganzhou-2024-03.yaml", original))
        XCTAssertEqual(early.status, 422, early.body)
        XCTAssertTrue(early.body.contains("returned on 2024-04-10"), early.body)
        XCTAssertEqual(try cli.query("SELECT count(*) FROM ledger_submission"), "3\n")

        let later = Data(String(decoding: original, as: UTF8.self).replacingOccurrences(of: "submitted: 2024-04-02", with: "submitted: 2024-04-10").utf8)
        let receipt = try liaison.postMultipart("/ledger", fields: [("csrf", csrf), ("encoding", "auto")],
                                                file: ("file", "ganzhou-2024-03.yaml", later))
        XCTAssertEqual(receipt.status, 200, receipt.body)
        XCTAssertTrue(receipt.body.contains("#4") && receipt.body.contains("待审核"), receipt.body)
        XCTAssertEqual(try overdueLedgerPeriods("2024-04-10"), [])

        let accepted = try office.post("/reviews/4", [("csrf", officeCSRF), ("decision", "accept")])
        XCTAssertEqual(accepted.status, 200, accepted.body)
        let history = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(try cli.run(["ledger", "reviews", "--all", "--as-of", "2024-04-10",
                                                                                        "--unit", "甘州区", "--format", "json"]).stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(history.prefix(2).map { $0["review"] as? String }, ["accepted", "returned"])
        XCTAssertEqual(history.first?["decided_by"] as? String, "某某(sfj-wang)")
    }
}
