import Foundation
import XCTest

/// A liaison reports its ledger through the portal: the same checks as `duban ledger submit`,
/// a receipt, nothing written on any error, and never for another unit.
final class PortalLedgerTests: CLITestCase {
    var cli: CLIRunner!
    let samples = CLIRunner.zhangye + "/samples/"

    override func setUpWithError() throws {
        cli = try CLIRunner()
        XCTAssertEqual(try cli.run(["plan", "load", CLIRunner.zhangye]).code, 0)
    }

    func signedInLiaison() throws -> (PortalServerRunner, PortalClient, String) {
        let added = try cli.run(["account", "add", "--login", "ganzhou-li", "--unit", "甘州区", "--role", "liaison", "--name", "李某某"])
        XCTAssertEqual(added.code, 0, added.stderr)
        let password = String(try XCTUnwrap(added.stdout.split(separator: " ").last).trimmingCharacters(in: .whitespacesAndNewlines))
        let server = try PortalServerRunner(runner: cli)
        let client = PortalClient(port: server.port)
        let form = try client.get("/login")
        let reply = try client.post("/login", [("csrf", try XCTUnwrap(PortalClient.csrf(in: form.body))),
                                               ("login", "ganzhou-li"), ("password", password)])
        XCTAssertEqual(reply.status, 303)
        let page = try client.get("/ledger")
        XCTAssertEqual(page.status, 200)
        return (server, client, try XCTUnwrap(PortalClient.csrf(in: page.body)))
    }

    func submissions() throws -> String {
        try cli.run([], shell: "sqlite3 \"\(cli.db)\" 'SELECT id, unit_id, period, source_file FROM ledger_submission ORDER BY id'").stdout
    }

    /// An upload is read from memory: the server needs no temporary folder (here, its `TMPDIR`
    /// does not exist), and findings name the file as sent.
    func testAnUploadIsReadWithoutATemporaryFile() throws {
        cli.environment["TMPDIR"] = cli.directory.appendingPathComponent("no-such-folder").path
        let (server, client, csrf) = try signedInLiaison()
        defer { server.stop() }
        let file = try Data(contentsOf: URL(fileURLWithPath: samples + "ganzhou-2024-01.yaml"))
        let receipt = try client.postMultipart("/ledger", fields: [("csrf", csrf)], file: ("file", "ganzhou-2024-01.yaml", file))
        XCTAssertEqual(receipt.status, 200, String(receipt.body.prefix(600)))
        XCTAssertEqual(try submissions(), "1|ganzhou|2024-01|portal:ganzhou-li/ganzhou-2024-01.yaml\n")
        let broken = Data(String(decoding: file, as: UTF8.self).replacingOccurrences(of: "period: \"2024-01\"", with: "period: \"2024-13\"").utf8)
        let refused = try client.postMultipart("/ledger", fields: [("csrf", csrf)], file: ("file", "ganzhou-2024-02.yaml", broken))
        XCTAssertEqual(refused.status, 422, String(refused.body.prefix(600)))
        XCTAssertTrue(refused.body.contains("ganzhou-2024-02.yaml:"), "the finding names the file as sent: \(refused.body)")
        XCTAssertFalse(refused.body.contains("duban-upload"), refused.body)
        client.bearer = try cli.run(["account", "token", "ganzhou-li"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let api = try client.send("POST", "/api/v1/ledgers?name=ganzhou-2024-02.yaml", body: broken, contentType: "application/yaml")
        XCTAssertEqual(api.status, 422, api.body)
        XCTAssertTrue(api.body.contains("\"file\" : \"ganzhou-2024-02.yaml\""), api.body)
        XCTAssertEqual(try submissions(), "1|ganzhou|2024-01|portal:ganzhou-li/ganzhou-2024-01.yaml\n", "nothing written")
    }

    func testAnUploadedLedgerIsRecordedAsTheCommandLineWouldAndGetsAReceipt() throws {
        let (server, client, csrf) = try signedInLiaison()
        defer { server.stop() }
        let file = try Data(contentsOf: URL(fileURLWithPath: samples + "ganzhou-2024-01.yaml"))
        let receipt = try client.postMultipart("/ledger", fields: [("csrf", csrf), ("encoding", "auto")],
                                               file: ("file", "ganzhou-2024-01.yaml", file))
        XCTAssertEqual(receipt.status, 200, String(receipt.body.prefix(600)))
        XCTAssertTrue(receipt.body.contains("回执编号") && receipt.body.contains("#1") && receipt.body.contains("已报送"))
        XCTAssertEqual(try submissions(), "1|ganzhou|2024-01|portal:ganzhou-li/ganzhou-2024-01.yaml\n")
        // The receipt's time is the recorded time, in Beijing time (UTC+8).
        let recorded = try cli.run([], shell: "sqlite3 \"\(cli.db)\" 'SELECT recorded_at FROM ledger_submission WHERE id = 1'").stdout
        let utc = try XCTUnwrap(ISO8601DateFormatter().date(from: recorded.trimmingCharacters(in: .whitespacesAndNewlines)))
        let beijing = DateFormatter()
        beijing.locale = Locale(identifier: "en_US_POSIX")
        beijing.timeZone = TimeZone(secondsFromGMT: 8 * 3600)
        beijing.dateFormat = "yyyy-MM-dd HH:mm:ss"
        XCTAssertTrue(receipt.body.contains("<td data-label=\"时间\">\(beijing.string(from: utc))(北京时间)</td>"), receipt.body)

        // The portal dates a ledger the day it receives it (SubmissionDate), and says so.
        XCTAssertTrue(receipt.body.contains("报送日期记为收到之日 2024-04-10(台账中填写的是 2024-02-02)"), receipt.body)
        XCTAssertEqual(try cli.query("SELECT submitted_on FROM ledger_submission"), "2024-04-10\n")

        // The same records as `duban ledger submit` of the same file, dated that day, into another
        // database (the source named as the portal names it).
        let reference = try CLIRunner()
        XCTAssertEqual(try reference.run(["plan", "load", CLIRunner.zhangye]).code, 0)
        let dated = reference.directory.appendingPathComponent("ganzhou-2024-01.yaml")
        try String(decoding: file, as: UTF8.self).replacingOccurrences(of: "submitted: 2024-02-02", with: "submitted: 2024-04-10")
            .write(to: dated, atomically: true, encoding: .utf8)
        XCTAssertEqual(try reference.run(["ledger", "submit", dated.path]).code, 0)
        for command in [["ledgers", "--as-of", "2024-04-10", "--format", "json"], ["status", "--as-of", "2024-04-10", "--format", "json"]] {
            let expected = try reference.run(command).stdout.replacingOccurrences(of: reference.directory.path + "/", with: "portal:ganzhou-li/")
            XCTAssertEqual(try cli.run(command).stdout, expected, "\(command)")
        }

        let again = try client.postMultipart("/ledger", fields: [("csrf", csrf)], file: ("file", "ganzhou-2024-01.yaml", file))
        XCTAssertTrue(again.body.contains("未重复记录"), "the same file again writes nothing")
        let page = try client.get("/ledger")
        XCTAssertTrue(page.body.contains("portal:ganzhou-li/ganzhou-2024-01.yaml"), "the unit's submissions are listed")
        let template = try client.get("/ledger/template?period=2024-02&format=yaml")
        XCTAssertEqual(template.status, 200)
        XCTAssertEqual(template.body, try cli.run(["ledger", "template", "--unit", "甘州区", "--period", "2024-02", "--as-of", "2024-04-10"]).stdout)
        XCTAssertEqual(try client.get("/ledger/template?period=2024-02&format=yaml&unit=linze").status, 200,
                       "a liaison's own unit is used whatever unit= says")
        XCTAssertFalse(try client.get("/ledger/template?period=2024-02&format=yaml&unit=linze").body.contains("临泽县"))
    }

    func testAnotherUnitsLedgerABrokenFileAndAMissingTokenWriteNothing() throws {
        let (server, client, csrf) = try signedInLiaison()
        defer { server.stop() }
        let linze = try Data(contentsOf: URL(fileURLWithPath: samples + "linze-2024-01.yaml"))
        let refused = try client.postMultipart("/ledger", fields: [("csrf", csrf)], file: ("file", "linze-2024-01.yaml", linze))
        XCTAssertEqual(refused.status, 403)
        XCTAssertTrue(refused.body.contains("此台账属于临泽县"), String(refused.body.prefix(600)))

        var broken = try String(contentsOfFile: samples + "ganzhou-2024-01.yaml", encoding: .utf8)
        broken = broken.replacingOccurrences(of: "status: 推进中", with: "status: 快完成了")
        let rejected = try client.postMultipart("/ledger", fields: [("csrf", csrf)], file: ("file", "../../etc/ganzhou.yaml", Data(broken.utf8)))
        XCTAssertEqual(rejected.status, 422)
        XCTAssertTrue(rejected.body.contains("ganzhou.yaml:") && rejected.body.contains("快完成了"), String(rejected.body.prefix(900)))
        XCTAssertFalse(rejected.body.contains("duban-upload-"), "the server's temporary folder is not shown")

        let noToken = try client.postMultipart("/ledger", fields: [], file: ("file", "ganzhou-2024-01.yaml", linze))
        XCTAssertEqual(noToken.status, 403)
        XCTAssertEqual(try submissions(), "", "nothing was recorded")
        let audit = try cli.run([], shell: "sqlite3 \"\(cli.db)\" 'SELECT action FROM audit_event ORDER BY id'").stdout
        XCTAssertEqual(audit, "account.add\nlogin\nledger.refused\nledger.rejected\n")
    }
}
