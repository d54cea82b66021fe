import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How the bytes of a ledger file are turned into text.
public enum TextEncodingChoice: String, CaseIterable, Sendable {
    /// Valid UTF-8 (with or without BOM) is UTF-8; anything else is tried as GB18030.
    case auto
    case utf8
    /// GB18030, a superset of GBK and GB2312: what Excel on Chinese Windows writes.
    case gb18030
}

/// Reading a ledger file's bytes as text: a size limit, encoding detection and GB18030
/// decoding through the C library's `iconv`.
public enum LedgerText {
    /// A ledger is a few dozen rows; anything bigger than this is not a ledger.
    public static let maxBytes = InputLimits.ledgerFileBytes
    /// What to do with a ledger over `maxBytes` (a workbook's too).
    static let sizeHint = "give one ledger per unit and period; attach evidence by document number or file name, not its content"

    /// The decoded text of `path`, or nil with a positioned error: missing file, too big,
    /// binary data, UTF-16, bytes that are valid in neither UTF-8 nor GB18030. The text is
    /// registered with `diagnostics` (to quote lines in its findings) unless `register` is false.
    public static func read(path: String, encoding: TextEncodingChoice,
                            into diagnostics: DiagnosticCollector, register: Bool = true) -> String? {
        guard let bytes = InputFile.read(path, limit: maxBytes, what: "a ledger file",
                                         sizeHint: sizeHint,
                                         into: diagnostics) else { return nil }
        return text(of: bytes, path: path, encoding: encoding, into: diagnostics, register: register)
    }

    /// `read(path:…)` of a file received whole (an upload) and named `name`: the same limit,
    /// decoding and findings, without a file on disk.
    public static func read(received bytes: [UInt8], name: String, encoding: TextEncodingChoice,
                            into diagnostics: DiagnosticCollector) -> String? {
        guard let bytes = InputFile.received(bytes, name: name, limit: maxBytes, what: "a ledger file", sizeHint: sizeHint,
                                             into: diagnostics) else { return nil }
        return text(of: bytes, path: name, encoding: encoding, into: diagnostics, register: true)
    }

    private static func text(of bytes: [UInt8], path: String, encoding: TextEncodingChoice,
                             into diagnostics: DiagnosticCollector, register: Bool) -> String? {
        guard let text = decode(bytes, path: path, encoding: encoding, into: diagnostics) else { return nil }
        if register { diagnostics.register(file: path, text: text) }
        return text
    }

    /// Whether the bytes hold a NUL (`memchr`, not a byte-by-byte `contains`).
    static func hasNUL(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { b in b.baseAddress.map { memchr($0, 0, b.count) != nil } ?? false }
    }

    /// Decodes bytes as `encoding` chooses; errors name the line and column of the first bad byte.
    public static func decode(_ bytes: [UInt8], path: String, encoding: TextEncodingChoice,
                              into diagnostics: DiagnosticCollector) -> String? {
        if TextDecoding.isUTF16(bytes, path: path, into: diagnostics) { return nil }
        switch encoding {
        case .utf8:
            return TextDecoding.utf8(Data(bytes), path: path, into: diagnostics)
        case .auto:
            var body = bytes
            if body.starts(with: [0xEF, 0xBB, 0xBF]) { body.removeFirst(3) }
            let nul = hasNUL(body)
            if !nul, let text = String(validating: body, as: UTF8.self) { return text }
            if nul { return TextDecoding.utf8(Data(bytes), path: path, into: diagnostics) }
            // UTF-8 with a bad byte, not GB18030: many Chinese characters valid as UTF-8 before
            // the bad byte (GBK text passes for UTF-8 for a character or two, hardly for eight),
            // or GB18030 decoding stopping earlier than UTF-8 did. The error is then the UTF-8
            // one, at the bad byte's line and column.
            let firstBad = TextDecoding.firstInvalidUTF8(body) ?? body.count
            let utf8Characters = body[..<firstBad].reduce(0) { $0 + ((0xC2...0xF4).contains($1) ? 1 : 0) }
            if utf8Characters >= 8 { return TextDecoding.utf8(Data(bytes), path: path, into: diagnostics) }
            if case .failure(.invalid(let offset)) = convert(body, from: "GB18030"), offset < firstBad {
                return TextDecoding.utf8(Data(bytes), path: path, into: diagnostics)
            }
            return gb18030(body, path: path, into: diagnostics, detected: true)
        case .gb18030:
            if bytes.contains(0) { return TextDecoding.utf8(Data(bytes), path: path, into: diagnostics) }
            return gb18030(bytes, path: path, into: diagnostics, detected: false)
        }
    }

    static func gb18030(_ bytes: [UInt8], path: String, into diagnostics: DiagnosticCollector, detected: Bool) -> String? {
        switch convert(bytes, from: "GB18030") {
        case .success(let text):
            return text
        case .failure(let failure):
            switch failure {
            case .unavailable:
                diagnostics.error(SourceLocation(file: path), "this system cannot decode GB18030 (iconv has no GB18030 converter)",
                                  hint: "save the file as UTF-8")
            case .invalid(let offset):
                let (line, column) = TextDecoding.position(ofByte: offset, in: bytes)
                let byte = offset < bytes.count ? " (byte 0x\(String(bytes[offset], radix: 16, uppercase: true)))" : " (the file ends inside a character)"
                diagnostics.error(SourceLocation(file: path, line: line, column: column),
                                  detected ? "the file is neither UTF-8 nor GB18030 text\(byte)"
                                           : "the file is not GB18030 text\(byte)",
                                  hint: detected ? "save it as UTF-8, or name its encoding with --encoding" : "try --encoding utf8, or save it as UTF-8")
            }
            return nil
        }
    }

    /// Why `convert` failed.
    public enum ConversionFailure: Error, Equatable {
        /// `iconv_open` does not know the encoding.
        case unavailable
        /// The byte at this offset starts an invalid or truncated sequence.
        case invalid(offset: Int)
    }

    /// Converts `bytes` in `encoding` (an iconv name such as "GB18030") to a String.
    public static func convert(_ bytes: [UInt8], from encoding: String) -> Result<String, ConversionFailure> {
        let cd = iconv_open("UTF-8", encoding)
        guard let cd, Int(bitPattern: cd) != -1 else { return .failure(.unavailable) }
        defer { iconv_close(cd) }
        if bytes.isEmpty { return .success("") }
        var input = bytes
        var output = [UInt8](repeating: 0, count: bytes.count * 4 + 16)
        let outCapacity = output.count
        var failedAt: Int?
        var written = 0
        input.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                guard let inBase = inBuffer.baseAddress, let outBase = outBuffer.baseAddress else { return }
                var inPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inBase).assumingMemoryBound(to: CChar.self)
                var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBase).assumingMemoryBound(to: CChar.self)
                var inLeft = inBuffer.count
                var outLeft = outCapacity
                let result = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
                if result == -1 || inLeft > 0 {
                    failedAt = inBuffer.count - inLeft
                } else {
                    // Flush any shift state.
                    var nilIn: UnsafeMutablePointer<CChar>?
                    var zero = 0
                    _ = iconv(cd, &nilIn, &zero, &outPtr, &outLeft)
                }
                written = outCapacity - outLeft
            }
        }
        if let failedAt { return .failure(.invalid(offset: failedAt)) }
        return .success(String(decoding: output[0..<written], as: UTF8.self))
    }
}
