import ArgumentParser
import DubanKit
import DubanNotify
import Foundation

/// `duban notify --send` and the server's daily run share this: read the channels, send, say so.
enum NotifySending {
    /// The channels file: `--config`, else `notifications.yaml` in the folder the plan was loaded from.
    static func configPath(_ given: String?, stored: StoredPlan) -> String {
        given ?? (stored.sourceDirectory as NSString).appendingPathComponent(NotificationConfigReader.fileName)
    }

    /// Reads and checks the channels file against the plan; every problem on stderr, exit 65
    /// (66 when there is no file).
    static func readConfig(path: String, stored: StoredPlan) throws -> NotificationConfig {
        guard FileManager.default.fileExists(atPath: path) else {
            throw CLIError.inputMissing("no notifications file \(path)",
                                        hint: "write one (docs/notifications.md) in the plan's folder, or name it with --config FILE")
        }
        let diagnostics = DiagnosticCollector()
        let folder = (path as NSString).deletingLastPathComponent
        let config = NotificationConfigReader.read(path: path, plan: stored.plan, planDirectory: folder.isEmpty ? "." : folder,
                                                   diagnostics: diagnostics)
        Console.err(diagnostics.renderAll())
        guard let config else { throw CLIError.reported(Exit.dataError) }
        return config
    }

    /// One run; the exit status it deserves (0, or 76 when a delivery failed).
    static func run(database: DubanDatabase, stored: StoredPlan, config: NotificationConfig, day: LocalDate,
                    dryRun: Bool, write: @escaping @Sendable (String) -> Void) throws -> NotificationRun.Summary {
        let options = NotificationRun.Options(day: day, dryRun: dryRun, environment: ProcessInfo.processInfo.environment)
        let box = ResultBox()
        let done = DispatchSemaphore(value: 0)
        Task {
            do {
                box.set(.success(try await NotificationRun.run(database: database, plan: stored.plan, config: config,
                                                               options: options, write: write)))
            } catch {
                box.set(.failure(error))
            }
            done.signal()
        }
        done.wait()
        do {
            return try box.get()
        } catch let missing as NotificationSecrets.MissingSecrets {
            let lines = missing.missing.map { "  channel \($0.channel): `\($0.key)` from \($0.source): \($0.reason)" }
            throw CLIError.config("cannot read \(missing.missing.count) secret(s) the channels need; nothing was sent\n" + lines.joined(separator: "\n"),
                                  hint: "set the variables, or make the files readable (docs/notifications.md: secrets)")
        }
    }

    final class ResultBox: @unchecked Sendable {
        private let lock = NSLock()
        private var result: Result<NotificationRun.Summary, any Error>?
        func set(_ r: Result<NotificationRun.Summary, any Error>) { lock.withLock { result = r } }
        func get() throws -> NotificationRun.Summary {
            guard let r = lock.withLock({ result }) else { throw CLIError.io("the notification run did not finish") }
            return try r.get()
        }
    }
}

enum NotifyAction: String, ExpressibleByArgument, CaseIterable { case log }

/// `duban notify log`: every delivery of the log, newest day first, failures included.
enum NotifyLog {
    static func show(store: StoreOptions, since: LocalDate?, failed: Bool, format: OutputFormat) throws {
        try store.reading { database, plan in
            let entries = try NotificationStore(database).log(planID: plan.id, since: since, until: nil).filter { !failed || !$0.sent }
            switch format.tableForm {
            case nil: Console.out(JSONOutput.encode(entries.map(Entry.init)))
            case let form?:
                let rows = entries.map { e -> [String] in
                    [e.key.day.description, e.unitName, e.channelKind, e.key.channelID, e.key.recipient,
                     e.sent ? "已发送" : "失败", String(e.attempts), e.lastError ?? ""]
                }
                let table = Table(columns: [.init("日期", kind: .date), .init("单位"), .init("渠道类型"), .init("渠道"), .init("接收方"),
                                            .init("状态"), .init("尝试次数", .right, kind: .number), .init("最后错误", maxWidth: 60)], rows: rows)
                Console.out(table.render(form))
            }
        }
    }

    /// `notify log --format json`'s item (README: JSON output).
    struct Entry: JSONObject {
        var day: String, kind: String, unit: String, unit_name: String, channel: String, channel_kind: String, recipient: String
        var state: String, attempts: Int, last_error: String?, first_attempt_at: String, last_attempt_at: String, message_sha256: String

        init(_ e: NotificationStore.Entry) {
            (day, kind, unit, unit_name) = (e.key.day.description, e.key.kind, e.key.unitID, e.unitName)
            (channel, channel_kind, recipient) = (e.key.channelID, e.channelKind, e.key.recipient)
            (state, attempts, last_error) = (e.sent ? "sent" : "failed", e.attempts, e.lastError)
            (first_attempt_at, last_attempt_at, message_sha256) = (e.firstAttemptAt, e.lastAttemptAt, e.messageSHA256)
        }
    }
}
