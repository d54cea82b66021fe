import DubanKit
import Foundation
import Hummingbird
import NIOCore

/// Evidence files (佐证材料) through the API: a ledger's files (`GET /api/v1/ledgers/ID/evidence`),
/// one more file for entry N of a ledger already recorded (`POST …/entries/N/evidence`, the body
/// the file itself, checked as the form's files are: `EvidenceFile.check`, `EvidenceRule`), and a
/// file's bytes, always as a download (`GET /api/v1/evidence/ID`). Another unit's ledger or file is
/// not found (404) for an account that may not read it; a leader reads and never attaches (403).
extension PortalRoutes {
    func registerEvidenceAPIRoutes(on router: Router<PortalContext>) {
        router.get("/api/v1/ledgers/:id/evidence") { request, context in try apiLedgerEvidence(request, context) }
        router.post("/api/v1/ledgers/:id/entries/:entry/evidence") { request, context in try await apiAttachEvidence(request, context) }
        router.get("/api/v1/evidence/:id") { request, context in
            let (_, access) = try apiAccount(context)
            return try evidenceDownload(context.parameters.get("id"), access: access)
        }
    }

    /// The media types a file may be sent as: its own (checked against its content) or
    /// `application/octet-stream` (the content decides).
    static let evidenceUploadTypes = Set(EvidenceFile.Kind.allCases.map(\.mediaType) + ["application/octet-stream"])

    /// Ledger `id` of the served plan, when the account may read its unit (else nil: not found).
    func readableLedger(_ text: String?, access: Permissions) throws -> LedgerSubmission? {
        guard let text, text.count <= 18, let id = Int64(text), id > 0,
              let ledger = try LedgerStore(configuration.database).submission(plan: configuration.planID, id: id),
              access.mayRead(unit: ledger.unitID) else { return nil }
        return ledger
    }

    func apiLedgerEvidence(_ request: Request, _ context: PortalContext) throws -> Response {
        let (_, access) = try apiAccount(context)
        guard let ledger = try readableLedger(context.parameters.get("id"), access: access) else {
            throw HTTPError(.notFound, message: "no such ledger")
        }
        let files = try EvidenceStore(configuration.database).attachments(submissions: [ledger.id])
        return json(JSONOutput.encode(files.map(APIJSON.Evidence.init)))
    }

    /// The body is the file; `Content-Type` its type or `application/octet-stream`; `?name=` the
    /// name it is shown and downloaded under. 201 with the attachment, 200 when that file was
    /// attached to that entry already (nothing written); 413, 415 or 422 with the error at its
    /// part of the request (`ledger`, `entry`, `body`) and nothing written.
    func apiAttachEvidence(_ request: Request, _ context: PortalContext) async throws -> Response {
        let (account, access) = try apiAccount(context)
        guard access.maySubmitLedgers else { throw HTTPError(.forbidden, message: "a leader reads; evidence comes from the units") }
        guard let ledger = try readableLedger(context.parameters.get("id"), access: access) else {
            throw HTTPError(.notFound, message: "no such ledger")
        }
        guard access.maySubmitLedger(for: ledger.unitID) else {
            throw HTTPError(.forbidden, message: "this account attaches evidence to its own unit's ledgers only")
        }
        guard let text = context.parameters.get("entry"), text.count <= 6, let entry = Int(text) else {
            return Self.evidenceRefusal(.unprocessableContent, "entry", "entry: a number from 1", hint: "number the entries as the ledger file lists them")
        }
        let type = (request.headers[.contentType] ?? "").split(separator: ";").first.map {
            $0.trimmingCharacters(in: .whitespaces).lowercased()
        } ?? ""
        guard Self.evidenceUploadTypes.contains(type) else {
            return Self.evidenceRefusal(.unsupportedMediaType, "body", "Content-Type \(type.isEmpty ? "missing" : String(type.prefix(100)))",
                                        hint: "send a PDF, PNG, JPEG, Word (.docx) or Excel (.xlsx) file as its own type or application/octet-stream")
        }
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: EvidenceFile.maxBytes)
        } catch is NIOTooManyBytesError {
            return Self.evidenceRefusal(.contentTooLarge, "body",
                                        "the file is larger than \(InputFile.grouped(EvidenceFile.maxBytes)) bytes; an evidence file is at most 5 MiB",
                                        hint: "send a smaller scan, or list the document under 佐证材料 by its number")
        }
        let name = request.uri.queryParameters["name"].map { String($0.prefix(1000)) } ?? ""
        let file: EvidenceFile
        switch EvidenceFile.check(Data(buffer: body), sentName: name) {
        case .success(let checked): file = checked
        case .failure(let problem):
            let status: HTTPResponse.Status = switch problem {
            case .empty: .unprocessableContent
            case .tooLarge: .contentTooLarge
            case .unknownType, .notAnOfficeDocument: .unsupportedMediaType
            }
            return Self.evidenceRefusal(status, "body", problem.description,
                                        hint: "attach PDF, PNG, JPEG, Word (.docx) or Excel (.xlsx) files of at most 5 MiB each")
        }
        if type != "application/octet-stream", type != file.kind.mediaType {
            return Self.evidenceRefusal(.unsupportedMediaType, "body", "sent as \(type), but the content is \(file.kind.mediaType)",
                                        hint: "send it as \(file.kind.mediaType) or application/octet-stream")
        }
        do {
            guard let done = try EvidenceStore(configuration.database).attach(
                file, plan: configuration.planID, submission: ledger.id, entry: entry,
                actor: AuditActor(account, address: context.remoteAddress)) else { throw HTTPError(.notFound, message: "no such ledger") }
            var response = json(JSONOutput.encode(APIJSON.Evidence(done.attachment)))
            response.status = done.isNew ? .created : .ok
            return response
        } catch let refused as EvidenceRule.Refusal {
            return Self.evidenceRefusal(.unprocessableContent, refused.field, refused.message, hint: refused.hint)
        }
    }

    /// `{"error": {"message", "errors": [{"field", "message", "hint"}]}}`: the shape of every
    /// refused API write, the field the part of the request at fault.
    static func evidenceRefusal(_ status: HTTPResponse.Status, _ field: String, _ message: String, hint: String) -> Response {
        APIJSON.Refusal(message: "\(message); nothing recorded", errors: [.init(field: field, message: message, hint: hint)]).response(status)
    }
}
