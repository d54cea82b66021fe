import DubanKit
import Foundation
import Hummingbird

/// Ledger review (审核): the coordinator's queue, each ledger with its entries and evidence and
/// the accept and return buttons; everyone else reads the decisions about the units they may
/// read. Only for plans with `ledgers.review: required`. The rules are `LedgerReviewRule`; the
/// decision and its audit line are one transaction (`LedgerStore.review`), dated the server's today.
extension PortalRoutes {
    func registerReviewRoutes(on router: Router<PortalContext>) {
        router.get("/reviews") { request, context in try reviewsPage(request, context) }
        router.post("/reviews/:id") { request, context in try await decideReview(request, context) }
        router.get("/api/v1/reviews") { request, context in try apiReviews(request, context) }
        router.post("/api/v1/ledgers/:id/review") { request, context in try await apiReviewLedger(request, context) }
    }

    /// `duban ledger reviews --format json [--all]` for the units the token may read; `[]` for a
    /// plan that does not review ledgers.
    func apiReviews(_ request: Request, _ context: PortalContext) throws -> Response {
        let (_, access) = try apiAccount(context)
        let plan = try storedPlan()
        let units = try unitsAsked(request, plan: plan, access: access)
        let all: Bool
        switch request.uri.queryParameters["all"].map(String.init) {
        case nil, "false": all = false
        case "true": all = true
        default: throw HTTPError(.badRequest, message: "all: true or false")
        }
        let rows = ReviewReports.rows(plan, submissions: try LedgerStore(configuration.database).submissions(plan: plan.id),
                                      asOf: try day(request), all: all, units: units)
        return json(JSONOutput.encode(ReviewReports.objects(rows, plan: plan)))
    }

    /// `{"decision": "accept"|"return", "reason": "…"}` on ledger ID: the coordinator's only; 200
    /// with the ledger's review as `ledger reviews` lists it, or 422 with why nothing was recorded.
    func apiReviewLedger(_ request: Request, _ context: PortalContext) async throws -> Response {
        let (account, access) = try apiAccount(context)
        guard access.mayCoordinate else { throw HTTPError(.forbidden, message: "the coordinator reviews ledgers") }
        guard let text = context.parameters.get("id"), text.count <= 18, let id = Int64(text), id > 0 else {
            throw HTTPError(.notFound, message: "no such ledger")
        }
        let body = try await Self.jsonBody(request, context)
        guard let decision = body["decision"].flatMap(ReviewDecision.init(rawValue:)) else {
            throw HTTPError(.badRequest, message: "decision: accept or return")
        }
        let plan = try storedPlan()
        do {
            let receipt = try LedgerStore(configuration.database).review(
                plan: plan, .submission(id), decision: decision, reason: body["reason"] ?? "", on: configuration.currentDay,
                by: "\(account.name)(\(account.login))", actor: AuditActor(account, address: context.remoteAddress))
            let row = ReviewReports.Row(submission: receipt.submission, state: decision == .accept ? .accepted : .returned)
            return json(JSONOutput.encode(ReviewReports.objects([row], plan: plan)[0]))
        } catch let refused as LedgerRefusal {
            return APIJSON.Refusal(message: refused.text + "; nothing recorded").response(.unprocessableContent)
        }
    }

    func reviewsPage(_ request: Request, _ context: PortalContext, notice: String = "", status: HTTPResponse.Status = .ok,
                     returning: (id: Int64, reason: String)? = nil) throws -> Response {
        let (account, access, csrf) = try signedIn(context)
        let plan = try storedPlan()
        let today = configuration.currentDay
        var body = notice
        let units = try unitsAsked(request, plan: plan, access: access)
        guard LedgerReviewRule.policy(plan) == .required else {
            body += "<p>本方案不审核台账(ledgers.review: none):台账报送即有效。This plan does not review ledgers.</p>"
            return Pages.page(title: "台账审核", account: account, csrf: csrf, body: body)
        }
        let submissions = try LedgerStore(configuration.database).submissions(plan: plan.id)
        if access.mayCoordinate {
            let queue = ReviewReports.rows(plan, submissions: submissions, asOf: today, all: false, units: units)
            body += "<h2>待审核 Pending \(queue.count)</h2>"
            // The entries and the files of every ledger listed: one query each, not one a ledger.
            let ids = queue.map(\.submission.id)
            let records = try LedgerStore(configuration.database).records(submissions: ids)
            let files = Dictionary(grouping: try EvidenceStore(configuration.database).attachments(submissions: ids), by: \.submissionID)
            body += queue.isEmpty ? "<p>无。</p>" : queue.map {
                reviewForm($0.submission, records: records[$0.submission.id] ?? [], files: files[$0.submission.id] ?? [],
                           plan: plan, csrf: csrf, returning: returning)
            }.joined()
        }
        let decided = ReviewReports.rows(plan, submissions: submissions, asOf: today, all: true, units: units).filter { $0.state != .pending }
        body += "<h2>审核记录 Decisions</h2>" + Self.reviewTable(decided, plan: plan)
        var response = Pages.page(title: "台账审核", account: account, csrf: csrf, body: body)
        response.status = status
        return response
    }

    /// One pending ledger: its entries, its evidence files, and the two buttons.
    private func reviewForm(_ s: LedgerSubmission, records: [ProgressRecord], files: [EvidenceAttachment], plan: Plan, csrf: String,
                            returning: (id: Int64, reason: String)?) -> String {
        var rows = ""
        for r in records {
            rows += "<tr>" + [("任务", r.task.map(String.init) ?? "—"), ("节点", r.milestone ?? ""), ("状态", r.status.label),
                              ("比例", r.percent.map { "\($0)%" } ?? ""), ("进展情况", r.progress), ("存在问题", r.problems)]
                .map { "<td data-label=\"\($0.0)\">\(Pages.esc($0.1))</td>" }.joined() + "</tr>"
        }
        let mine = returning?.id == s.id ? returning : nil
        return """
            <section class="review" id="review-\(s.id)">
            <h3>#\(s.id) \(Pages.esc(plan.unit(id: s.unitID)?.name ?? s.unitID)) \(Pages.esc(s.period))</h3>
            <p>报送日期 \(Pages.esc(s.submittedOn.description)),联络员 \(Pages.esc(s.liaison.name)),\(s.entryCount) 条\(s.supersedes.map { ",更正 #\($0)" } ?? "")。</p>
            <details><summary>台账内容 Entries</summary><table><thead><tr><th>任务</th><th>节点</th><th>状态</th><th>比例</th><th>进展情况</th><th>存在问题</th></tr></thead><tbody>\(rows)</tbody></table></details>
            \(Self.evidenceList(files))
            <form method="post" action="/reviews/\(s.id)">
            <input type="hidden" name="csrf" value="\(Pages.esc(csrf))">
            <label>退回原因(退回时必填) Reason for a return<br><textarea name="reason" rows="2" maxlength="\(LedgerReviewRule.maxReasonLength)">\(Pages.esc(mine?.reason ?? ""))</textarea></label>
            <button class="primary" type="submit" name="decision" value="accept">通过</button>
            <button type="submit" name="decision" value="return">退回</button>
            </form>
            </section>
            """
    }

    static func reviewTable(_ rows: [ReviewReports.Row], plan: Plan) -> String {
        guard !rows.isEmpty else { return "<p>无。</p>" }
        let objects = ReviewReports.objects(rows, plan: plan)
        var out = "<table><thead><tr><th>编号</th><th>单位</th><th>期间</th><th>报送日期</th><th>审核</th><th>审核日期</th><th>审核人</th><th>退回原因</th></tr></thead><tbody>"
        for o in objects {
            let cells: [(String, String)] = [
                ("编号", "#\(o.submission)" + (o.superseded_by.map { " → #\($0)" } ?? "")), ("单位", o.unit_name), ("期间", o.period),
                ("报送日期", o.submitted_on), ("审核", o.review_label), ("审核日期", o.decided_on ?? ""), ("审核人", o.decided_by ?? ""),
                ("退回原因", o.reason ?? ""),
            ]
            out += "<tr>" + cells.map { "<td data-label=\"\($0.0)\">\(Pages.esc($0.1))</td>" }.joined() + "</tr>"
        }
        return out + "</tbody></table>"
    }

    /// The coordinator's decision: `decision=accept|return`, `reason`.
    func decideReview(_ request: Request, _ context: PortalContext) async throws -> Response {
        let (account, access, _) = try signedIn(context)
        guard access.mayCoordinate else { throw HTTPError(.forbidden, message: "the coordinator reviews ledgers") }
        var request = request
        let form = try await FormFields.read(&request, context: context)
        guard let text = context.parameters.get("id"), text.count <= 18, let id = Int64(text), id > 0 else {
            throw HTTPError(.notFound, message: "no such ledger")
        }
        let reason = form["reason"] ?? ""
        guard let decision = form["decision"].flatMap(ReviewDecision.init(rawValue:)) else {
            return try reviewsPage(request, context, notice: "<div class=\"error\" role=\"alert\">decision: 通过 (accept) or 退回 (return)</div>",
                                   status: .unprocessableContent, returning: (id, reason))
        }
        do {
            let receipt = try LedgerStore(configuration.database).review(
                plan: try storedPlan(), .submission(id), decision: decision, reason: reason, on: configuration.currentDay,
                by: "\(account.name)(\(account.login))", actor: AuditActor(account, address: context.remoteAddress))
            let s = receipt.submission
            return try reviewsPage(request, context, notice: "<p class=\"note\" role=\"status\">#\(s.id) \(Pages.esc(s.unitID)) \(Pages.esc(s.period)):已\(decision.label)。</p>")
        } catch let refused as LedgerRefusal {
            return try reviewsPage(request, context, notice: "<div class=\"error\" role=\"alert\">未处理(nothing recorded):\(Pages.esc(refused.text))</div>",
                                   status: .unprocessableContent, returning: (id, reason))
        }
    }
}
