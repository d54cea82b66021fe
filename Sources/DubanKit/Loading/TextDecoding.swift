import Foundation

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
