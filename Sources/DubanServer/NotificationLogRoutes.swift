import DubanKit
import Foundation
import Hummingbird

/// The coordinator's view of the delivery log of `notify --send` and `serve --notify-at`
/// (发送记录): what went out and, first, what did not, with the error (no secret is stored).
extension PortalRoutes {
    func registerNotificationLogRoutes(on router: Router<PortalContext>) {
        router.get("/notifications") { request, context in try notificationLogPage(request, context) }
    }

    /// The last 31 days up to `as_of`, failures first, then newest day first.
    func notificationLogPage(_ request: Request, _ context: PortalContext) throws -> Response {
        let (account, permissions, csrf) = try signedIn(context)
        guard permissions.mayCoordinate else { throw HTTPError(.forbidden, message: "the delivery log is the coordinator's") }
        let plan = try storedPlan()
        let asOf = try day(request)
        let entries = try NotificationStore(configuration.database).log(planID: plan.id, since: asOf.adding(days: -30), until: asOf)
        let failed = entries.filter { !$0.sent }
        let ordered = failed + entries.filter(\.sent)
        var body = "<p>\(asOf.adding(days: -30)) 至 \(asOf):发送 \(entries.count) 条,其中<strong>失败 \(failed.count) 条</strong>"
            + "(已用尽当天重试次数或仍待重试;`duban notify log --failed` 同此)。</p>"
        if entries.isEmpty { body += "<p>无发送记录。</p>" }
        body += "<table><thead><tr><th>日期</th><th>类型</th><th>单位</th><th>渠道</th><th>接收方</th><th>状态</th><th>尝试</th><th>最后错误</th></tr></thead><tbody>"
        for e in ordered {
            let cells: [(String, String)] = [("日期", e.key.day.description), ("类型", e.key.kind == NotificationMessage.reminder ? "督办提醒" : "延期审批结果"),
                                             ("单位", e.unitName), ("渠道", "\(e.channelKind) \(e.key.channelID)"), ("接收方", e.key.recipient),
                                             ("状态", e.sent ? "已发送" : "失败"), ("尝试", String(e.attempts)), ("最后错误", e.lastError ?? "")]
            body += "<tr\(e.sent ? "" : " class=\"late\"")>" + cells.map { "<td data-label=\"\($0.0)\">\(Pages.esc($0.1))</td>" }.joined() + "</tr>"
        }
        body += "</tbody></table>"
        return Pages.page(title: "发送记录", account: account, csrf: csrf, body: body)
    }
}
