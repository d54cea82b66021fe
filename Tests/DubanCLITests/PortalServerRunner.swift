import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import XCTest

/// A `duban serve` of the built binary on 127.0.0.1 and a free port, for one test. It stops by
/// itself (`--stop-after`) even if the test dies; `stop()` sends SIGTERM and returns the exit code.
final class PortalServerRunner: @unchecked Sendable {
    let process = Process()
    let port: Int
    private let log = LogBuffer()

    init(runner: CLIRunner, asOf: String = "2024-04-10", extra: [String] = [], file: StaticString = #filePath, line: UInt = #line) throws {
        let binary = try XCTUnwrap(CLIRunner.binary, "the duban binary is built next to the tests", file: file, line: line)
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["serve", "--port", "0", "--as-of", asOf, "--stop-after", "300"] + extra
        process.currentDirectoryURL = runner.directory
        var env = ProcessInfo.processInfo.environment
        env["DUBAN_DB"] = runner.db
        env.merge(runner.environment) { _, new in new }
        process.environment = env
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        let log = self.log
        err.fileHandleForReading.readabilityHandler = { handle in log.append(handle.availableData) }
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        var found: Int?
        while found == nil, Date() < deadline, process.isRunning {
            if let range = log.text.range(of: #"listening on http://127\.0\.0\.1:(\d+)"#, options: .regularExpression) {
                found = Int(log.text[range].split(separator: ":").last ?? "")
            } else {
                Thread.sleep(forTimeInterval: 0.05)
            }
        }
        guard let found else {
            process.terminate()
            throw XCTSkip("duban serve did not start: \(log.text)")
        }
        port = found
    }

    var stderr: String { log.text }

    /// SIGTERM, then the exit code (the server finishes what is in flight and exits 0).
    @discardableResult
    func stop() -> Int32 {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        return process.terminationStatus
    }

    deinit { if process.isRunning { process.terminate() } }

    final class LogBuffer: @unchecked Sendable {
        private let lock = NSLock()
        private var data = Data()
        func append(_ more: Data) { lock.withLock { data.append(more) } }
        var text: String { lock.withLock { String(decoding: data, as: UTF8.self) } }
    }
}

/// A minimal browser: keeps cookies by name, never follows redirects, sends forms URL-encoded.
final class PortalClient: NSObject, URLSessionTaskDelegate, @unchecked Sendable {
    struct Reply {
        var status: Int
        var headers: [String: String]
        var setCookies: [String]
        var body: String
    }

    let base: String
    var cookies: [String: String] = [:]
    var bearer: String?
    /// Sent with every request (e.g. `X-Forwarded-For`, as a proxy would).
    var headers: [String: String] = [:]
    private lazy var session: URLSession = {
        let config = URLSessionConfiguration.ephemeral
        config.httpShouldSetCookies = false
        config.httpCookieAcceptPolicy = .never
        config.httpCookieStorage = nil
        return URLSession(configuration: config, delegate: self, delegateQueue: nil)
    }()

    init(port: Int) { base = "http://127.0.0.1:\(port)" }

    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void) {
        completionHandler(nil)
    }

    func get(_ path: String) throws -> Reply { try send("GET", path, form: nil) }

    func post(_ path: String, _ form: [(String, String)]) throws -> Reply { try send("POST", path, form: form) }

    func send(_ method: String, _ path: String, form: [(String, String)]?) throws -> Reply {
        guard let form else { return try send(method, path, body: nil, contentType: nil) }
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let body = form.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }.joined(separator: "&")
        return try send(method, path, body: Data(body.utf8), contentType: "application/x-www-form-urlencoded")
    }

    func send(_ method: String, _ path: String, body: Data?, contentType: String?) throws -> Reply {
        var request = URLRequest(url: try XCTUnwrap(URL(string: base + path)))
        request.httpMethod = method
        request.timeoutInterval = 60
        if !cookies.isEmpty { request.setValue(cookies.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "; "), forHTTPHeaderField: "Cookie") }
        if let bearer { request.setValue("Bearer \(bearer)", forHTTPHeaderField: "Authorization") }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        if let body, let contentType {
            request.httpBody = body
            request.setValue(contentType, forHTTPHeaderField: "Content-Type")
        }
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var result: (Data?, URLResponse?, Error?)
        session.dataTask(with: request) { data, response, error in
            result = (data, response, error)
            done.signal()
        }.resume()
        done.wait()
        if let error = result.2 { throw error }
        let http = try XCTUnwrap(result.1 as? HTTPURLResponse)
        var headers: [String: String] = [:]
        for (k, v) in http.allHeaderFields { headers[String(describing: k).lowercased()] = String(describing: v) }
        let setCookies = headers["set-cookie"].map { Self.splitSetCookie($0) } ?? []
        for c in setCookies {
            let pair = c.split(separator: ";")[0].split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { continue }
            let name = String(pair[0]).trimmingCharacters(in: .whitespaces)
            if c.contains("Max-Age=0") || c.lowercased().contains("expires=thu, 01 jan 1970") { cookies[name] = nil } else { cookies[name] = String(pair[1]) }
        }
        return Reply(status: http.statusCode, headers: headers, setCookies: setCookies, body: String(decoding: result.0 ?? Data(), as: UTF8.self))
    }

    /// Foundation joins several Set-Cookie headers with ", "; split them again where a new cookie starts.
    static func splitSetCookie(_ joined: String) -> [String] {
        joined.components(separatedBy: ", ").reduce(into: [String]()) { out, part in
            if let last = out.last, part.first?.isNumber == true || last.hasSuffix("Expires=Mon") || last.range(of: #"(Mon|Tue|Wed|Thu|Fri|Sat|Sun)$"#, options: .regularExpression) != nil {
                out[out.count - 1] = last + ", " + part
            } else {
                out.append(part)
            }
        }
    }

    /// The value of `<input type="hidden" name="csrf" value="…">` on a page.
    static func csrf(in page: String) -> String? {
        guard let r = page.range(of: #"name="csrf" value="([^"]+)""#, options: .regularExpression) else { return nil }
        return page[r].components(separatedBy: "value=\"").last.map { String($0.dropLast()) }
    }
}
extension PortalClient {
    /// A `multipart/form-data` POST, as a browser sends a form with a file.
    func postMultipart(_ path: String, fields: [(String, String)], file: (field: String, filename: String, data: Data)) throws -> Reply {
        try postMultipart(path, fields: fields, files: [file])
    }
}

extension CLIRunner {
    /// Adds the account `login` (`extra`: its role and unit), starts a server unless one is given,
    /// and signs a new client in through the login form.
    func signedInClient(_ login: String, _ extra: [String], server: PortalServerRunner? = nil,
                        file: StaticString = #filePath, line: UInt = #line) throws -> (PortalServerRunner, PortalClient) {
        let added = try run(["account", "add", "--login", login, "--name", "某某"] + extra)
        XCTAssertEqual(added.code, 0, added.stderr, file: file, line: line)
        let password = String(try XCTUnwrap(added.stdout.split(separator: " ").last).trimmingCharacters(in: .whitespacesAndNewlines))
        let server = try server ?? PortalServerRunner(runner: self)
        let client = PortalClient(port: server.port)
        let form = try client.get("/login")
        let reply = try client.post("/login", [("csrf", try XCTUnwrap(PortalClient.csrf(in: form.body))), ("login", login), ("password", password)])
        XCTAssertEqual(reply.status, 303, file: file, line: line)
        return (server, client)
    }

    /// What `sqlite3 DB 'SQL'` prints on the test's database.
    func query(_ sql: String) throws -> String {
        try run([], shell: "sqlite3 \"\(db)\" '\(sql)'").stdout
    }
}
