import Foundation
import XCTest

/// `duban serve` as its users meet it: the built binary on loopback, a client that keeps cookies
/// like a browser, and the CLI's own output as the reference for what the API returns.
final class PortalTests: CLITestCase {
    var cli: CLIRunner!

    override func setUpWithError() throws {
        cli = try CLIRunner()
        XCTAssertEqual(try cli.run(["demo", "--plans", CLIRunner.zhangye]).code, 0)
    }

    /// Adds an account and returns its one-time password.
    func addAccount(_ arguments: [String]) throws -> String {
        let r = try cli.run(["account", "add"] + arguments)
        XCTAssertEqual(r.code, 0, r.stderr)
        let line = try XCTUnwrap(r.stdout.split(separator: "\n").first { $0.hasPrefix("one-time password") })
        return String(try XCTUnwrap(line.split(separator: " ").last))
    }

    func signIn(_ client: PortalClient, _ login: String, _ password: String) throws -> PortalClient.Reply {
        let form = try client.get("/login")
        let token = try XCTUnwrap(PortalClient.csrf(in: form.body))
        return try client.post("/login", [("csrf", token), ("login", login), ("password", password)])
    }

    func testALiaisonSignsInSeesItsOwnUnitOnlyAndEveryFormNeedsItsToken() throws {
        let password = try addAccount(["--login", "ganzhou-li", "--unit", "甘州区", "--role", "liaison", "--name", "李某某"])
        let server = try PortalServerRunner(runner: cli)
        defer { server.stop() }
        let client = PortalClient(port: server.port)

        XCTAssertEqual(try client.get("/").status, 303, "no session: sent to the login form")
        let form = try client.get("/login")
        XCTAssertEqual(form.status, 200)
        let loginCookie = try XCTUnwrap(form.setCookies.first { $0.hasPrefix("duban_login=") })
        XCTAssertTrue(loginCookie.contains("HttpOnly") && loginCookie.contains("SameSite=Strict"), loginCookie)
        XCTAssertEqual(form.headers["x-frame-options"], "DENY")

        let noToken = try client.post("/login", [("login", "ganzhou-li"), ("password", password)])
        XCTAssertEqual(noToken.status, 403, "a login form without its CSRF token is refused")
        let wrong = try signIn(client, "ganzhou-li", "not-the-password")
        XCTAssertEqual(wrong.status, 401)
        XCTAssertTrue(wrong.body.contains("账号或密码不正确"))

        let ok = try signIn(client, "ganzhou-li", password)
        XCTAssertEqual(ok.status, 303)
        let session = try XCTUnwrap(ok.setCookies.first { $0.hasPrefix("duban_session=") })
        XCTAssertTrue(session.contains("HttpOnly") && session.contains("SameSite=Strict"), session)
        XCTAssertFalse(session.contains("Secure"), "not Secure without --secure-cookies")

        let home = try client.get("/")
        XCTAssertEqual(home.status, 200)
        let cliOverdue = try cli.run(["overdue", "--unit", "甘州区", "--as-of", "2024-04-10", "--format", "json"])
        let items = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(cliOverdue.stdout.utf8)) as? [[String: Any]])
        XCTAssertTrue(home.body.contains("甘州区:逾期事项 \(items.count) 项"), String(home.body.prefix(400)))
        XCTAssertFalse(home.body.contains("临泽县"), "another unit's data never reaches a liaison")

        XCTAssertEqual(try client.get("/overdue?unit=%E4%B8%B4%E6%B3%BD%E5%8E%BF").status, 403, "临泽县 is not this liaison's")
        XCTAssertEqual(try client.get("/audit").status, 403, "only the coordinator reads the audit log")
        XCTAssertEqual(try client.get("/overdue?as_of=2024-02-30").status, 400)

        XCTAssertEqual(try client.post("/logout", []).status, 403, "logout without the session's CSRF token is refused")
        let csrf = try XCTUnwrap(PortalClient.csrf(in: home.body))
        XCTAssertEqual(try client.post("/logout", [("csrf", csrf)]).status, 303)
        XCTAssertEqual(try client.get("/").status, 303, "signed out")

        XCTAssertEqual(server.stop(), 0, "SIGTERM ends the server cleanly")
        XCTAssertTrue(server.stderr.contains("127.0.0.1 POST /login 303"), server.stderr)
    }

    func testTheDemoPrintsItsAccountsOnceAndTheyCanSignIn() throws {
        let fresh = try CLIRunner()
        let first = try fresh.run(["demo", "--plans", CLIRunner.zhangye])
        XCTAssertEqual(first.code, 0, first.stderr)
        let line = try XCTUnwrap(first.stdout.split(separator: "\n").first { $0.hasPrefix("demo-liaison (联络员,甘州区): ") })
        let password = String(try XCTUnwrap(line.split(separator: " ").last))
        let again = try fresh.run(["demo", "--plans", CLIRunner.zhangye])
        XCTAssertTrue(again.stdout.contains("demo accounts exist") && !again.stdout.contains(password), "shown once")
        let server = try PortalServerRunner(runner: fresh)
        defer { server.stop() }
        let client = PortalClient(port: server.port)
        XCTAssertEqual(try signIn(client, "demo-liaison", password).status, 303)
        XCTAssertTrue(try client.get("/").body.contains("甘州区"))
    }

    func testTheAPIGivesTheCLIsJSONToATokenAndNothingBeyondItsUnit() throws {
        _ = try addAccount(["--login", "ganzhou-li", "--unit", "甘州区", "--role", "liaison", "--name", "李某某"])
        _ = try addAccount(["--login", "sfj-wang", "--role", "coordinator", "--name", "王某某"])
        let liaisonToken = try cli.run(["account", "token", "ganzhou-li"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let coordinatorToken = try cli.run(["account", "token", "sfj-wang"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let server = try PortalServerRunner(runner: cli)
        defer { server.stop() }
        let client = PortalClient(port: server.port)

        let anonymous = try client.get("/api/v1/overdue")
        XCTAssertEqual(anonymous.status, 401)
        XCTAssertTrue(anonymous.headers["www-authenticate"]?.hasPrefix("Bearer") == true)

        client.bearer = liaisonToken
        let mine = try client.get("/api/v1/overdue?as_of=2024-04-10")
        XCTAssertEqual(mine.status, 200)
        XCTAssertEqual(mine.body, try cli.run(["overdue", "--unit", "甘州区", "--as-of", "2024-04-10", "--format", "json"]).stdout)
        XCTAssertEqual(try client.get("/api/v1/overdue?unit=%E4%B8%B4%E6%B3%BD%E5%8E%BF").status, 403)

        client.bearer = coordinatorToken
        let all = try client.get("/api/v1/overdue?as_of=2024-04-10")
        XCTAssertEqual(all.body, try cli.run(["overdue", "--as-of", "2024-04-10", "--format", "json"]).stdout)

        // A new token retires the old; a disabled account has none.
        let newToken = try cli.run(["account", "token", "sfj-wang"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertEqual(try client.get("/api/v1/me").status, 401)
        client.bearer = newToken
        XCTAssertEqual(try client.get("/api/v1/me").status, 200)
        XCTAssertEqual(try cli.run(["account", "disable", "sfj-wang"]).code, 0)
        XCTAssertEqual(try client.get("/api/v1/me").status, 401)
    }

    func testRepeatedFailuresLockTheLoginAndTheAuditLogShowsWhoDidWhat() throws {
        let password = try addAccount(["--login", "sfj-wang", "--role", "coordinator", "--name", "<script>王</script>"])
        let server = try PortalServerRunner(runner: cli)
        defer { server.stop() }
        let client = PortalClient(port: server.port)
        for _ in 0..<5 { XCTAssertEqual(try signIn(client, "sfj-wang", "wrong-password").status, 401) }
        let locked = try signIn(client, "sfj-wang", password)
        XCTAssertEqual(locked.status, 429, "the right password is refused while the login is locked")
        XCTAssertTrue(locked.body.contains("登录失败次数过多"))

        let other = PortalClient(port: server.port)
        _ = try cli.run(["account", "add", "--login", "leader-zhao", "--role", "leader", "--name", "赵某某"])
        let leaderPassword = try cli.run(["account", "reset-password", "leader-zhao"]).stdout.split(separator: " ").last
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) } ?? ""
        XCTAssertEqual(try signIn(other, "leader-zhao", leaderPassword).status, 303)
        XCTAssertEqual(try other.get("/audit").status, 403, "a leader reads, but not the audit log")
        XCTAssertEqual(try other.get("/overdue").status, 200)
    }

    func testSessionsSurviveARestartAndNamesAreEscaped() throws {
        let password = try addAccount(["--login", "sfj-wang", "--role", "coordinator", "--name", "<script>王</script>"])
        var server = try PortalServerRunner(runner: cli)
        let client = PortalClient(port: server.port)
        XCTAssertEqual(try signIn(client, "sfj-wang", password).status, 303)
        XCTAssertEqual(server.stop(), 0)

        server = try PortalServerRunner(runner: cli)
        defer { server.stop() }
        let again = PortalClient(port: server.port)
        again.cookies = client.cookies
        let home = try again.get("/")
        XCTAssertEqual(home.status, 200, "the session is in the database, not the server's memory")
        XCTAssertTrue(home.body.contains("&lt;script&gt;王&lt;/script&gt;"))
        XCTAssertFalse(home.body.contains("<script>"))
        let audit = try again.get("/audit")
        XCTAssertEqual(audit.status, 200)
        XCTAssertTrue(audit.body.contains("account.add") && audit.body.contains("127.0.0.1"), audit.body)
        let dump = try cli.dump()
        XCTAssertFalse(dump.contains(try XCTUnwrap(client.cookies["duban_session"])), "the cookie's value is not stored")
    }
}

/// `duban serve --trusted-proxy`: behind nginx, the audit log and the login throttle name the
/// client the proxy forwarded, never an address a client made up.
extension PortalTests {
    func testBehindATrustedProxyTheAuditNamesTheForwardedClient() throws {
        _ = try addAccount(["--login", "ganzhou-li", "--unit", "甘州区", "--role", "liaison", "--name", "李某某"])
        let addresses = { try self.cli.run([], shell: "sqlite3 \"\(self.cli.db)\" \"SELECT address FROM audit_event WHERE action = 'login.failed' ORDER BY id\"").stdout }
        func failLogin(_ port: Int, forwardedFor: String) throws {
            let client = PortalClient(port: port)
            client.headers["X-Forwarded-For"] = forwardedFor
            XCTAssertEqual(try signIn(client, "ganzhou-li", "wrong password").status, 401)
        }
        do {
            let proxied = try PortalServerRunner(runner: cli, extra: ["--trusted-proxy", "127.0.0.1", "--trusted-proxy", "10.0.0.2"])
            defer { proxied.stop() }
            try failLogin(proxied.port, forwardedFor: "198.51.100.9, 203.0.113.7")   // the client said 198…, the proxy saw 203…
            try failLogin(proxied.port, forwardedFor: "203.0.113.8, 10.0.0.2")       // through two trusted proxies
            try failLogin(proxied.port, forwardedFor: "<script>, 203.0.113.9, x")     // a hop that is no address: the peer
        }
        let plain = try PortalServerRunner(runner: cli)
        defer { plain.stop() }
        try failLogin(plain.port, forwardedFor: "203.0.113.7")                       // no trusted proxy: the header is ignored
        XCTAssertEqual(try addresses(), "203.0.113.7\n203.0.113.8\n127.0.0.1\n127.0.0.1\n")

        let bad = try cli.run(["serve", "--trusted-proxy", "nginx.local", "--port", "0"])
        XCTAssertEqual(bad.code, 64)
        XCTAssertTrue(bad.stderr.contains("--trusted-proxy: expected an IP address"), bad.stderr)
    }
}

/// The portal decodes the plan once per version (PlanCache): a new version loaded while it
/// runs is what the next request sees.
extension PortalTests {
    func testANewPlanVersionLoadedWhileServingIsWhatTheNextPageShows() throws {
        let password = try addAccount(["--login", "sfj-wang", "--role", "coordinator", "--name", "王某某"])
        let server = try PortalServerRunner(runner: cli)
        defer { server.stop() }
        let browser = PortalClient(port: server.port)
        XCTAssertEqual(try signIn(browser, "sfj-wang", password).status, 303)
        XCTAssertTrue(try browser.get("/").body.contains("张掖市提升行政执法质量三年行动工作方案"))
        let edited = try cli.copyOfZhangye(editing: "plan.yaml") {
            $0.replacingOccurrences(of: "title: 张掖市提升行政执法质量三年行动工作方案", with: "title: 张掖市提升行政执法质量三年行动方案(修订)")
        }
        let load = try cli.run(["plan", "load", edited])
        XCTAssertEqual(load.code, 0, load.stderr)
        let page = try browser.get("/").body
        XCTAssertTrue(page.contains("张掖市提升行政执法质量三年行动方案(修订)"), page)
    }
}
