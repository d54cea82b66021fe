import DubanKit
import Foundation

/// One run of `duban notify --send` (or of the server's daily schedule): the day's reminders,
/// and the notices of the coordinator's decisions since the last working day (extension
/// decisions, returned ledgers, steps of the ladder), to every channel that serves their unit,
/// one run at a time per database (`SendLock`), each delivery at most once a day (the log in
/// `notification_attempt`), a failed one retried with backoff up to the configured attempts,
/// robots paced to their rate limit, nothing on the calendar's rest days. `dryRun` reads the
/// log and writes nothing, sends nothing.
public enum NotificationRun {
    public struct Options: Sendable {
        public var day: LocalDate
        public var dryRun: Bool
        public var environment: [String: String]

        public init(day: LocalDate, dryRun: Bool, environment: [String: String]) {
            self.day = day
            self.dryRun = dryRun
            self.environment = environment
        }
    }

    public struct Summary: Sendable, Equatable {
        public var deliveries = 0
        public var sent = 0
        public var failed = 0
        public var alreadySent = 0
        /// Why nothing was sent (a weekend or holiday), when so.
        public var restDay: String?
    }

    /// Throws `NotificationSecrets.MissingSecrets` (before anything is sent) when a secret is
    /// not set, unless `dryRun`, which shows where each comes from. `write` gets the output lines.
    public static func run(database: DubanDatabase, plan: Plan, config: NotificationConfig, options: Options,
                           write: @escaping @Sendable (String) -> Void) async throws -> Summary {
        var summary = Summary()
        let day = options.day
        if let rest = NotificationRules.restDay(day, calendar: plan.calendar, config: config) {
            summary.restDay = rest
            write("\(rest): nothing is sent (set send_on_rest_days: true in \(config.path) to send on such days)\n")
            return summary
        }
        var secrets = NotificationSecrets()
        do {
            secrets = try NotificationSecrets.load(config, environment: options.environment)
        } catch let missing as NotificationSecrets.MissingSecrets where options.dryRun {
            for m in missing.missing {
                write("warning: channel \(m.channel): `\(m.key)` from \(m.source) cannot be read (\(m.reason)); a real send would stop here\n")
            }
        }
        let lock = options.dryRun ? nil : try await SendLock.acquire(databasePath: database.path, write: write)
        defer { lock?.release() }
        let reminders = try SupervisionSnapshot.reminders(database: database, plan: plan, asOf: day, within: config.within)
            .map { NotificationMessage.reminder($0.notice, text: $0.text, asOf: day) }
        let days = NotificationRules.decisionDays(before: day, calendar: plan.calendar)
        let decisions = NotificationMessage.extensionDecisions(try ExtensionRequestStore(database).requests(planID: plan.id), plan: plan,
                                                               days: days, asOf: day)
        let returns = NotificationMessage.ledgerReturns(try LedgerStore(database).submissions(plan: plan.id), plan: plan, days: days, asOf: day)
        let steps = NotificationMessage.escalationSteps(try SupervisionStore(database).actions(planID: plan.id), plan: plan, days: days, asOf: day)
        let deliveries = NotificationRules.deliveries(reminders + decisions + returns + steps, config: config)
        let store = NotificationStore(database)
        let state = try store.state(planID: plan.id, day: day)
        summary.deliveries = deliveries.count
        var pacer = Pacer()
        for d in deliveries {
            let key = NotificationStore.Key(day: day, kind: d.message.kind, unitID: d.message.unitID, channelID: d.channel.id,
                                            recipient: d.recipient)
            let message = Outgoing(d, plan: plan, day: day, config: config, secrets: secrets)
            let target = (d.message.kind == NotificationMessage.reminder ? "" : "\(d.message.kind) ") + "\(d.message.unitName) → \(d.channel.kind.rawValue) \(d.channel.id)" + (d.channel.kind == .email ? " <\(d.recipient)>" : "")
            if state.sent.contains(key) {
                summary.alreadySent += 1
                write("already sent today: \(target)\n")
                continue
            }
            let done = state.attempts[key] ?? 0
            if done >= config.attempts {
                summary.failed += 1
                write("gave up: \(target): \(done) attempts today already failed (see duban notify log)\n")
                continue
            }
            if options.dryRun {
                write("would send: \(target) via \(message.destination), \(d.channel.format.rawValue), \(message.body.utf8.count) bytes\n")
                let body = message.body.hasSuffix("\n") ? String(message.body.dropLast()) : message.body
                write(body.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n") + "\n")
                continue
            }
            var attempt = done
            while attempt < config.attempts {
                attempt += 1
                await pacer.wait(for: d.channel)
                var error: String?
                do {
                    try await message.send(timeoutSeconds: config.timeoutSeconds)
                } catch let failure {
                    error = secrets.mask(Self.describe(failure))
                }
                try store.record(planID: plan.id, key: key, channelKind: d.channel.kind, attempt: attempt, error: error,
                                 messageSHA256: RobotMessage.digest(message.body))
                guard let error else {
                    summary.sent += 1
                    write("sent: \(target) (attempt \(attempt))\n")
                    break
                }
                if attempt >= config.attempts {
                    summary.failed += 1
                    write("failed: \(target) (attempt \(attempt) of \(config.attempts), giving up for today): \(error)\n")
                } else {
                    let wait = config.backoffSeconds << (attempt - done - 1)
                    write("failed: \(target) (attempt \(attempt) of \(config.attempts)): \(error); again in \(wait) s\n")
                    try? await Task.sleep(nanoseconds: UInt64(wait) * 1_000_000_000)
                }
            }
        }
        let verb = options.dryRun ? "would send" : "sent"
        let count = options.dryRun ? deliveries.count - summary.alreadySent - summary.failed : summary.sent
        write("notify --send \(day)\(options.dryRun ? " --dry-run" : ""): \(deliveries.count) deliveries to \(config.channels.count) channels; "
              + "\(verb) \(count), failed \(summary.failed), already sent earlier today \(summary.alreadySent)\n")
        return summary
    }

    static func describe(_ error: Error) -> String {
        if let f = error as? HTTPTransport.Failure { return f.message }
        if let f = error as? MailTransport.Failure { return f.message }
        return "\(error)"
    }

    /// At most `perMinute` messages to a channel in any 60 seconds (DingTalk and WeCom robots
    /// take 20 a minute and refuse more for a while): waits until the oldest of the last
    /// `perMinute` sends is a minute old.
    struct Pacer {
        var sent: [String: [Date]] = [:]

        mutating func wait(for channel: NotificationChannel) async {
            guard let limit = channel.perMinute else { return }
            let now = Date()
            var recent = (sent[channel.id] ?? []).filter { now.timeIntervalSince($0) < 60 }
            if recent.count >= limit, let oldest = recent.first {
                let wait = 60 - now.timeIntervalSince(oldest)
                if wait > 0 { try? await Task.sleep(nanoseconds: UInt64(wait * 1_000_000_000)) }
                recent.removeFirst()
            }
            recent.append(Date())
            sent[channel.id] = recent
        }
    }
}

/// One delivery's body and where it goes, ready to send.
struct Outgoing {
    var delivery: NotificationRules.Delivery
    var body: String
    var url: String?
    var headers: [String: String] = [:]
    var destination: String
    var secrets: NotificationSecrets
    var mail: MailTransport.Message?

    init(_ d: NotificationRules.Delivery, plan: Plan, day: LocalDate, config: NotificationConfig, secrets: NotificationSecrets) {
        delivery = d
        self.secrets = secrets
        let c = d.channel
        switch c.kind {
        case .email:
            let smtp = c.smtp
            mail = MailTransport.Message(from: smtp?.from ?? "", to: d.recipient, subject: d.message.title,
                                         text: RobotMessage.fitted(d.message.text, limit: RobotMessage.maxBytes(.email, .text)))
            body = mail?.text ?? ""
            destination = "smtp://\(smtp?.host ?? ""):\(smtp?.port ?? 0) (\(smtp?.security.rawValue ?? ""))"
        case .dingtalk, .wecom, .webhook:
            body = RobotMessage.body(kind: c.kind, format: c.format, message: d.message, planID: plan.id,
                                     asOf: day, channelID: c.id)
            url = secrets.url(of: c)
            destination = secrets.display(of: c) + (c.signSecret != nil ? ", signed" : "")
            if let s = c.token, let token = secrets.value(s) { headers["Authorization"] = "Bearer \(token)" }
            headers["Idempotency-Key"] = RobotMessage.digest("\(plan.id)/\(day)/\(d.message.kind)/\(d.message.unitID)/\(c.id)/\(d.recipient)")
        }
    }

    func send(timeoutSeconds: Int) async throws {
        let c = delivery.channel
        if c.kind == .email {
            guard let smtp = c.smtp, let mail else { throw MailTransport.Failure(message: "no smtp settings") }
            let password = smtp.password.flatMap { secrets.value($0) }
            try await MailTransport.send(mail, via: smtp, password: password, timeoutSeconds: timeoutSeconds)
            return
        }
        guard var url else { throw HTTPTransport.Failure(message: "the channel's URL cannot be read") }
        if c.kind == .dingtalk, let s = c.signSecret, let secret = secrets.value(s) {
            url += (url.contains("?") ? "" : "?") + RobotMessage.dingTalkSignature(secret: secret, timestampMillis: Int64(Date().timeIntervalSince1970 * 1000))
        }
        try await HTTPTransport.post(url: url, body: Data(body.utf8), headers: headers, kind: c.kind, timeoutSeconds: timeoutSeconds)
    }
}
