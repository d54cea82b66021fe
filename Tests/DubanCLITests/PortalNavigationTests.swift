import DubanKit
@testable import DubanServer
import Foundation
import Hummingbird
import HummingbirdTesting
import SnapshotTesting
import XCTest

/// The header's navigation for each role, through Hummingbird's router: the desktop row and the
/// phone's `<details>` menu (grouped) hold the same links, exactly the pages the role may open
/// (every one answers 200, every page left out does not), and neither is printed. The header's
/// HTML per role is a snapshot. How it looks at 390 and 1280 px: Scripts/portal-browser-check.
final class PortalNavigationTests: CLITestCase {
    /// Every page a header may link to.
    static let pages = ["/", "/overdue", "/notices", "/escalate", "/ledger", "/ledgers", "/extensions", "/reviews", "/calendar",
                        "/digest", "/scoreboard", "/notifications", "/audit"]

    /// The `href`s of the links in `html`, in order.
    static func hrefs(_ html: Substring) -> [String] {
        html.components(separatedBy: "<a href=\"").dropFirst().compactMap { $0.split(separator: "\"", maxSplits: 1).first.map(String.init) }
    }

    /// The text between `start` and the next `end` after it.
    static func slice(_ text: String, from start: String, to end: String) -> Substring? {
        guard let a = text.range(of: start), let b = text.range(of: end, range: a.upperBound..<text.endIndex) else { return nil }
        return text[a.lowerBound..<b.upperBound]
    }

    func testTheDesktopRowAndThePhoneMenuLinkExactlyThePagesTheRoleMayOpen() async throws {
        let cli = try CLIRunner()
        XCTAssertEqual(try cli.run(["plan", "load", CLIRunner.zhangye]).code, 0)
        var passwords: [String: String] = [:]
        for (login, extra) in [("ganzhou-li", ["--unit", "甘州区", "--role", "liaison"]), ("sfj-wang", ["--role", "coordinator"]),
                               ("leader-zhao", ["--role", "leader"])] {
            let added = try cli.run(["account", "add", "--login", login, "--name", "某某"] + extra)
            XCTAssertEqual(added.code, 0, added.stderr)
            passwords[login] = String(try XCTUnwrap(added.stdout.split(separator: " ").last).trimmingCharacters(in: .whitespacesAndNewlines))
        }
        let known = passwords
        let database = try DubanDatabase(path: cli.db, access: .write)
        let configuration = PortalConfiguration(host: "127.0.0.1", port: 0, database: database, planID: "zhangye-2023-2025",
                                                secureCookies: false, today: LocalDate(iso: "2024-04-10"), log: { _ in })
        let app = PortalServer.makeApplication(configuration)
        try await app.test(.router) { client in
            let login = String(buffer: try await client.execute(uri: "/login", method: .get).body)
            XCTAssertFalse(login.contains("<nav") || login.contains("<details"), "a visitor gets no navigation")
            XCTAssertTrue(login.contains("@media print{header nav,header details.menu,header form{display:none}"), "neither is printed")
            for role in ["ganzhou-li", "sfj-wang", "leader-zhao"] {
                let cookie = try await PortalRouteTests.signIn(client, role, try XCTUnwrap(known[role]))
                let home = String(buffer: try await client.execute(uri: "/", method: .get, headers: [.cookie: cookie]).body)
                let header = try XCTUnwrap(Self.slice(home, from: "<header>", to: "</header>"), role)
                let wide = Self.hrefs(try XCTUnwrap(Self.slice(String(header), from: "<nav class=\"wide\">", to: "</nav>"), role))
                let menu = try XCTUnwrap(Self.slice(String(header), from: "<details class=\"menu\">", to: "</details>"), role)
                XCTAssertTrue(menu.hasPrefix("<details class=\"menu\"><summary>"), "closed until tapped: \(menu)")
                XCTAssertEqual(Self.hrefs(menu).sorted(), wide.sorted(), "\(role): the menu holds the row's links")
                var opens: [String] = []
                for page in Self.pages {
                    let status = try await client.execute(uri: page, method: .get, headers: [.cookie: cookie]).status.code
                    XCTAssertTrue(status == 200 || status == 403, "\(role) \(page): \(status)")
                    if status == 200 { opens.append(page) }
                }
                XCTAssertEqual(wide, opens, "\(role): a link to every page it may open, and to no other")
                let csrf = try XCTUnwrap(PortalClient.csrf(in: home))
                assertSnapshot(of: String(header).replacingOccurrences(of: csrf, with: "CSRF").replacingOccurrences(of: "><", with: ">\n<"),
                               as: .lines, named: role)
            }
        }
    }
}
