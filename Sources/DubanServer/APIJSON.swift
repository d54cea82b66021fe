import DubanKit
import Foundation
import Hummingbird

/// The bodies of the API's answers other than the lists (those are the commands' JSON), each
/// key declared once, as a stored property (docs/openapi.yaml).
enum APIJSON {
    /// `{"error": {"message", "errors": [{"field", "message", "hint"}]}}`, or with `diagnostics`
    /// (a ledger's findings) instead of `errors`, or neither: every refused API write.
    struct Refusal: JSONObject {
        struct Detail: JSONObject {
            var message: String
            @OmittedIfNil var errors: [FieldError]?
            @OmittedIfNil var diagnostics: [Finding]?
        }

        /// What was wrong with one part of the request, the field at fault.
        struct FieldError: JSONObject {
            var field: String, message: String, hint: String
        }

        /// A ledger's finding, where it is in the file.
        struct Finding: JSONObject {
            var file: String, line: Int?, column: Int?, cell: String?, severity: String, message: String, hint: String?

            init(_ d: Diagnostic) {
                (file, line, column, cell) = (d.location.file, d.location.line, d.location.column, d.location.cell)
                (severity, message, hint) = (d.severity.rawValue, d.message, d.hint)
            }
        }

        var error: Detail

        init(message: String, errors: [FieldError]? = nil, diagnostics: [Finding]? = nil) {
            error = Detail(message: message, errors: errors, diagnostics: diagnostics)
        }

        /// The response: the body with `status`.
        func response(_ status: HTTPResponse.Status) -> Response {
            Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(string: JSONOutput.encode(self))))
        }
    }

    /// What `POST /api/v1/ledgers` recorded, a receipt per ledger.
    struct Receipts: JSONObject {
        var receipts: [Receipt]
    }

    /// `submitted_on`: the day the portal received it, the ledger's date (`SubmissionDate`);
    /// `written_submitted_on`: the date the file gave, when that differed (else null).
    struct Receipt: JSONObject {
        var submission: Int64?, unit: String, unit_name: String, period: String, entries: Int, outcome: String
        var supersedes: Int64?, submitted_on: String, written_submitted_on: String?

        init(_ r: SubmissionReport, plan: Plan, submittedOn: LocalDate, written: LocalDate?) {
            (submission, unit, unit_name) = (r.submissionID, r.unitID, plan.unit(id: r.unitID)?.name ?? r.unitID)
            (period, entries) = (r.period.description, r.entries)
            (outcome, supersedes) = switch r.kind {
            case .new: ("new", nil)
            case .correction(let old): ("correction", old)
            case .unchanged(let existing): ("unchanged", existing)
            }
            (submitted_on, written_submitted_on) = (submittedOn.description, written?.description)
        }
    }

    /// One attachment (docs/openapi.yaml, `Evidence`).
    struct Evidence: JSONObject {
        var id: Int64, ledger: Int64, unit: String, entry: Int, task: Int?, milestone: String?, name: String
        var media_type: String, size: Int, sha256: String, uploaded_by: String, recorded_at: String, download: String

        init(_ f: EvidenceAttachment) {
            (id, ledger, unit, entry, task, milestone) = (f.id, f.submissionID, f.unitID, f.entry, f.task, f.milestone)
            (name, media_type, size, sha256) = (f.name, f.mediaType, f.size, f.sha256)
            (uploaded_by, recorded_at, download) = (f.uploadedBy, f.recordedAt, "/api/v1/evidence/\(f.id)")
        }
    }

    /// `GET /api/v1/me`: the account the token belongs to.
    struct Me: JSONObject {
        var login: String, name: String, role: String, unit: String?, plan: String

        init(_ a: Account) {
            (login, name, role, unit, plan) = (a.login, a.name, a.role.rawValue, a.unitID, a.planID)
        }
    }
}
