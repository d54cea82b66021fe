import DubanKit
import Foundation
import Hummingbird

/// The liaison's ledger pages: the template to download, the upload checked exactly as
/// `duban ledger submit` checks a file, the receipt (回执), and the unit's submissions.
extension PortalRoutes {
    func registerLedgerRoutes(on router: Router<PortalContext>) {
        router.get("/ledger") { request, context in try ledgerPage(request, context) }
        router.get("/ledger/template") { request, context in try ledgerTemplate(request, context) }
        router.post("/ledger") { request, context in try await submitLedger(request, context) }
    }

    /// The unit a ledger page is about: a liaison's own; a coordinator names one (`unit=`).
    func ledgerUnit(_ request: Request, plan: Plan, account: Account) throws -> PlanUnit? {
        if let id = account.unitID { return plan.unit(id: id) }
        guard let text = request.uri.queryParameters["unit"].map(String.init), !text.isEmpty else { return nil }
        guard text.count <= 64, let ref = plan.resolve(text), ref.kind == .unit, let unit = plan.unit(id: ref.id) else {
            throw HTTPError(.badRequest, message: "unit: no unit \"\(String(text.prefix(64)))\" in plan \(plan.id)")
        }
        return unit
    }

    func ledgerPage(_ request: Request, _ context: PortalContext, notice: String = "", status: HTTPResponse.Status = .ok,
                    filled: LedgerFormPage.Filled? = nil) throws -> Response {
        let (account, permissions, csrf) = try signedIn(context)
        let plan = try storedPlan()
        let today = try day(request)
        guard permissions.maySubmitLedgers else { throw HTTPError(.forbidden, message: "a leader reads; ledgers come from the units") }
        var body = notice
        guard let unit = try ledgerUnit(request, plan: plan, account: account) else {
            body += "<p>选择单位 Choose a unit:</p><ul>" + plan.units.map {
                "<li><a href=\"/ledger?unit=\(Pages.esc($0.id))\">\(Pages.esc($0.name))</a></li>"
            }.joined() + "</ul>"
            return Pages.page(title: "工作台账", account: account, csrf: csrf, body: body)
        }
        guard permissions.maySubmitLedger(for: unit.id) else { throw HTTPError(.forbidden, message: "this account does not report for \(unit.name)") }
        let submissions = try LedgerStore(configuration.database).submissions(plan: plan.id).filter { $0.unitID == unit.id }
        // Returned ledgers not yet resubmitted, first: the unit owes them again.
        for s in submissions where s.supersededBy == nil {
            guard let review = s.review, review.decision == .return else { continue }
            body += "<div class=\"error\" role=\"alert\">\(Pages.esc(s.period)) 台账(#\(s.id))已于 \(Pages.esc(review.decidedOn.description)) 被退回:"
                + "\(Pages.esc(review.reason))。请修改后重新报送(报送日期不早于退回日期)。</div>"
        }
        let period = LedgerTemplate.defaultPeriod(plan: plan, today: today)
        let unitQuery = account.unitID == nil ? "&amp;unit=\(Pages.esc(unit.id))" : ""
        if let period {
            let template = try LedgerTemplate.prefilled(store: LedgerStore(configuration.database), plan: plan, unit: unit, period: period, today: today)
            body += """
                <h2>\(Pages.esc(unit.name)) \(Pages.esc(period.description)) 台账</h2>
                <p>在线填报(上期内容已预填),或下载模板填写后上传。Fill in the form (last period prefilled), or download the template:
                <a href="/ledger/template?period=\(Pages.esc(period.description))&amp;format=yaml\(unitQuery)">YAML</a> ·
                <a href="/ledger/template?period=\(Pages.esc(period.description))&amp;format=csv\(unitQuery)">CSV (Excel)</a></p>
                """
            body += LedgerFormPage.render(template, filled ?? LedgerFormPage.Filled(values: LedgerForm.values(template)), csrf: csrf,
                                          action: "/ledger" + (account.unitID == nil ? "?unit=\(unit.id)" : ""))
        }
        body += """
            <h2>上传台账文件 Upload a ledger file</h2>
            <form id="upload" method="post" action="/ledger" enctype="multipart/form-data">
            <input type="hidden" name="csrf" value="\(Pages.esc(csrf))">
            <label>台账文件(.yaml 或 .csv,不超过 4 MB)<br><input type="file" name="file" accept=".yaml,.yml,.csv" required></label>
            <label>编码 Encoding <select name="encoding"><option value="auto">自动 auto</option><option value="utf8">UTF-8</option>
            <option value="gb18030">GB18030 (Excel 中文版)</option></select></label>
            <button class="primary" type="submit">报送</button>
            </form>
            """
        let mine = submissions.reversed()
        body += "<h2>报送记录 Submissions</h2>"
        if mine.isEmpty {
            body += "<p>无。</p>"
        } else {
            body += "<table><thead><tr><th>编号</th><th>期间</th><th>报送日期</th><th>条目</th><th>记录时间</th><th>来源</th><th>状态</th><th>审核</th></tr></thead><tbody>"
            for s in mine {
                let state = s.supersededBy.map { "已被 #\($0) 更正" } ?? (s.supersedes.map { "更正 #\($0)" } ?? "有效")
                let review = LedgerReviewRule.state(plan, submittedOn: s.submittedOn, review: s.review, asOf: max(today, s.review?.decidedOn ?? today))
                let reviewText = review.map { r in r.label + (r == .returned ? ":\(s.review?.reason ?? "")(请修改后重新报送)" : "") } ?? ""
                body += "<tr>" + [("编号", "#\(s.id)"), ("期间", s.period), ("报送日期", s.submittedOn.description), ("条目", String(s.entryCount)),
                                  ("记录时间", s.recordedAt), ("来源", s.sourceFile), ("状态", state), ("审核", reviewText)]
                    .map { "<td data-label=\"\($0.0)\">\(Pages.esc($0.1))</td>" }.joined() + "</tr>"
            }
            body += "</tbody></table>"
            let files = try EvidenceStore(configuration.database).attachments(submissions: mine.map(\.id))
            if !files.isEmpty { body += "<h2>佐证材料文件 Evidence files</h2>" + Self.evidenceList(files) }
        }
        var response = Pages.page(title: "工作台账", account: account, csrf: csrf, body: body)
        response.status = status
        return response
    }

    /// The same file as `duban ledger template --unit U --period P --format yaml|csv`, as a download.
    func ledgerTemplate(_ request: Request, _ context: PortalContext) throws -> Response {
        let (account, permissions, _) = try signedIn(context)
        guard permissions.maySubmitLedgers else { throw HTTPError(.forbidden, message: "this account submits no ledgers") }
        let plan = try storedPlan()
        let today = try day(request)
        guard let unit = try ledgerUnit(request, plan: plan, account: account) else {
            throw HTTPError(.badRequest, message: "unit: name the unit whose template you want")
        }
        guard permissions.maySubmitLedger(for: unit.id) else { throw HTTPError(.forbidden, message: "this account does not report for \(unit.name)") }
        let period: ReportingPeriod
        if let text = request.uri.queryParameters["period"].map(String.init) {
            guard let schedule = plan.ledgers, text.count <= 16, let p = ReportingPeriod(label: text, frequency: schedule.every),
                  LedgerPeriods.isOwed(p, plan: plan) else {
                throw HTTPError(.badRequest, message: "period: not a ledger period of plan \(plan.id)")
            }
            period = p
        } else if let p = LedgerTemplate.defaultPeriod(plan: plan, today: today) {
            period = p
        } else {
            throw HTTPError(.notFound, message: "plan \(plan.id) has no ledger periods")
        }
        let template = try LedgerTemplate.prefilled(store: LedgerStore(configuration.database), plan: plan, unit: unit, period: period, today: today)
        let format = request.uri.queryParameters["format"].map(String.init) ?? "yaml"
        let (text, type, ext): (String, String, String)
        switch format {
        case "yaml": (text, type, ext) = (template.yaml(), "application/yaml; charset=utf-8", "yaml")
        case "csv": (text, type, ext) = (template.csv(), "text/csv; charset=utf-8", "csv")
        default: throw HTTPError(.badRequest, message: "format: yaml or csv")
        }
        let name = "\(unit.id)-\(period.description).\(ext)"
        return Response(status: .ok, headers: [.contentType: type, .contentDisposition: "attachment; filename=\"\(name)\""],
                        body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// Checks the uploaded file as `ledger submit` does and records it, or shows every error;
    /// a ledger for a unit this account does not report for is refused. Nothing is written
    /// unless all is well; every outcome is in the audit log.
    func submitLedger(_ request: Request, _ context: PortalContext) async throws -> Response {
        let (account, permissions, _) = try signedIn(context)
        guard permissions.maySubmitLedgers else { throw HTTPError(.forbidden, message: "a leader reads; ledgers come from the units") }
        var request = request
        let form = try await FormFields.read(&request, context: context)
        func refuse(_ message: String, _ status: HTTPResponse.Status) throws -> Response {
            try ledgerPage(request, context, notice: "<div class=\"error\" role=\"alert\">\(message)</div>", status: status)
        }
        if form["kind"] == "form" { return try await submitLedgerForm(request, context, form: form) }
        guard let upload = form.file("file"), !upload.data.isEmpty else {
            return try refuse("请选择要报送的台账文件。Choose the ledger file to submit.", .unprocessableContent)
        }
        let encoding = TextEncodingChoice(rawValue: form["encoding"] ?? "auto") ?? .auto
        let intake = try ledgerIntake(account: account, address: context.remoteAddress)
        let plan = intake.plan
        let reports: [SubmissionReport]
        let redated: LocalDate?
        switch try await submit(intake, { $0.check(upload.data, filename: upload.filename, encoding: encoding) }) {
        case .badName:
            return try refuse("文件名须以 .yaml、.yml 或 .csv 结尾(不超过 100 个字符)。The file is named *.yaml or *.csv.", .unprocessableContent)
        case .invalid(let diagnostics, let text):
            let count = diagnostics.filter { $0.severity == .error }.count
            return try refuse("台账有 \(count) 处错误,未报送(nothing recorded):<pre>\(Pages.esc(text))</pre>", .unprocessableContent)
        case .refused(let unitID):
            let theirs = plan.unit(id: unitID)?.name ?? unitID
            return try refuse("此台账属于\(Pages.esc(theirs)),本账号只能报送本单位的台账;未报送。This ledger is another unit's: nothing recorded.", .forbidden)
        case .recorded(let recorded, let written):
            (reports, redated) = (recorded, written)
        }
        return try receiptPage(reports, plan: plan, receivedAt: intake.receivedAt, receivedOn: intake.receivedOn, redated: redated, context)
    }

    /// The ledger filled in on the page's form: refused at once for a unit this account does not
    /// report for; else read, checked and recorded as an uploaded file is (`LedgerIntake`), or
    /// shown again as sent with every error next to its field.
    func submitLedgerForm(_ request: Request, _ context: PortalContext, form: FormFields) async throws -> Response {
        let (account, permissions, _) = try signedIn(context)
        let intake = try ledgerIntake(account: account, address: context.remoteAddress)
        let plan = intake.plan
        if let text = form["unit"], text.count <= 64, let ref = plan.resolve(text), ref.kind == .unit,
           !permissions.maySubmitLedger(for: ref.id) {
            try accounts.audit(account: account, actor: account.login, address: context.remoteAddress, action: "ledger.refused",
                               detail: "\(LedgerIntake.formName): for \(ref.id)")
            throw HTTPError(.forbidden, message: "this account does not report for that unit: nothing recorded")
        }
        let (values, malformed, files) = (form.values, form.malformed, form.files)
        switch try await submit(intake, { $0.check(form: values, malformed: malformed, files: files) }) {
        case .recorded(let reports, let redated):
            return try receiptPage(reports, plan: plan, receivedAt: intake.receivedAt, receivedOn: intake.receivedOn, redated: redated, context)
        case .invalid(let findings, _):
            let sentFiles = form.files.values.joined().contains { !$0.data.isEmpty }
            return try ledgerPage(request, context, status: .unprocessableContent,
                                  filled: LedgerFormPage.Filled(values: form.values, findings: findings, filesToChooseAgain: sentFiles))
        case .refused:
            throw HTTPError(.forbidden, message: "this account does not report for that unit: nothing recorded")
        case .badName:
            throw HTTPError(.badRequest, message: "the form cannot be read")
        }
    }

    /// The receipt (回执) of recorded ledgers: each one's number, unit, period and outcome.
    func receiptPage(_ reports: [SubmissionReport], plan: Plan, receivedAt: Date, receivedOn: LocalDate, redated: LocalDate?,
                     _ context: PortalContext) throws -> Response {
        let (account, _, csrf) = try signedIn(context)
        var rows = ""
        for r in reports {
            let unitName = plan.unit(id: r.unitID)?.name ?? r.unitID
            let outcome: String
            switch r.kind {
            case .new: outcome = "已报送"
            case .correction(let old): outcome = "已报送(更正 #\(old),原台账保留在记录中)"
            case .unchanged(let existing): outcome = "与已报送的 #\(existing) 相同,未重复记录"
            }
            let number = r.submissionID.map { "#\($0)" } ?? "—"
            rows += "<tr>" + [("回执编号", number), ("单位", unitName), ("期间", r.period.description), ("条目", String(r.entries)),
                              ("结果", outcome), ("时间", Pages.beijingTime(receivedAt))]
                .map { "<td data-label=\"\($0.0)\">\(Pages.esc($0.1))</td>" }.joined() + "</tr>"
        }
        let numbers = reports.compactMap { r -> Int64? in
            if case .unchanged(let existing) = r.kind { return existing }
            return r.submissionID
        }
        let files = try EvidenceStore(configuration.database).attachments(submissions: numbers)
        let evidence = files.isEmpty ? "" : "<h2>佐证材料文件 Evidence files</h2>" + Self.evidenceList(files)
        let dated = "<p>报送日期记为收到之日 \(receivedOn)" + (redated.map { "(台账中填写的是 \($0))" } ?? "")
            + "。The ledger is dated the day the portal received it.</p>"
        let review = LedgerReviewRule.policy(plan) == .required
            ? "<p>待审核:牵头单位审核通过后生效;如被退回,可在“工作台账”页查看原因并重新报送。Pending review.</p>" : ""
        return Pages.page(title: "回执 Receipt", account: account, csrf: csrf, body: """
            <p>台账已收到。The ledger was recorded.</p>\(dated)\(review)
            <table><thead><tr><th>回执编号</th><th>单位</th><th>期间</th><th>条目</th><th>结果</th><th>时间</th></tr></thead><tbody>\(rows)</tbody></table>
            \(evidence)
            <p><a href="/ledger">返回工作台账</a></p>
            """)
    }
}
