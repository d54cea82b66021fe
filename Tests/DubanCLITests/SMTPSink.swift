import Foundation
import XCTest

/// An SMTP server of the test's own on 127.0.0.1: Python's aiosmtpd (PyPI) requiring STARTTLS
/// with a self-signed certificate for `localhost` made by `openssl`, and AUTH (PLAIN or LOGIN)
/// for one user, only over TLS. Each message is recorded as a JSON line with what Python's
/// `email` package reads from it (envelope, subject, text) and whether the session was under
/// TLS and authenticated. It stops by itself after `lifetime` seconds. Skips the test, naming
/// what is missing, where python3's aiosmtpd or openssl is not installed.
final class SMTPSink {
    static let script = #"""
    import email, email.policy, json, socket, ssl, sys, time
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult
    record, portfile, cert, key, lifetime, user, password = sys.argv[1:8]
    class Handler:
        async def handle_DATA(self, server, session, envelope):
            msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
            entry = {"from": envelope.mail_from, "to": envelope.rcpt_tos, "subject": str(msg["subject"]),
                     "text": msg.get_content(), "content_type": msg.get_content_type(),
                     "tls": session.ssl is not None, "auth": bool(session.authenticated), "raw": envelope.content.decode("ascii", "replace")}
            with open(record, "a") as f: f.write(json.dumps(entry) + "\n")
            return "250 OK"
    def authenticator(server, session, envelope, mechanism, data):
        return AuthResult(success=data.login.decode() == user and data.password.decode() == password, handled=False)
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(cert, key)
    s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close()
    c = Controller(Handler(), hostname="127.0.0.1", port=port, server_hostname="localhost", tls_context=ctx,
                   require_starttls=True, authenticator=authenticator, auth_require_tls=True)
    c.start()
    with open(portfile + ".tmp", "w") as f: f.write(str(port))
    import os; os.rename(portfile + ".tmp", portfile)
    time.sleep(float(lifetime))
    c.stop()
    """#

    struct Mail {
        var from: String
        var to: [String]
        var subject: String
        var text: String
        var contentType: String
        var tls: Bool
        var auth: Bool
        var raw: String
    }

    let process = Process()
    let record: URL
    let port: Int
    let certificate: String

    init(in directory: URL, user: String, password: String, lifetime: Int = 120) throws {
        func run(_ args: [String]) -> Int32 {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = args
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            guard (try? p.run()) != nil else { return -1 }
            p.waitUntilExit()
            return p.terminationStatus
        }
        guard run(["python3", "-c", "import aiosmtpd"]) == 0 else {
            throw XCTSkip("SKIPPED: Python's aiosmtpd (PyPI) is not installed: the e-mail channel is not tested against an SMTP server")
        }
        certificate = directory.appendingPathComponent("smtp-cert.pem").path
        let key = directory.appendingPathComponent("smtp-key.pem").path
        guard run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", certificate, "-days", "2",
                   "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost"]) == 0 else {
            throw XCTSkip("SKIPPED: openssl could not make a test certificate: STARTTLS is not tested")
        }
        let script = directory.appendingPathComponent("smtp-sink.py")
        try Self.script.write(to: script, atomically: true, encoding: .utf8)
        record = directory.appendingPathComponent("smtp-mails.jsonl")
        let portFile = directory.appendingPathComponent("smtp-port")
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, record.path, portFile.path, certificate, key, String(lifetime), user, password]
        process.standardError = FileHandle.nullDevice
        try process.run()
        var found: Int?
        for _ in 0..<200 {
            if let text = try? String(contentsOf: portFile, encoding: .utf8), let p = Int(text) { found = p; break }
            usleep(50_000)
        }
        guard let found else { process.terminate(); throw XCTSkip("SKIPPED: the aiosmtpd sink did not start") }
        port = found
    }

    deinit { if process.isRunning { process.terminate() } }

    var mails: [Mail] {
        guard let text = try? String(contentsOf: record, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line in
            guard let o = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] else { return nil }
            return Mail(from: o["from"] as? String ?? "", to: o["to"] as? [String] ?? [], subject: o["subject"] as? String ?? "",
                        text: o["text"] as? String ?? "", contentType: o["content_type"] as? String ?? "",
                        tls: o["tls"] as? Bool ?? false, auth: o["auth"] as? Bool ?? false, raw: o["raw"] as? String ?? "")
        }
    }
}
