import HTTPTypes
import Hummingbird

/// The address the audit log, the login throttle and the request log name. Behind a reverse
/// proxy every peer is the proxy; when the peer is one of `trustedProxies`, the client is the
/// right-most address of `X-Forwarded-For` that is not itself a trusted proxy (the left-most
/// entries are whatever the client chose to send). Anything that is not an IP address is
/// ignored, and without trusted proxies the header is never read.
struct ClientAddress: RouterMiddleware {
    typealias Context = PortalContext
    let trustedProxies: Set<String>

    func handle(_ request: Request, context: PortalContext, next: (Request, PortalContext) async throws -> Response) async throws -> Response {
        var context = context
        if trustedProxies.contains(context.remoteAddress), let name = HTTPField.Name.xForwardedFor {
            let forwarded = request.headers[values: name].joined(separator: ",")
            context.remoteAddress = Self.client(peer: context.remoteAddress, forwardedFor: forwarded, trusted: trustedProxies)
        }
        return try await next(request, context)
    }

    /// The client of a request that came through `peer`, a trusted proxy.
    static func client(peer: String, forwardedFor: String, trusted: Set<String>) -> String {
        guard forwardedFor.utf8.count <= 4096 else { return peer }
        let hops = forwardedFor.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        for hop in hops.reversed() {
            guard isIPAddress(hop) else { return peer } // a hop that is no address: stop believing the chain
            if !trusted.contains(hop) { return hop }
        }
        return peer
    }

    /// An IPv4 or IPv6 address as written in the header (no port, no brackets).
    static func isIPAddress(_ text: String) -> Bool {
        guard (2...45).contains(text.utf8.count) else { return false }
        if text.contains(":") {
            return text.unicodeScalars.allSatisfy { $0 == ":" || $0 == "." || $0.properties.isASCIIHexDigit }
        }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { part in
            !part.isEmpty && part.count <= 3 && part.allSatisfy(\.isASCIIDigit) && (Int(part) ?? 256) <= 255
        }
    }
}

private extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

extension HTTPField.Name {
    static let xForwardedFor = HTTPField.Name("X-Forwarded-For")
}

extension PortalConfiguration {
    /// Whether `text` is an IPv4 or IPv6 address as `--trusted-proxy` takes it.
    public static func isIPAddress(_ text: String) -> Bool { ClientAddress.isIPAddress(text) }
}
