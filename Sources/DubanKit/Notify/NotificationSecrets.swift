import Foundation

/// The secrets a send needs, read at send time from the environment or their files, and the
/// mask that keeps their values out of every message, log line and stored error.
public struct NotificationSecrets: Sendable {
    public struct Missing: Error, Equatable, Sendable {
        public var channel: String
        public var key: String
        public var source: SecretSource
        public var reason: String
    }

    /// A secret file is read up to this many bytes.
    public static let maxFileBytes = 8192

    private var values: [SecretSource: String] = [:]

    public init() {}

    /// Reads every secret the channels name; throws every missing one at once.
    public static func load(_ config: NotificationConfig, environment: [String: String]) throws -> NotificationSecrets {
        var secrets = NotificationSecrets()
        var missing: [Missing] = []
        for c in config.channels {
            var needed: [(String, SecretSource)] = []
            if case .secret(let s)? = c.url { needed.append(("url", s)) }
            if let s = c.signSecret { needed.append(("secret", s)) }
            if let s = c.token { needed.append(("token", s)) }
            if let s = c.smtp?.password { needed.append(("password", s)) }
            for (key, source) in needed where secrets.values[source] == nil {
                switch read(source, environment: environment) {
                case .success(let v): secrets.values[source] = v
                case .failure(let reason): missing.append(Missing(channel: c.id, key: key, source: source, reason: reason.text))
                }
            }
        }
        if !missing.isEmpty { throw MissingSecrets(missing: missing) }
        return secrets
    }

    public struct MissingSecrets: Error, Sendable { public var missing: [Missing] }
    struct Reason: Error { var text: String }

    static func read(_ source: SecretSource, environment: [String: String]) -> Result<String, Reason> {
        switch source {
        case .environment(let name):
            guard let v = environment[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !v.isEmpty else {
                return .failure(Reason(text: "the environment variable \(name) is not set"))
            }
            return .success(v)
        case .file(let path):
            guard let handle = FileHandle(forReadingAtPath: path) else { return .failure(Reason(text: "cannot read \(path)")) }
            defer { try? handle.close() }
            let data = (try? handle.read(upToCount: maxFileBytes + 1)) ?? Data()
            guard data.count <= maxFileBytes else { return .failure(Reason(text: "\(path) is over \(maxFileBytes) bytes")) }
            guard let v = String(data: data, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines), !v.isEmpty else {
                return .failure(Reason(text: "\(path) is empty or not UTF-8 text"))
            }
            return .success(v)
        }
    }

    public func value(_ source: SecretSource) -> String? { values[source] }

    /// The URL a channel posts to (its secret's value, or as written).
    public func url(of channel: NotificationChannel) -> String? {
        switch channel.url {
        case .plain(let u)?: return u
        case .secret(let s)?: return values[s]
        case nil: return nil
        }
    }

    /// `text` with every secret value (and its percent-encoded form) replaced by `****`, and
    /// every query value of a URL masked: what goes to logs, the terminal and the database.
    public func mask(_ text: String) -> String {
        var out = text
        for v in values.values.sorted(by: { $0.count > $1.count }) where v.count >= 4 {
            out = out.replacingOccurrences(of: v, with: "****")
            if let enc = v.addingPercentEncoding(withAllowedCharacters: .alphanumerics), enc != v {
                out = out.replacingOccurrences(of: enc, with: "****")
            }
        }
        return Self.maskQueries(out)
    }

    /// `?access_token=abc&x=1` → `?access_token=****&x=****` in every URL of `text`.
    public static func maskQueries(_ text: String) -> String {
        guard let re = try? NSRegularExpression(pattern: #"([?&][A-Za-z0-9_.\-]+=)[^&\s"'<>]+"#) else { return text }
        let range = NSRange(text.startIndex..., in: text)
        return re.stringByReplacingMatches(in: text, range: range, withTemplate: "$1****")
    }

    /// How a channel's destination is shown: scheme, host and path, no query, no secrets.
    public func display(of channel: NotificationChannel) -> String {
        guard let url = url(of: channel), let u = URLComponents(string: url) else {
            if case .secret(let s)? = channel.url { return s.description }
            return "—"
        }
        return mask("\(u.scheme ?? "https")://\(u.host ?? "")\(u.port.map { ":\($0)" } ?? "")\(u.path)")
    }
}


