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

    public init(host: String, port: Int, database: DubanDatabase, planID: String, secureCookies: Bool, today: LocalDate?,
                log: @escaping @Sendable (String) -> Void, trustedProxies: Set<String> = []) {
        self.trustedProxies = trustedProxies
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
        let accounts = AccountStore(configuration.database)
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
        router.add(middleware: CSRFMiddleware())
        let routes = PortalRoutes(configuration: configuration, accounts: accounts)
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
