import DubanKit
import Foundation
import Hummingbird
import HummingbirdAuth
import Logging
import NIOCore

/// How `duban serve` runs.
public struct PortalConfiguration: Sendable {
    public var host: String
    public var port: Int
    public var database: DubanDatabase
    public var planID: String
    /// Mark the session cookie `Secure` (set when served over TLS, e.g. behind nginx).
    public var secureCookies: Bool
    /// A fixed "today" for every page and API call without `as_of` (tests, demonstrations); nil: the real today.
    public var today: LocalDate?
    /// Where the request log and start-up lines go (stderr in `duban serve`).
    public var log: @Sendable (String) -> Void
    /// Reverse proxies (nginx in front of the portal) whose `X-Forwarded-For` is believed.
    public var trustedProxies: Set<String>
    /// Where timing lines go (`serve --log-timings`: stderr), if anywhere: per ledger submission
    /// its waits and check, per group commit its size, waits and write, per whole-plan read
    /// computed its time.
    public var timings: (@Sendable (String) -> Void)?

    public init(host: String, port: Int, database: DubanDatabase, planID: String, secureCookies: Bool, today: LocalDate?,
                log: @escaping @Sendable (String) -> Void, trustedProxies: Set<String> = [], timings: (@Sendable (String) -> Void)? = nil) {
        self.trustedProxies = trustedProxies
        self.timings = timings
        self.host = host
        self.port = port
        self.database = database
        self.planID = planID
        self.secureCookies = secureCookies
        self.today = today
        self.log = log
    }

    /// The day a request answers for when it names none.
    var currentDay: LocalDate {
        if let today { return today }
        let c = Calendar(identifier: .gregorian).dateComponents(in: .current, from: Date())
        return LocalDate(year: c.year ?? 1970, month: c.month ?? 1, day: c.day ?? 1) ?? LocalDate(dayNumber: 0)
    }
}

/// The portal: `duban serve`. Runs until SIGTERM or SIGINT, then finishes the requests in flight.
public enum PortalServer {
    public static func run(_ configuration: PortalConfiguration) async throws {
        let app = makeApplication(configuration)
        try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint])
    }

    static func makeApplication(_ configuration: PortalConfiguration) -> some ApplicationProtocol {
        makeApplication(configuration, routes: PortalRoutes(configuration: configuration, accounts: AccountStore(configuration.database)))
    }

    /// The application serving `routes` (tests look into their caches).
    static func makeApplication(_ configuration: PortalConfiguration, routes: PortalRoutes) -> some ApplicationProtocol {
        let accounts = routes.accounts
        let router = Router(context: PortalContext.self)
        router.add(middleware: ClientAddress(trustedProxies: configuration.trustedProxies))
        router.add(middleware: RequestLog(write: configuration.log))
        router.add(middleware: SecurityHeaders())
        router.add(middleware: APIMethods())
        router.add(middleware: SessionMiddleware(
            storage: SessionDriver(store: accounts),
            configuration: .init(sessionCookieParameters: .init(name: "duban_session", path: "/", secure: configuration.secureCookies,
                                                                 sameSite: .strict),
                                 keyPrefix: "", defaultSessionExpiration: .seconds(8 * 60 * 60))))
        router.add(middleware: PortalAuthenticator(store: accounts))
        router.add(middleware: WriteStampRecorder(stamps: routes.stamps, writes: routes.writes))
        router.add(middleware: CSRFMiddleware())
        routes.register(on: router)
        var logger = Logger(label: "duban.serve")
        logger.logLevel = .warning
        return Application(
            router: router,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "duban"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? configuration.port
                configuration.log("duban serve: listening on http://\(configuration.host):\(port) (plan \(configuration.planID))\n")
            },
            logger: logger)
    }
}
