import DubanKit
import Foundation
import Hummingbird

/// The reminder texts (提醒), the escalation ladder (督办) and the per-unit scoreboard (排名):
/// the facts of `duban notify`, `duban escalate` and the digest's unit table, each narrowed to
/// the units the account may read.
extension PortalRoutes {
    func registerSupervisionRoutes(on router: Router<PortalContext>) {
        router.get("/notices") { request, context in try noticesPage(request, context) }
        router.get("/escalate") { request, context in try escalatePage(request, context) }
        router.get("/scoreboard") { request, context in try scoreboardPage(request, context) }
    }

    /// Per unit, the reminder as `duban notify --format text` writes it, in a box ready to copy;
    /// the window is the plan's `escalation.remind_before_days`.
    func noticesPage(_ request: Request, _ context: PortalContext) throws -> Response {
        let (account, csrf, plan, asOf, until, _, states) = try openItems(request, context)
        let liaisons = try SupervisionStore(configuration.database).liaisons(planID: plan.id, asOf: asOf)
        let notices = SupervisionLists.notices(plan: plan, states: states, liaisons: liaisons,
                                               asOf: asOf, until: until)
        var body = "<p>截至 \(asOf),提醒 \(notices.count) 个单位(到期窗口至 \(until))。每段文字可直接复制发送。</p>"
        for n in notices {
            let who = [n.liaison, n.phone].compactMap { $0 }.joined(separator: " ")
            body += "<section><h2>\(Pages.esc(n.unit_name))\(n.own ? "(牵头单位自身待办)" : "")</h2>"
            body += "<p class=\"note\">逾期 \(n.overdue.count) 项,即将到期 \(n.due_soon.count) 项\(who.isEmpty ? "" : ";联络员 " + Pages.esc(who))</p>"
            let text = SupervisionReports.noticeText(n, plan: plan, asOf: asOf)
            let rows = min(max(text.split(separator: "\n", omittingEmptySubsequences: false).count, 3), 30)
            body += "<textarea readonly rows=\"\(rows)\" aria-label=\"\(Pages.esc(n.unit_name)) 提醒\">\(Pages.esc(text))</textarea></section>"
        }
        if notices.isEmpty { body += "<p>无需提醒。</p>" }
        return Pages.page(title: "提醒", account: account, csrf: csrf, body: body)
    }

    /// The ladder 提醒 → 函告提醒 → 通报 → 提请追责问责 with each unit's reason, the coordinator's
    /// own follow-ups and the milestones behind schedule, as `duban escalate`.
    /// The coordinator also gets the form that records a step (`actionForm`).
    func escalatePage(_ request: Request, _ context: PortalContext, notice: String = "", status: HTTPResponse.Status = .ok,
                      filled: ActionFormState? = nil) throws -> Response {
        let (account, csrf, plan, asOf, until, snapshot, states) = try openItems(request, context)
        let lists = SupervisionLists.escalations(plan: plan, states: states,
                                                 actions: snapshot.actions.map(\.fact), asOf: asOf, dueSoonUntil: until)
        var body = notice + "<p>截至 \(asOf),督办单位 \(lists.units.count) 个(提醒 → 函告提醒 → 通报 → 提请追责问责)。</p>"
        if lists.units.isEmpty {
            body += "<p>无。</p>"
        } else {
            body += "<table><thead><tr><th>等级</th><th>单位</th><th>逾期</th><th>最长逾期天数</th><th>已采取</th><th>原因</th></tr></thead><tbody>"
            for r in lists.units {
                let taken = r.last_action.map { (EscalationLevel(keyword: $0)?.label ?? $0) + " " + (r.last_action_on ?? "") } ?? ""
                body += "<tr><td data-label=\"等级\" class=\"level-\(Pages.esc(r.colour))\">\(Pages.esc(r.level_label))</td>"
                    + "<td data-label=\"单位\">\(Pages.esc(r.unit_name))</td>"
                    + "<td data-label=\"逾期\" class=\"n\">\(r.overdue_items)</td>"
                    + "<td data-label=\"最长逾期天数\" class=\"n\">\(r.days_overdue)</td>"
                    + "<td data-label=\"已采取\">\(Pages.esc(taken))</td>"
                    + "<td data-label=\"原因\" class=\"note\">\(Pages.esc(r.reason))</td></tr>"
            }
            body += "</tbody></table>"
        }
        if let own = lists.coordinatorFollowUps {
            body += "<h2>牵头单位自身待办(不列入督办):\(Pages.esc(own.unit_name))</h2>"
            body += "<p>逾期 \(own.overdue_items) 项,即将到期 \(own.due_soon_items) 项。</p>" + Pages.itemsTable(own.items, showUnit: false)
        }
        if !lists.behindSchedule.isEmpty {
            body += "<h2>序时进度滞后 \(lists.behindSchedule.count) 项</h2><table><thead><tr><th>序时进度</th><th>单位</th><th>节点</th><th>期限</th><th>已过时间</th><th>完成</th></tr></thead><tbody>"
            for b in lists.behindSchedule {
                body += "<tr><td data-label=\"序时进度\" class=\"level-\(Pages.esc(b.colour))\">\(b.colour == "red" ? "红" : "黄")</td>"
                    + "<td data-label=\"单位\">\(Pages.esc(b.unit_name))</td><td data-label=\"节点\">\(Pages.esc(b.milestone ?? ""))</td>"
                    + "<td data-label=\"期限\">\(Pages.esc(b.due))</td><td data-label=\"已过时间\" class=\"n\">\(b.elapsed)%</td>"
                    + "<td data-label=\"完成\" class=\"n\">\(b.percent)%</td></tr>"
            }
            body += "</tbody></table>"
        }
        if Permissions(account).mayCoordinate {
            body += actionForm(plan: plan, csrf: csrf, today: configuration.currentDay, filled: filled)
        }
        var response = Pages.page(title: "督办等级", account: account, csrf: csrf, body: body)
        response.status = status
        return response
    }

    /// The digest's per-unit table for the week ending on `as_of`: ledgers due, on time, late and
    /// missing, the on-time rate, milestones due and done, overdue items, the step on the ladder.
    /// It ranks every unit against the others: coordinator and leaders only.
    func scoreboardPage(_ request: Request, _ context: PortalContext) throws -> Response {
        let (account, access, csrf) = try signedIn(context)
        guard access.mayReadEverything else { throw HTTPError(.forbidden, message: "the scoreboard compares every unit: coordinator and leaders") }
        let served = try servedPlan()
        let asOf = try day(request)
        let digest = try Digest.make(database: configuration.database, plan: served.plan, planSHA256: served.planSHA256, asOf: asOf)
        var body = "<p>截至 \(asOf),各单位台账报送与节点完成情况(与周报同一数据)。</p>"
        body += "<table><thead><tr><th>单位</th><th>到期台账</th><th>按时</th><th>迟报</th><th>未报</th><th>按时率</th><th>到期节点</th><th>已完成</th><th>逾期事项</th><th>督办等级</th></tr></thead><tbody>"
        for row in digest.units {
            let level = EscalationLevel(keyword: row.level)?.label ?? row.level
            let cells: [(String, String, String)] = [
                ("单位", row.unit.name, ""), ("到期台账", String(row.ledgersDue), "n"), ("按时", String(row.ledgersOnTime), "n"),
                ("迟报", String(row.ledgersLate), "n"), ("未报", String(row.ledgersMissing), row.ledgersMissing > 0 ? "n late" : "n"),
                ("按时率", row.onTimeRate.map { "\($0)%" } ?? "—", "n"), ("到期节点", String(row.milestonesDue), "n"),
                ("已完成", String(row.milestonesDone), "n"), ("逾期事项", String(row.overdueItems), row.overdueItems > 0 ? "n late" : "n"),
                ("督办等级", level, ""),
            ]
            body += "<tr>" + cells.map { "<td data-label=\"\($0.0)\" class=\"\($0.2)\">\(Pages.esc($0.1))</td>" }.joined() + "</tr>"
        }
        body += "</tbody></table>"
        return Pages.page(title: "各单位情况", account: account, csrf: csrf, body: body)
    }

    /// What the reminder and escalation pages start from: the account, the day, the end of the
    /// plan's reminder window (`escalation.remind_before_days`), and the open items of the units
    /// asked for and readable (a snapshot read for a group may hold more: `states` are those units' only).
    private func openItems(_ request: Request, _ context: PortalContext) throws
        -> (account: Account, csrf: String, plan: Plan, asOf: LocalDate, until: LocalDate, snapshot: SupervisionSnapshot, states: [ItemState]) {
        let (account, access, csrf) = try signedIn(context)
        let plan = try storedPlan()
        let asOf = try day(request)
        let units = try unitsAsked(request, plan: plan, access: access)
        let window = Window(count: Ladder.rules(plan).remindBeforeDays, workingDays: false)
        let until = window.end(from: asOf, calendar: plan.calendar).date
        let snapshot = try SupervisionSnapshot(database: configuration.database, plan: plan, asOf: asOf, units: units, openOnly: true) { !$0.isDone }
        let states = units.map { ids in snapshot.states.filter { ids.contains($0.item.unitID) } } ?? snapshot.states
        return (account, csrf, plan, asOf, until, snapshot, states)
    }
}
