import Crypto
import Foundation

/// A file attached to a ledger entry as evidence (佐证材料): its type read from its content,
/// never from its name (PDF, PNG, JPEG, and Word or Excel files: a zip whose
/// `[Content_Types].xml` declares the document's main part, which is there); its SHA-256, under
/// which it is stored once however often it is attached; and a name safe to show and to offer
/// as a download's. Anything else (a plain zip, an old .doc, a script, an HTML page) is refused.
public struct EvidenceFile: Sendable, Equatable {
    /// The types taken.
    public enum Kind: String, CaseIterable, Sendable {
        case pdf, png, jpeg, docx, xlsx

        public var mediaType: String {
            switch self {
            case .pdf: "application/pdf"
            case .png: "image/png"
            case .jpeg: "image/jpeg"
            case .docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            case .xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        }

        public var fileExtension: String { self == .jpeg ? "jpg" : rawValue }

        /// The extensions a name of this type may already end in.
        var extensions: [String] { self == .jpeg ? ["jpg", "jpeg"] : [rawValue] }

        /// The content type of an Office document's main part, and where that part is.
        var officeMain: (contentType: String, part: String)? {
            switch self {
            case .docx: ("application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml", "word/document.xml")
            case .xlsx: ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml", "xl/workbook.xml")
            default: nil
            }
        }
    }

    public var kind: Kind
    public var content: Data
    /// Lowercase hex.
    public var sha256: String
    /// The name as it is shown and downloaded (`safeName`).
    public var name: String

    public var size: Int { content.count }

    /// The largest file taken: 5 MiB (5,242,880 bytes).
    public static let maxBytes = 5 * 1024 * 1024
    /// At most this many files on one ledger.
    public static let maxPerLedger = 20
    /// A stored name has at most this many characters.
    public static let maxNameCharacters = 100

    /// Why a file is not taken.
    public enum Problem: Error, Equatable, CustomStringConvertible {
        case empty
        case tooLarge(bytes: Int)
        case unknownType
        /// A zip that is no Word or Excel document (or one whose parts cannot be read safely).
        case notAnOfficeDocument(String)

        public var description: String {
            switch self {
            case .empty: "the file is empty"
            case .tooLarge(let bytes):
                "the file is \(InputFile.grouped(bytes)) bytes; an evidence file is at most \(InputFile.grouped(EvidenceFile.maxBytes)) bytes (5 MiB)"
            case .unknownType:
                "the file is not a PDF, PNG, JPEG, Word (.docx) or Excel (.xlsx) file (judged by its content, not its name)"
            case .notAnOfficeDocument(let why): "a zip that is not a Word (.docx) or Excel (.xlsx) document: \(why)"
            }
        }
    }

    /// Checks an uploaded file: its size, its type by content; gives it its hash and a safe name.
    public static func check(_ content: Data, sentName: String) -> Result<EvidenceFile, Problem> {
        if content.isEmpty { return .failure(.empty) }
        if content.count > maxBytes { return .failure(.tooLarge(bytes: content.count)) }
        switch kind(of: content) {
        case .failure(let problem): return .failure(problem)
        case .success(let kind):
            let hash = SHA256.hash(data: content).map { String(format: "%02x", $0) }.joined()
            return .success(EvidenceFile(kind: kind, content: content, sha256: hash, name: safeName(sentName, kind: kind)))
        }
    }

    /// The type by the file's first bytes; a zip is opened (bounded, every entry name checked)
    /// and must be a Word or Excel document.
    static func kind(of content: Data) -> Result<Kind, Problem> {
        let head = [UInt8](content.prefix(8))
        if head.starts(with: Array("%PDF-".utf8)) { return .success(.pdf) }
        if head.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .success(.png) }
        if head.starts(with: [0xFF, 0xD8, 0xFF]) { return .success(.jpeg) }
        guard head.starts(with: [0x50, 0x4B, 0x03, 0x04]) else { return .failure(.unknownType) }
        do {
            var zip = try ZipReader(data: content, name: "evidence",
                                    limits: ZipReader.Limits(fileBytes: maxBytes, entries: 1_000, partBytes: 1 << 20, totalBytes: 1 << 20))
            guard let types = try zip.part("[Content_Types].xml") else {
                return .failure(.notAnOfficeDocument("it has no [Content_Types].xml"))
            }
            let text = String(decoding: types, as: UTF8.self)
            for kind in [Kind.docx, .xlsx] {
                guard let main = kind.officeMain, text.contains("ContentType=\"\(main.contentType)\"") else { continue }
                guard zip.has(main.part) else { return .failure(.notAnOfficeDocument("its main part \(main.part) is missing")) }
                return .success(kind)
            }
            return .failure(.notAnOfficeDocument("its [Content_Types].xml declares no Word or Excel document (a macro-enabled file is not taken either)"))
        } catch let error as OfficeReadError {
            return .failure(.notAnOfficeDocument(error.message))
        } catch {
            return .failure(.notAnOfficeDocument("it cannot be read"))
        }
    }

    /// The name a file is stored, shown and downloaded under: `cleanName` of what was sent, ending
    /// in the extension of its type (added if it ends in another), at most `maxNameCharacters`
    /// characters; `evidence.EXT` when nothing is left.
    public static func safeName(_ sent: String, kind: Kind) -> String {
        var name = cleanName(sent)
        let lower = name.lowercased()
        if let ext = kind.extensions.first(where: { lower.hasSuffix("." + $0) }) {
            name = String(name.dropLast(ext.count + 1))
        }
        name = String(name.prefix(maxNameCharacters - kind.fileExtension.count - 1)).trimmingCharacters(in: .whitespaces)
        return (name.isEmpty ? "evidence" : name) + "." + kind.fileExtension
    }

    /// A sent file name made harmless: its last component (after `/` or `\`), without control or
    /// format characters (a right-to-left override hides an extension), with `< > : " | ? *` made
    /// `_`, no leading or trailing dots or spaces, at most `maxNameCharacters` characters.
    public static func cleanName(_ sent: String) -> String {
        let last = sent.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        var scalars = String.UnicodeScalarView()
        for s in last.unicodeScalars {
            switch s.properties.generalCategory {
            case .control, .format, .lineSeparator, .paragraphSeparator, .privateUse, .unassigned, .surrogate: continue
            default: scalars.append("<>:\"|?*".unicodeScalars.contains(s) ? "_" : s)
            }
        }
        let trimmed = String(scalars).trimmingCharacters(in: CharacterSet.whitespaces.union(CharacterSet(charactersIn: ".")))
        return String(trimmed.prefix(maxNameCharacters))
    }
}
