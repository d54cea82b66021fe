import Foundation
import Yams

/// A YAML file read from disk and composed into a `Yams.Node` tree that keeps line and column
/// of every value. Reading never throws: problems go to the collector and the result is nil.
public struct YAMLDocument {
    public let path: String
    public let root: Node

    /// Reads, checks the encoding and composes `path`. Reports a missing file, a file that is
    /// not UTF-8 text, and YAML syntax errors, each with its position. `bounded`: findings quote
    /// the file's lines only as a short escaped window (a file a plan names, such as a calendar).
    public static func read(path: String, bounded: Bool = false, into diagnostics: DiagnosticCollector) -> YAMLDocument? {
        guard let bytes = InputFile.read(path, limit: InputLimits.planFileBytes, what: "a plan file",
                                         sizeHint: "a plan file holds the plan's tasks and units, not documents: keep it under the limit",
                                         into: diagnostics) else { return nil }
        guard let text = TextDecoding.utf8(Data(bytes), path: path, into: diagnostics) else { return nil }
        return parse(text: text, path: path, bounded: bounded, into: diagnostics)
    }

    /// Composes already-decoded text (used by tests and by `read`).
    public static func parse(text: String, path: String, bounded: Bool = false,
                             into diagnostics: DiagnosticCollector) -> YAMLDocument? {
        diagnostics.register(file: path, text: text, bounded: bounded)
        // libyaml names the place of a control character by the start of the chunk it was
        // reading (a BEL on line 13 came out at 6:8): find them here, at their own places.
        if TextDecoding.reportControlCharacters(in: text, path: path, into: diagnostics) { return nil }
        do {
            guard let root = try Yams.compose(yaml: text) else {
                diagnostics.error(SourceLocation(file: path, line: 1, column: 1), "the file is empty",
                                  hint: "a plan file starts with `version: 1`")
                return nil
            }
            return YAMLDocument(path: path, root: root)
        } catch let error as YamlError {
            report(error, path: path, into: diagnostics)
            return nil
        } catch {
            diagnostics.error(SourceLocation(file: path), "not valid YAML: \(error)")
            return nil
        }
    }

    static func report(_ error: YamlError, path: String, into diagnostics: DiagnosticCollector) {
        func location(_ mark: Mark) -> SourceLocation {
            SourceLocation(file: path, line: mark.line, column: mark.column)
        }
        let hint = "YAML syntax: check indentation, quoting and `key: value` pairs near this place"
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            let where_ = context.map { " (\($0.text))" } ?? ""
            diagnostics.error(location(mark), "not valid YAML: \(problem)\(where_)", hint: hint)
        case let .reader(problem, offset, value, yaml):
            // libyaml counts the offset in bytes of the UTF-8 text: turn it into line and column.
            var where_ = SourceLocation(file: path)
            if let offset {
                let (line, column) = TextDecoding.position(ofByte: offset, in: Array(yaml.utf8))
                where_ = SourceLocation(file: path, line: line, column: column)
            }
            let character = value >= 0 ? String(format: " (U+%04X)", value) : ""
            diagnostics.error(where_, "cannot read the text: \(problem)\(character)",
                              hint: "remove the control character; YAML files hold printable text, tabs and line breaks only")
        case let .duplicatedKeysInMapping(duplicates, context):
            diagnostics.error(location(context.mark),
                              "duplicate key\(duplicates.count == 1 ? "" : "s") \(duplicates.map { "`\($0)`" }.joined(separator: ", ")) in one mapping",
                              hint: "each key may appear once; remove or rename the repeated one")
        default:
            diagnostics.error(SourceLocation(file: path), "not valid YAML: \(error)")
        }
    }
}

/// Turning bytes into text, with a clear error for anything that is not UTF-8.
public enum TextDecoding {
    /// Decodes UTF-8 (a leading BOM is dropped). Binary data and other encodings are errors
    /// naming the line and column of the first bad byte.
    public static func utf8(_ data: Data, path: String, into diagnostics: DiagnosticCollector) -> String? {
        var bytes = [UInt8](data)
        if isUTF16(bytes, path: path, into: diagnostics) { return nil }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        if let nul = bytes.firstIndex(of: 0) {
            let (line, column) = position(ofByte: nul, in: bytes)
            diagnostics.error(SourceLocation(file: path, line: line, column: column),
                              "the file holds binary data (a NUL byte), not text",
                              hint: "give a UTF-8 text file")
            return nil
        }
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        let bad = firstInvalidUTF8(bytes) ?? 0
        let (line, column) = position(ofByte: bad, in: bytes)
        diagnostics.error(SourceLocation(file: path, line: line, column: column),
                          "the file is not UTF-8 text (invalid byte 0x\(String(bytes[bad], radix: 16, uppercase: true)))",
                          hint: "save it as UTF-8; a file written by Excel on Chinese Windows is usually GB18030/GBK")
        return nil
    }

    /// Reports each character YAML does not allow in a file (controls other than tab and line
    /// breaks, DEL, C1 controls other than NEL, U+FFFE/U+FFFF) at its line and column, up to
    /// 20 of them; true if there was one.
    static func reportControlCharacters(in text: String, path: String, into diagnostics: DiagnosticCollector) -> Bool {
        func allowed(_ v: UInt32) -> Bool {
            switch v {
            case 0x09, 0x0A, 0x0D, 0x20...0x7E, 0x85, 0xA0...0xFFFD, 0x10000...: return true
            default: return false
            }
        }
        guard !text.unicodeScalars.allSatisfy({ allowed($0.value) }) else { return false }
        var line = 1, column = 1, found = 0
        for scalar in text.unicodeScalars {
            if !allowed(scalar.value) {
                found += 1
                if found <= 20 {
                    diagnostics.error(SourceLocation(file: path, line: line, column: column),
                                      "control character U+\(String(format: "%04X", scalar.value)) in the text",
                                      hint: "remove it; YAML files hold printable text, tabs and line breaks only")
                }
            }
            // Lines and columns as everywhere else (`position(ofByte:in:)`): a line ends at LF.
            if scalar == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        if found > 20 {
            diagnostics.error(SourceLocation(file: path), "\(found - 20) more control characters not shown",
                              hint: "is this a text file?")
        }
        return true
    }

    /// Whether the bytes are UTF-16 (a byte order mark, or a NUL beside a byte of ASCII at the
    /// start): then an error says so, rather than calling them binary data.
    static func isUTF16(_ bytes: [UInt8], path: String, into diagnostics: DiagnosticCollector) -> Bool {
        guard bytes.count >= 2 else { return false }
        let bom = bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF])
        let ascii = { (b: UInt8) in b >= 0x09 && b < 0x80 }
        guard bom || (bytes[0] == 0 && ascii(bytes[1])) || (ascii(bytes[0]) && bytes[1] == 0) else { return false }
        diagnostics.error(SourceLocation(file: path, line: 1, column: 1),
                          "the file is UTF-16 text (Excel's \"Unicode text\", Notepad's \"Unicode\"), which duban does not read",
                          hint: "save it as UTF-8 (for a spreadsheet: \"CSV UTF-8\", or CSV, which is GB18030 on Chinese Windows)")
        return true
    }

    static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int? {
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            let length: Int
            switch b {
            case 0x00...0x7F: length = 1
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF4: length = 4
            default: return i
            }
            if i + length > bytes.count { return i }
            let chunk = Array(bytes[i..<(i + length)])
            if String(validating: chunk, as: UTF8.self) == nil { return i }
            i += length
        }
        return nil
    }

    /// 1-based line and column (in scalars of the valid prefix of the line) of byte `offset`.
    static func position(ofByte offset: Int, in bytes: [UInt8]) -> (Int, Int) {
        var line = 1
        var lineStart = 0
        for i in 0..<min(offset, bytes.count) where bytes[i] == 0x0A {
            line += 1
            lineStart = i + 1
        }
        let prefix = String(decoding: bytes[lineStart..<min(offset, bytes.count)], as: UTF8.self)
        return (line, prefix.unicodeScalars.count + 1)
    }
}
