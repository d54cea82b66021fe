import DubanKit
import Foundation
import Hummingbird

/// The secret calendar URLs: `GET /calendar/TOKEN.ics` gives a unit's feed (the same as `duban
/// calendar --unit U`; the whole plan's for the coordinator's token) to any calendar app, with no
/// session; `/calendar` shows whether a unit has one and makes a new one (the old stops at once):
/// a liaison for its unit, the coordinator for any unit and for the whole plan.
public enum CalendarURL {
    /// A new token: `cal_` and 32 random bytes, URL-safe.
    public static func newToken() -> String { "cal_" + Secrets.randomToken() }

    /// The path `duban serve` answers the token's feed at.
    public static func path(_ token: String) -> String { "/calendar/\(token).ics" }

    /// The token of a `TOKEN.ics` path component, if it has the form of one.
    static func token(file: String) -> String? {
        guard file.hasSuffix(".ics"), file.count <= 100 else { return nil }
        let token = String(file.dropLast(4))
        guard token.hasPrefix("cal_"), token.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }) else { return nil }
        return token
    }
}

extension PortalRoutes {
    func registerCalendarRoutes(on router: Router<PortalContext>) {
        router.get("/calendar/:file") { request, context in try calendarFeed(request, context) }
        router.get("/calendar") { request, context in try calendarPage(request, context) }
        router.post("/calendar/token") { request, context in try await rotateCalendarToken(request, context) }
    }

    /// The feed of the token's unit (or every unit), as of the server's today; 404 for any other path.
    func calendarFeed(_ request: Request, _ context: PortalContext) throws -> Response {
        let notFound = HTTPError(.notFound, message: "no such calendar")
        guard let file = context.parameters.get("file"), let token = CalendarURL.token(file: file) else { throw notFound }
        let plan = try storedPlan()
        guard let scope = try CalendarTokenStore(configuration.database).scope(planID: plan.id, tokenHash: Secrets.storedHash(token)) else {
            throw notFound
        }
        let name = scope.flatMap { plan.unit(id: $0)?.name } ?? "全部单位"
        let text = try ICalendar.feed(database: configuration.database, plan: plan, units: scope.map { [$0] }, name: name,
                                      asOf: configuration.currentDay)
        return Response(status: .ok, headers: [.contentType: "text/calendar; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// The units whose calendar URL this account may replace: a liaison its own, the coordinator
    /// every unit and the whole plan (nil), a leader none.
    func calendarScopes(_ access: Permissions, plan: Plan) -> [String?] {
        if access.mayCoordinate { return [nil] + plan.units.map(\.id) }
        return plan.units.map(\.id).filter { access.account.role == .liaison && access.mayRequestExtension(for: $0) }
    }

    func calendarPage(_ request: Request, _ context: PortalContext, notice: String = "") throws -> Response {
        let (account, access, csrf) = try signedIn(context)
        let plan = try storedPlan()
        let scopes = calendarScopes(access, plan: plan)
        guard !scopes.isEmpty else { throw HTTPError(.forbidden, message: "a leader has no calendar URL to manage") }
        let store = CalendarTokenStore(configuration.database)
        var body = notice + """
            <p>订阅地址(日历订阅 URL)无需登录即可读取本单位的到期事项(与 duban calendar 相同),请勿外传。
            重新生成后旧地址立即失效。The URL is secret; a new one stops the old at once.</p>
            <table><thead><tr><th>单位</th><th>订阅地址</th><th></th></tr></thead><tbody>
            """
        for scope in scopes {
            let name = scope.flatMap { plan.unit(id: $0)?.name } ?? "全部单位(牵头单位)"
            let since = try store.created(planID: plan.id, unitID: scope).map { "已生成(\($0))" } ?? "未生成"
            body += "<tr><td data-label=\"单位\">\(Pages.esc(name))</td><td data-label=\"订阅地址\">\(Pages.esc(since))</td><td>"
                + "<form method=\"post\" action=\"/calendar/token\"><input type=\"hidden\" name=\"csrf\" value=\"\(Pages.esc(csrf))\">"
                + "<input type=\"hidden\" name=\"unit\" value=\"\(Pages.esc(scope ?? "*"))\"><button type=\"submit\">生成新地址</button></form></td></tr>"
        }
        body += "</tbody></table>"
        return Pages.page(title: "日历订阅", account: account, csrf: csrf, body: body)
    }

    /// A new token for the unit (`*`: the whole plan), shown once.
    func rotateCalendarToken(_ request: Request, _ context: PortalContext) async throws -> Response {
        let (account, access, _) = try signedIn(context)
        var request = request
        let form = try await FormFields.read(&request, context: context)
        let plan = try storedPlan()
        let asked = form["unit"] ?? ""
        let scope: String? = asked == "*" ? nil : asked
        guard calendarScopes(access, plan: plan).contains(scope) else {
            throw HTTPError(.forbidden, message: "this account makes its own unit's calendar URL only")
        }
        let token = CalendarURL.newToken()
        try CalendarTokenStore(configuration.database).replace(planID: plan.id, unitID: scope, tokenHash: Secrets.storedHash(token),
                                                               by: AuditActor(account, address: context.remoteAddress))
        let host = request.head.authority.map { Pages.esc(String($0.prefix(255))) } ?? ""
        let path = CalendarURL.path(token)
        let name = scope.flatMap { plan.unit(id: $0)?.name } ?? "全部单位"
        return try calendarPage(request, context, notice: """
            <div class="note" role="status"><p>\(Pages.esc(name))的新订阅地址(只显示这一次,请复制保存):</p>
            <p><input type="text" readonly aria-label="订阅地址" id="calendar-url" value="\(host.isEmpty ? "" : (configuration.secureCookies ? "https://" : "http://") + host)\(Pages.esc(path))"></p></div>
            """)
    }
}
