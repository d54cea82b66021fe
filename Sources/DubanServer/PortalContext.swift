import DubanKit
import Hummingbird
import HummingbirdAuth
import NIOCore

/// What a browser session holds: the account and the session's CSRF token.
struct PortalSession: Codable, Sendable {
    var accountID: Int64
    var csrf: String
}

/// The request context of every route: the authenticated account (from the session cookie or a
/// bearer token), the session, and the peer's address for the audit log.
struct PortalContext: AuthRequestContext, SessionRequestContext, RequestContext {
    var coreContext: CoreRequestContextStorage
    var identity: Account?
    let sessions: SessionContext<PortalSession>
    /// The client's address: the peer's, or, behind a trusted proxy, the one it forwarded
    /// (`ClientAddress`).
    var remoteAddress: String
    /// Set when the identity came from `Authorization: Bearer`, not a cookie.
    var viaToken = false
    /// The form body once read (by the CSRF check), so a route does not parse it again.
    var form: FormFields?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        identity = nil
        sessions = .init()
        remoteAddress = source.channel.remoteAddress?.ipAddress ?? "-"
    }

    /// Forms and uploads: a ledger file is at most 4 MiB; a ledger form with its evidence files
    /// (each at most 5 MiB, `EvidenceFile.maxBytes`) at most this in all.
    var maxUploadSize: Int { 16 * 1024 * 1024 }
}
