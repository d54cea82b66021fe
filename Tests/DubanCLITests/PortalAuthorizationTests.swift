import Foundation
import XCTest

/// Every route × every role × its own unit and another: who gets what. A liaison of 甘州区 gets no
/// byte of 临泽县's data and cannot write for it; a leader writes nothing; a visitor sees only
/// the login page; a form without its CSRF token writes nothing.
final class PortalAuthorizationTests: CLITestCase {
    static let other = "%E4%B8%B4%E6%B3%BD%E5%8E%BF" // 临泽县, URL-encoded

    func testEveryRouteForEveryRole() throws {
        let cli = try CLIRunner()
        XCTAssertEqual(try cli.run(["demo", "--plans", CLIRunner.zhangye]).code, 0)
        var passwords: [String: String] = [:]
        var tokens: [String: String] = [:]
        for (login, extra) in [("ganzhou-li", ["--unit", "甘州区", "--role", "liaison"]), ("sfj-wang", ["--role", "coordinator"]),
                               ("leader-zhao", ["--role", "leader"])] {
            let added = try cli.run(["account", "add", "--login", login, "--name", "某某"] + extra)
            XCTAssertEqual(added.code, 0, added.stderr)
            passwords[login] = String(try XCTUnwrap(added.stdout.split(separator: " ").last).trimmingCharacters(in: .whitespacesAndNewlines))
            tokens[login] = try cli.run(["account", "token", login]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let server = try PortalServerRunner(runner: cli)
        defer { server.stop() }

        let o = Self.other
        // (path, visitor, liaison, coordinator, leader)
        let pages: [(String, Int, Int, Int, Int)] = [
            ("/", 303, 200, 200, 200),
            ("/overdue", 303, 200, 200, 200),
            ("/overdue?unit=\(o)", 303, 403, 200, 200),
            ("/ledger", 303, 200, 200, 403),
            ("/ledger?unit=\(o)", 303, 200, 200, 403),
            ("/ledger/template?period=2024-03&unit=\(o)", 303, 200, 200, 403),
            ("/ledgers", 303, 200, 200, 200),
            ("/digest", 303, 403, 200, 200),
            ("/notices", 303, 200, 200, 200),
            ("/notices?unit=\(o)", 303, 403, 200, 200),
            ("/escalate", 303, 200, 200, 200),
            ("/escalate?unit=\(o)", 303, 403, 200, 200),
            ("/scoreboard", 303, 403, 200, 200),
            ("/audit", 303, 403, 200, 403),
            ("/notifications", 303, 403, 200, 403),
            ("/evidence/999999", 303, 404, 404, 404),
        ]
        let apis: [(String, Int, Int, Int, Int)] = [
            ("/api/v1/me", 401, 200, 200, 200),
            ("/api/v1/overdue", 401, 200, 200, 200),
            ("/api/v1/overdue?unit=\(o)", 401, 403, 200, 200),
            ("/api/v1/ledgers", 401, 200, 200, 200),
            ("/api/v1/ledgers?unit=\(o)", 401, 403, 200, 200),
            // Ledger 5 is 甘州区's 2024-02, ledger 11 临泽县's (duban demo).
            ("/api/v1/ledgers/5/evidence", 401, 200, 200, 200),
            ("/api/v1/ledgers/11/evidence", 401, 404, 200, 200),
            ("/api/v1/evidence/999999", 401, 404, 404, 404),
        ]
        let roles = ["", "ganzhou-li", "sfj-wang", "leader-zhao"]
        for (index, login) in roles.enumerated() {
            let browser = PortalClient(port: server.port)
            if !login.isEmpty {
                let form = try browser.get("/login")
                let reply = try browser.post("/login", [("csrf", try XCTUnwrap(PortalClient.csrf(in: form.body))),
                                                         ("login", login), ("password", try XCTUnwrap(passwords[login]))])
                XCTAssertEqual(reply.status, 303, login)
            }
            for row in pages {
                let expected = [row.1, row.2, row.3, row.4][index]
                let reply = try browser.get(row.0)
                XCTAssertEqual(reply.status, expected, "\(login.isEmpty ? "visitor" : login) GET \(row.0)")
                if login == "ganzhou-li" { XCTAssertFalse(reply.body.contains("临泽县"), "a liaison sees no other unit: GET \(row.0)") }
                if login.isEmpty { XCTAssertEqual(reply.headers["location"], "/login", "GET \(row.0)") }
            }
            let api = PortalClient(port: server.port)
            api.bearer = tokens[login]
            for row in apis {
                let expected = [row.1, row.2, row.3, row.4][index]
                let reply = try api.get(row.0)
                XCTAssertEqual(reply.status, expected, "\(login.isEmpty ? "no token" : login) GET \(row.0)")
                if login == "ganzhou-li" { XCTAssertFalse(reply.body.contains("临泽县") || reply.body.contains("linze"), "GET \(row.0)") }
            }
            // Cookies are no credential for the API.
            XCTAssertEqual(try browser.get("/api/v1/me").status, 401, "\(login): the API ignores the session cookie")
        }

        // Writes: a ledger for another unit, by a leader, without a token, without CSRF.
        let before = try cli.run([], shell: "sqlite3 \"\(cli.db)\" 'SELECT count(*) FROM ledger_submission'").stdout
        let linze = try Data(contentsOf: URL(fileURLWithPath: CLIRunner.zhangye + "/samples/linze-2024-02.yaml"))
        for (login, expected) in [("ganzhou-li", 403), ("leader-zhao", 403), ("", 401)] {
            let api = PortalClient(port: server.port)
            api.bearer = tokens[login]
            let reply = try api.send("POST", "/api/v1/ledgers?name=linze-2024-02.yaml", body: linze, contentType: "application/yaml")
            XCTAssertEqual(reply.status, expected, "\(login) POST another unit's ledger")
        }
        for (login, expected) in [("ganzhou-li", 404), ("leader-zhao", 403), ("", 401)] {
            let api = PortalClient(port: server.port)
            api.bearer = tokens[login]
            let reply = try api.send("POST", "/api/v1/ledgers/11/entries/1/evidence", body: PortalEvidenceTests.pdf, contentType: "application/pdf")
            XCTAssertEqual(reply.status, expected, "\(login) POST evidence to another unit's ledger")
        }
        XCTAssertEqual(try cli.run([], shell: "sqlite3 \"\(cli.db)\" 'SELECT count(*) FROM evidence_file'").stdout, "0\n", "no evidence attached")
        let liaison = PortalClient(port: server.port)
        let form = try liaison.get("/login")
        _ = try liaison.post("/login", [("csrf", try XCTUnwrap(PortalClient.csrf(in: form.body))), ("login", "ganzhou-li"),
                                        ("password", try XCTUnwrap(passwords["ganzhou-li"]))])
        let ganzhou = try Data(contentsOf: URL(fileURLWithPath: CLIRunner.zhangye + "/samples/ganzhou-2024-02.yaml"))
        XCTAssertEqual(try liaison.postMultipart("/ledger", fields: [], file: ("file", "ganzhou-2024-02.yaml", ganzhou)).status, 403,
                       "no CSRF token")
        XCTAssertEqual(try liaison.postMultipart("/ledger", fields: [("csrf", "forged")], file: ("file", "ganzhou-2024-02.yaml", ganzhou)).status,
                       403, "a wrong CSRF token")
        XCTAssertEqual(try cli.run([], shell: "sqlite3 \"\(cli.db)\" 'SELECT count(*) FROM ledger_submission'").stdout, before,
                       "nothing was written")
    }

    func testTheAPIRecordsALedgerOrAnswersWithEveryErrorAndWritesNothing() throws {
        let cli = try CLIRunner()
        XCTAssertEqual(try cli.run(["plan", "load", CLIRunner.zhangye]).code, 0)
        XCTAssertEqual(try cli.run(["account", "add", "--login", "ganzhou-li", "--unit", "甘州区", "--role", "liaison", "--name", "李某某"]).code, 0)
        let server = try PortalServerRunner(runner: cli)
        defer { server.stop() }
        let api = PortalClient(port: server.port)
        api.bearer = try cli.run(["account", "token", "ganzhou-li"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        var text = try String(contentsOfFile: CLIRunner.zhangye + "/samples/ganzhou-2024-01.yaml", encoding: .utf8)
        let broken = text.replacingOccurrences(of: "percent: 11", with: "percent: 111")
        let rejected = try api.send("POST", "/api/v1/ledgers?name=ganzhou-2024-01.yaml", body: Data(broken.utf8), contentType: "application/yaml")
        XCTAssertEqual(rejected.status, 422)
        let error = try XCTUnwrap((try JSONSerialization.jsonObject(with: Data(rejected.body.utf8)) as? [String: Any])?["error"] as? [String: Any])
        let first = try XCTUnwrap((error["diagnostics"] as? [[String: Any]])?.first)
        XCTAssertEqual(first["file"] as? String, "ganzhou-2024-01.yaml")
        XCTAssertNotNil(first["line"] as? Int)
        XCTAssertEqual(try cli.run([], shell: "sqlite3 \"\(cli.db)\" 'SELECT count(*) FROM ledger_submission'").stdout, "0\n")

        let recorded = try api.send("POST", "/api/v1/ledgers?name=ganzhou-2024-01.yaml", body: Data(text.utf8), contentType: "application/yaml")
        XCTAssertEqual(recorded.status, 201, recorded.body)
        XCTAssertTrue(recorded.body.contains("\"outcome\" : \"new\"") && recorded.body.contains("\"submission\" : 1"), recorded.body)
        text = text.replacingOccurrences(of: "percent: 11", with: "percent: 12")
        let corrected = try api.send("POST", "/api/v1/ledgers?name=ganzhou-2024-01.yaml", body: Data(text.utf8), contentType: "text/yaml")
        XCTAssertTrue(corrected.body.contains("\"outcome\" : \"correction\"") && corrected.body.contains("\"supersedes\" : 1"), corrected.body)
        XCTAssertEqual(try api.send("POST", "/api/v1/ledgers", body: Data(text.utf8), contentType: "application/pdf").status, 415)
        let mine = try api.get("/api/v1/ledgers?as_of=2024-04-10")
        let all = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(try cli.run(["ledgers", "--as-of", "2024-04-10", "--format", "json"]).stdout.utf8)) as? [[String: Any]])
        let got = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(mine.body.utf8)) as? [[String: Any]])
        XCTAssertFalse(got.isEmpty)
        XCTAssertEqual(got as NSArray, all.filter { $0["unit"] as? String == "ganzhou" } as NSArray,
                       "the liaison's rows of `duban ledgers --format json`")
    }
}
