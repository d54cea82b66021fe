import Foundation
import XCTest

/// The ledger as an online form: prefilled as `duban ledger template` is, checked and recorded
/// as `duban ledger submit` records the same ledger, every error next to its field and nothing
/// written, never for another unit, never without the CSRF token.
final class PortalLedgerFormTests: CLITestCase {
    var cli: CLIRunner!
    let samples = CLIRunner.zhangye + "/samples/"

    override func setUpWithError() throws {
        cli = try CLIRunner()
        XCTAssertEqual(try cli.run(["plan", "load", CLIRunner.zhangye]).code, 0)
        // January and February on record: March's form starts from February's.
        XCTAssertEqual(try cli.run(["ledger", "submit", samples + "ganzhou-2024-01.yaml", samples + "ganzhou-2024-02.yaml"]).code, 0)
    }


    /// Every count the portal could change.
    func counts() throws -> String {
        try cli.query("SELECT (SELECT count(*) FROM ledger_submission), (SELECT count(*) FROM progress_record)")
    }

    func testTheFormIsPrefilledAsTheTemplateAndRecordsWhatLedgerSubmitRecords() throws {
        let (server, client) = try cli.signedInClient("ganzhou-li", ["--unit", "甘州区", "--role", "liaison"])
        defer { server.stop() }
        let page = try client.get("/ledger")
        XCTAssertEqual(page.status, 200)
        XCTAssertFalse(page.body.contains("临泽县"), "no other unit on the page")
        let form = HTMLForm(page.body, action: "/ledger")
        XCTAssertEqual(form["unit"], "ganzhou")
        XCTAssertEqual(form["period"], "2024-03")
        XCTAssertEqual(form["submitted"], "2024-04-10")

        // Exactly the entries and values of the YAML template: the form, written as YAML, is it.
        let template = try cli.run(["ledger", "template", "--unit", "甘州区", "--period", "2024-03", "--as-of", "2024-04-10"]).stdout
        let owed = template.components(separatedBy: "\n  - task: ").count - 1
        XCTAssertGreaterThan(owed, 3)
        XCTAssertEqual(form.entryCount, owed, "one block per entry of the template")
        let tasks = (1...owed).map { form["e\($0).task"] ?? "" }
        let templateTasks = template.split(separator: "\n").filter { $0.hasPrefix("  - task: ") }.map { String($0.dropFirst(10)) }
        XCTAssertEqual(tasks, templateTasks)
        for key in ["status", "percent", "progress"] {
            let fromTemplate = template.split(separator: "\n").filter { $0.hasPrefix("    \(key): ") }
                .map { String($0.dropFirst(6 + key.count)).components(separatedBy: "   #")[0].trimmingCharacters(in: CharacterSet(charactersIn: "\" ")) }
            XCTAssertEqual((1...owed).map { form["e\($0).\(key)"] ?? "" }, fromTemplate, key)
        }

        let receipt = try client.postMultipart("/ledger", fields: form.fields, files: [])
        XCTAssertEqual(receipt.status, 200, String(receipt.body.prefix(2000)))
        XCTAssertTrue(receipt.body.contains("回执编号") && receipt.body.contains("#3") && receipt.body.contains("已报送"))
        XCTAssertEqual(try cli.query("SELECT id, period, source_file, source_format, received_as FROM ledger_submission WHERE id = 3"),
                       "3|2024-03|portal:ganzhou-li/form|csv|form\n")
        XCTAssertTrue(try cli.query("SELECT action, detail FROM audit_event ORDER BY id DESC LIMIT 1").hasPrefix("ledger.submit|ganzhou 2024-03 #3"))

        // `ledger submit` of the template into another database records the same.
        let reference = try CLIRunner()
        let templateFile = reference.directory.appendingPathComponent("ganzhou-2024-03.yaml").path
        try template.write(toFile: templateFile, atomically: true, encoding: .utf8)
        XCTAssertEqual(try reference.run(["plan", "load", CLIRunner.zhangye]).code, 0)
        let submitted = try reference.run(["ledger", "submit", samples + "ganzhou-2024-01.yaml", samples + "ganzhou-2024-02.yaml", templateFile])
        XCTAssertEqual(submitted.code, 0, submitted.stderr)
        // The source of each record differs only in its place: the template's line, the form's entry.
        func sourcesNamed(_ text: String, _ source: String) -> String {
            text.replacingOccurrences(of: NSRegularExpression.escapedPattern(for: source) + #"(:\d+)?""#, with: "SOURCE\"",
                                      options: .regularExpression)
        }
        for command in [["ledgers", "--as-of", "2024-04-10", "--format", "json"], ["status", "--as-of", "2024-04-10", "--format", "json"]] {
            let expected = sourcesNamed(try reference.run(command).stdout, templateFile)
            var got = sourcesNamed(try cli.run(command).stdout, "portal:ganzhou-li/form")
            if command[0] == "status" { XCTAssertTrue(got.contains("SOURCE"), "status names the form") }
            if command[0] == "ledgers" {
                // Each ledger says how it came in: the form here, the YAML template there.
                XCTAssertEqual(got.components(separatedBy: "\"received_as\" : \"form\"").count, 2, got)
                got = got.replacingOccurrences(of: "\"received_as\" : \"form\"", with: "\"received_as\" : \"yaml\"")
            }
            XCTAssertEqual(got, expected, "\(command)")
        }
        // And the same content: the YAML submitted after the form is the same ledger.
        let again = try cli.run(["ledger", "submit", templateFile])
        XCTAssertEqual(again.code, 0, again.stderr)
        XCTAssertTrue((again.stdout + again.stderr).contains("unchanged") || (again.stdout + again.stderr).contains("identical"),
                      again.stdout + again.stderr)
        XCTAssertEqual(try cli.query("SELECT count(*) FROM ledger_submission"), "3\n")
    }

    func testEveryErrorIsShownNextToItsFieldWithTheValuesTypedAndNothingIsWritten() throws {
        let (server, client) = try cli.signedInClient("ganzhou-li", ["--unit", "甘州区", "--role", "liaison"])
        defer { server.stop() }
        let form = HTMLForm(try client.get("/ledger").body, action: "/ledger")
        var fields = form.fields
        func set(_ name: String, _ value: String) {
            fields.removeAll { $0.0 == name }
            fields.append((name, value))
        }
        set("e1.status", "快完成了")
        set("e2.percent", "150")
        set("e3.status", "已完成")
        set("e3.percent", "100")
        set("e3.completed", "2024-05-01")
        set("e4.progress", "   ")
        set("e4.figures", "培训学时六十")
        set("e2.problems", "<script>alert(1)</script>")
        set("phone", "打电话")
        set("e1.evidence", String(repeating: "证", count: 1001))
        let before = try counts()
        let reply = try client.postMultipart("/ledger", fields: fields, files: [])
        XCTAssertEqual(reply.status, 422, String(reply.body.prefix(1500)))
        XCTAssertEqual(try counts(), before, "nothing written")
        XCTAssertTrue(try cli.query("SELECT action FROM audit_event ORDER BY id DESC LIMIT 1").hasPrefix("ledger.rejected"))
        let body = reply.body
        // Each error inside the block of its field, after the field.
        for (name, words) in [("e1.status", "快完成了"), ("e2.percent", "from 0 to 100"), ("e3.completed", "after the ledger was submitted"),
                              ("e4.progress", "empty"), ("e4.figures", "培训学时六十"), ("phone", "not a telephone number"),
                              ("e1.evidence", "1,001 characters")] {
            let error = try XCTUnwrap(HTMLForm.errorText(body, field: name), "an error next to \(name)")
            XCTAssertTrue(error.contains(words), "\(name): \(error)")
        }
        for label in ["entry 1 · 状态", "entry 2 · 完成比例", "entry 3 · 完成日期", "entry 4 · 进展情况", "entry 4 · 数据指标", "联系电话"] {
            XCTAssertTrue(body.contains(label), "the summary names \(label)")
        }
        // The values typed are kept, escaped.
        let shown = HTMLForm(body, action: "/ledger")
        XCTAssertEqual(shown["e1.status"], "快完成了")
        XCTAssertEqual(shown["e2.percent"], "150")
        XCTAssertEqual(shown["e4.figures"], "培训学时六十")
        XCTAssertEqual(shown["e2.problems"], "<script>alert(1)</script>")
        XCTAssertFalse(body.contains("<script>"), "script typed in a field is escaped")
    }

    func testAnotherUnitAMissingTokenAndALeaderWriteNothing() throws {
        let (server, liaison) = try cli.signedInClient("ganzhou-li", ["--unit", "甘州区", "--role", "liaison"])
        defer { server.stop() }
        let form = HTMLForm(try liaison.get("/ledger").body, action: "/ledger")
        let before = try counts()
        var other = form.fields.filter { $0.0 != "unit" }
        other.append(("unit", "linze"))
        XCTAssertEqual(try liaison.postMultipart("/ledger", fields: other, files: []).status, 403, "another unit")
        XCTAssertEqual(try liaison.postMultipart("/ledger", fields: form.fields.filter { $0.0 != "csrf" }, files: []).status, 403, "no CSRF token")
        var forged = form.fields.filter { $0.0 != "csrf" }
        forged.append(("csrf", "forged"))
        XCTAssertEqual(try liaison.postMultipart("/ledger", fields: forged, files: []).status, 403, "a wrong CSRF token")
        XCTAssertTrue(try cli.query("SELECT action, detail FROM audit_event ORDER BY id DESC LIMIT 1").hasPrefix("ledger.refused|form: for linze"))

        let (_, leader) = try cli.signedInClient("leader-zhao", ["--role", "leader"], server: server)
        let leaderPage = try leader.get("/ledger")
        XCTAssertEqual(leaderPage.status, 403)
        var asLeader = form.fields.filter { $0.0 != "csrf" }
        asLeader.append(("csrf", try XCTUnwrap(PortalClient.csrf(in: try leader.get("/").body))))
        XCTAssertEqual(try leader.postMultipart("/ledger", fields: asLeader, files: []).status, 403, "a leader writes nothing")
        XCTAssertEqual(try counts(), before, "nothing written")

        // The coordinator may report for any unit (Permissions.maySubmitLedger): its form names the unit.
        let (_, coordinator) = try cli.signedInClient("sfj-wang", ["--role", "coordinator"], server: server)
        let linzePage = try coordinator.get("/ledger?unit=linze")
        let linze = HTMLForm(linzePage.body, action: "/ledger?unit=linze")
        XCTAssertEqual(linze["unit"], "linze")
        XCTAssertGreaterThan(linze.entryCount, 0)
        let receipt = try coordinator.postMultipart("/ledger?unit=linze", fields: linze.fields.map { name, value in
            guard value.isEmpty else { return (name, value) }
            return (name, name.hasSuffix(".progress") ? "已部署" : name == "liaison" ? "王某" : name == "phone" ? "0936-1234567" : value)
        }, files: [])
        XCTAssertEqual(receipt.status, 200, String(receipt.body.prefix(1500)))
        XCTAssertEqual(try cli.query("SELECT unit_id, source_file FROM ledger_submission ORDER BY id DESC LIMIT 1"), "linze|portal:sfj-wang/form\n")
    }
}

/// The fields of one form on a page, as a browser would send them (inputs, selected options,
/// textareas), in order; `&amp;`-style entities decoded.
struct HTMLForm {
    var fields: [(String, String)] = []

    init(_ page: String, action: String) {
        let escapedAction = action.replacingOccurrences(of: "&", with: "&amp;")
        guard let start = page.range(of: "action=\"\(escapedAction)\" enctype=\"multipart/form-data\""),
              let end = page.range(of: "</form>", range: start.upperBound..<page.endIndex) else { return }
        let html = String(page[start.upperBound..<end.lowerBound])
        let pattern = #"<input type="(hidden|text|tel|date|number)"[^>]*?name="([^"]*)"[^>]*?value="([^"]*)"|<textarea[^>]*?name="([^"]*)"[^>]*>([^<]*)</textarea>|<select[^>]*?name="([^"]*)"[^>]*>(.*?)</select>"#
        let regex = try? NSRegularExpression(pattern: pattern, options: [.dotMatchesLineSeparators])
        let ns = html as NSString
        for m in regex?.matches(in: html, range: NSRange(location: 0, length: ns.length)) ?? [] {
            func group(_ i: Int) -> String? { m.range(at: i).location == NSNotFound ? nil : ns.substring(with: m.range(at: i)) }
            if let name = group(2), let value = group(3) {
                fields.append((Self.unescape(name), Self.unescape(value)))
            } else if let name = group(4), let value = group(5) {
                fields.append((Self.unescape(name), Self.unescape(value)))
            } else if let name = group(6), let options = group(7) {
                let selected = options.range(of: #"<option selected>([^<]*)</option>"#, options: .regularExpression)
                    .map { String(options[$0].dropFirst(17).dropLast(9)) } ?? ""
                fields.append((Self.unescape(name), Self.unescape(selected)))
            }
        }
    }

    subscript(_ name: String) -> String? { fields.first { $0.0 == name }?.1 }

    var entryCount: Int { fields.filter { $0.0.hasPrefix("e") && $0.0.hasSuffix(".task") }.count }

    static func unescape(_ s: String) -> String {
        s.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }

    /// The error text shown right after the field named `field`.
    static func errorText(_ page: String, field: String) -> String? {
        guard let start = page.range(of: "<div id=\"err-\(field)\">"),
              let end = page.range(of: "</div>", range: start.upperBound..<page.endIndex) else { return nil }
        return unescape(String(page[start.upperBound..<end.lowerBound]))
    }
}

extension PortalClient {
    /// A `multipart/form-data` POST of fields and any number of files, as a browser sends a form.
    func postMultipart(_ path: String, fields: [(String, String)], files: [(field: String, filename: String, data: Data)]) throws -> Reply {
        let boundary = "----DubanTest\(UUID().uuidString)"
        var body = Data()
        for (name, value) in fields {
            body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8))
        }
        for file in files {
            body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.field)\"; filename=\"\(file.filename)\"\r\nContent-Type: application/octet-stream\r\n\r\n".utf8))
            body.append(file.data)
            body.append(Data("\r\n".utf8))
        }
        body.append(Data("--\(boundary)--\r\n".utf8))
        return try send("POST", path, body: body, contentType: "multipart/form-data; boundary=\(boundary)")
    }
}
