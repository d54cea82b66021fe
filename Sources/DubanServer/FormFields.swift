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
/// at most `maxParts` parts (files kept apart). The body is bounded by the context's upload size.
struct FormFields: Sendable {
    var values: [String: String]
    var files: [String: UploadedFile]

    static let maxParts = 16
    static let maxFieldLength = 64 * 1024

    subscript(_ name: String) -> String? { values[name] }

    static func read(_ request: inout Request, context: PortalContext) async throws -> FormFields {
        let type = request.headers[.contentType] ?? ""
        let body = try await request.collectBody(upTo: context.maxUploadSize)
        if type.hasPrefix("application/x-www-form-urlencoded") {
            return FormFields(values: urlEncoded(String(buffer: body)), files: [:])
        }
        if type.hasPrefix("multipart/form-data"), let boundary = boundary(of: type) {
            return try multipart(body, boundary: boundary)
        }
        throw HTTPError(.unsupportedMediaType, message: "a form is sent as application/x-www-form-urlencoded or multipart/form-data")
    }

    static func urlEncoded(_ text: String) -> [String: String] {
        var values: [String: String] = [:]
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let decode = { (s: Substring) in String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "" }
            values[decode(parts[0])] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return values
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
                parts.fields.files[name] = UploadedFile(filename: filename, data: parts.data)
            } else if parts.data.count <= maxFieldLength {
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
