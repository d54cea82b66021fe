import Foundation
import XCTest

/// The secret calendar URL served by `duban serve`: the same feed as `duban calendar --unit U`,
/// only that unit's, with no session; a new token (CLI or portal) kills the old one at once.
extension PortalTests {
    func testACalendarURLServesTheUnitsFeedAndRotationKillsTheOldOne() throws {
        let liaison = try addAccount(["--login", "ganzhou-li", "--unit", "甘州区", "--role", "liaison", "--name", "李某某"])
        let coordinator = try addAccount(["--login", "sfj-wang", "--role", "coordinator", "--name", "王某某"])
        let leader = try addAccount(["--login", "leader-zhao", "--role", "leader", "--name", "赵某某"])
        let made = try cli.run(["calendar", "token", "--unit", "甘州区"])
        XCTAssertEqual(made.code, 0, made.stderr)
        let path = made.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertTrue(path.hasPrefix("/calendar/cal_") && path.hasSuffix(".ics"), path)
        let token = String(path.dropFirst("/calendar/".count).dropLast(4))
        let stored = try cli.query("SELECT * FROM calendar_token")
        XCTAssertTrue(stored.contains("ganzhou") && !stored.contains(token), "stored hashed: \(stored)")
        XCTAssertEqual(try cli.run(["calendar", "token"]).code, 64, "a unit or --all")

        let server = try PortalServerRunner(runner: cli, asOf: "2024-04-10")
        defer { server.stop() }
        let anyone = PortalClient(port: server.port)
        let feed = try anyone.get(path)
        XCTAssertEqual(feed.status, 200)
        XCTAssertTrue(feed.headers["content-type"]?.hasPrefix("text/calendar") ?? false)
        XCTAssertEqual(feed.body, try cli.run(["calendar", "--unit", "甘州区", "--as-of", "2024-04-10"]).stdout, "the CLI's feed")
        XCTAssertFalse(feed.body.contains("临泽县"))
        XCTAssertEqual(try anyone.get("/calendar/cal_\(String(repeating: "x", count: 43)).ics").status, 404)
        XCTAssertEqual(try anyone.get("/calendar").status, 303, "the page needs a session")

        // The liaison makes a new URL for its unit: the old one stops at once.
        let mine = try client(server, "ganzhou-li", liaison)
        let page = try mine.get("/calendar")
        XCTAssertEqual(page.status, 200)
        XCTAssertTrue(page.body.contains("已生成") && !page.body.contains("临泽县"), page.body)
        let csrf = try XCTUnwrap(PortalClient.csrf(in: page.body))
        XCTAssertEqual(try mine.post("/calendar/token", [("csrf", csrf), ("unit", "linze")]).status, 403, "another unit's")
        XCTAssertEqual(try mine.post("/calendar/token", [("csrf", csrf), ("unit", "*")]).status, 403, "the whole plan's")
        XCTAssertEqual(try anyone.get(path).status, 200, "refusals change nothing")
        let rotated = try mine.post("/calendar/token", [("csrf", csrf), ("unit", "ganzhou")])
        XCTAssertEqual(rotated.status, 200)
        let url = try XCTUnwrap(rotated.body.range(of: #"/calendar/cal_[A-Za-z0-9_-]+\.ics"#, options: .regularExpression).map { String(rotated.body[$0]) })
        XCTAssertEqual(try anyone.get(path).status, 404, "the old URL is dead")
        XCTAssertEqual(try anyone.get(url).body, feed.body)
        XCTAssertEqual(try cli.run(["calendar", "token", "--unit", "甘州区"]).code, 0)
        XCTAssertEqual(try anyone.get(url).status, 404, "the CLI's new token kills the portal's")

        // The coordinator's whole-plan feed; a leader manages none.
        let office = try client(server, "sfj-wang", coordinator)
        let officeCSRF = try XCTUnwrap(PortalClient.csrf(in: try office.get("/calendar").body))
        let all = try office.post("/calendar/token", [("csrf", officeCSRF), ("unit", "*")])
        let allURL = try XCTUnwrap(all.body.range(of: #"/calendar/cal_[A-Za-z0-9_-]+\.ics"#, options: .regularExpression).map { String(all.body[$0]) })
        let whole = try anyone.get(allURL).body
        XCTAssertTrue(whole.contains("【甘州区】") && whole.contains("【临泽县】"))
        let boss = try client(server, "leader-zhao", leader)
        XCTAssertEqual(try boss.get("/calendar").status, 403)

        XCTAssertFalse(server.stderr.contains("cal_"), "no token in the request log")
        let audit = try cli.query("SELECT actor, action, detail FROM audit_event ORDER BY id").split(separator: "\n").filter { $0.contains("calendar.token") }
        XCTAssertEqual(audit.count, 4)
        XCTAssertEqual(audit.filter { $0.hasPrefix("ganzhou-li|") }.count, 1)
    }
}
