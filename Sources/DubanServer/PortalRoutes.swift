import DubanKit
import Foundation
import Hummingbird
import HummingbirdAuth

/// A page that needs a signed-in account sends the browser to the login form.
struct RedirectToLogin: HTTPResponseError {
    var status: HTTPResponse.Status { .seeOther }
    func response(from request: Request, context: some RequestContext) throws -> Response {
        Response.redirect(to: "/login", type: .normal)
    }
}

/// Every route, each checking `Permissions` for the account it serves.
struct PortalRoutes: Sendable {
    let configuration: PortalConfiguration
    let accounts: AccountStore
    let plans = PlanCache()
    /// The whole plan's overdue items and ledger grid, per database state (`ReadCache`).
    let reads: ReadCache
    /// The database's state, read before each of those reads.
    let stamps: DatabaseStamper
    /// The state each account's reads must include: its last write's (`WriteStamps`).
    let writes = WriteStamps()
    /// Ledger submissions checked and recorded at once, off the request threads (`SubmissionGate`).
    let submissions = SubmissionGate()
    /// The one writer of the ledgers checked, with group commit (`LedgerWriterQueue`).
    let ledgerWriter: LedgerWriterQueue

    init(configuration: PortalConfiguration, accounts: AccountStore) {
        self.configuration = configuration
        self.accounts = accounts
        let stamps = DatabaseStamper(configuration.database)
        self.stamps = stamps
        reads = ReadCache(stamper: { try stamps.stamp() }, timings: configuration.timings)
        ledgerWriter = LedgerWriterQueue(configuration.database, timings: configuration.timings)
    }

    static let maxLoginFieldLength = 256

    func register(on router: Router<PortalContext>) {
        router.get("/healthz") { _, _ in "ok\n" }
        router.get("/login") { _, _ in loginPage(error: nil, status: .ok) }
        router.post("/login") { request, context in try await login(request, context) }
        router.post("/logout") { request, context in try await logout(request, context) }
        router.get("/") { request, context in try await home(request, context) }
        router.get("/overdue") { request, context in try await overduePage(request, context) }
        router.get("/audit") { request, context in try auditPage(request, context) }
        registerLedgerRoutes(on: router)
        registerEvidenceRoutes(on: router)
        registerEvidenceAPIRoutes(on: router)
        registerOverviewRoutes(on: router)
        registerSupervisionRoutes(on: router)
        registerExtensionRoutes(on: router)
        registerNotificationLogRoutes(on: router)
        registerReviewRoutes(on: router)
        registerActionRoutes(on: router)
        registerCalendarRoutes(on: router)
        registerAPIRoutes(on: router)
    }

    // MARK: signing in and out

    func loginPage(error: String?, status: HTTPResponse.Status) -> Response {
        let token = Secrets.randomToken()
        let message = error.map { "<p class=\"error\" role=\"alert\">\(Pages.esc($0))</p>" } ?? ""
        var response = Pages.page(title: "登录", account: nil, csrf: nil, body: """
            \(message)
            <form method="post" action="/login">
            <input type="hidden" name="csrf" value="\(token)">
            <label>账号 Login<br><input type="text" name="login" autocomplete="username" required maxlength="64" autofocus></label>
            <label>密码 Password<br><input type="password" name="password" autocomplete="current-password" required maxlength="128"></label>
            <button class="primary" type="submit">登录</button>
            </form>
            <p class="note">账号由牵头单位开通(duban account add);忘记密码请联系牵头单位重置。</p>
            """)
        response.status = status
        response.setCookie(Cookie(name: "duban_login", value: token, path: "/login", secure: configuration.secureCookies,
                                  httpOnly: true, sameSite: .strict))
        return response
    }

    func login(_ request: Request, _ context: PortalContext) async throws -> Response {
        var request = request
        let form = try await FormFields.read(&request, context: context)
        let login = String((form["login"] ?? "").prefix(Self.maxLoginFieldLength))
        let password = String((form["password"] ?? "").prefix(Self.maxLoginFieldLength))
        let now = Date()
        let failures = try accounts.failedAttempts(login: login, address: context.remoteAddress,
                                                   since: now.addingTimeInterval(-LoginThrottle.window))
        if let until = LoginThrottle.lockedUntil(failuresForLogin: failures.login, failuresFromAddress: failures.address, now: now) {
            let minutes = Int((until.timeIntervalSince(now) / 60).rounded(.up))
            return loginPage(error: "登录失败次数过多,请 \(minutes) 分钟后再试。Too many failed logins: try again in \(minutes) min.",
                             status: .tooManyRequests)
        }
        guard let found = try accounts.credentials(login: login), !found.account.disabled,
              Secrets.verifyPassword(password, hash: found.passwordHash) else {
            try accounts.recordLoginAttempt(login: login, address: context.remoteAddress, succeeded: false, now: now)
            try accounts.audit(account: nil, actor: login, address: context.remoteAddress, action: "login.failed", detail: "")
            return loginPage(error: "账号或密码不正确。Wrong login or password.", status: .unauthorized)
        }
        try accounts.recordLoginAttempt(login: login, address: context.remoteAddress, succeeded: true, now: now)
        try accounts.audit(account: found.account, actor: login, address: context.remoteAddress, action: "login", detail: "")
        context.sessions.createSession(PortalSession(accountID: found.account.id, csrf: Secrets.randomToken()))
        return Response.redirect(to: "/", type: .normal)
    }

    func logout(_ request: Request, _ context: PortalContext) async throws -> Response {
        if let account = context.identity {
            try accounts.audit(account: account, actor: account.login, address: context.remoteAddress, action: "logout", detail: "")
        }
        context.sessions.clearSession()
        return Response.redirect(to: "/login", type: .normal)
    }

    // MARK: pages

    func signedIn(_ context: PortalContext) throws -> (account: Account, access: Permissions, csrf: String) {
        guard let account = context.identity, let csrf = context.sessions.session?.csrf else { throw RedirectToLogin() }
        return (account, Permissions(account), csrf)
    }

    func home(_ request: Request, _ context: PortalContext) async throws -> Response {
        let (account, access, csrf) = try signedIn(context)
        let state = try readState(account)
        let plan = state.plan
        let asOf = try day(request)
        let units = access.readableUnits
        let overdue = try await overdueItems(state, asOf: asOf, units: units).items
        var body = "<p>\(Pages.esc(plan.title))</p><p>截至 \(asOf)。</p>"
        if let unitID = account.unitID, let unit = plan.units.first(where: { $0.id == unitID }) {
            let soon = try SupervisionSnapshot.owed(database: configuration.database, plan: plan, asOf: asOf,
                                                    until: asOf.adding(days: 30), units: units)
                .filter { $0.days_overdue == 0 }
            body += "<h2>\(Pages.esc(unit.name)):逾期事项 \(overdue.count) 项</h2>" + Pages.itemsTable(overdue, showUnit: false)
            body += "<h2>30 天内到期 \(soon.count) 项</h2>" + Pages.itemsTable(soon, showUnit: false)
        } else {
            let lagging = Set(overdue.map(\.unit)).count
            body += "<p>逾期事项 \(overdue.count) 项,涉及 \(lagging) 个单位。<a href=\"/overdue\">查看逾期事项</a></p>"
        }
        return Pages.page(title: "首页", account: account, csrf: csrf, body: body)
    }

    func overduePage(_ request: Request, _ context: PortalContext) async throws -> Response {
        let (account, access, csrf) = try signedIn(context)
        let state = try readState(account)
        let asOf = try day(request)
        let units = try unitsAsked(request, plan: state.plan, access: access)
        let (items, stamp) = try await overdueItems(state, asOf: asOf, units: units)
        let table = try await rendered(.overdueTable(asOf), units: units, stamp: stamp) { Pages.itemsTable(items, showUnit: access.mayReadEverything) }
        let body = "<p>截至 \(asOf),逾期事项 \(items.count) 项。</p>" + table
        return Pages.page(title: "逾期事项", account: account, csrf: csrf, body: body)
    }

    func auditPage(_ request: Request, _ context: PortalContext) throws -> Response {
        let (account, access, csrf) = try signedIn(context)
        guard access.mayReadAudit else { throw HTTPError(.forbidden, message: "only the coordinator reads the audit log") }
        let events = try accounts.auditLog(limit: 500)
        var rows = ""
        for e in events {
            rows += "<tr>" + [("时间", e.at), ("账号", e.actor), ("地址", e.address), ("操作", e.action), ("内容", e.detail)]
                .map { "<td data-label=\"\($0.0)\">\(Pages.esc($0.1))</td>" }.joined() + "</tr>"
        }
        let body = "<p>最近 \(events.count) 条。</p><table><thead><tr><th>时间</th><th>账号</th><th>地址</th><th>操作</th><th>内容</th></tr></thead><tbody>\(rows)</tbody></table>"
        return Pages.page(title: "操作日志", account: account, csrf: csrf, body: body)
    }

    // MARK: API

    func apiAccount(_ context: PortalContext) throws -> (Account, Permissions) {
        guard let account = context.identity else {
            throw HTTPError(.unauthorized, headers: [.wwwAuthenticate: "Bearer realm=\"duban\""],
                            message: "send Authorization: Bearer TOKEN (duban account token LOGIN prints one)")
        }
        return (account, Permissions(account))
    }

    func apiMe(_ request: Request, _ context: PortalContext) throws -> Response {
        let (account, _) = try apiAccount(context)
        return json(JSONOutput.encode(APIJSON.Me(account)))
    }

    /// The same JSON as `duban overdue --format json [--unit U] --as-of D`.
    func apiOverdue(_ request: Request, _ context: PortalContext) async throws -> Response {
        let (account, access) = try apiAccount(context)
        let state = try readState(account)
        let asOf = try day(request)
        let units = try unitsAsked(request, plan: state.plan, access: access)
        let (items, stamp) = try await overdueItems(state, asOf: asOf, units: units)
        return json(bytes: try await rendered(.overdueJSON(asOf), units: units, stamp: stamp) { JSONOutput.bytes(items) })
    }

    func json(_ text: String) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// `json(_:)` of the text's UTF-8 bytes (no `String` made and copied again).
    func json(bytes: [UInt8]) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    // MARK: parameters

    func storedPlan() throws -> Plan {
        try servedPlan().plan
    }

    /// The served plan as cached (`PlanCache.Served`: with its version and hash).
    func servedPlan() throws -> PlanCache.Served {
        guard let served = try plans.current(id: configuration.planID, in: configuration.database) else {
            throw HTTPError(.serviceUnavailable, message: "plan \(configuration.planID) is not in the database")
        }
        return served
    }

    /// A `LedgerIntake` for the served plan, dated the server's today, with the plan's version (so
    /// recording hands the decoded plan to the fold instead of decoding it again: `LedgerStore.recording(group:plan:)`).
    func ledgerIntake(account: Account, address: String) throws -> LedgerIntake {
        let served = try servedPlan()
        return LedgerIntake(database: configuration.database, plan: served.plan, planVersion: served.version,
                            owed: served.owed, receivedOn: configuration.currentDay, account: account, address: address)
    }

    /// A ledger submission: checked on a thread of the gate's (`SubmissionGate`, several at once),
    /// then written with the submissions waiting beside it in one transaction (`LedgerWriterQueue`).
    func submit(_ intake: LedgerIntake, _ check: @escaping @Sendable (LedgerIntake) -> LedgerIntake.Checked) async throws -> LedgerIntake.Outcome {
        let arrived = ContinuousClock.now
        let (checked, checkStart, checkEnd) = try await submissions.run {
            let start = ContinuousClock.now
            return (check(intake), start, ContinuousClock.now)
        }
        let resumed = ContinuousClock.now
        if case .badName = checked { return .badName }
        let outcome = try await ledgerWriter.record(now: intake.receivedAt, plan: (intake.plan, intake.planVersion)) {
            try intake.record(checked, with: $0)
        }
        if let timings = configuration.timings {
            let ms = ReadCache.milliseconds(between:_:)
            timings("\(Timestamp.now()) - ledger submission by \(intake.account.login): waited \(ms(arrived, checkStart)) ms for the gate,"
                    + " checked in \(ms(checkStart, checkEnd)) ms, \(ms(checkEnd, resumed)) ms to resume,"
                    + " \(ReadCache.milliseconds(since: resumed)) ms to be written\n")
        }
        return outcome
    }

    /// `as_of=YYYY-MM-DD`, else the server's today.
    func day(_ request: Request) throws -> LocalDate {
        guard let text = request.uri.queryParameters["as_of"] else { return configuration.currentDay }
        guard let date = LocalDate(iso: String(text)), (1900...2999).contains(date.year) else {
            throw HTTPError(.badRequest, message: "as_of: expected a date YYYY-MM-DD between 1900 and 2999")
        }
        return date
    }

    /// `unit=` (an id, name or alias of a unit or group) narrowed by what the account may read: a
    /// liaison asking for another unit gets 403, and without `unit=` its own unit.
    func unitsAsked(_ request: Request, plan: Plan, access: Permissions) throws -> Set<String>? {
        let readable = access.readableUnits
        guard let text = request.uri.queryParameters["unit"].map(String.init), !text.isEmpty else { return readable }
        guard text.count <= 64, let ref = plan.resolve(text) else {
            throw HTTPError(.notFound, message: "unit: no unit or group \"\(String(text.prefix(64)))\" in plan \(plan.id)")
        }
        let asked = Set(plan.expand([ref]).map(\.id))
        if let readable, !asked.isSubset(of: readable) {
            throw HTTPError(.forbidden, message: "this account reads its own unit only")
        }
        return asked
    }
}
