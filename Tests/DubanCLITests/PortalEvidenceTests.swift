import Foundation
import XCTest
import ZIPFoundation

/// Evidence files (佐证材料) attached to the ledger form: type checked by content, size-limited,
/// stored once by SHA-256 with the ledger (or nothing at all), names neutralised, and served only
/// as downloads to accounts that may read the unit.
final class PortalEvidenceTests: CLITestCase {
    var cli: CLIRunner!

    override func setUpWithError() throws {
        cli = try CLIRunner()
        XCTAssertEqual(try cli.run(["plan", "load", CLIRunner.zhangye]).code, 0)
        XCTAssertEqual(try cli.run(["ledger", "submit", CLIRunner.zhangye + "/samples/ganzhou-2024-02.yaml"]).code, 0)
    }


    func counts() throws -> String {
        try cli.query("SELECT (SELECT count(*) FROM ledger_submission), (SELECT count(*) FROM evidence_file), (SELECT count(*) FROM evidence_blob)")
    }

    static let pdf = Data("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n".utf8)
    static let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13] + Array("IHDR".utf8) + [UInt8](repeating: 1, count: 17))

    /// A zip holding `parts`, made in memory.
    static func zip(_ parts: [String: String]) throws -> Data {
        let archive = try Archive(data: Data(), accessMode: .create)
        for (name, text) in parts.sorted(by: { $0.key < $1.key }) {
            let data = Data(text.utf8)
            try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return try XCTUnwrap(archive.data)
    }

    static func docx() throws -> Data {
        try zip(["[Content_Types].xml": """
            <?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
            <Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>
            """, "word/document.xml": "<w:document/>"])
    }

    /// The ledger page's form, every empty text it needs filled in.
    func filledForm(_ client: PortalClient) throws -> [(String, String)] {
        HTMLForm(try client.get("/ledger").body, action: "/ledger").fields.map { name, value in
            (name, name.hasSuffix(".progress") && value.isEmpty ? "已部署" : value)
        }
    }

    func testEvidenceIsStoredOnceWithTheLedgerAndServedOnlyAsADownloadToWhoMayReadTheUnit() throws {
        let (server, liaison) = try cli.signedInClient("ganzhou-li", ["--unit", "甘州区", "--role", "liaison"])
        defer { server.stop() }
        let fields = try filledForm(liaison)
        let docx = try Self.docx()
        let receipt = try liaison.postMultipart("/ledger", fields: fields, files: [
            ("e1.files", "../../etc/<script>alert(1)</script>\u{202E}fdp.exe.pdf", Self.pdf),
            ("e1.files", "照片.png", Self.png),
            ("e2.files", "同一份.pdf", Self.pdf),
            ("e3.files", "方案.docx", docx),
            ("e4.files", "", Data()),
        ])
        XCTAssertEqual(receipt.status, 200, String(receipt.body.prefix(2000)))
        XCTAssertFalse(receipt.body.contains("<script>"), "a name is escaped")
        XCTAssertEqual(try counts(), "2|4|3\n", "the same PDF stored once for two entries")
        let names = try cli.query("SELECT f.name, b.media_type, r.task_number FROM evidence_file f JOIN evidence_blob b USING (sha256) JOIN progress_record r ON r.id = f.record_id ORDER BY f.id")
        let rows = names.split(separator: "\n").map(String.init)
        XCTAssertEqual(rows.count, 4)
        XCTAssertTrue(rows[0].hasPrefix("script_fdp.exe.pdf|application/pdf|"), rows[0])
        XCTAssertTrue(rows[1].hasPrefix("照片.png|image/png|"), rows[1])
        XCTAssertTrue(rows[2].hasPrefix("同一份.pdf|application/pdf|"), rows[2])
        XCTAssertTrue(rows[3].hasPrefix("方案.docx|application/vnd.openxmlformats-officedocument.wordprocessingml.document|"), rows[3])
        XCTAssertEqual(try cli.query("SELECT sha256 FROM evidence_blob WHERE media_type = \"application/pdf\""),
                       Self.pdf.sha256Hex + "\n", "stored under its SHA-256")
        XCTAssertEqual(try cli.query("SELECT count(*) FROM audit_event WHERE action = \"evidence.attach\""), "4\n")
        // Written in the ledger's own transaction: stamped with its recorded_at, as is the ledger's audit line.
        XCTAssertEqual(try cli.query("SELECT count(*) FROM audit_event a WHERE a.action IN (\"evidence.attach\", \"ledger.submit\") AND NOT EXISTS (SELECT 1 FROM ledger_submission s WHERE s.recorded_at = a.at)"), "0\n")

        let id = try XCTUnwrap(try cli.query("SELECT min(id) FROM evidence_file").split(separator: "\n").first.map(String.init))
        let download = try liaison.get("/evidence/\(id)")
        XCTAssertEqual(download.status, 200)
        XCTAssertEqual(Data(download.body.utf8), Self.pdf)
        XCTAssertEqual(download.headers["content-type"], "application/pdf")
        XCTAssertEqual(download.headers["content-disposition"], "attachment; filename=\"script_fdp.exe.pdf\"; filename*=UTF-8''script_fdp.exe.pdf")
        XCTAssertEqual(download.headers["x-content-type-options"], "nosniff")
        let chinese = try liaison.get("/evidence/\(Int(id)! + 1)")
        XCTAssertEqual(chinese.headers["content-disposition"], "attachment; filename=\"__.png\"; filename*=UTF-8''%E7%85%A7%E7%89%87.png")
        XCTAssertTrue(try liaison.get("/ledger").body.contains("/evidence/\(id)"), "the ledger page links the unit's files")

        // Another unit's liaison, a visitor, a file that does not exist: nothing.
        let (_, linze) = try cli.signedInClient("linze-zhang", ["--unit", "临泽县", "--role", "liaison"], server: server)
        XCTAssertEqual(try linze.get("/evidence/\(id)").status, 404, "another unit's evidence is not found")
        XCTAssertEqual(try PortalClient(port: server.port).get("/evidence/\(id)").status, 303)
        XCTAssertEqual(try liaison.get("/evidence/999999").status, 404)
        XCTAssertEqual(try liaison.get("/evidence/abc").status, 404)
        let (_, leader) = try cli.signedInClient("leader-zhao", ["--role", "leader"], server: server)
        XCTAssertEqual(try leader.get("/evidence/\(id)").status, 200, "a leader reads every unit")
    }

    /// A PDF of its own content (`n` makes it a different file).
    static func pdf(_ n: Int) -> Data { Data("%PDF-1.4\n% \(n)\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n".utf8) }

    func testAFormResubmittedUnchangedAttachesOnlyWhatTheAPIsRuleAllows() throws {
        let (server, liaison) = try cli.signedInClient("ganzhou-li", ["--unit", "甘州区", "--role", "liaison"])
        defer { server.stop() }
        let fields = try filledForm(liaison)
        func send(_ range: Range<Int>) throws -> PortalClient.Reply {
            try liaison.postMultipart("/ledger", fields: fields, files: range.map { ("e1.files", "第\($0)份.pdf", Self.pdf($0)) })
        }
        XCTAssertEqual(try send(0..<12).status, 200)
        XCTAssertEqual(try counts(), "2|12|12\n")
        // The same ledger again (nothing new recorded) with 9 more files: 21 on the current ledger.
        let before = try counts()
        let refused = try send(12..<21)
        XCTAssertEqual(refused.status, 422, String(refused.body.prefix(1500)))
        XCTAssertEqual(try counts(), before, "nothing written")
        let error = try XCTUnwrap(HTMLForm.errorText(refused.body, field: "e1.files"), "the error next to entry 1's files")
        XCTAssertTrue(error.contains("ledger #2 has 12 evidence files; a ledger takes at most 20"), error)
        // The files already on it are not counted twice: the 12 again and 8 more make 20.
        XCTAssertEqual(try send(0..<20).status, 200)
        XCTAssertEqual(try counts(), "2|20|20\n")
        XCTAssertEqual(try cli.query("SELECT count(*) FROM audit_event WHERE action = \"evidence.attach\""), "20\n")
        // The API says the same of a 21st, by the same rule.
        let api = PortalClient(port: server.port)
        api.bearer = try cli.run(["account", "token", "ganzhou-li"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let more = try api.send("POST", "/api/v1/ledgers/2/entries/1/evidence?name=a.pdf", body: Self.pdf(21), contentType: "application/pdf")
        XCTAssertEqual(more.status, 422, more.body)
        XCTAssertTrue(more.body.contains("ledger #2 has 20 evidence files; a ledger takes at most 20"), more.body)
        XCTAssertEqual(try counts(), "2|20|20\n")
    }

    func testAWrongTypeAnOversizedFileAndAPlainZipWriteNothing() throws {
        let (server, liaison) = try cli.signedInClient("ganzhou-li", ["--unit", "甘州区", "--role", "liaison"])
        defer { server.stop() }
        let fields = try filledForm(liaison)
        let before = try counts()
        let oversized = Self.pdf + Data(repeating: 0x20, count: 5 * 1024 * 1024 + 1 - Self.pdf.count)
        let reply = try liaison.postMultipart("/ledger", fields: fields, files: [
            ("e1.files", "报告.pdf", Data("<html><script>alert(1)</script></html>".utf8)),
            ("e2.files", "大文件.pdf", oversized),
            ("e3.files", "压缩包.docx", try Self.zip(["a.txt": "hello"])),
            ("e4.files", "好的.pdf", Self.pdf),
        ])
        XCTAssertEqual(reply.status, 422, String(reply.body.prefix(1500)))
        XCTAssertEqual(try counts(), before, "nothing written, not even the good file")
        for (name, words) in [("e1.files", "not a PDF, PNG, JPEG"), ("e2.files", "5,242,881 bytes"), ("e3.files", "not a Word (.docx) or Excel")] {
            let error = try XCTUnwrap(HTMLForm.errorText(reply.body, field: name), "an error next to \(name)")
            XCTAssertTrue(error.contains(words), "\(name): \(error)")
        }
        XCTAssertTrue(reply.body.contains("entry 1 · 佐证材料文件"))
        XCTAssertTrue(reply.body.contains("重新选择"), "the files are to be chosen again")
    }
}

extension Data {
    var sha256Hex: String {
        let r = try? CLIRunner().run([], shell: "printf '%s' '\(base64EncodedString())' | base64 -d | sha256sum | cut -c1-64")
        return r?.stdout.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
    }
}
