import DubanKit
import Foundation
import Hummingbird

/// `/api/v1`: the same JSON as the command line, limited to what the token's account may see.
extension PortalRoutes {
    func registerAPIRoutes(on router: Router<PortalContext>) {
        router.get("/api/v1/me") { request, context in try apiMe(request, context) }
        router.get("/api/v1/overdue") { request, context in try await apiOverdue(request, context) }
        router.get("/api/v1/ledgers") { request, context in try await apiLedgers(request, context) }
        router.post("/api/v1/ledgers") { request, context in try await apiSubmitLedger(request, context) }
    }

    /// What `duban ledgers --format json` prints, for the units the account may read.
    func apiLedgers(_ request: Request, _ context: PortalContext) async throws -> Response {
        let (account, permissions) = try apiAccount(context)
        let state = try readState(account)
        let asOf = try day(request)
        let units = try unitsAsked(request, plan: state.plan, access: permissions)
        let (cells, stamp) = try await ledgerCells(state, asOf: asOf, units: units)
        return json(bytes: try await rendered(.ledgersJSON(asOf), units: units, stamp: stamp) {
            JSONOutput.bytes(LedgerReports.ledgerObjects(cells, plan: state.plan))
        })
    }

    /// The body is one ledger file: `Content-Type: application/yaml` (or `text/yaml`) or
    /// `text/csv`, with `charset=gb18030` for Excel's Chinese CSV; `?name=` names it in the
    /// record and in errors. 201 with the receipt, or 422 with every error and nothing written.
    func apiSubmitLedger(_ request: Request, _ context: PortalContext) async throws -> Response {
        let (account, permissions) = try apiAccount(context)
        guard permissions.maySubmitLedgers, permissions.mayReadEverything || account.unitID != nil else {
            throw HTTPError(.forbidden, message: "a leader reads; ledgers come from the units")
        }
        let type = (request.headers[.contentType] ?? "").lowercased()
        let ext: String
        if type.hasPrefix("application/yaml") || type.hasPrefix("text/yaml") || type.hasPrefix("application/x-yaml") {
            ext = "yaml"
        } else if type.hasPrefix("text/csv") {
            ext = "csv"
        } else {
            throw HTTPError(.unsupportedMediaType, message: "send the ledger as application/yaml or text/csv")
        }
        let encoding: TextEncodingChoice = type.contains("charset=gb18030") || type.contains("charset=gbk") ? .gb18030
            : type.contains("charset=utf-8") ? .utf8 : .auto
        var request = request
        let body = try await request.collectBody(upTo: context.maxUploadSize)
        let stem = request.uri.queryParameters["name"].map(String.init).flatMap(UploadName.safe)
            .map { String(($0 as NSString).deletingPathExtension.prefix(90)) }.flatMap { $0.isEmpty ? nil : $0 }
        let name = (stem ?? "ledger") + "." + ext
        let intake = try ledgerIntake(account: account, address: context.remoteAddress)
        let bytes = Array(buffer: body)
        switch try await submit(intake, { $0.check(bytes, filename: name, encoding: encoding) }) {
        case .recorded(let reports, let redated):
            let receipts = reports.map { APIJSON.Receipt($0, plan: intake.plan, submittedOn: intake.receivedOn, written: redated) }
            var response = json(JSONOutput.encode(APIJSON.Receipts(receipts: receipts)))
            response.status = .created
            return response
        case .invalid(let diagnostics, _):
            let count = diagnostics.filter { $0.severity == .error }.count
            return APIJSON.Refusal(message: "\(count) error(s); nothing recorded", diagnostics: diagnostics.map(APIJSON.Refusal.Finding.init))
                .response(.unprocessableContent)
        case .refused(let unitID):
            throw HTTPError(.forbidden, message: "the ledger is for \(unitID); this account reports for its own unit only")
        case .badName:
            throw HTTPError(.badRequest, message: "name: at most 100 characters")
        }
    }
}
