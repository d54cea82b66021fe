import ArgumentParser
import DubanKit
import DubanServer
import Foundation

/// `duban serve`: the portal for liaisons, the coordinator and leaders, on the same database.
struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the portal (web pages and /api/v1) on the database.",
        discussion: """
            Listens on 127.0.0.1:8080 unless told otherwise; put nginx with TLS in front of it to \
            serve other machines (then pass --secure-cookies). Logs one line per request on stderr:
            TIME ADDRESS METHOD PATH STATUS DURATION. SIGTERM or Ctrl-C finishes the requests in \
            flight and exits 0.
            Examples:
              duban serve
              duban serve --port 8443 --secure-cookies --db /srv/duban/duban.sqlite
              duban serve --port 0 --as-of 2024-04-10     # any free port; every page answers for that day
              duban serve --notify-at 09:00               # and send the reminders at 09:00 Beijing time
            """
    )

    @Option(help: "The address to listen on.") var host = "127.0.0.1"
    @Option(help: "The port (0: any free port, printed on stderr).") var port = 8080
    @Flag(help: "Mark the session cookie Secure (when served over TLS).") var secureCookies = false
    @Flag(help: ArgumentHelp("Also log timings on stderr: each ledger submission's waits and check, each group commit's size and write, each whole-plan read computed (profiling under load)."))
    var logTimings = false
    @Option(name: .customLong("as-of"), help: ArgumentHelp("Answer every request for this day unless it names one (default: today).",
                                                           valueName: "YYYY-MM-DD"), transform: parseDate)
    var asOf: LocalDate?
    @Option(help: ArgumentHelp("Stop by itself after this many seconds, as on SIGTERM (tests, demonstrations).", valueName: "SECONDS"))
    var stopAfter: Int?
    @Option(name: .customLong("trusted-proxy"), parsing: .singleValue,
            help: ArgumentHelp("A reverse proxy's IP address whose X-Forwarded-For names the client (repeat for several).", valueName: "IP"))
    var trustedProxies: [String] = []
    @Option(name: .customLong("notify-at"),
            help: ArgumentHelp("Send the day's reminders (notify --send) every day at this time, Beijing time.", valueName: "HH:MM"))
    var notifyAt: String?
    @Option(name: .customLong("notify-config"),
            help: ArgumentHelp("With --notify-at: the channels file (default: notifications.yaml in the plan's folder).", valueName: "FILE"))
    var notifyConfig: String?
    @OptionGroup var store: StoreOptions

    func validate() throws {
        if let notifyAt, NotifySchedule.Time(notifyAt) == nil { throw ValidationError("--notify-at: expected HH:MM (00:00 to 23:59), found \"\(notifyAt.prefix(32))\"") }
        if notifyConfig != nil, notifyAt == nil { throw ValidationError("--notify-config goes with --notify-at") }
        guard (0...65535).contains(port) else { throw ValidationError("--port: expected 0 to 65535") }
        if let stopAfter, !(1...31_536_000).contains(stopAfter) { throw ValidationError("--stop-after: expected 1 to 31536000 seconds") }
        for ip in trustedProxies where !PortalConfiguration.isIPAddress(ip) {
            throw ValidationError("--trusted-proxy: expected an IP address such as 127.0.0.1 or ::1, found \"\(ip.prefix(64))\"")
        }
        if trustedProxies.count > 64 { throw ValidationError("--trusted-proxy: at most 64 addresses") }
    }

    func run() throws {
        let timings: (@Sendable (String) -> Void)?
        if logTimings { timings = { Console.err($0) } } else { timings = nil }
        try store.opening(.serve) { database, plan in
            let configuration = PortalConfiguration(host: host, port: port, database: database, planID: plan.plan.id,
                                                    secureCookies: secureCookies, today: asOf, log: { Console.err($0) },
                                                    trustedProxies: Set(trustedProxies), timings: timings)
            if let notifyAt, let time = NotifySchedule.Time(notifyAt) {
                NotifySchedule.start(at: time, database: database, store: store, configPath: notifyConfig, day: asOf) { Console.err($0) }
                Console.err("duban serve: sending the reminders every day at \(notifyAt) Beijing time\n")
            }
            if let stopAfter {
                DispatchQueue.global().asyncAfter(deadline: .now() + .seconds(stopAfter)) { kill(getpid(), SIGTERM) }
            }
            let outcome = Outcome()
            let done = DispatchSemaphore(value: 0)
            Task {
                do { try await PortalServer.run(configuration) } catch { outcome.set(error) }
                done.signal()
            }
            done.wait()
            if let error = outcome.error {
                throw CLIError.io("the portal stopped: \(error)", hint: "is another program listening on \(host):\(port)?")
            }
        }
    }

    /// The server task's failure, handed back to the blocked command.
    final class Outcome: @unchecked Sendable {
        private let lock = NSLock()
        private var stored: (any Error)?
        var error: (any Error)? { lock.withLock { stored } }
        func set(_ error: any Error) { lock.withLock { stored = error } }
    }
}
