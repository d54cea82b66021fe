import DubanKit
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Posts a robot's or a webhook's JSON body (URLSession: HTTPS through the system's libcurl
/// and CA store, no extra dependency) and tells success from failure the way each service
/// answers: DingTalk and WeCom reply HTTP 200 with `{"errcode": 0}` on success and another
/// errcode (bad signature, rate limit, wrong key) otherwise; a webhook succeeds with any 2xx.
enum HTTPTransport {
    /// The most of a response read into an error message.
    static let maxErrorBytes = 300

    struct Failure: Error { var message: String }

    static func post(url: String, body: Data, headers: [String: String], kind: ChannelKind,
                     timeoutSeconds: Int) async throws {
        guard let u = URL(string: url), let scheme = u.scheme?.lowercased(), scheme == "https" || scheme == "http" else {
            throw Failure(message: "not an http(s) URL")
        }
        var request = URLRequest(url: u, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: TimeInterval(timeoutSeconds))
        request.httpMethod = "POST"
        request.httpBody = body
        request.setValue("application/json; charset=utf-8", forHTTPHeaderField: "Content-Type")
        request.setValue("duban/\(DubanKit.version)", forHTTPHeaderField: "User-Agent")
        for (k, v) in headers { request.setValue(v, forHTTPHeaderField: k) }
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = TimeInterval(timeoutSeconds)
        configuration.timeoutIntervalForResource = TimeInterval(timeoutSeconds)
        let session = URLSession(configuration: configuration)
        defer { session.finishTasksAndInvalidate() }
        let (data, response): (Data, URLResponse)
        do {
            (data, response) = try await session.data(for: request)
        } catch {
            throw Failure(message: "no answer: \((error as NSError).localizedDescription)")
        }
        guard let http = response as? HTTPURLResponse else { throw Failure(message: "not an HTTP answer") }
        let excerpt = String(decoding: data.prefix(maxErrorBytes), as: UTF8.self)
        guard (200..<300).contains(http.statusCode) else {
            throw Failure(message: "HTTP \(http.statusCode): \(excerpt)")
        }
        if kind == .dingtalk || kind == .wecom {
            let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
            guard let code = object?["errcode"] as? Int else { throw Failure(message: "HTTP 200 without errcode: \(excerpt)") }
            guard code == 0 else {
                throw Failure(message: "errcode \(code): \((object?["errmsg"] as? String).map { String($0.prefix(maxErrorBytes)) } ?? "")")
            }
        }
    }
}
