/// Where and how the reminders go out: the plan folder's `notifications.yaml`
/// (docs/notifications.md). It names secrets (webhook URLs with their tokens, signing keys,
/// SMTP passwords) only by where they are read from, never their values.
public struct NotificationConfig: Sendable, Equatable {
    /// The file it was read from, for messages.
    public var path: String
    /// Send on the plan calendar's weekends and holidays too (default: no).
    public var sendOnRestDays: Bool = false
    /// The reminder's look-ahead (default: the plan's `escalation.remind_before_days`).
    public var within: Window?
    /// Attempts of one delivery per day, across runs (1…10).
    public var attempts: Int = 3
    /// The wait before the second attempt, doubled before each further one (0…600 s).
    public var backoffSeconds: Int = 30
    /// One request's or SMTP session's time limit (1…120 s).
    public var timeoutSeconds: Int = 15
    public var channels: [NotificationChannel] = []

    public init(path: String) { self.path = path }
}

/// A secret's source: an environment variable or a file outside the plan folder.
public enum SecretSource: Sendable, Hashable, CustomStringConvertible {
    case environment(String)
    case file(String)

    /// How it is shown: where it comes from, never what it is.
    public var description: String {
        switch self {
        case .environment(let name): return "$\(name)"
        case .file(let path): return "file \(path)"
        }
    }
}

/// A URL written in the file, or read from a secret (a robot's URL holds its token).
public enum URLSource: Sendable, Equatable {
    case plain(String)
    case secret(SecretSource)
}

public enum ChannelKind: String, Sendable, CaseIterable {
    case dingtalk, wecom, webhook, email

    public var label: String {
        switch self {
        case .dingtalk: return "钉钉群机器人"
        case .wecom: return "企业微信群机器人"
        case .webhook: return "webhook"
        case .email: return "电子邮件"
        }
    }
}

public enum MessageFormat: String, Sendable, CaseIterable { case text, markdown }

public enum SMTPSecurity: String, Sendable, CaseIterable {
    /// Plain connection upgraded with STARTTLS before authenticating (port 587).
    case starttls
    /// TLS from the first byte (port 465).
    case tls
    /// No TLS: only to a server on this machine (127.0.0.1, ::1, localhost).
    case none
}

public struct SMTPSettings: Sendable, Equatable {
    public var host: String
    public var port: Int
    public var security: SMTPSecurity
    public var user: String?
    public var password: SecretSource?
    public var from: String
    /// The CA certificates (PEM) to trust instead of the system's, for a server under a private CA.
    public var caFile: String?
}

/// One channel: a robot of a group chat, a webhook, or e-mail through an SMTP server.
public struct NotificationChannel: Sendable, Equatable {
    public var id: String
    public var kind: ChannelKind
    public var format: MessageFormat
    /// The units whose reminders go here (ids, groups expanded); nil: every unit.
    public var units: Set<String>?
    /// The kinds of message that go here (`NotificationMessage.kinds`); nil: every kind.
    public var kinds: Set<String>?
    /// Robots and webhooks.
    public var url: URLSource?
    /// DingTalk's 加签 secret.
    public var signSecret: SecretSource?
    /// A generic webhook's bearer token.
    public var token: SecretSource?
    /// E-mail.
    public var smtp: SMTPSettings?
    /// At most this many messages a minute (DingTalk and WeCom robots take 20); nil: no limit.
    public var perMinute: Int?
    /// E-mail: each unit's addresses (unit id → addresses); a unit without one gets none.
    public var addresses: [String: [String]] = [:]

    /// Whether a message of `kind` about `unitID` goes here.
    public func serves(_ unitID: String, kind: String) -> Bool {
        (kinds?.contains(kind) ?? true) && serves(unitID)
    }

    public func serves(_ unitID: String) -> Bool {
        guard units?.contains(unitID) ?? true else { return false }
        return kind != .email || !(addresses[unitID] ?? []).isEmpty
    }
}
