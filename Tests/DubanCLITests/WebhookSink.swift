import Foundation
import XCTest

/// A webhook receiver of the test's own on 127.0.0.1 (Python's standard library only): records
/// every POST (path, query, headers, body) as a JSON line, answers as DingTalk and WeCom
/// robots do (`{"errcode":0,"errmsg":"ok"}`), checks DingTalk's 加签 on `/ding…` paths against
/// `$SINK_DING_SECRET` with DingTalk's own Python recipe, and on a path holding `flaky` fails
/// the first two calls (HTTP 500), and on a path holding `slow` answers after 0.3 s. It
/// stops by itself after `lifetime` seconds.
final class WebhookSink {
    static let script = #"""
    import base64, hashlib, hmac, json, os, sys, time, urllib.parse
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    record, portfile, lifetime = sys.argv[1], sys.argv[2], float(sys.argv[3])
    secret = os.environ.get("SINK_DING_SECRET", "")
    counts = {}
    class H(BaseHTTPRequestHandler):
        def log_message(self, *a): pass
        def do_POST(self):
            n = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(n).decode("utf-8")
            u = urllib.parse.urlsplit(self.path)
            q = urllib.parse.parse_qs(u.query)
            counts[u.path] = counts.get(u.path, 0) + 1
            entry = {"path": u.path, "query": u.query, "headers": dict(self.headers), "body": body, "n": counts[u.path]}
            if u.path.startswith("/ding") and "sign" in q:
                ts = q["timestamp"][0]
                mac = hmac.new(secret.encode(), ("%s\n%s" % (ts, secret)).encode(), digestmod=hashlib.sha256).digest()
                entry["sign_ok"] = base64.b64encode(mac).decode() == q["sign"][0] and abs(time.time() * 1000 - int(ts)) < 3600000
            if "slow" in u.path: time.sleep(0.3)
            status, answer = 200, {"errcode": 0, "errmsg": "ok"}
            if "flaky" in u.path and counts[u.path] <= 2: status, answer = 500, {"error": "try later"}
            if "down" in u.path: status, answer = 500, {"error": "down"}
            if "refuse" in u.path: answer = {"errcode": 310000, "errmsg": "sign not match"}
            entry["status"] = status
            with open(record, "a") as f: f.write(json.dumps(entry) + "\n")
            data = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
    s = ThreadingHTTPServer(("127.0.0.1", 0), H)
    with open(portfile + ".tmp", "w") as f: f.write(str(s.server_address[1]))
    os.rename(portfile + ".tmp", portfile)
    s.timeout = 0.2
    end = time.time() + lifetime
    while time.time() < end: s.handle_request()
    """#

    struct Call {
        var path: String
        var query: String
        var headers: [String: String]
        var body: String
        var status: Int
        var signOK: Bool?
        var json: [String: Any] { ((try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any]) ?? [:] }
    }

    let process = Process()
    let record: URL
    let port: Int

    init(in directory: URL, dingSecret: String = "", lifetime: Int = 120) throws {
        let script = directory.appendingPathComponent("sink.py")
        try Self.script.write(to: script, atomically: true, encoding: .utf8)
        record = directory.appendingPathComponent("sink-calls.jsonl")
        let portFile = directory.appendingPathComponent("sink-port")
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, record.path, portFile.path, String(lifetime)]
        process.environment = ProcessInfo.processInfo.environment.merging(["SINK_DING_SECRET": dingSecret]) { _, new in new }
        try process.run()
        var found: Int?
        for _ in 0..<100 {
            if let text = try? String(contentsOf: portFile, encoding: .utf8), let p = Int(text) { found = p; break }
            usleep(50_000)
        }
        guard let found else { process.terminate(); throw XCTSkip("python3 could not start the webhook sink") }
        port = found
    }

    deinit { if process.isRunning { process.terminate() } }

    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    var calls: [Call] {
        guard let text = try? String(contentsOf: record, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line in
            guard let o = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] else { return nil }
            return Call(path: o["path"] as? String ?? "", query: o["query"] as? String ?? "",
                        headers: o["headers"] as? [String: String] ?? [:], body: o["body"] as? String ?? "",
                        status: o["status"] as? Int ?? 0, signOK: o["sign_ok"] as? Bool)
        }
    }
}
