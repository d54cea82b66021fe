import DubanKit
import Foundation
import Hummingbird

/// Evidence files (佐证材料) as downloads (the page's `/evidence/ID`, the API's
/// `/api/v1/evidence/ID`): only for an account that may read the unit whose ledger they are
/// attached to (any other gets 404, as for a file that does not exist), always
/// `Content-Disposition: attachment` under the stored safe name, `nosniff`, never cached.
extension PortalRoutes {
    func registerEvidenceRoutes(on router: Router<PortalContext>) {
        router.get("/evidence/:id") { _, context in
            let (_, access, _) = try signedIn(context)
            return try evidenceDownload(context.parameters.get("id"), access: access)
        }
    }

    /// Evidence file `id` (the page's and the API's), when `access` may read its unit; else 404.
    func evidenceDownload(_ text: String?, access: Permissions) throws -> Response {
        let store = EvidenceStore(configuration.database)
        let notFound = HTTPError(.notFound, message: "no such evidence file")
        guard let text, text.count <= 18, let id = Int64(text),
              let file = try store.attachment(id: id), file.planID == configuration.planID,
              access.mayRead(unit: file.unitID), let content = try store.content(sha256: file.sha256) else { throw notFound }
        return Response(status: .ok, headers: [
            .contentType: file.mediaType,
            .contentDisposition: Self.attachmentDisposition(file.name),
            .contentLength: String(content.count),
        ], body: .init(byteBuffer: ByteBuffer(bytes: content)))
    }

    /// `attachment; filename="ASCII"; filename*=UTF-8''PERCENT-ENCODED` (RFC 6266): the ASCII
    /// form keeps letters, digits, `.`, `-` and `_` and makes the rest `_`.
    static func attachmentDisposition(_ name: String) -> String {
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-_")
        let ascii = String(name.unicodeScalars.map { s -> Character in
            allowed.contains(s) ? Character(s) : "_"
        })
        let encoded = name.addingPercentEncoding(withAllowedCharacters: allowed) ?? ascii
        return "attachment; filename=\"\(ascii)\"; filename*=UTF-8''\(encoded)"
    }

    /// A list of attached files with download links (names escaped).
    static func evidenceList(_ files: [EvidenceAttachment]) -> String {
        guard !files.isEmpty else { return "" }
        return "<ul class=\"evidence\">" + files.map { f in
            let entry = (f.task.map { "任务\($0)" } ?? "") + (f.milestone.map { " 节点 \($0)" } ?? "")
            return "<li>\(Pages.esc(entry)):<a href=\"/evidence/\(f.id)\" download>\(Pages.esc(f.name))</a>(\(Pages.esc(InputFile.grouped(f.size))) 字节)</li>"
        }.joined() + "</ul>"
    }
}
