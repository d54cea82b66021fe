import DubanKit
import DubanNotify
import Foundation

/// `duban serve --notify-at HH:MM`: the server runs `notify --send` once a day at that time,
/// Beijing time (and once at start when the time has already passed today: a restart after
/// the hour still sends the day's reminders, and the delivery log keeps it to once). The plan
/// and the channels file are read again for every run, so an edit needs no restart; a run that
/// cannot start (a bad file, a secret not set) is logged and retried the next day.
enum NotifySchedule {
    struct Time: Sendable, Equatable {
        var hour: Int
        var minute: Int

        init?(_ text: String) {
            let parts = text.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, parts.allSatisfy({ $0.count == 2 && $0.allSatisfy(\.isASCII) }),
                  let h = Int(parts[0]), let m = Int(parts[1]), (0...23).contains(h), (0...59).contains(m) else { return nil }
            hour = h
            minute = m
        }
    }

    static func start(at time: Time, database: DubanDatabase, store: StoreOptions, configPath: String?, day fixed: LocalDate?,
                      log: @escaping @Sendable (String) -> Void) {
        Task.detached {
            var first = true
            while !Task.isCancelled {
                if !(first && BeijingTime.hasPassed(hour: time.hour, minute: time.minute)) {
                    let wait = BeijingTime.secondsUntil(hour: time.hour, minute: time.minute)
                    try? await Task.sleep(nanoseconds: UInt64(wait * 1_000_000_000))
                }
                first = false
                await runOnce(database: database, store: store, configPath: configPath, day: fixed ?? BeijingTime.today(), log: log)
            }
        }
    }

    static func runOnce(database: DubanDatabase, store: StoreOptions, configPath: String?, day: LocalDate,
                        log: @escaping @Sendable (String) -> Void) async {
        let stamp: @Sendable () -> String = { Timestamp.iso(Date()) + " notify: " }
        do {
            let stored = try store.storedPlan(in: database)
            let path = NotifySending.configPath(configPath, stored: stored)
            let config = try NotifySending.readConfig(path: path, stored: stored)
            let options = NotificationRun.Options(day: day, dryRun: false, environment: ProcessInfo.processInfo.environment)
            _ = try await NotificationRun.run(database: database, plan: stored.plan, config: config, options: options) { log(stamp() + $0) }
        } catch let missing as NotificationSecrets.MissingSecrets {
            log(stamp() + "not run: " + missing.missing.map { "channel \($0.channel): `\($0.key)` from \($0.source): \($0.reason)" }
                .joined(separator: "; ") + "\n")
        } catch let error as StoreError {
            log(stamp() + "not run: \(error.message)\n")
        } catch let error as CLIError {
            log(stamp() + "not run: " + (error.text ?? "the channels file has errors (above)\n"))
        } catch {
            log(stamp() + "not run: \(error)\n")
        }
    }
}
