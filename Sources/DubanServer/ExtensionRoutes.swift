import DubanKit
import Foundation
import Hummingbird

/// Extension requests (延期申请): a liaison asks, per open item of its unit, for a later due date
/// with a reason; the coordinator approves (the extension is recorded as `duban extension
/// record` records it) or refuses with a reason; both see every request and decision. When a
/// request may be made is `ExtensionRule`; every write is audited by `ExtensionRequestStore`.
/// Writes are dated the server's today, never a day the request names.
extension PortalRoutes {
    func registerExtensionRoutes(on router: Router<PortalContext>) {
        router.get("/extensions") { request, context in try extensionsPage(request, context) }
        router.post("/extensions") { request, context in try await requestExtension(request, context) }
        router.post("/extensions/:id/decision") { request, context in try await decideExtension(request, context) }
        router.get("/api/v1/extension-requests") { request, context in try apiExtensionRequests(request, context) }
        router.post("/api/v1/extension-requests") { request, context in try await apiRequestExtension(request, context) }
        router.post("/api/v1/extension-requests/:id/decision") { request, context in try await apiDecideExtension(request, context) }
    }

    /// What a form sent back with its errors: the item it was for, the values as typed, the
    /// refusals by field.
    struct ExtensionFormState {
        var key: String
        var values: [String: String]
        var refusals: [ExtensionRule.Refusal]
    }

    static let extensionFieldLabels: [ExtensionRule.Refusal.Field: String] = [
        .unit: "单位", .task: "任务", .milestone: "节点", .due: "期限", .newDue: "申请延至", .reason: "理由", .date: "日期",
    ]

    func extensionsPage(_ request: Request, _ context: PortalContext, notice: String = "", status: HTTPResponse.Status = .ok,
                        filled: ExtensionFormState? = nil) throws -> Response {
        let (account, access, csrf) = try signedIn(context)
        let plan = try storedPlan()
        let today = configuration.currentDay
        let units = try unitsAsked(request, plan: plan, access: access)
        var body = notice
        if let unitID = account.unitID, access.mayRequestExtension(for: unitID) {
            let open = try SupervisionSnapshot.owed(database: configuration.database, plan: plan, asOf: today, until: max(plan.end, today),
                                                    units: [unitID])
                .filter { $0.kind == "milestone" && LocalDate(iso: $0.due).map { ExtensionRule.isOpen(currentDue: $0, on: today) } ?? false }
            body += "<h2>申请延期 Request an extension</h2><p>截至 \(today),本单位未到期节点 \(open.count) 项。延期须在当前期限前申请(已延期的,在延期后的期限前),写明理由。</p>"
            body += open.isEmpty ? "<p>无。</p>" : open.map { extensionForm($0, csrf: csrf, filled: filled) }.joined()
        }
        let requests = try ExtensionRequestStore(configuration.database).requests(planID: plan.id, units: units)
        if access.mayCoordinate {
            let pending = requests.filter { $0.state == .pending }
            body += "<h2>待审批 Pending \(pending.count)</h2>"
            body += pending.isEmpty ? "<p>无。</p>" : pending.map { decisionForm($0, plan: plan, csrf: csrf, filled: filled) }.joined()
        }
        body += "<h2>申请记录 Requests</h2>" + Self.extensionRequestsTable(requests, plan: plan)
        var response = Pages.page(title: "延期申请", account: account, csrf: csrf, body: body)
        response.status = status
        return response
    }

    /// One open item with its request form.
    private func extensionForm(_ item: SupervisionJSON.Item, csrf: String, filled: ExtensionFormState?) -> String {
        let key = "\(item.milestone ?? "")@\(item.original_due)"
        let mine = filled?.key == key ? filled : nil
        let errors = { (field: ExtensionRule.Refusal.Field) -> String in
            (mine?.refusals ?? []).filter { $0.field == field }.map { "<span class=\"error\" role=\"alert\">\(Pages.esc($0.message))</span>" }.joined()
        }
        let value = { (name: String) in Pages.esc(mine?.values[name] ?? "") }
        return """
            <form class="extension" method="post" action="/extensions" id="ext-\(Pages.esc(key))">
            <input type="hidden" name="csrf" value="\(Pages.esc(csrf))">
            <input type="hidden" name="task" value="\(item.task.map(String.init) ?? "")">
            <input type="hidden" name="milestone" value="\(Pages.esc(item.milestone ?? ""))">
            <input type="hidden" name="due" value="\(Pages.esc(item.original_due))">
            <p><strong>任务\(item.task.map(String.init) ?? "") [\(Pages.esc(item.milestone ?? ""))]</strong> \(Pages.esc(item.title))<br>
            期限 \(Pages.esc(item.due))\(item.extended ? "(已延期,原定 \(Pages.esc(item.original_due)))" : "") \(errors(.due))\(errors(.task))\(errors(.milestone))</p>
            <label>申请延至 New due date <input type="date" name="new_due" required value="\(value("new_due"))"> \(errors(.newDue))</label>
            <label>理由 Reason<br><textarea name="reason" rows="2" maxlength="\(ExtensionRule.maxReasonLength)" required>\(value("reason"))</textarea> \(errors(.reason))</label>
            <button type="submit">申请延期</button>
            </form>
            """
    }

    /// A pending request with the coordinator's approve and refuse buttons.
    private func decisionForm(_ r: ExtensionRequestRecord, plan: Plan, csrf: String, filled: ExtensionFormState?) -> String {
        let mine = filled?.key == "decision-\(r.id)" ? filled : nil
        let errors = (mine?.refusals ?? []).map { "<p class=\"error\" role=\"alert\">\(Pages.esc($0.message))</p>" }.joined()
        return """
            <form class="decision" method="post" action="/extensions/\(r.id)/decision" id="decide-\(r.id)">
            <input type="hidden" name="csrf" value="\(Pages.esc(csrf))">
            <p><strong>#\(r.id) \(Pages.esc(plan.unit(id: r.unitID)?.name ?? r.unitID))</strong> 任务\(r.task) [\(Pages.esc(r.milestoneID))]
            \(Pages.esc(r.currentDue.description)) → \(Pages.esc(r.newDue.description))(\(Pages.esc(r.requestedOn.description)) \(Pages.esc(r.requestedBy)) 申请)<br>
            理由:\(Pages.esc(r.reason))</p>\(errors)
            <label>审批意见(不批准时必填) Reason<br><textarea name="reason" rows="2" maxlength="\(ExtensionRule.maxReasonLength)">\(Pages.esc(mine?.values["reason"] ?? ""))</textarea></label>
            <button class="primary" type="submit" name="decision" value="approve">批准</button>
            <button type="submit" name="decision" value="refuse">不批准</button>
            </form>
            """
    }

    static func extensionRequestsTable(_ requests: [ExtensionRequestRecord], plan: Plan) -> String {
        guard !requests.isEmpty else { return "<p>无。</p>" }
        var out = "<table><thead><tr><th>编号</th><th>单位</th><th>节点</th><th>期限</th><th>申请延至</th><th>申请</th><th>理由</th><th>状态</th><th>审批</th></tr></thead><tbody>"
        for r in requests {
            let decision = r.decision.map { "\($0.decidedOn) \($0.decidedBy)" + ($0.reason.map { ":" + $0 } ?? "") } ?? ""
            let cells: [(String, String)] = [
                ("编号", "#\(r.id)"), ("单位", plan.unit(id: r.unitID)?.name ?? r.unitID), ("节点", "任务\(r.task) [\(r.milestoneID)]"),
                ("期限", r.currentDue.description), ("申请延至", r.newDue.description), ("申请", "\(r.requestedOn) \(r.requestedBy)"),
                ("理由", r.reason), ("状态", ExtensionRequestJSON.label(r.state)), ("审批", decision),
            ]
            out += "<tr>" + cells.map { "<td data-label=\"\($0.0)\">\(Pages.esc($0.1))</td>" }.joined() + "</tr>"
        }
        return out + "</tbody></table>"
    }

    /// A liaison's request from the page: for its own unit (the coordinator names `unit`).
    func requestExtension(_ request: Request, _ context: PortalContext) async throws -> Response {
        let (account, access, _) = try signedIn(context)
        var request = request
        let form = try await FormFields.read(&request, context: context)
        let plan = try storedPlan()
        let unitID = try extensionUnit(form["unit"], account: account, access: access, plan: plan)
        let key = "\(form["milestone"] ?? "")@\(form["due"] ?? "")"
        do {
            let r = try record(form.values, unitID: unitID, plan: plan, account: account, context: context)
            return try extensionsPage(request, context, notice: "<p class=\"note\" role=\"status\">已提交延期申请 #\(r.id),待牵头单位审批。Request #\(r.id) sent.</p>")
        } catch let refused as ExtensionRequestRefused {
            let list = refused.refusals.map { "<li>\(Pages.esc(Self.extensionFieldLabels[$0.field] ?? $0.field.rawValue)):\(Pages.esc($0.message))</li>" }.joined()
            return try extensionsPage(request, context, notice: "<div class=\"error\" role=\"alert\">未提交(nothing recorded):<ul>\(list)</ul></div>",
                                      status: .unprocessableContent, filled: ExtensionFormState(key: key, values: form.values, refusals: refused.refusals))
        }
    }

    /// The coordinator's decision from the page.
    func decideExtension(_ request: Request, _ context: PortalContext) async throws -> Response {
        let (account, access, _) = try signedIn(context)
        guard access.mayCoordinate else { throw HTTPError(.forbidden, message: "the coordinator decides extension requests") }
        var request = request
        let form = try await FormFields.read(&request, context: context)
        let id = try requestID(context)
        do {
            let r = try decide(id: id, decision: form["decision"], reason: form["reason"], account: account, context: context)
            return try extensionsPage(request, context, notice: "<p class=\"note\" role=\"status\">#\(r.id) \(ExtensionRequestJSON.label(r.state))。</p>")
        } catch let refused as ExtensionRequestRefused {
            let list = refused.refusals.map { "<li>\(Pages.esc($0.message))</li>" }.joined()
            return try extensionsPage(request, context, notice: "<div class=\"error\" role=\"alert\">未处理(nothing recorded):<ul>\(list)</ul></div>",
                                      status: .unprocessableContent,
                                      filled: ExtensionFormState(key: "decision-\(id)", values: form.values, refusals: refused.refusals))
        }
    }

    // MARK: API

    /// The requests the token's account may read, as `duban extension list --format json`.
    func apiExtensionRequests(_ request: Request, _ context: PortalContext) throws -> Response {
        let (_, access) = try apiAccount(context)
        let plan = try storedPlan()
        let units = try unitsAsked(request, plan: plan, access: access)
        let requests = try ExtensionRequestStore(configuration.database).requests(planID: plan.id, units: units)
        return json(JSONOutput.encode(requests.map { ExtensionRequestJSON($0, plan: plan) }))
    }

    /// `{"task": 14, "milestone": "14.1", "due": "2024-12-31", "new_due": "2025-03-31", "reason": "…", "unit": "…"}`:
    /// 201 with the request, or 422 with every error by field.
    func apiRequestExtension(_ request: Request, _ context: PortalContext) async throws -> Response {
        let (account, access) = try apiAccount(context)
        let plan = try storedPlan()
        let body = try await Self.jsonBody(request, context)
        let unitID = try extensionUnit(body["unit"], account: account, access: access, plan: plan)
        do {
            let r = try record(body, unitID: unitID, plan: plan, account: account, context: context)
            var response = json(JSONOutput.encode(ExtensionRequestJSON(r, plan: plan)))
            response.status = .created
            return response
        } catch let refused as ExtensionRequestRefused {
            return Self.refusalResponse(refused)
        }
    }

    /// `{"decision": "approve"|"refuse", "reason": "…"}`: the coordinator's only.
    func apiDecideExtension(_ request: Request, _ context: PortalContext) async throws -> Response {
        let (account, access) = try apiAccount(context)
        guard access.mayCoordinate else { throw HTTPError(.forbidden, message: "the coordinator decides extension requests") }
        let plan = try storedPlan()
        let body = try await Self.jsonBody(request, context)
        do {
            let r = try decide(id: try requestID(context), decision: body["decision"], reason: body["reason"], account: account, context: context)
            return json(JSONOutput.encode(ExtensionRequestJSON(r, plan: plan)))
        } catch let refused as ExtensionRequestRefused {
            return Self.refusalResponse(refused)
        }
    }

    static func refusalResponse(_ refused: ExtensionRequestRefused) -> Response {
        APIJSON.Refusal(message: "\(refused.refusals.count) error(s); nothing recorded",
                        errors: refused.refusals.map { .init(field: $0.field.rawValue, message: $0.message, hint: $0.hint) })
            .response(.unprocessableContent)
    }

    /// The fields the API's extension calls take (others are ignored), each of its JSON type.
    struct ExtensionBody: Decodable {
        var unit, milestone, due, new_due, reason, decision: String?
        var task: Int?

        var values: [String: String] {
            var out: [String: String] = [:]
            for (key, value) in [("unit", unit), ("milestone", milestone), ("due", due), ("new_due", new_due), ("reason", reason),
                                 ("decision", decision), ("task", task.map(String.init))] {
                if let value { out[key] = value }
            }
            return out
        }
    }

    /// A JSON object of `ExtensionBody`'s fields, at most 64 KiB; a field of the wrong type is a bad request.
    static func jsonBody(_ request: Request, _ context: PortalContext) async throws -> [String: String] {
        var request = request
        let body = try await request.collectBody(upTo: 64 * 1024)
        do {
            return try JSONDecoder().decode(ExtensionBody.self, from: Data(buffer: body)).values
        } catch let DecodingError.typeMismatch(_, c), let DecodingError.valueNotFound(_, c) {
            throw HTTPError(.badRequest, message: "\(c.codingPath.map(\.stringValue).joined(separator: ".")): \(c.debugDescription)")
        } catch {
            throw HTTPError(.badRequest, message: "the body is a JSON object")
        }
    }

    // MARK: shared by the page and the API

    /// The unit a request is for: a liaison's own (naming another is 403), the coordinator's
    /// choice (`unit`, required), never a leader's.
    func extensionUnit(_ text: String?, account: Account, access: Permissions, plan: Plan) throws -> String {
        var unitID = account.unitID
        if let text, !text.isEmpty {
            guard text.count <= 64, let ref = plan.resolve(text), ref.kind == .unit else {
                throw HTTPError(.notFound, message: "unit: no unit \"\(String(text.prefix(64)))\" in plan \(plan.id)")
            }
            unitID = ref.id
        }
        guard let unitID, access.mayRequestExtension(for: unitID) else {
            throw HTTPError(.forbidden, message: access.maySubmitLedgers ? "this account asks for its own unit only (or name the unit)"
                                                                        : "a leader reads; requests come from the units")
        }
        return unitID
    }

    func requestID(_ context: PortalContext) throws -> Int64 {
        guard let text = context.parameters.get("id"), text.count <= 18, let id = Int64(text), id > 0 else {
            throw HTTPError(.notFound, message: "no such extension request")
        }
        return id
    }

    /// Reads the request's fields (every problem with them reported with the rule's) and records it.
    func record(_ values: [String: String], unitID: String, plan: Plan, account: Account, context: PortalContext) throws -> ExtensionRequestRecord {
        var problems: [ExtensionRule.Refusal] = []
        let task = values["task"].flatMap { Int($0) }
        if task == nil { problems.append(.init(field: .task, message: "task: expected a task number", hint: "")) }
        let newDue = values["new_due"].flatMap { LocalDate(iso: $0) }.flatMap { (1900...2999).contains($0.year) ? $0 : nil }
        if newDue == nil { problems.append(.init(field: .newDue, message: "new_due: expected a date YYYY-MM-DD", hint: "")) }
        var due: LocalDate?
        if let text = values["due"], !text.isEmpty {
            due = LocalDate(iso: text)
            if due == nil { problems.append(.init(field: .due, message: "due: expected a date YYYY-MM-DD", hint: "")) }
        }
        let milestone = values["milestone"].flatMap { $0.isEmpty ? nil : String($0.prefix(32)) }
        guard let task, let newDue, problems.isEmpty else {
            if case .failure(let r) = ExtensionRule.reason(values["reason"]) { problems.append(r) }
            throw ExtensionRequestRefused(refusals: problems)
        }
        return try ExtensionRequestStore(configuration.database).request(
            plan: plan, unitID: unitID, task: task, milestone: milestone, due: due, newDue: newDue, reason: values["reason"],
            on: configuration.currentDay, by: AuditActor(account, address: context.remoteAddress))
    }

    func decide(id: Int64, decision: String?, reason: String?, account: Account, context: PortalContext) throws -> ExtensionRequestRecord {
        guard let decision, ["approve", "refuse"].contains(decision) else {
            throw ExtensionRequestRefused(refusals: [.init(field: .date, message: "decision: approve or refuse", hint: "")])
        }
        guard let decided = try ExtensionRequestStore(configuration.database).decide(
            plan: try storedPlan(), id: id, approve: decision == "approve", reason: reason, on: configuration.currentDay,
            by: AuditActor(account, address: context.remoteAddress)) else {
            throw HTTPError(.notFound, message: "no extension request #\(id)")
        }
        return decided
    }
}
