import Foundation
import XCTest

/// Evidence files through the API on the built server: attached to an entry of a ledger already
/// recorded with the same checks as the form's files (type by content, 5 MiB, 20 a ledger, a safe
/// name), with the form's audit line in the same transaction, stored once by SHA-256; refused
/// (413, 415, 422) with the error at its part of the request and nothing written; another unit's
/// ledger not found, a leader refused; downloads always attachments.
final class PortalEvidenceAPITests: CLITestCase {
    var cli: CLIRunner!

    override func setUpWithError() throws {
        cli = try CLIRunner()
        XCTAssertEqual(try cli.run(["plan", "load", CLIRunner.zhangye]).code, 0)
        XCTAssertEqual(try cli.run(["ledger", "submit", CLIRunner.zhangye + "/samples/ganzhou-2024-02.yaml"]).code, 0)
    }

    func client(_ server: PortalServerRunner, _ login: String, _ extra: [String]) throws -> PortalClient {
        XCTAssertEqual(try cli.run(["account", "add", "--login", login, "--name", "某某"] + extra).code, 0)
        let client = PortalClient(port: server.port)
        client.bearer = try cli.run(["account", "token", login]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        return client
    }

    func counts() throws -> String {
        try cli.query("SELECT (SELECT count(*) FROM evidence_file), (SELECT count(*) FROM evidence_blob), (SELECT count(*) FROM audit_event WHERE action = \"evidence.attach\")")
    }

    func object(_ reply: PortalClient.Reply) throws -> [String: Any] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(reply.body.utf8)) as? [String: Any], reply.body)
    }

    /// The refusal's one error: its field and message.
    func refusal(_ reply: PortalClient.Reply) throws -> (field: String, message: String) {
        let error = try XCTUnwrap(try object(reply)["error"] as? [String: Any])
        let first = try XCTUnwrap((error["errors"] as? [[String: Any]])?.first, reply.body)
        XCTAssertTrue((error["message"] as? String ?? "").hasSuffix("nothing recorded"), reply.body)
        return (try XCTUnwrap(first["field"] as? String), try XCTUnwrap(first["message"] as? String))
    }

    func testAFileIsAttachedToAnEntryOfARecordedLedgerOnceAndServedAsADownload() throws {
        let server = try PortalServerRunner(runner: cli)
        defer { server.stop() }
        let liaison = try client(server, "ganzhou-li", ["--unit", "甘州区", "--role", "liaison"])
        let pdf = PortalEvidenceTests.pdf
        let path = "/api/v1/ledgers/1/entries/2/evidence?name=..%2F..%2F%E6%8A%A5%E5%91%8A%3Cscript%3E.exe"
        let attached = try liaison.send("POST", path, body: pdf, contentType: "application/pdf")
        XCTAssertEqual(attached.status, 201, attached.body)
        let json = try object(attached)
        XCTAssertEqual(json["entry"] as? Int, 2)
        XCTAssertEqual(json["ledger"] as? Int, 1)
        XCTAssertEqual(json["name"] as? String, "报告_script_.exe.pdf", "the last component, <> made _, the type's extension")
        XCTAssertEqual(json["sha256"] as? String, pdf.sha256Hex)
        XCTAssertEqual(json["download"] as? String, "/api/v1/evidence/1")
        let second = try cli.query("SELECT task_number || \"|\" || ifnull(milestone_id, \"\") FROM progress_record WHERE submission_id = 1 ORDER BY id LIMIT 1 OFFSET 1")
        XCTAssertEqual("\(json["task"] as? Int ?? 0)|\(json["milestone"] as? String ?? "")\n", second, "the ledger's second entry")
        XCTAssertEqual(try counts(), "1|1|1\n")
        XCTAssertEqual(try cli.query("SELECT a.detail FROM audit_event a JOIN evidence_file f ON f.recorded_at = a.at WHERE a.action = \"evidence.attach\""),
                       "#1 entry 2 evidence 1 报告_script_.exe.pdf \(pdf.sha256Hex.prefix(12)) \(pdf.count) bytes\n",
                       "the form's audit line, stamped as the attachment (one transaction)")

        // The same file again: nothing new. To another entry, as octet-stream: one more attachment, no new blob.
        XCTAssertEqual(try liaison.send("POST", path, body: pdf, contentType: "application/pdf").status, 200)
        XCTAssertEqual(try counts(), "1|1|1\n")
        XCTAssertEqual(try liaison.send("POST", "/api/v1/ledgers/1/entries/1/evidence", body: pdf, contentType: "application/octet-stream").status, 201)
        XCTAssertEqual(try counts(), "2|1|2\n")

        let list = try liaison.get("/api/v1/ledgers/1/evidence")
        XCTAssertEqual(list.status, 200)
        let files = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(list.body.utf8)) as? [[String: Any]])
        XCTAssertEqual(files.compactMap { $0["entry"] as? Int }, [2, 1])
        let download = try liaison.get("/api/v1/evidence/1")
        XCTAssertEqual(download.status, 200)
        XCTAssertEqual(Data(download.body.utf8), pdf)
        XCTAssertEqual(download.headers["content-type"], "application/pdf")
        XCTAssertEqual(download.headers["content-disposition"],
                       "attachment; filename=\"___script_.exe.pdf\"; filename*=UTF-8''%E6%8A%A5%E5%91%8A_script_.exe.pdf")
        XCTAssertEqual(download.headers["x-content-type-options"], "nosniff")

        // Another unit's liaison finds nothing; a leader reads but attaches nothing; no token, nothing.
        let linze = try client(server, "linze-zhang", ["--unit", "临泽县", "--role", "liaison"])
        let leader = try client(server, "leader-zhao", ["--role", "leader"])
        let coordinator = try client(server, "sfj-wang", ["--role", "coordinator"])
        let png = PortalEvidenceTests.png
        for (who, client, post, read) in [("linze", linze, 404, 404), ("leader", leader, 403, 200), ("nobody", PortalClient(port: server.port), 401, 401)] {
            XCTAssertEqual(try client.send("POST", "/api/v1/ledgers/1/entries/1/evidence", body: png, contentType: "image/png").status, post, who)
            XCTAssertEqual(try client.get("/api/v1/ledgers/1/evidence").status, read, who)
            XCTAssertEqual(try client.get("/api/v1/evidence/1").status, read, who)
        }
        XCTAssertEqual(try counts(), "2|1|2\n", "nothing written")
        XCTAssertEqual(try coordinator.send("POST", "/api/v1/ledgers/1/entries/3/evidence", body: png, contentType: "image/png").status, 201,
                       "the coordinator attaches for any unit")
        XCTAssertEqual(try liaison.send("DELETE", "/api/v1/evidence/1", body: nil, contentType: nil).status, 405)
        XCTAssertEqual(try liaison.send("GET", "/api/v1/ledgers/1/entries/1/evidence", body: nil, contentType: nil).status, 405)
    }

    func testARefusedFileWritesNothingAndNamesWhatIsWrong() throws {
        let server = try PortalServerRunner(runner: cli)
        defer { server.stop() }
        let liaison = try client(server, "ganzhou-li", ["--unit", "甘州区", "--role", "liaison"])
        let pdf = PortalEvidenceTests.pdf
        let oversized = pdf + Data(repeating: 0x20, count: 5 * 1024 * 1024 + 1 - pdf.count)
        let entry = "/api/v1/ledgers/1/entries/1/evidence"
        let cases: [(String, String, Data, String, Int, String, String)] = [
            ("oversized", entry, oversized, "application/pdf", 413, "body", "5 MiB"),
            ("a script as a PDF", entry, Data("<html><script>alert(1)</script></html>".utf8), "application/pdf", 415, "body", "not a PDF, PNG, JPEG"),
            ("a PNG sent as a PDF", entry, PortalEvidenceTests.png, "application/pdf", 415, "body", "the content is image/png"),
            ("a plain zip", entry, try PortalEvidenceTests.zip(["a.txt": "hello"]), "application/octet-stream", 415, "body", "not a Word (.docx) or Excel"),
            ("text/plain", entry, pdf, "text/plain", 415, "body", "Content-Type text/plain"),
            ("empty", entry, Data(), "application/pdf", 422, "body", "the file is empty"),
            ("no entry 99", "/api/v1/ledgers/1/entries/99/evidence", pdf, "application/pdf", 422, "entry", "no entry 99"),
            ("entry 0", "/api/v1/ledgers/1/entries/0/evidence", pdf, "application/pdf", 422, "entry", "no entry 0"),
            ("entry x", "/api/v1/ledgers/1/entries/x/evidence", pdf, "application/pdf", 422, "entry", "a number from 1"),
        ]
        for (what, path, body, type, status, field, words) in cases {
            let reply = try liaison.send("POST", path, body: body, contentType: type)
            XCTAssertEqual(reply.status, status, "\(what): \(reply.body)")
            let (f, message) = try refusal(reply)
            XCTAssertEqual(f, field, what)
            XCTAssertTrue(message.contains(words), "\(what): \(message)")
        }
        XCTAssertEqual(try liaison.send("POST", "/api/v1/ledgers/77/entries/1/evidence", body: pdf, contentType: "application/pdf").status, 404)
        XCTAssertEqual(try counts(), "0|0|0\n", "nothing written")

        // At most 20 files a ledger.
        for n in 1...20 {
            let distinct = pdf + Data("% \(n)\n".utf8)
            XCTAssertEqual(try liaison.send("POST", entry, body: distinct, contentType: "application/pdf").status, 201, "file \(n)")
        }
        let over = try liaison.send("POST", entry, body: pdf, contentType: "application/pdf")
        XCTAssertEqual(over.status, 422)
        XCTAssertTrue(try refusal(over).message.contains("at most 20"), over.body)
        XCTAssertEqual(try counts(), "20|20|20\n")

        // A corrected ledger takes no more files: its correction does.
        var text = try String(contentsOfFile: CLIRunner.zhangye + "/samples/ganzhou-2024-02.yaml", encoding: .utf8)
        text = text.replacingOccurrences(of: "percent: 33", with: "percent: 35")
        XCTAssertEqual(try liaison.send("POST", "/api/v1/ledgers?name=ganzhou-2024-02.yaml", body: Data(text.utf8), contentType: "application/yaml").status, 201)
        let old = try liaison.send("POST", "/api/v1/ledgers/1/entries/1/evidence", body: PortalEvidenceTests.png, contentType: "image/png")
        XCTAssertEqual(old.status, 422)
        let (field, message) = try refusal(old)
        XCTAssertEqual(field, "ledger")
        XCTAssertTrue(message.contains("corrected by #2"), message)
        XCTAssertEqual(try liaison.send("POST", "/api/v1/ledgers/2/entries/1/evidence", body: PortalEvidenceTests.png, contentType: "image/png").status, 201)
        XCTAssertEqual(try counts(), "21|21|21\n")
    }
}
