import DubanKit
@testable import DubanServer
import Foundation
import Hummingbird
import HummingbirdTesting
import XCTest

/// Every page and API call through Hummingbird's router, in process (HummingbirdTesting): the
/// status, the content type and a piece of the content each role gets, on the database the
/// built `duban demo` made. The same routes are tried over the network by the other Portal tests.
final class PortalRouteTests: CLITestCase {
    struct Route {
        var method: HTTPRequest.Method
        var path: String
        /// Visitor, liaison of 甘州区, coordinator, leader.
        var status: [Int]
        var contentType: String
        /// Text the page holds when it answers 200 (checked for every role it answers).
        var holds: String
    }

    static let o = "%E4%B8%B4%E6%B3%BD%E5%8E%BF" // 临泽县

    static let pages: [Route] = [
        Route(method: .get, path: "/healthz", status: [200, 200, 200, 200], contentType: "text/plain", holds: "ok"),
        Route(method: .get, path: "/login", status: [200, 200, 200, 200], contentType: "text/html", holds: "name=\"csrf\""),
        Route(method: .get, path: "/", status: [303, 200, 200, 200], contentType: "text/html", holds: "截至 2024-04-10"),
        Route(method: .get, path: "/overdue", status: [303, 200, 200, 200], contentType: "text/html", holds: "逾期事项"),
        Route(method: .get, path: "/overdue?unit=\(o)", status: [303, 403, 200, 200], contentType: "text/html", holds: "逾期事项"),
        Route(method: .get, path: "/notices", status: [303, 200, 200, 200], contentType: "text/html", holds: "提醒"),
        Route(method: .get, path: "/notices?unit=\(o)", status: [303, 403, 200, 200], contentType: "text/html", holds: "提醒"),
        Route(method: .get, path: "/escalate", status: [303, 200, 200, 200], contentType: "text/html", holds: "督办等级"),
        Route(method: .get, path: "/escalate?unit=\(o)", status: [303, 403, 200, 200], contentType: "text/html", holds: "督办等级"),
        Route(method: .get, path: "/scoreboard", status: [303, 403, 200, 200], contentType: "text/html", holds: "按时率"),
        Route(method: .get, path: "/ledger", status: [303, 200, 200, 403], contentType: "text/html", holds: "工作台账"),
        Route(method: .get, path: "/ledger/template?period=2024-03&unit=\(o)", status: [303, 200, 200, 403], contentType: "application/yaml", holds: "version: 1"),
        Route(method: .get, path: "/ledger/template?period=2024-03", status: [303, 200, 400, 403], contentType: "application/yaml", holds: "version: 1"),
        Route(method: .get, path: "/ledgers", status: [303, 200, 200, 200], contentType: "text/html", holds: "已报"),
        Route(method: .get, path: "/digest", status: [303, 403, 200, 200], contentType: "text/html", holds: "<!DOCTYPE html>"),
        Route(method: .get, path: "/extensions", status: [303, 200, 200, 200], contentType: "text/html", holds: "申请记录"),
        Route(method: .get, path: "/extensions?unit=\(o)", status: [303, 403, 200, 200], contentType: "text/html", holds: "申请记录"),
        Route(method: .get, path: "/reviews", status: [303, 200, 200, 200], contentType: "text/html", holds: "台账审核"),
        Route(method: .get, path: "/reviews?unit=\(o)", status: [303, 403, 200, 200], contentType: "text/html", holds: "台账审核"),
        Route(method: .get, path: "/calendar", status: [303, 200, 200, 403], contentType: "text/html", holds: "生成新地址"),
        Route(method: .get, path: "/calendar/cal_nope.ics", status: [404, 404, 404, 404], contentType: "", holds: ""),
        Route(method: .get, path: "/calendar/token", status: [404, 404, 404, 404], contentType: "", holds: ""),
        Route(method: .get, path: "/audit", status: [303, 403, 200, 403], contentType: "text/html", holds: "login"),
        Route(method: .get, path: "/notifications", status: [303, 403, 200, 403], contentType: "text/html", holds: "发送记录"),
        Route(method: .get, path: "/overdue?as_of=2024-02-30", status: [303, 400, 400, 400], contentType: "", holds: ""),
        Route(method: .get, path: "/no-such-page", status: [404, 404, 404, 404], contentType: "", holds: ""),
    ]

    static let apis: [Route] = [
        Route(method: .get, path: "/api/v1/me", status: [401, 200, 200, 200], contentType: "application/json", holds: "\"role\""),
        Route(method: .get, path: "/api/v1/overdue?as_of=2024-04-10", status: [401, 200, 200, 200], contentType: "application/json", holds: "["),
        Route(method: .get, path: "/api/v1/overdue?unit=\(o)", status: [401, 403, 200, 200], contentType: "application/json", holds: "["),
        Route(method: .get, path: "/api/v1/ledgers", status: [401, 200, 200, 200], contentType: "application/json", holds: "\"period\""),
        Route(method: .get, path: "/api/v1/ledgers?unit=\(o)", status: [401, 403, 200, 200], contentType: "application/json", holds: "linze"),
        Route(method: .delete, path: "/api/v1/ledgers", status: [405, 405, 405, 405], contentType: "", holds: ""),
        Route(method: .get, path: "/api/v1/extension-requests", status: [401, 200, 200, 200], contentType: "application/json", holds: "["),
        Route(method: .get, path: "/api/v1/extension-requests?unit=\(o)", status: [401, 403, 200, 200], contentType: "application/json", holds: "["),
        Route(method: .delete, path: "/api/v1/extension-requests", status: [405, 405, 405, 405], contentType: "", holds: ""),
        // Ledger 5 is 甘州区's 2024-02, ledger 11 临泽县's (duban demo).
        Route(method: .get, path: "/api/v1/ledgers/5/evidence", status: [401, 200, 200, 200], contentType: "application/json", holds: "["),
        Route(method: .get, path: "/api/v1/ledgers/11/evidence", status: [401, 404, 200, 200], contentType: "application/json", holds: "["),
        Route(method: .get, path: "/api/v1/ledgers/999999/evidence", status: [401, 404, 404, 404], contentType: "", holds: ""),
        Route(method: .get, path: "/api/v1/evidence/999999", status: [401, 404, 404, 404], contentType: "", holds: ""),
        Route(method: .delete, path: "/api/v1/ledgers/5/evidence", status: [405, 405, 405, 405], contentType: "", holds: ""),
        Route(method: .get, path: "/api/v1/ledgers/5/entries/1/evidence", status: [405, 405, 405, 405], contentType: "", holds: ""),
        Route(method: .delete, path: "/api/v1/evidence/1", status: [405, 405, 405, 405], contentType: "", holds: ""),
    ]

    func testEveryPageAndAPICallForEveryRole() async throws {
        let cli = try CLIRunner()
        XCTAssertEqual(try cli.run(["demo", "--plans", CLIRunner.zhangye]).code, 0)
        var passwordOf: [String: String] = [:], tokenOf: [String: String] = [:]
        for (login, extra) in [("ganzhou-li", ["--unit", "甘州区", "--role", "liaison"]), ("sfj-wang", ["--role", "coordinator"]),
                               ("leader-zhao", ["--role", "leader"])] {
            let added = try cli.run(["account", "add", "--login", login, "--name", "某某"] + extra)
            XCTAssertEqual(added.code, 0, added.stderr)
            passwordOf[login] = String(try XCTUnwrap(added.stdout.split(separator: " ").last).trimmingCharacters(in: .whitespacesAndNewlines))
            tokenOf[login] = try cli.run(["account", "token", login]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let (passwords, tokens) = (passwordOf, tokenOf)
        let database = try DubanDatabase(path: cli.db, access: .write)
        let configuration = PortalConfiguration(host: "127.0.0.1", port: 0, database: database, planID: "zhangye-2023-2025",
                                                secureCookies: false, today: LocalDate(iso: "2024-04-10"), log: { _ in })
        let app = PortalServer.makeApplication(configuration)
        try await app.test(.router) { client in
            for (index, login) in ["", "ganzhou-li", "sfj-wang", "leader-zhao"].enumerated() {
                let who = login.isEmpty ? "visitor" : login
                var cookie = ""
                if !login.isEmpty { cookie = try await Self.signIn(client, login, try XCTUnwrap(passwords[login])) }
                for route in Self.pages {
                    let response = try await client.execute(uri: route.path, method: route.method,
                                                            headers: cookie.isEmpty ? [:] : [.cookie: cookie])
                    try Self.check(response, route, index, who)
                    if login == "ganzhou-li" { XCTAssertFalse(String(buffer: response.body).contains("临泽县"), "\(who) \(route.path)") }
                }
                for route in Self.apis {
                    var headers: HTTPFields = [:]
                    if let token = tokens[login] { headers[.authorization] = "Bearer \(token)" }
                    let response = try await client.execute(uri: route.path, method: route.method, headers: headers)
                    try Self.check(response, route, index, who)
                    if login == "ganzhou-li" { XCTAssertFalse(String(buffer: response.body).contains("linze"), "\(who) \(route.path)") }
                }
                if !cookie.isEmpty {
                    // A session cookie is no credential for the API.
                    let me = try await client.execute(uri: "/api/v1/me", method: .get, headers: [.cookie: cookie])
                    XCTAssertEqual(me.status.code, 401, who)
                }
            }
            try await Self.checkWrites(client, tokens: tokens, passwords: passwords)
        }
    }

    /// The writes: a ledger through the API and the upload form, with and without the right to.
    static func checkWrites(_ client: some TestClientProtocol, tokens: [String: String], passwords: [String: String]) async throws {
        let yaml = try Data(contentsOf: URL(fileURLWithPath: CLIRunner.zhangye + "/samples/ganzhou-2024-03.yaml"))
        let body = ByteBuffer(bytes: yaml)
        for (login, expected) in [("", 401), ("leader-zhao", 403), ("ganzhou-li", 201), ("sfj-wang", 201)] {
            var headers: HTTPFields = [.contentType: "application/yaml"]
            if let token = tokens[login] { headers[.authorization] = "Bearer \(token)" }
            let response = try await client.execute(uri: "/api/v1/ledgers?name=ganzhou-2024-03.yaml", method: .post, headers: headers, body: body)
            XCTAssertEqual(response.status.code, expected, "\(login) POST /api/v1/ledgers: \(String(buffer: response.body))")
        }
        let linze = ByteBuffer(bytes: try Data(contentsOf: URL(fileURLWithPath: CLIRunner.zhangye + "/samples/linze-2024-02.yaml")))
        let api = try await client.execute(uri: "/api/v1/ledgers?name=linze-2024-02.yaml", method: .post,
                                           headers: [.contentType: "application/yaml", .authorization: "Bearer \(tokens["ganzhou-li"] ?? "")"], body: linze)
        XCTAssertEqual(api.status, .forbidden, "a liaison submits no other unit's ledger")

        // Evidence through the API: ledger 5 is 甘州区's, 11 临泽县's.
        let pdf = ByteBuffer(bytes: PortalEvidenceTests.pdf)
        let attaches = [("", "5", 401), ("leader-zhao", "5", 403), ("ganzhou-li", "11", 404), ("ganzhou-li", "5", 201), ("sfj-wang", "5", 200),
                        ("sfj-wang", "11", 201)]
        for (login, ledger, expected) in attaches {
            var headers: HTTPFields = [.contentType: "application/pdf"]
            if let token = tokens[login] { headers[.authorization] = "Bearer \(token)" }
            let response = try await client.execute(uri: "/api/v1/ledgers/\(ledger)/entries/1/evidence?name=a.pdf", method: .post, headers: headers, body: pdf)
            XCTAssertEqual(response.status.code, expected, "\(login) POST evidence to ledger \(ledger): \(String(buffer: response.body))")
        }
        for (login, file, expected) in [("ganzhou-li", "1", 200), ("ganzhou-li", "2", 404), ("leader-zhao", "2", 200), ("", "1", 401)] {
            var headers: HTTPFields = [:]
            if let token = tokens[login] { headers[.authorization] = "Bearer \(token)" }
            let response = try await client.execute(uri: "/api/v1/evidence/\(file)", method: .get, headers: headers)
            XCTAssertEqual(response.status.code, expected, "\(login) GET evidence \(file)")
            if expected == 200 { XCTAssertTrue(response.headers[.contentDisposition]?.hasPrefix("attachment;") ?? false) }
        }

        try await checkExtensionWrites(client, tokens: tokens, passwords: passwords)

        let cookie = try await signIn(client, "ganzhou-li", try XCTUnwrap(passwords["ganzhou-li"]))
        let page = try await client.execute(uri: "/ledger", method: .get, headers: [.cookie: cookie])
        let csrf = try XCTUnwrap(PortalClient.csrf(in: String(buffer: page.body)))
        for (token, expected) in [(nil, 403), ("forged", 403), (csrf, 200)] as [(String?, Int)] {
            let (type, form) = multipart(fields: token.map { [("csrf", $0)] } ?? [], file: ("file", "ganzhou-2024-03.yaml", yaml))
            let response = try await client.execute(uri: "/ledger", method: .post, headers: [.cookie: cookie, .contentType: type], body: form)
            XCTAssertEqual(response.status.code, expected, "POST /ledger csrf=\(token ?? "none")")
            if expected == 200 { XCTAssertTrue(String(buffer: response.body).contains("回执"), String(buffer: response.body)) }
        }
        let logout = try await client.execute(uri: "/logout", method: .post,
                                              headers: [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"],
                                              body: ByteBuffer(string: "csrf=\(csrf)"))
        XCTAssertEqual(logout.status, .seeOther)
        let after = try await client.execute(uri: "/", method: .get, headers: [.cookie: cookie])
        XCTAssertEqual(after.status, .seeOther, "signed out")
    }

    /// Extension requests and decisions by API and form, steps of the ladder, calendar URLs: each role.
    static func checkExtensionWrites(_ client: some TestClientProtocol, tokens: [String: String], passwords: [String: String]) async throws {
        let asks = [("", 401, "14"), ("leader-zhao", 403, "14"), ("ganzhou-li", 201, "14"), ("sfj-wang", 201, "15")]
        for (login, expected, task) in asks {
            var headers: HTTPFields = [.contentType: "application/json"]
            if let token = tokens[login] { headers[.authorization] = "Bearer \(token)" }
            let body = ByteBuffer(string: #"{"unit":"甘州区","task":\#(task),"new_due":"2025-03-31","reason":"协调"}"#)
            let response = try await client.execute(uri: "/api/v1/extension-requests", method: .post, headers: headers, body: body)
            XCTAssertEqual(response.status.code, expected, "\(login) POST /api/v1/extension-requests: \(String(buffer: response.body))")
        }
        for (login, expected) in [("", 401), ("leader-zhao", 403), ("ganzhou-li", 403), ("sfj-wang", 200)] {
            var headers: HTTPFields = [.contentType: "application/json"]
            if let token = tokens[login] { headers[.authorization] = "Bearer \(token)" }
            let response = try await client.execute(uri: "/api/v1/extension-requests/1/decision", method: .post, headers: headers,
                                                    body: ByteBuffer(string: #"{"decision":"approve"}"#))
            XCTAssertEqual(response.status.code, expected, "\(login) POST decision: \(String(buffer: response.body))")
        }
        for (login, expected) in [("leader-zhao", 403), ("ganzhou-li", 403), ("sfj-wang", 200)] {
            let cookie = try await signIn(client, login, try XCTUnwrap(passwords[login]))
            let page = try await client.execute(uri: "/extensions", method: .get, headers: [.cookie: cookie])
            let csrf = try XCTUnwrap(PortalClient.csrf(in: String(buffer: page.body)))
            let posts: [(String, String, Int)] = [
                ("/extensions/2/decision", "csrf=\(csrf)&decision=refuse&reason=no", expected),
                ("/escalate/actions", "csrf=\(csrf)&level=letter&date=2024-04-10&units=%E7%94%98%E5%B7%9E%E5%8C%BA", expected),
                ("/calendar/token", "csrf=\(csrf)&unit=ganzhou", login == "leader-zhao" ? 403 : 200),
                ("/calendar/token", "csrf=\(csrf)&unit=linze", expected),
                ("/extensions", "csrf=forged&task=14&new_due=2025-03-31&reason=x", 403),
            ]
            for (uri, body, status) in posts {
                let response = try await client.execute(uri: uri, method: .post,
                                                        headers: [.cookie: cookie, .contentType: "application/x-www-form-urlencoded"],
                                                        body: ByteBuffer(string: body))
                XCTAssertEqual(response.status.code, status, "\(login) POST \(uri) \(body)")
            }
        }
    }

    static func check(_ response: TestResponse, _ route: Route, _ index: Int, _ who: String) throws {
        let expected = route.status[index]
        XCTAssertEqual(response.status.code, expected, "\(who) \(route.method) \(route.path)")
        if expected == 303 { XCTAssertEqual(response.headers[.location], "/login", "\(who) \(route.path)") }
        guard expected == 200 else { return }
        if !route.contentType.isEmpty {
            XCTAssertTrue(response.headers[.contentType]?.hasPrefix(route.contentType) ?? false,
                          "\(who) \(route.path): \(response.headers[.contentType] ?? "no content type")")
        }
        XCTAssertTrue(String(buffer: response.body).contains(route.holds), "\(who) \(route.path) holds \(route.holds)")
        XCTAssertEqual(response.headers[.xContentTypeOptions], "nosniff", "\(who) \(route.path)")
    }

    /// Signs in through the login form (its CSRF cookie and token) and returns the session cookie.
    static func signIn(_ client: some TestClientProtocol, _ login: String, _ password: String) async throws -> String {
        let form = try await client.execute(uri: "/login", method: .get)
        let token = try XCTUnwrap(PortalClient.csrf(in: String(buffer: form.body)))
        let loginCookie = try XCTUnwrap(cookies(form).first { $0.hasPrefix("duban_login=") })
        let body = "csrf=\(token)&login=\(login)&password=\(password.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
        let reply = try await client.execute(uri: "/login", method: .post,
                                             headers: [.cookie: loginCookie, .contentType: "application/x-www-form-urlencoded"],
                                             body: ByteBuffer(string: body))
        XCTAssertEqual(reply.status, .seeOther, login)
        return try XCTUnwrap(cookies(reply).first { $0.hasPrefix("duban_session=") })
    }

    /// `name=value` of each Set-Cookie.
    static func cookies(_ response: TestResponse) -> [String] {
        response.headers[values: .setCookie].compactMap { $0.split(separator: ";").first.map(String.init) }
    }

    static func multipart(fields: [(String, String)], file: (field: String, filename: String, data: Data)) -> (String, ByteBuffer) {
        let boundary = "----DubanRoute\(UUID().uuidString)"
        var body = Data()
        for (name, value) in fields {
            body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8))
        }
        body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.field)\"; filename=\"\(file.filename)\"\r\nContent-Type: application/octet-stream\r\n\r\n".utf8))
        body.append(file.data)
        body.append(Data("\r\n--\(boundary)--\r\n".utf8))
        return ("multipart/form-data; boundary=\(boundary)", ByteBuffer(bytes: body))
    }
}
