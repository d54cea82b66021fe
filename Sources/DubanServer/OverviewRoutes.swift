import DubanKit
import Foundation
import Hummingbird

/// The coordinator's and leaders' overview pages: the ledger grid and the weekly digest.
extension PortalRoutes {
    func registerOverviewRoutes(on router: Router<PortalContext>) {
        router.get("/ledgers") { request, context in try await ledgerGridPage(request, context) }
        router.get("/digest") { request, context in try digestPage(request, context) }
    }

    /// Units × periods, 已报 迟报 未报 待报, as `duban ledgers`; each received cell names its
    /// submission. A liaison sees its own unit's row.
    func ledgerGridPage(_ request: Request, _ context: PortalContext) async throws -> Response {
        let (account, permissions, csrf) = try signedIn(context)
        let state = try readState(account)
        let plan = state.plan
        let asOf = try day(request)
        let readable = permissions.readableUnits
        let (cells, stamp) = try await ledgerCells(state, asOf: asOf, units: readable)
        let table = try await rendered(.ledgerGridTable(asOf), units: readable, stamp: stamp) {
            Self.gridTable(cells, plan: plan, periods: LedgerCalendar.periods(plan, asOf: asOf))
        }
        let body = "<p>截至 \(asOf),台账报送情况(已报 迟报 未报 待报)。</p>" + table
        return Pages.page(title: "台账报送情况", account: account, csrf: csrf, body: body)
    }

    /// The grid's table: a row per unit that has cells, a column per period.
    static func gridTable(_ cells: [LedgerCell], plan: Plan, periods: [ReportingPeriod]) -> String {
        var byUnit: [String: [String: LedgerCell]] = [:]
        for cell in cells { byUnit[cell.unitID, default: [:]][cell.period.description] = cell }
        var body = "<div style=\"overflow-x:auto\"><table class=\"grid\"><thead><tr><th>单位</th>"
            + periods.map { "<th>\(Pages.esc($0.description))</th>" }.joined() + "</tr></thead><tbody>"
        for unit in plan.units where byUnit[unit.id] != nil {
            let row = byUnit[unit.id] ?? [:]
            body += "<tr><th>\(Pages.esc(unit.name))</th>"
            for period in periods {
                guard let cell = row[period.description] else { body += "<td>—</td>"; continue }
                let number = cell.submissionID.map { " #\($0)" } ?? ""
                let css = cell.state == .missing ? "late" : ""
                body += "<td class=\"\(css)\" title=\"\(Pages.esc(cell.period.description)) 应于 \(cell.due) 前报送\">\(Pages.esc(cell.state.label + number))</td>"
            }
            body += "</tr>"
        }
        return body + "</tbody></table></div>"
    }

    /// The weekly digest of the week ending on `as_of`: the same document as `duban digest --format html`.
    func digestPage(_ request: Request, _ context: PortalContext) throws -> Response {
        let (_, permissions, _) = try signedIn(context)
        guard permissions.mayReadEverything else { throw HTTPError(.forbidden, message: "the digest covers every unit: coordinator and leaders") }
        let served = try servedPlan()
        let asOf = try day(request)
        let language: DigestLanguage = request.uri.queryParameters["lang"] == "en" ? .en : .zh
        let digest = try Digest.make(database: configuration.database, plan: served.plan, planSHA256: served.planSHA256, asOf: asOf)
        return Pages.html(DigestHTMLRenderer.render(digest, language: language))
    }
}
