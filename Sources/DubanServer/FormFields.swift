import DubanKit
import Foundation
import Hummingbird
import MultipartKit

/// A file sent with a form.
struct UploadedFile: Sendable {
    /// The name the browser gave, as sent (never used as a path: see `UploadName`).
    var filename: String
    var data: [UInt8]
}

/// The fields of a form body: `application/x-www-form-urlencoded`, or `multipart/form-data` with
/// at most `maxParts` parts (files kept apart, several under one name in order). The body is
/// bounded by the context's upload size. A field whose bytes are not UTF-8 is in `malformed`
/// (its value then holds U+FFFD where they were).
struct FormFields: Sendable {
    var values: [String: String]
    var files: [String: [UploadedFile]]
    var malformed: Set<String> = []

    /// Enough for the ledger form: a dozen fields and a file input for each of a few hundred entries.
    static let maxParts = 8192
    static let maxFieldLength = 64 * 1024

    subscript(_ name: String) -> String? { values[name] }

    /// The first file sent under `name`.
    func file(_ name: String) -> UploadedFile? { files[name]?.first }

    static func read(_ request: inout Request, context: PortalContext) async throws -> FormFields {
        if let form = context.form { return form }
        let type = request.headers[.contentType] ?? ""
        let body = try await request.collectBody(upTo: context.maxUploadSize)
        if type.hasPrefix("application/x-www-form-urlencoded") {
            let (values, malformed) = urlEncoded(String(buffer: body))
            return FormFields(values: values, files: [:], malformed: malformed)
        }
        if type.hasPrefix("multipart/form-data"), let boundary = boundary(of: type) {
            return try multipart(body, boundary: boundary)
        }
        throw HTTPError(.unsupportedMediaType, message: "a form is sent as application/x-www-form-urlencoded or multipart/form-data")
    }

    static func urlEncoded(_ text: String) -> (values: [String: String], malformed: Set<String>) {
        var values: [String: String] = [:]
        var malformed: Set<String> = []
        for pair in text.split(separator: "&", omittingEmptySubsequences: true).prefix(maxParts) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let decode = { (s: Substring) in String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding }
            let name = decode(parts[0]) ?? ""
            let value = parts.count > 1 ? decode(parts[1]) : ""
            if value == nil { malformed.insert(name) }
            values[name] = value ?? ""
        }
        return (values, malformed)
    }

    /// `boundary=…` of a multipart content type, quoted or not.
    static func boundary(of contentType: String) -> String? {
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if pair.count == 2, pair[0].lowercased() == "boundary" {
                let value = pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                return (1...70).contains(value.count) ? value : nil
            }
        }
        return nil
    }

    static func multipart(_ body: ByteBuffer, boundary: String) throws -> FormFields {
        final class Parts {
            var headers: [(String, String)] = []
            var data: [UInt8] = []
            var fields = FormFields(values: [:], files: [:])
            var count = 0
            var problem: String?
        }
        let parts = Parts()
        let parser = MultipartParser(boundary: boundary)
        parser.onHeader = { name, value in parts.headers.append((name, value)) }
        parser.onBody = { buffer in parts.data.append(contentsOf: buffer.readableBytesView) }
        parser.onPartComplete = {
            defer { parts.headers = []; parts.data = [] }
            parts.count += 1
            guard parts.count <= maxParts else { parts.problem = "more than \(maxParts) parts"; return }
            let disposition = parts.headers.first { $0.0.lowercased() == "content-disposition" }?.1 ?? ""
            guard let name = parameter("name", in: disposition) else { return }
            if let filename = parameter("filename", in: disposition) {
                parts.fields.files[name, default: []].append(UploadedFile(filename: filename, data: parts.data))
            } else if parts.data.count <= maxFieldLength {
                if String(validating: parts.data, as: UTF8.self) == nil { parts.fields.malformed.insert(name) }
                parts.fields.values[name] = String(decoding: parts.data, as: UTF8.self)
            } else {
                parts.problem = "the field \(name) is longer than \(maxFieldLength) bytes"
            }
        }
        do {
            try parser.execute(body)
        } catch {
            throw HTTPError(.badRequest, message: "the form's multipart body cannot be read")
        }
        if let problem = parts.problem { throw HTTPError(.badRequest, message: "the form has \(problem)") }
        return parts.fields
    }

    /// `name="value"` in a Content-Disposition header (quoted, with `\"` escapes), or unquoted.
    static func parameter(_ key: String, in header: String) -> String? {
        var rest = Substring(header)
        while let range = rest.range(of: key + "=") {
            let before = rest[..<range.lowerBound].last
            rest = rest[range.upperBound...]
            guard before == nil || before == ";" || before == " " else { continue }
            if rest.first == "\"" {
                var value = ""
                var escaped = false
                for ch in rest.dropFirst() {
                    if escaped { value.append(ch); escaped = false } else if ch == "\\" { escaped = true } else if ch == "\"" { return value } else { value.append(ch) }
                }
                return nil
            }
            return String(rest.prefix { $0 != ";" }).trimmingCharacters(in: .whitespaces)
        }
        return nil
    }
}

/// An uploaded file's name made safe to store under: the last path component (either slash), no
/// control characters, at most 100 characters, never `.` or `..`.
enum UploadName {
    static func safe(_ sent: String) -> String? {
        let last = sent.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let clean = String(last.unicodeScalars.filter { $0.properties.generalCategory != .control && $0 != ":" }.map(Character.init))
            .trimmingCharacters(in: .whitespaces)
        guard !clean.isEmpty, clean != ".", clean != "..", clean.count <= 100 else { return nil }
        return clean
    }
}
