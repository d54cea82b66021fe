import Foundation
import XCTest

/// Steps of the ladder recorded from the portal's 督办等级 page: one step for several units at
/// once, all or nothing, moving the ladder exactly as `duban action record` does.
extension PortalTests {
    /// A new client of `server`, signed in through the login form.
    func client(_ server: PortalServerRunner, _ login: String, _ password: String, file: StaticString = #filePath, line: UInt = #line) throws -> PortalClient {
        let client = PortalClient(port: server.port)
        XCTAssertEqual(try signIn(client, login, password).status, 303, login, file: file, line: line)
        return client
    }

    func escalateJSON(db: String? = nil) throws -> [[String: Any]] {
        let r = try cli.run(["escalate", "--as-of", "2024-04-20", "--format", "json"] + (db.map { ["--db", $0] } ?? []))
        XCTAssertEqual(r.code, 0, r.stderr)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        return try XCTUnwrap(json["units"] as? [[String: Any]])
    }

    func testACircularRecordedFromTheWebForThreeUnitsMovesAllThree() throws {
        let coordinator = try addAccount(["--login", "sfj-wang", "--role", "coordinator", "--name", "王某某"])
        let liaison = try addAccount(["--login", "ganzhou-li", "--unit", "甘州区", "--role", "liaison", "--name", "李某某"])
        let before = try escalateJSON()
        let three = before.prefix(3).compactMap { $0["unit_name"] as? String }
        XCTAssertEqual(three.count, 3, "three units on the ladder")
        // The twin: the same steps recorded by the command line on a copy.
        let twin = cli.directory.appendingPathComponent("twin.sqlite").path
        XCTAssertEqual(try cli.run([], shell: "sqlite3 \"\(cli.db)\" \".backup '\(twin)'\"").code, 0)
        for name in three {
            let r = try cli.run(["action", "record", "--unit", name, "--level", "circular", "--date", "2024-04-10", "--ref", "张司通〔2024〕2号",
                                 "--db", twin])
            XCTAssertEqual(r.code, 0, r.stderr)
        }

        let server = try PortalServerRunner(runner: cli, asOf: "2024-04-10")
        defer { server.stop() }
        let office = try client(server, "sfj-wang", coordinator)
        let page = try office.get("/escalate")
        XCTAssertTrue(page.body.contains("id=\"record-action\""), "the coordinator's step form")
        let csrf = try XCTUnwrap(PortalClient.csrf(in: page.body))
        let step = [("csrf", csrf), ("level", "circular"), ("date", "2024-04-10"), ("ref", "张司通〔2024〕2号"), ("note", "全市通报")]

        // One bad unit: nothing written, the error at the field, the form as typed.
        let bad = try office.post("/escalate/actions", step + [("units", "\(three[0])、不存在县<b>、\(three[1])")])
        XCTAssertEqual(bad.status, 422)
        XCTAssertTrue(bad.body.contains("no unit or group &quot;不存在县&lt;b&gt;&quot;"), bad.body)
        XCTAssertTrue(bad.body.contains("value=\"\(three[0])、不存在县&lt;b&gt;、\(three[1])\""), "as typed")
        let badDate = try office.post("/escalate/actions", step.filter { $0.0 != "date" } + [("date", "2022-01-01"), ("task", "999"),
                                                                                            ("units", three.joined(separator: "、"))])
        XCTAssertEqual(badDate.status, 422)
        XCTAssertTrue(badDate.body.contains("before the plan starts") && badDate.body.contains("no task 999"), "every error")
        XCTAssertEqual(try cli.query("SELECT count(*) FROM supervision_action"), "0\n")

        // The liaison records nothing.
        let mine = try client(server, "ganzhou-li", liaison)
        let minePage = try mine.get("/escalate")
        XCTAssertFalse(minePage.body.contains("record-action"))
        XCTAssertEqual(try mine.post("/escalate/actions", step.filter { $0.0 != "csrf" } + [("csrf", PortalClient.csrf(in: minePage.body) ?? ""),
                                                                                        ("units", "甘州区")]).status, 403)

        let done = try office.post("/escalate/actions", step + [("units", three.joined(separator: ","))])
        XCTAssertEqual(done.status, 200, done.body)
        XCTAssertTrue(done.body.contains("已记录 通报 → \(three.joined(separator: "、"))"), done.body)
        XCTAssertEqual(try cli.query("SELECT count(DISTINCT unit_id) || char(124) || count(DISTINCT reference) FROM supervision_action"), "3|1\n")

        // The ladder moved for all three, exactly as the command line's steps move it.
        let after = try escalateJSON()
        for name in three {
            let row = try XCTUnwrap(after.first { $0["unit_name"] as? String == name })
            XCTAssertEqual(row["last_action"] as? String, "circular", name)
        }
        XCTAssertEqual(try cli.run(["escalate", "--as-of", "2024-04-20", "--format", "json"]).stdout,
                       try cli.run(["escalate", "--as-of", "2024-04-20", "--format", "json", "--db", twin]).stdout)
        let audit = try cli.query("SELECT actor, address, action FROM audit_event ORDER BY id").split(separator: "\n").filter { $0.contains("action.record") }
        XCTAssertEqual(audit, ["sfj-wang|127.0.0.1|action.record"])
    }

    func testTheNextDocumentNumberIsTakenOnceForAStepOfSeveralUnits() throws {
        let coordinator = try addAccount(["--login", "sfj-wang", "--role", "coordinator", "--name", "王某某"])
        let server = try PortalServerRunner(runner: cli, asOf: "2024-04-10")
        defer { server.stop() }
        let office = try client(server, "sfj-wang", coordinator)
        let csrf = try XCTUnwrap(PortalClient.csrf(in: try office.get("/escalate").body))
        let r = try office.post("/escalate/actions", [("csrf", csrf), ("level", "letter"), ("date", "2024-04-10"), ("ref_next", "1"),
                                                      ("units", "甘州区 临泽县")])
        XCTAssertEqual(r.status, 200, r.body)
        XCTAssertTrue(r.body.contains("张司函〔2024〕1号"), r.body)
        XCTAssertEqual(try cli.query("SELECT reference FROM supervision_action ORDER BY id"), "张司函〔2024〕1号\n张司函〔2024〕1号\n")
        let next = try cli.run(["action", "record", "--unit", "高台县", "--level", "letter", "--date", "2024-04-11", "--ref", "next"])
        XCTAssertTrue(next.stdout.contains("张司函〔2024〕2号"), next.stdout + next.stderr)
        let taken = try office.post("/escalate/actions", [("csrf", csrf), ("level", "letter"), ("date", "2024-04-10"),
                                                          ("ref", "张司函〔2024〕2号"), ("units", "山丹县")])
        XCTAssertEqual(taken.status, 422)
        XCTAssertTrue(taken.body.contains("was already taken"), taken.body)
    }
}
