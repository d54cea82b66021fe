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
    public static let maxBytes = 4 * 1024 * 1024

    /// The decoded text of `path`, or nil with a positioned error: missing file, too big,
    /// binary data, UTF-16, bytes that are valid in neither UTF-8 nor GB18030. The text is
    /// registered with `diagnostics` (to quote lines in its findings) unless `register` is false.
    public static func read(path: String, encoding: TextEncodingChoice,
                            into diagnostics: DiagnosticCollector, register: Bool = true) -> String? {
        let bytes: [UInt8]
        switch contents(of: path) {
        case .tooBig(let size):
            diagnostics.error(SourceLocation(file: path, line: 1, column: 1),
                              "the file is \(megabytes(size)) MB; a ledger file is at most \(megabytes(maxBytes)) MB",
                              hint: "give one ledger per unit and period; attach evidence by document number or file name, not its content")
            return nil
        case .unreadable:
            diagnostics.error(SourceLocation(file: path), "cannot read the file",
                              hint: "check that it exists and is readable")
            return nil
        case .bytes(let b):
            bytes = b
        }
        guard let text = decode(bytes, path: path, encoding: encoding, into: diagnostics) else { return nil }
        if register { diagnostics.register(file: path, text: text) }
        return text
    }

    enum Contents {
        case bytes([UInt8])
        case tooBig(Int)
        case unreadable
    }

    /// The bytes of a file, read with one `open`, one `fstat` and `read` to the end (FileManager,
    /// as an strace of a submit showed, opened each ledger 3 times, stat'ed it about 7 times and
    /// listed its extended attributes). The size limit is checked before anything is read.
    static func contents(of path: String) -> Contents {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return .unreadable }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) != S_IFDIR else { return .unreadable }
        let size = Int(info.st_size)
        if size > maxBytes { return .tooBig(size) }
        // Read to the end, whatever the size said (a file may grow while read), up to the limit.
        var bytes = [UInt8](repeating: 0, count: size + 1)
        var count = 0
        while true {
            if count == bytes.count {
                if count > maxBytes { return .tooBig(count) }
                bytes.append(contentsOf: repeatElement(0, count: max(4096, count)))
            }
            let n = bytes.withUnsafeMutableBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return -1 }
                return systemRead(fd, base + count, buffer.count - count)
            }
            if n < 0 {
                if errno == EINTR { continue }
                return .unreadable
            }
            if n == 0 { break }
            count += n
        }
        if count > maxBytes { return .tooBig(count) }
        bytes.removeLast(bytes.count - count)
        return .bytes(bytes)
    }

    /// Whether the bytes hold a NUL (`memchr`, not a byte-by-byte `contains`).
    static func hasNUL(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { b in b.baseAddress.map { memchr($0, 0, b.count) != nil } ?? false }
    }

    static func megabytes(_ bytes: Int) -> String {
        String(format: "%.1f", Double(bytes) / 1_048_576)
    }

    /// Decodes bytes as `encoding` chooses; errors name the line and column of the first bad byte.
    public static func decode(_ bytes: [UInt8], path: String, encoding: TextEncodingChoice,
                              into diagnostics: DiagnosticCollector) -> String? {
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            diagnostics.error(SourceLocation(file: path, line: 1, column: 1),
                              "the file is UTF-16 text (Excel's \"Unicode text\"), which duban does not read",
                              hint: "save it as \"CSV UTF-8\" (or CSV, which is GB18030 on Chinese Windows)")
            return nil
        }
        switch encoding {
        case .utf8:
            return TextDecoding.utf8(Data(bytes), path: path, into: diagnostics)
        case .auto:
            var body = bytes
            if body.starts(with: [0xEF, 0xBB, 0xBF]) { body.removeFirst(3) }
            let nul = hasNUL(body)
            if !nul, let text = String(validating: body, as: UTF8.self) { return text }
            if nul { return TextDecoding.utf8(Data(bytes), path: path, into: diagnostics) }
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

/// `read(2)`, named apart from `LedgerText.read`.
private func systemRead(_ fd: CInt, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    return Glibc.read(fd, buffer, count)
    #else
    return Darwin.read(fd, buffer, count)
    #endif
}
