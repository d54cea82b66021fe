import Crypto
import Foundation

/// The bodies each channel takes, made from one unit's reminder: DingTalk's and WeCom's group
/// robots (`msgtype` text or markdown), the generic JSON webhook (docs/notifications.md) and
/// the e-mail's text. Pure functions of the notice; nothing here touches the network.
public enum RobotMessage {
    /// The most UTF-8 bytes of a message's text each kind takes: WeCom documents 2,048 for
    /// text and 4,096 for markdown; DingTalk 20,000; e-mail and webhooks are held to 64 KiB.
    public static func maxBytes(_ kind: ChannelKind, _ format: MessageFormat) -> Int {
        switch (kind, format) {
        case (.wecom, .text): return 2048
        case (.wecom, .markdown): return 4096
        case (.dingtalk, _): return 20_000
        default: return 65_536
        }
    }

    /// The reminder in Markdown: each line of the text escaped (no name or title can start
    /// markup), the heading bold, lines kept apart.
    public static func markdown(_ text: String) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var out: [String] = []
        for (i, line) in lines.enumerated() where !(i == lines.count - 1 && line.isEmpty) {
            let escaped = MarkdownEscape.text(line.trimmingCharacters(in: .whitespaces))
            out.append(i == 0 ? "**\(escaped)**" : escaped)
        }
        return out.joined(separator: "\n\n") + "\n"
    }

    /// `text` cut at a line so that it fits `limit` UTF-8 bytes, saying how much was left out.
    public static func fitted(_ text: String, limit: Int) -> String {
        guard text.utf8.count > limit else { return text }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var kept: [Substring] = []
        var size = 0
        let tail = "……(以下 %d 行从略,全文见 duban notify 或门户“提醒”页)\n"
        let reserve = tail.utf8.count + 8
        for line in lines {
            if size + line.utf8.count + 1 + reserve > limit { break }
            kept.append(line)
            size += line.utf8.count + 1
        }
        let left = lines.count - kept.count
        return kept.joined(separator: "\n") + "\n" + String(format: tail, left)
    }

    /// The JSON body a robot or the webhook receives (`JSONOutput.encode`'s text).
    public static func body(kind: ChannelKind, format: MessageFormat, message m: NotificationMessage,
                            planID: String, asOf: LocalDate, channelID: String) -> String {
        let limit = maxBytes(kind, format)
        switch (kind, format) {
        case (.dingtalk, .text), (.wecom, .text):
            return JSONOutput.encode(RobotBody(msgtype: "text", text: .init(content: fitted(m.text, limit: limit))))
        case (.dingtalk, .markdown):
            return JSONOutput.encode(RobotBody(msgtype: "markdown", markdown: .init(title: m.title, text: fitted(markdown(m.text), limit: limit))))
        case (.wecom, .markdown):
            return JSONOutput.encode(RobotBody(msgtype: "markdown", markdown: .init(content: fitted(markdown(m.text), limit: limit))))
        case (.webhook, _), (.email, _):
            let header = WebhookBody.Header(plan: planID, as_of: asOf.description, kind: m.kind, channel: channelID, unit: m.unitID,
                                            unit_name: m.unitName, title: m.title, text: fitted(m.text, limit: limit))
            return JSONOutput.encode(WebhookBody(header: header, details: m.details))
        }
    }

    /// A group robot's message: `msgtype` and its text or markdown (`content`, and DingTalk's `title`).
    struct RobotBody: Encodable {
        struct Content: Encodable {
            @OmittedIfNil var title: String?
            @OmittedIfNil var text: String?
            @OmittedIfNil var content: String?

            init(title: String? = nil, text: String? = nil, content: String? = nil) {
                (self.title, self.text, self.content) = (title, text, content)
            }
        }

        var msgtype: String
        @OmittedIfNil var text: Content?
        @OmittedIfNil var markdown: Content?

        init(msgtype: String, text: Content? = nil, markdown: Content? = nil) {
            (self.msgtype, self.text, self.markdown) = (msgtype, text, markdown)
        }
    }

    /// The JSON webhook's body (docs/notifications.md): the header's keys and the message's details, in one object.
    struct WebhookBody: Encodable {
        struct Header: JSONObject {
            var schema = "duban.notification/1"
            var plan: String, as_of: String, kind: String, channel: String, unit: String, unit_name: String, title: String, text: String
        }

        var header: Header
        var details: NotificationDetails

        func encode(to encoder: Encoder) throws {
            try header.encode(to: encoder)
            try details.encode(to: encoder)
        }
    }

    /// DingTalk's 加签: `timestamp` (ms) and the base64 HMAC-SHA256 of "timestamp\nsecret" keyed
    /// by the secret, percent-encoded, as the query items `&timestamp=…&sign=…` it expects.
    public static func dingTalkSignature(secret: String, timestampMillis: Int64) -> String {
        let key = SymmetricKey(data: Data(secret.utf8))
        let mac = HMAC<SHA256>.authenticationCode(for: Data("\(timestampMillis)\n\(secret)".utf8), using: key)
        let b64 = Data(mac).base64EncodedString()
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let sign = b64.addingPercentEncoding(withAllowedCharacters: allowed) ?? b64
        return "&timestamp=\(timestampMillis)&sign=\(sign)"
    }

    /// The SHA-256 of a message's text, hex: what the delivery log keeps to tell messages apart.
    public static func digest(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
