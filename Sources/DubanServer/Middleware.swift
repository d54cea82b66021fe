import DubanKit
import Foundation
import Hummingbird
import HummingbirdAuth
import HTTPTypes

/// Finds the account: `Authorization: Bearer TOKEN` on /api, the session cookie elsewhere.
/// A disabled account is no account.
struct PortalAuthenticator: AuthenticatorMiddleware {
    typealias Context = PortalContext
    let store: AccountStore

    func authenticate(request: Request, context: PortalContext) async throws -> Account? {
        if request.uri.path.hasPrefix("/api/") {
            guard let bearer = request.headers.bearer else { return nil }
            let account = try store.account(tokenHash: Secrets.storedHash(bearer.token))
            return account?.disabled == false ? account : nil
        }
        guard let session = context.sessions.session, let account = try store.account(id: session.accountID),
              !account.disabled else { return nil }
        return account
    }
}

/// After a signed-in account's request that may write (any but GET and HEAD) is answered, its
/// transaction committed, the database's stamp is read and kept as that account's
/// (`WriteStamps`): its next reads include what it wrote, even while others are served the last
/// value computed (`ReadCache`).
struct WriteStampRecorder: RouterMiddleware {
    typealias Context = PortalContext
    let stamps: DatabaseStamper
    let writes: WriteStamps

    func handle(_ request: Request, context: PortalContext, next: (Request, PortalContext) async throws -> Response) async throws -> Response {
        guard request.method != .get, request.method != .head, let account = context.identity else { return try await next(request, context) }
        defer {
            // A stamp that cannot be read now: the account's next reads, which read one first, fail too rather than show less.
            if let stamp = try? stamps.stamp() { writes.wrote(account.id, stamp: stamp) }
        }
        return try await next(request, context)
    }
}

/// Every form POST outside /api carries the session's CSRF token in the field `csrf` (the login
/// form, before a session exists, the value of the `duban_login` cookie set with the form).
struct CSRFMiddleware: RouterMiddleware {
    typealias Context = PortalContext

    func handle(_ request: Request, context: PortalContext, next: (Request, PortalContext) async throws -> Response) async throws -> Response {
        guard request.method == .post, !request.uri.path.hasPrefix("/api/") else { return try await next(request, context) }
        let refusal = HTTPError(.forbidden, message: "the form's CSRF token is missing or stale: reload the page and try again")
        // Without a token to expect, the body is not even read.
        guard let expected = context.sessions.session?.csrf ?? (request.uri.path == "/login" ? request.cookies["duban_login"]?.value : nil)
        else { throw refusal }
        var request = request
        let fields = try await FormFields.read(&request, context: context)
        guard let sent = fields["csrf"], Secrets.constantTimeEqual(sent, expected) else { throw refusal }
        var context = context
        context.form = fields
        return try await next(request, context)
    }
}

/// Security headers on every response: no framing, no sniffing, no referrer, scripts and styles
/// from this server only, and nothing cached.
struct SecurityHeaders: RouterMiddleware {
    typealias Context = PortalContext

    func handle(_ request: Request, context: PortalContext, next: (Request, PortalContext) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as HTTPResponseError {
            response = try error.response(from: request, context: context)
        }
        response.headers[.contentSecurityPolicy] = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'"
        for (name, value) in [("X-Frame-Options", "DENY"), ("X-Content-Type-Options", "nosniff"), ("Referrer-Policy", "no-referrer")] {
            if let field = HTTPField.Name(name) { response.headers[field] = value }
        }
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
        return response
    }
}

/// One line per request on stderr: `TIME ADDRESS METHOD PATH STATUS MILLISECONDS LOGIN`
/// (`-` for no account). Query strings are left out: they may hold dates and names, never secrets,
/// but a log is no place for them.
struct RequestLog: RouterMiddleware {
    typealias Context = PortalContext
    let write: @Sendable (String) -> Void

    func handle(_ request: Request, context: PortalContext, next: (Request, PortalContext) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        var status = 500
        defer {
            let ms = (ContinuousClock.now - start).components
            let millis = ms.seconds * 1000 + ms.attoseconds / 1_000_000_000_000_000
            // A calendar URL's path is its secret: never logged.
            let path = request.uri.path.hasPrefix("/calendar/") && request.uri.path != "/calendar/token" ? "/calendar/…" : request.uri.path
            write("\(Timestamp.now()) \(context.remoteAddress) \(request.method) \(path) \(status) \(millis)ms\n")
        }
        do {
            let response = try await next(request, context)
            status = response.status.code
            return response
        } catch let error as HTTPResponseError {
            status = error.status.code
            throw error
        }
    }
}

extension Timestamp {
    /// Now, as the log writes it.
    static func now() -> String { isoSecond(Date()) }
}

/// A method the API does not offer on a path it has gets 405 with `Allow`, not 404. A `*` in a
/// path stands for one segment (an id).
struct APIMethods: RouterMiddleware {
    typealias Context = PortalContext
    static let allowed: [(path: [Substring], methods: [HTTPRequest.Method])] = [
        ("/api/v1/me", [.get, .head]), ("/api/v1/overdue", [.get, .head]), ("/api/v1/ledgers", [.get, .head, .post]),
        ("/api/v1/extension-requests", [.get, .head, .post]), ("/api/v1/reviews", [.get, .head]),
        ("/api/v1/extension-requests/*/decision", [.post]), ("/api/v1/ledgers/*/review", [.post]),
        ("/api/v1/ledgers/*/evidence", [.get, .head]), ("/api/v1/ledgers/*/entries/*/evidence", [.post]),
        ("/api/v1/evidence/*", [.get, .head]),
    ].map { ($0.0.split(separator: "/"), $0.1) }

    /// The methods `path` answers, if the API has it.
    static func methods(_ path: String) -> [HTTPRequest.Method]? {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        return allowed.first { pattern in
            pattern.path.count == segments.count && zip(pattern.path, segments).allSatisfy { $0 == "*" ? !$1.isEmpty : $0 == $1 }
        }?.methods
    }

    func handle(_ request: Request, context: PortalContext, next: (Request, PortalContext) async throws -> Response) async throws -> Response {
        if let methods = Self.methods(request.uri.path), !methods.contains(request.method) {
            throw HTTPError(.methodNotAllowed, headers: [.allow: methods.map(\.rawValue).joined(separator: ", ")],
                            message: "\(request.uri.path) answers \(methods.map(\.rawValue).joined(separator: " and ")) only")
        }
        return try await next(request, context)
    }
}
