import Foundation
import XCTest

/// The portal against real clients: schemathesis (from PyPI) holds the API to docs/openapi.yaml,
/// and Chromium (Debian's, driven by selenium) signs in, fills in the ledger form and uploads a ledger
/// on a 390-px phone and a 1280-px desktop.
/// Each is skipped, saying so, where its client is not installed (.ci/run installs them best effort).
final class PortalRealClientTests: CLITestCase {
    func which(_ tool: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(tool)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    func testTheAPIHoldsToItsOpenAPIDescriptionUnderSchemathesis() throws {
        guard let schemathesis = which("schemathesis") else { throw XCTSkip("schemathesis is not installed (pip install schemathesis)") }
        let cli = try CLIRunner()
        XCTAssertEqual(try cli.run(["demo", "--plans", CLIRunner.zhangye]).code, 0)
        XCTAssertEqual(try cli.run(["account", "add", "--login", "ganzhou-li", "--unit", "甘州区", "--role", "liaison", "--name", "李某某"]).code, 0)
        let token = try cli.run(["account", "token", "ganzhou-li"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let server = try PortalServerRunner(runner: cli)
        defer { server.stop() }
        let spec = CLIRunner.root.appendingPathComponent("docs/openapi.yaml").path
        let r = try cli.run([], shell: """
            "\(schemathesis)" --config-file "\(CLIRunner.root.appendingPathComponent("docs/schemathesis.toml").path)" run "\(spec)" --url http://127.0.0.1:\(server.port) -H "Authorization: Bearer \(token)" \
              --checks all --max-examples 40 --seed 1 --workers 1 --request-timeout 30 --no-color 2>&1
            """)
        XCTAssertEqual(r.code, 0, String(r.stdout.suffix(4000)))
    }

    func testALiaisonSignsInAndReportsInHeadlessChromiumOnAPhoneAndADesktop() throws {
        guard which("python3") != nil, FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium"),
              FileManager.default.isExecutableFile(atPath: "/usr/bin/chromedriver") else {
            throw XCTSkip("chromium and chromium-driver are not installed")
        }
        let cli = try CLIRunner()
        XCTAssertEqual(try cli.run(["plan", "load", CLIRunner.zhangye]).code, 0)
        let added = try cli.run(["account", "add", "--login", "ganzhou-li", "--unit", "甘州区", "--role", "liaison", "--name", "李某某"])
        let password = String(try XCTUnwrap(added.stdout.split(separator: " ").last).trimmingCharacters(in: .whitespacesAndNewlines))
        let office = try cli.run(["account", "add", "--login", "sfj-wang", "--role", "coordinator", "--name", "王某某"])
        let officePassword = String(try XCTUnwrap(office.stdout.split(separator: " ").last).trimmingCharacters(in: .whitespacesAndNewlines))
        let server = try PortalServerRunner(runner: cli)
        defer { server.stop() }
        let script = CLIRunner.root.appendingPathComponent("Scripts/portal-browser-check").path
        let ledger = CLIRunner.zhangye + "/samples/ganzhou-2024-01.yaml"
        let evidence = cli.directory.appendingPathComponent("整改报告.pdf")
        try Data("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n".utf8).write(to: evidence)
        let r = try cli.run([], shell: "python3 \"\(script)\" http://127.0.0.1:\(server.port) ganzhou-li \(password) \"\(ledger)\" \"\(cli.directory.path)\" \"\(evidence.path)\" sfj-wang \(officePassword) 2>&1")
        if r.code == 2 { throw XCTSkip("the browser could not start: \(r.stdout)") }
        XCTAssertEqual(r.code, 0, r.stdout)
        for shot in ["portal-menu-390.png", "portal-home-1280.png", "portal-form-390.png", "portal-receipt-390.png", "portal-form-1280.png", "portal-receipt-1280.png",
                     "portal-extension-390.png", "portal-extension-approved-390.png"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: cli.directory.appendingPathComponent(shot).path), shot)
        }
        // The form (March), the file (January), then the form again at 1280 px: prefilled as the
        // template is (from February and before, with January's liaison now), so a correction of March.
        let recorded = try cli.run([], shell: "sqlite3 \"\(cli.db)\" 'SELECT period, source_file, supersedes_id FROM ledger_submission ORDER BY id'").stdout
        XCTAssertEqual(recorded, "2024-03|portal:ganzhou-li/form|\n2024-01|portal:ganzhou-li/ganzhou-2024-01.yaml|\n2024-03|portal:ganzhou-li/form|1\n")
        let attached = try cli.run([], shell: "sqlite3 \"\(cli.db)\" 'SELECT submission_id, name FROM evidence_file'").stdout
        XCTAssertEqual(attached, "1|整改报告.pdf\n", "the evidence file attached in Chromium")
        // The liaison's extension request, approved by the coordinator in Chromium: the extension recorded.
        let extended = try cli.run([], shell: "sqlite3 \"\(cli.db)\" 'SELECT r.requested_by, d.decided_by, e.unit_id, e.new_due FROM extension_request r JOIN extension_decision d ON d.request_id = r.id JOIN due_extension e ON e.id = d.extension_id'").stdout
        XCTAssertEqual(extended, "ganzhou-li|sfj-wang|ganzhou|2026-06-30\n")
    }
    /// The coordinator returns a ledger in Chromium; the liaison, on a phone, sees the reason and
    /// resubmits; the coordinator accepts (Scripts/portal-browser-review).
    func testACoordinatorReturnsALedgerAndTheLiaisonResubmitsInHeadlessChromium() throws {
        guard which("python3") != nil, FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium"),
              FileManager.default.isExecutableFile(atPath: "/usr/bin/chromedriver") else {
            throw XCTSkip("chromium and chromium-driver are not installed")
        }
        let cli = try CLIRunner()
        let plan = try cli.copyOfZhangye(editing: "plan.yaml") {
            $0.replacingOccurrences(of: "  liaison_phone: required", with: "  review: required\n  liaison_phone: required")
        }
        XCTAssertEqual(try cli.run(["plan", "load", plan]).code, 0)
        let samples = CLIRunner.zhangye + "/samples"
        XCTAssertEqual(try cli.run(["ledger", "submit", "\(samples)/ganzhou-2024-02.yaml", "\(samples)/ganzhou-2024-03.yaml"]).code, 0)
        func password(_ arguments: [String]) throws -> String {
            let added = try cli.run(["account", "add"] + arguments)
            return String(try XCTUnwrap(added.stdout.split(separator: " ").last).trimmingCharacters(in: .whitespacesAndNewlines))
        }
        let office = try password(["--login", "sfj-wang", "--role", "coordinator", "--name", "王某某"])
        let liaison = try password(["--login", "ganzhou-li", "--unit", "甘州区", "--role", "liaison", "--name", "李某某"])
        let resubmission = cli.directory.appendingPathComponent("ganzhou-2024-03.yaml")
        try String(contentsOfFile: "\(samples)/ganzhou-2024-03.yaml", encoding: .utf8)
            .replacingOccurrences(of: "submitted: 2024-04-02", with: "submitted: 2024-04-10").write(to: resubmission, atomically: true, encoding: .utf8)
        let server = try PortalServerRunner(runner: cli)
        defer { server.stop() }
        let script = CLIRunner.root.appendingPathComponent("Scripts/portal-browser-review").path
        let r = try cli.run([], shell: "python3 \"\(script)\" http://127.0.0.1:\(server.port) sfj-wang \(office) ganzhou-li \(liaison) 2 \"\(resubmission.path)\" \"\(cli.directory.path)\" 2>&1")
        if r.code == 2 { throw XCTSkip("the browser could not start: \(r.stdout)") }
        XCTAssertEqual(r.code, 0, r.stdout)
        let reviews = try cli.run([], shell: "sqlite3 \"\(cli.db)\" 'SELECT submission_id, decision, decided_on FROM ledger_review ORDER BY id'").stdout
        XCTAssertEqual(reviews, "2|return|2024-04-10\n3|accept|2024-04-10\n", "returned in Chromium, resubmitted as #3, accepted")
    }
}
