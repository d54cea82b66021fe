import Foundation

/// Reads `notifications.yaml` (docs/notifications.md) against a plan, reporting every problem
/// at its line and column: unknown keys, units the plan does not have, a secret written into
/// the file, a secret file inside the plan's folder, a plain-text URL to another machine.
public enum NotificationConfigReader {
    public static let fileName = "notifications.yaml"
    /// At most this many channels, and addresses per unit.
    public static let maxChannels = 50
    public static let maxAddresses = 20

    /// `planDirectory`: the folder the file sits in, which a secret file must lie outside of.
    public static func read(path: String, plan: Plan, planDirectory: String,
                            diagnostics: DiagnosticCollector) -> NotificationConfig? {
        guard let doc = FlatYAML.read(path: path, bounded: true, into: diagnostics),
              let top = FlatMappingReader(doc.root, in: doc, path: path, what: "the notifications file", diagnostics: diagnostics)
        else { return nil }
        var config = NotificationConfig(path: path)
        if let v = top.int("version"), v.value != 1 {
            diagnostics.error(v.location, "unsupported notifications version \(v.value)", hint: "this duban reads version 1")
        }
        if let rest = top.string("send_on_rest_days", required: false) {
            switch rest.value {
            case "true": config.sendOnRestDays = true
            case "false": config.sendOnRestDays = false
            default: diagnostics.error(rest.location, "`send_on_rest_days` must be true or false, found \"\(rest.value)\"")
            }
        }
        if let w = top.string("within", required: false) {
            if let window = Window(w.value), window.count <= 3660 {
                config.within = window
            } else {
                diagnostics.error(w.location, "`within` must be a window of at most 3660 days: 7 (days), 7d or 5wd (working days), found \"\(w.value)\"")
            }
        }
        if let r = top.mapping("retry", what: "`retry`", required: false) {
            config.attempts = r.int("attempts", required: false, range: 1...10)?.value ?? config.attempts
            config.backoffSeconds = r.int("backoff_seconds", required: false, range: 0...600)?.value ?? config.backoffSeconds
            r.finish()
        }
        config.timeoutSeconds = top.int("timeout_seconds", required: false, range: 1...120)?.value ?? config.timeoutSeconds
        let context = Context(plan: plan, path: path, planDirectory: planDirectory, diagnostics: diagnostics)
        let nodes = top.list("channels") ?? []
        if nodes.count > maxChannels, let node = top.value("channels") {
            diagnostics.error(top.location(of: node), "\(nodes.count) channels; at most \(maxChannels)")
        }
        var seen: [String: SourceLocation] = [:]
        for (i, node) in nodes.prefix(maxChannels).enumerated() {
            guard let c = top.reader(node, what: "channel #\(i + 1)") else { continue }
            if let channel = context.channel(c) {
                if let first = seen[channel.id] {
                    diagnostics.error(c.location, "channel id \"\(channel.id)\" is used twice",
                                      hint: "the first is at line \(first.line ?? 0); each channel needs its own id (the delivery log names it)")
                } else {
                    seen[channel.id] = c.location
                    config.channels.append(channel)
                }
            }
        }
        top.finish()
        return diagnostics.hasErrors ? nil : config
    }

    struct Context {
        var plan: Plan
        var path: String
        var planDirectory: String
        var diagnostics: DiagnosticCollector

        func channel(_ c: FlatMappingReader) -> NotificationChannel? {
            let id = c.string("id")
            if let id, !id.value.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_.".unicodeScalars.contains($0)) }) {
                diagnostics.error(id.location, "channel id \"\(id.value)\" must be ASCII letters, digits, '-', '_' or '.'")
            }
            var kind: ChannelKind?
            if let k = c.string("kind") {
                kind = ChannelKind(rawValue: k.value)
                if kind == nil { oneOf(k, ChannelKind.allCases.map(\.rawValue), key: "kind") }
            }
            var format = MessageFormat.text
            if let f = c.string("format", required: false) {
                if let parsed = MessageFormat(rawValue: f.value) { format = parsed } else { oneOf(f, MessageFormat.allCases.map(\.rawValue), key: "format") }
            }
            let units = c.strings("units", required: false).map { unitIDs($0, in: c) }
            var channel = NotificationChannel(id: id?.value ?? "", kind: kind ?? .webhook, format: format, units: units)
            if let kinds = c.strings("kinds", required: false) {
                var set = Set<String>()
                for k in kinds {
                    if NotificationMessage.kinds.contains(k.value) { set.insert(k.value) } else { oneOf(k, NotificationMessage.kinds, key: "kinds") }
                }
                channel.kinds = set
            }
            channel.perMinute = c.int("per_minute", required: false, range: 1...600)?.value
                ?? (kind == .dingtalk || kind == .wecom ? 20 : nil)
            switch kind {
            case .dingtalk, .wecom, .webhook:
                channel.url = url(c, kind: kind ?? .webhook)
                if kind == .dingtalk { channel.signSecret = secret(c, "secret", required: false) }
                if kind == .webhook { channel.token = secret(c, "token", required: false) }
            case .email:
                if format == .markdown, let f = c.value("format") {
                    diagnostics.error(c.location(of: f), "`format: markdown` is for robots; e-mail is sent as plain text")
                }
                if let s = c.mapping("smtp", what: "`smtp` of \(c.what)") { channel.smtp = smtp(s) }
                channel.addresses = addresses(c)
            case nil:
                break
            }
            c.finish()
            return id == nil || kind == nil || diagnostics.hasErrors ? nil : channel
        }

        func oneOf(_ v: Located<String>, _ names: [String], key: String) {
            diagnostics.error(v.location, "`\(key)` must be one of \(names.joined(separator: ", ")), found \"\(v.value)\"",
                              hint: Suggest.nearest(v.value, among: names).map { "did you mean `\($0)`?" })
        }

        func unitIDs(_ names: [Located<String>], in c: FlatMappingReader) -> Set<String> {
            var ids = Set<String>()
            for n in names {
                guard let ref = plan.resolve(n.value) else {
                    let all = plan.units.map(\.name) + plan.groups.map(\.name)
                    diagnostics.error(n.location, "unknown unit or group \"\(n.value)\" in `units` of \(c.what)",
                                      hint: (Suggest.nearest(n.value, among: all).map { "did you mean \"\($0)\"? " } ?? "")
                                        + "units and groups are those of the plan's units.yaml")
                    continue
                }
                ids.formUnion(plan.expand([ref]).map(\.id))
            }
            return ids
        }

        func url(_ c: FlatMappingReader, kind: ChannelKind) -> URLSource? {
            guard let node = c.value("url") else {
                c.missing("url", kind == .webhook ? "the webhook's URL" : "the robot's webhook URL, as `{env: NAME}` or `{file: PATH}`")
                return nil
            }
            if c.scalarText(node) != nil {
                guard let text = c.string(node, what: "`url` of \(c.what)") else { return nil }
                guard kind == .webhook else {
                    diagnostics.error(text.location, "the URL of a \(kind.rawValue) robot holds its token: it may not be written in the file",
                                      hint: "write `url: {env: DUBAN_\(kind.rawValue.uppercased())_URL}` and set that variable, or `{file: /etc/duban/…}` outside the plan's folder")
                    return nil
                }
                guard checkURL(text) else { return nil }
                return .plain(text.value)
            }
            guard let r = c.reader(node, what: "`url` of \(c.what)") else { return nil }
            return secretSource(r).map(URLSource.secret)
        }

        /// A URL written in the file: http(s), no user or password, no query (a key would be in it);
        /// plain http only to this machine.
        func checkURL(_ text: Located<String>) -> Bool {
            guard let u = URLComponents(string: text.value), let scheme = u.scheme?.lowercased(), ["http", "https"].contains(scheme),
                  let host = u.host, !host.isEmpty else {
                diagnostics.error(text.location, "`url` must be an http(s) URL, found \"\(text.value)\"")
                return false
            }
            if u.user != nil || u.password != nil || u.query != nil || u.fragment != nil {
                diagnostics.error(text.location, "`url` written in the file may hold no user, password, query or fragment (a key would be in it)",
                                  hint: "give such a URL as `{env: NAME}` or `{file: PATH}` outside the plan's folder")
                return false
            }
            if scheme == "http", !Self.isLoopback(host) {
                diagnostics.error(text.location, "plain http is allowed only to this machine (127.0.0.1, ::1, localhost), found \(host)",
                                  hint: "use https")
                return false
            }
            return true
        }

        static func isLoopback(_ host: String) -> Bool {
            let h = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
            return h == "localhost" || h == "::1" || h.hasPrefix("127.")
        }

        func secret(_ c: FlatMappingReader, _ key: String, required: Bool) -> SecretSource? {
            guard let node = c.value(key) else {
                if required { c.missing(key, "`{env: NAME}` or `{file: PATH}`") }
                return nil
            }
            guard c.doc.nodes[node].kind == .mapping else {
                diagnostics.error(c.location(of: node), "`\(key)` of \(c.what) is a secret: it may not be written in the file",
                                  hint: "write `\(key): {env: NAME}` (an environment variable) or `\(key): {file: /etc/duban/NAME}` (a file outside the plan's folder)")
                return nil
            }
            guard let r = c.reader(node, what: "`\(key)` of \(c.what)") else { return nil }
            return secretSource(r)
        }

        func secretSource(_ r: FlatMappingReader) -> SecretSource? {
            let env = r.string("env", required: false)
            let file = r.string("file", required: false)
            r.finish()
            switch (env, file) {
            case (let env?, nil):
                guard env.value.range(of: #"^[A-Za-z_][A-Za-z0-9_]{0,127}$"#, options: .regularExpression) != nil else {
                    diagnostics.error(env.location, "`env` must be an environment variable's name (letters, digits, _), found \"\(env.value)\"")
                    return nil
                }
                return .environment(env.value)
            case (nil, let file?):
                guard file.value.hasPrefix("/") else {
                    diagnostics.error(file.location, "`file` must be an absolute path outside the plan's folder, found \"\(file.value)\"")
                    return nil
                }
                if isInsidePlanFolder(file.value) {
                    diagnostics.error(file.location, "the secret file \(file.value) is inside the plan's folder",
                                      hint: "keep secrets out of the plan (it is copied and shared): e.g. /etc/duban/, mode 0600")
                    return nil
                }
                return .file(file.value)
            default:
                diagnostics.error(r.location, "\(r.what) needs exactly one of `env` and `file`")
                return nil
            }
        }

        func isInsidePlanFolder(_ file: String) -> Bool {
            guard let plan = PlanPaths.realPath(planDirectory) else { return false }
            let root = PlanPaths.components(lexical: plan)
            let written = PlanPaths.components(lexical: file)
            let real = PlanPaths.realPath(file).map { PlanPaths.components(lexical: $0) }
            return PlanPaths.isInside(written, [root]) || real.map { PlanPaths.isInside($0, [root]) } ?? false
        }

        func smtp(_ s: FlatMappingReader) -> SMTPSettings? {
            let host = s.string("host")
            var security = SMTPSecurity.starttls
            if let v = s.string("security", required: false) {
                if let parsed = SMTPSecurity(rawValue: v.value) { security = parsed } else { oneOf(v, SMTPSecurity.allCases.map(\.rawValue), key: "security") }
                if security == .none, let host, !Self.isLoopback(host.value) {
                    diagnostics.error(v.location, "`security: none` is allowed only to a server on this machine, found \(host.value)",
                                      hint: "use starttls (port 587) or tls (port 465)")
                }
            }
            let port = s.int("port", required: false, range: 1...65535)?.value ?? (security == .tls ? 465 : 587)
            let user = s.string("user", required: false)
            let password = secret(s, "password", required: false)
            if (user == nil) != (password == nil) {
                diagnostics.error(s.location, "`user` and `password` go together", hint: "set both to authenticate, or neither")
            }
            let from = s.string("from")
            if let from, !Self.isAddress(from.value) {
                diagnostics.error(from.location, "`from` must be an e-mail address, found \"\(from.value)\"")
            }
            let ca = s.string("ca_file", required: false)
            if let ca, !ca.value.hasPrefix("/") {
                diagnostics.error(ca.location, "`ca_file` must be an absolute path to PEM certificates, found \"\(ca.value)\"")
            }
            s.finish()
            guard let host, let from else { return nil }
            return SMTPSettings(host: host.value, port: port, security: security, user: user?.value, password: password, from: from.value,
                                caFile: ca?.value)
        }

        func addresses(_ c: FlatMappingReader) -> [String: [String]] {
            guard let node = c.value("to") else {
                c.missing("to", "each unit's addresses, `甘州区: [li@example.cn]`")
                return [:]
            }
            guard c.doc.nodes[node].kind == .mapping else {
                diagnostics.error(c.location(of: node), "`to` of \(c.what) must be a mapping of unit: [addresses]")
                return [:]
            }
            var out: [String: [String]] = [:]
            for (key, value) in c.doc.pairs(of: node) {
                guard let name = c.string(key, what: "a unit in `to`") else { continue }
                let ids = unitIDs([name], in: c)
                let items = c.doc.nodes[value].kind == .sequence ? c.doc.items(of: value) : [value]
                if items.count > NotificationConfigReader.maxAddresses {
                    diagnostics.error(c.location(of: value), "\(items.count) addresses; at most \(NotificationConfigReader.maxAddresses) a unit")
                }
                var list: [String] = []
                for item in items.prefix(NotificationConfigReader.maxAddresses) {
                    guard let a = c.string(item, what: "an address of \(name.value)") else { continue }
                    if Self.isAddress(a.value) { list.append(a.value) } else {
                        diagnostics.error(a.location, "not an e-mail address: \"\(a.value)\"", hint: "write name@example.cn")
                    }
                }
                for id in ids { out[id, default: []].append(contentsOf: list) }
            }
            return out
        }

        /// A plain address: something@host, no spaces, angle brackets, commas or line breaks,
        /// at most 254 characters (nothing that could add a header or a recipient).
        static func isAddress(_ s: String) -> Bool {
            s.count <= 254 && s.range(of: #"^[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}$"#, options: .regularExpression) != nil
        }
    }
}
