import Foundation
import XCTest

/// The portal's 提醒, 督办等级 and 各单位情况 pages (SupervisionRoutes) hold the CLI's facts:
/// `notify --format text`, `escalate --format json`, `digest --format json`'s unit table.
extension PortalTests {
    func testRemindersEscalationAndScoreboardAreTheCLIsFacts() throws {
        let password = try addAccount(["--login", "sfj-wang", "--role", "coordinator", "--name", "王某某"])
        let liaison = try addAccount(["--login", "minle-li", "--unit", "民乐县", "--role", "liaison", "--name", "李某某"])
        let server = try PortalServerRunner(runner: cli, asOf: "2024-04-10")
        defer { server.stop() }
        let browser = PortalClient(port: server.port)
        XCTAssertEqual(try signIn(browser, "sfj-wang", password).status, 303)

        // Every unit's reminder, word for word, in the order `notify` writes them.
        let notices = try browser.get("/notices?as_of=2024-04-10")
        XCTAssertEqual(notices.status, 200)
        let texts = Self.textareas(in: notices.body)
        let notify = try cli.run(["notify", "--as-of", "2024-04-10", "--format", "text"])
        XCTAssertEqual(notify.code, 0, notify.stderr)
        XCTAssertFalse(texts.isEmpty)
        XCTAssertEqual(texts.joined(separator: "\n"), notify.stdout)

        // The ladder: the same units in the same order with the same steps.
        let page = try browser.get("/escalate?as_of=2024-04-10")
        XCTAssertEqual(page.status, 200)
        let escalate = try cli.run(["escalate", "--as-of", "2024-04-10", "--format", "json"])
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(escalate.stdout.utf8)) as? [String: Any])
        let units = try XCTUnwrap(json["units"] as? [[String: Any]])
        XCTAssertFalse(units.isEmpty)
        let cells = Self.cells(in: page.body, label: "单位")
        XCTAssertEqual(Array(cells.prefix(units.count)), units.compactMap { $0["unit_name"] as? String })
        XCTAssertEqual(Self.cells(in: page.body, label: "等级"), units.compactMap { $0["level_label"] as? String })

        // The scoreboard: the digest's unit rows.
        let board = try browser.get("/scoreboard?as_of=2024-04-10")
        XCTAssertEqual(board.status, 200)
        let digest = try cli.run(["digest", "--as-of", "2024-04-10", "--format", "json"])
        let d = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(digest.stdout.utf8)) as? [String: Any])
        let rows = try XCTUnwrap(d["units"] as? [[String: Any]])
        XCTAssertEqual(Self.cells(in: board.body, label: "单位"), rows.compactMap { ($0["unit"] as? [String: Any])?["name"] as? String })
        XCTAssertEqual(Self.cells(in: board.body, label: "未报"), rows.compactMap { ($0["ledgers_missing"] as? Int).map(String.init) })

        // A liaison reads its own unit's reminder and step, and not the scoreboard.
        let mine = PortalClient(port: server.port)
        XCTAssertEqual(try signIn(mine, "minle-li", liaison).status, 303)
        let own = try mine.get("/notices?as_of=2024-04-10")
        XCTAssertEqual(Self.textareas(in: own.body).count, 1)
        XCTAssertTrue(own.body.contains("<h2>民乐县</h2>"), own.body)
        XCTAssertEqual(Set(Self.cells(in: try mine.get("/escalate?as_of=2024-04-10").body, label: "单位")).subtracting(["民乐县"]), [])
        XCTAssertEqual(try mine.get("/scoreboard").status, 403)
    }

    /// The texts of the page's `<textarea>`s, unescaped.
    static func textareas(in html: String) -> [String] {
        matches(#"<textarea[^>]*>([^<]*)</textarea>"#, in: html).map(unescape)
    }

    /// The texts of the cells labelled `label` (the phone layout's data-label), unescaped.
    static func cells(in html: String, label: String) -> [String] {
        matches(#"<td data-label="\#(label)"[^>]*>([^<]*)</td>"#, in: html).map(unescape)
    }

    static func matches(_ pattern: String, in text: String) -> [String] {
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return [] }
        let ns = text as NSString
        return regex.matches(in: text, range: NSRange(location: 0, length: ns.length)).map { ns.substring(with: $0.range(at: 1)) }
    }

    static func unescape(_ s: String) -> String {
        s.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}
