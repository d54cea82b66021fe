import Foundation

/// The XML of a workbook's big parts (a sheet, the shared strings) read as it is inflated: fed
/// the bytes chunk by chunk as the zip hands them over, it calls its handlers per element and
/// text and keeps only the token not yet finished, so a part of any size costs one token of
/// memory (at most `maxToken` bytes). Names are local (`x:c` → `c`), attributes as written.
///
/// What OOXML parts hold and nothing more: elements, attributes, text, the five predefined
/// entities and character references, CDATA, comments and processing instructions. Any other
/// `<!` (a DOCTYPE, an entity declaration) is refused where it is met, so nothing is ever
/// expanded or fetched; UTF-16 and NUL bytes are refused as not UTF-8; text must be UTF-8 and
/// the tags must nest. Errors name the part and the line.
final class XMLChunkParser {
    /// An element's attributes, in order, names as written.
    struct Attributes {
        var pairs: [(name: String, value: String)] = []
        subscript(_ name: String) -> String? { pairs.first { $0.name == name }?.value }
        func first(where match: (String) -> Bool) -> String? { pairs.first { match($0.name) }?.value }
    }

    var onStart: (String, Attributes) throws -> Void = { _, _ in }
    var onEnd: (String) throws -> Void = { _ in }
    var onText: (String) throws -> Void = { _ in }

    /// The longest tag or text between two tags.
    static let maxToken = 4 << 20
    static let maxDepth = 256

    let part: String
    private var buffer: [UInt8] = []
    private var position = 0
    private var linesDropped = 0
    /// Qualified names of the elements open, outermost first.
    private var open: [String] = []
    private var rootEnded = false
    /// Nothing read yet: a byte-order mark may come.
    private var atStart = true
    private var attributes = Attributes()
    private var scratch: [UInt8] = []

    init(part: String) {
        self.part = part
    }

    func feed(_ chunk: Data) throws {
        let hasNUL = chunk.withUnsafeBytes { raw in raw.baseAddress.map { memchr($0, 0, raw.count) != nil } ?? false }
        if hasNUL { throw notUTF8() }
        if position > 0 {
            linesDropped += buffer[..<position].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
            buffer.removeSubrange(..<position)
            position = 0
        }
        buffer.append(contentsOf: chunk)
        try scan(final: false)
    }

    /// After the last chunk: the part must have ended its root element.
    func finish() throws {
        try scan(final: true)
        if position < buffer.count { throw malformed(at: position, "the part ends inside a tag") }
        if !rootEnded { throw malformed(at: buffer.count, open.isEmpty ? "no root element" : "the part ends before its elements close") }
    }

    private func notUTF8() -> OfficeReadError { OfficeReadError("the part \(part) is not UTF-8 XML; refused") }

    private func malformed(at offset: Int, _ reason: String) -> OfficeReadError {
        let line = linesDropped + buffer[..<min(offset, buffer.count)].reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
        return OfficeReadError("the part \(part) is not well-formed XML (line \(line)): \(reason)")
    }

    private func scan(final: Bool) throws {
        position = try buffer.withUnsafeBufferPointer { p in try scan(p, from: position, final: final) }
    }

    private func scan(_ p: UnsafeBufferPointer<UInt8>, from start: Int, final: Bool) throws -> Int {
        let n = p.count
        var i = start
        if atStart {
            let head = Array(p[i..<min(n, i + 3)])
            if !final, head.count < 3, [0xEF, 0xBB, 0xBF].starts(with: head) || head == [0xFE] || head == [0xFF] { return i }
            if head.starts(with: [0xFE, 0xFF]) || head.starts(with: [0xFF, 0xFE]) { throw notUTF8() }
            if head == [0xEF, 0xBB, 0xBF] { i += 3 }
            atStart = false
        }
        while i < n {
            if p[i] != 0x3C {
                guard let lt = Self.find(0x3C, in: p, from: i) else {
                    if final { try text(p, i, n) ; return n }
                    // White space runs on without being held (the zip's limits bound it), all
                    // but its last byte (a CR whose LF is still to come).
                    if n - i > 1 << 16, p[i..<n].allSatisfy(Self.isSpace) {
                        try text(p, i, n - 1)
                        return n - 1
                    }
                    if n - i > Self.maxToken { throw malformed(at: i, "a text of more than \(Self.maxToken >> 20) MB") }
                    return i
                }
                try text(p, i, lt)
                i = lt
                continue
            }
            guard i + 1 < n else { return i }
            switch p[i + 1] {
            case 0x3F: // <? … ?>
                guard let end = Self.find([0x3F, 0x3E], in: p, from: i + 2) else { return try wait(p, i, final) }
                i = end + 2
            case 0x21: // <!
                if Self.has(p, i, "<!--") {
                    guard let end = Self.find([0x2D, 0x2D, 0x3E], in: p, from: i + 4) else { return try wait(p, i, final) }
                    i = end + 3
                } else if Self.has(p, i, "<![CDATA[") {
                    guard let end = Self.find([0x5D, 0x5D, 0x3E], in: p, from: i + 9) else { return try wait(p, i, final) }
                    guard !open.isEmpty else { throw malformed(at: i, "CDATA outside the root element") }
                    try emit(p, i + 9, end, raw: true)
                    i = end + 3
                } else if !final, n - i < 9, Self.isPrefix(p, i, "<!--") || Self.isPrefix(p, i, "<![CDATA[") {
                    return i
                } else {
                    let word = Self.has(p, i, "<!ENTITY", caseInsensitive: true) ? "<!ENTITY" : "<!DOCTYPE"
                    throw OfficeReadError("the part \(part) declares a DOCTYPE or an entity (\(word)); Office files never do, so it is refused (entity expansion, external entities)")
                }
            case 0x2F: // </name>
                guard let gt = Self.find(0x3E, in: p, from: i + 2) else { return try wait(p, i, final) }
                var end = gt
                while end > i + 2, Self.isSpace(p[end - 1]) { end -= 1 }
                let name = p[(i + 2)..<end]
                let qualified = String(decoding: UnsafeBufferPointer(rebasing: name), as: UTF8.self)
                guard let top = open.last else { throw malformed(at: i, "an end tag with no element open") }
                guard top == qualified else {
                    throw malformed(at: i, "the end tag </\(QuotedLine(qualified, column: nil).text)> does not close <\(top)>")
                }
                open.removeLast()
                if open.isEmpty { rootEnded = true }
                i = gt + 1
                try onEnd(local(name))
            default:
                guard let gt = try tagEnd(p, from: i + 1) else { return try wait(p, i, final) }
                i = try startTag(p, i, gt)
            }
        }
        return i
    }

    private func wait(_ p: UnsafeBufferPointer<UInt8>, _ i: Int, _ final: Bool) throws -> Int {
        if final { throw malformed(at: i, "the part ends inside a tag") }
        if p.count - i > Self.maxToken { throw malformed(at: i, "a tag of more than \(Self.maxToken >> 20) MB") }
        return i
    }

    /// The `>` closing the tag that starts before `from`, quotes respected; nil when not yet fed.
    private func tagEnd(_ p: UnsafeBufferPointer<UInt8>, from: Int) throws -> Int? {
        var quote: UInt8 = 0
        var j = from
        while j < p.count {
            let b = p[j]
            if quote != 0 {
                if b == quote { quote = 0 }
            } else if b == 0x22 || b == 0x27 {
                quote = b
            } else if b == 0x3E {
                return j
            } else if b == 0x3C {
                throw malformed(at: j, "a '<' inside a tag")
            }
            j += 1
        }
        return nil
    }

    private func startTag(_ p: UnsafeBufferPointer<UInt8>, _ lt: Int, _ gt: Int) throws -> Int {
        let selfClosing = p[gt - 1] == 0x2F && gt - 1 > lt
        let end = selfClosing ? gt - 1 : gt
        var j = lt + 1
        while j < end, Self.isNameByte(p[j]) { j += 1 }
        let name = p[(lt + 1)..<j]
        guard !name.isEmpty, !(0x30...0x39).contains(name[name.startIndex]), name.first != 0x2D, name.first != 0x2E else {
            throw malformed(at: lt, "a '<' not followed by a tag name")
        }
        if rootEnded { throw malformed(at: lt, "an element after the root element") }
        guard open.count < Self.maxDepth else { throw malformed(at: lt, "elements nested more than \(Self.maxDepth) deep") }
        attributes.pairs.removeAll(keepingCapacity: true)
        while true {
            let before = j
            while j < end, Self.isSpace(p[j]) { j += 1 }
            if j >= end { break }
            guard j > before else { throw malformed(at: j, "attributes must be separated by white space") }
            let nameStart = j
            while j < end, Self.isNameByte(p[j]) { j += 1 }
            guard j > nameStart else { throw malformed(at: j, "an attribute without a name") }
            let attributeName = String(decoding: p[nameStart..<j], as: UTF8.self)
            while j < end, Self.isSpace(p[j]) { j += 1 }
            guard j < end, p[j] == 0x3D else { throw malformed(at: j, "attribute \(attributeName) has no value") }
            j += 1
            while j < end, Self.isSpace(p[j]) { j += 1 }
            guard j < end, p[j] == 0x22 || p[j] == 0x27 else { throw malformed(at: j, "the value of \(attributeName) is not quoted") }
            let quote = p[j]
            guard let close = Self.find(quote, in: p, from: j + 1), close < end else {
                throw malformed(at: j, "the value of \(attributeName) is not closed")
            }
            let value = try decode(p, j + 1, close, attribute: true)
            guard attributes[attributeName] == nil else { throw malformed(at: nameStart, "attribute \(attributeName) given twice") }
            attributes.pairs.append((attributeName, value))
            j = close + 1
        }
        let localName = local(name)
        if selfClosing {
            if open.isEmpty { rootEnded = true }
            try onStart(localName, attributes)
            try onEnd(localName)
        } else {
            open.append(String(decoding: UnsafeBufferPointer(rebasing: name), as: UTF8.self))
            try onStart(localName, attributes)
        }
        return gt + 1
    }

    private func local(_ name: Slice<UnsafeBufferPointer<UInt8>>) -> String {
        let from = name.lastIndex(of: 0x3A).map { $0 + 1 } ?? name.startIndex
        return String(decoding: UnsafeBufferPointer(rebasing: name[from...]), as: UTF8.self)
    }

    /// Text between tags: white space only outside the root element.
    private func text(_ p: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) throws {
        if open.isEmpty {
            guard p[from..<to].allSatisfy(Self.isSpace) else { throw malformed(at: from, "text outside the root element") }
            return
        }
        try emit(p, from, to, raw: false)
    }

    private func emit(_ p: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int, raw: Bool) throws {
        guard from < to else { return }
        let value = raw ? try validated(p, from, to) : try decode(p, from, to, attribute: false)
        try onText(value)
    }

    private func validated(_ p: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) throws -> String {
        scratch.removeAll(keepingCapacity: true)
        var j = from
        while j < to {
            try appendNormalized(p, &j, to, attribute: false)
        }
        return try string(at: from)
    }

    /// `&amp;` `&lt;` `&gt;` `&quot;` `&apos;` `&#N;` `&#xH;` decoded, line ends normalised (and,
    /// in an attribute, white space made spaces), as an XML processor does; any other entity is an error.
    private func decode(_ p: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int, attribute: Bool) throws -> String {
        scratch.removeAll(keepingCapacity: true)
        var j = from
        while j < to {
            // A run of plain bytes (no entity, no control character) is copied at once.
            var k = j
            while k < to, p[k] >= 0x20, p[k] != 0x26, p[k] != 0x3C { k += 1 }
            if k > j {
                scratch.append(contentsOf: UnsafeBufferPointer(rebasing: p[j..<k]))
                j = k
                continue
            }
            let b = p[j]
            if b == 0x26 {
                guard let semi = Self.find(0x3B, in: p, from: j + 1), semi < to, semi - j <= 12 else {
                    throw malformed(at: j, "a '&' that starts no entity (write &amp;)")
                }
                try reference(p[(j + 1)..<semi], at: j)
                j = semi + 1
            } else if b == 0x3C && attribute {
                throw malformed(at: j, "a '<' in an attribute value")
            } else {
                try appendNormalized(p, &j, to, attribute: attribute)
            }
        }
        return try string(at: from)
    }

    private func appendNormalized(_ p: UnsafeBufferPointer<UInt8>, _ j: inout Int, _ to: Int, attribute: Bool) throws {
        let b = p[j]
        switch b {
        case 0x0D:
            scratch.append(attribute ? 0x20 : 0x0A)
            if j + 1 < to, p[j + 1] == 0x0A { j += 1 }
        case 0x09, 0x0A: scratch.append(attribute ? 0x20 : b)
        case ..<0x20: throw malformed(at: j, "control character U+\(String(format: "%04X", b)) in the text")
        default: scratch.append(b)
        }
        j += 1
    }

    private func reference(_ name: Slice<UnsafeBufferPointer<UInt8>>, at offset: Int) throws {
        switch Array(name) {
        case Array("amp".utf8): scratch.append(0x26)
        case Array("lt".utf8): scratch.append(0x3C)
        case Array("gt".utf8): scratch.append(0x3E)
        case Array("quot".utf8): scratch.append(0x22)
        case Array("apos".utf8): scratch.append(0x27)
        default:
            let text = String(decoding: UnsafeBufferPointer(rebasing: name), as: UTF8.self)
            let code: UInt32?
            if text.hasPrefix("#x") { code = UInt32(text.dropFirst(2), radix: 16) } else if text.hasPrefix("#") { code = UInt32(text.dropFirst()) } else {
                throw malformed(at: offset, "the entity &\(QuotedLine(text, column: nil).text); is not defined (OOXML uses none)")
            }
            guard let code, let scalar = Unicode.Scalar(code), code == 0x09 || code == 0x0A || code == 0x0D || code >= 0x20,
                  code != 0xFFFE, code != 0xFFFF else {
                throw malformed(at: offset, "&\(QuotedLine(text, column: nil).text); is not a character XML allows")
            }
            scratch.append(contentsOf: Array(String(scalar).utf8))
        }
    }

    private func string(at offset: Int) throws -> String {
        guard let s = String(validating: scratch, as: UTF8.self) else {
            throw malformed(at: offset, "bytes that are not UTF-8")
        }
        return s
    }

    private static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 }

    private static func isNameByte(_ b: UInt8) -> Bool {
        switch b {
        case 0x41...0x5A, 0x61...0x7A, 0x30...0x39, 0x3A, 0x5F, 0x2D, 0x2E, 0x80...: return true
        default: return false
        }
    }

    private static func find(_ byte: UInt8, in p: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        guard from < p.count, let base = p.baseAddress, let hit = memchr(base + from, Int32(byte), p.count - from) else { return nil }
        return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
    }

    private static func find(_ needle: [UInt8], in p: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        var j = from
        while let hit = find(needle[0], in: p, from: j) {
            guard hit + needle.count <= p.count else { return nil }
            if (1..<needle.count).allSatisfy({ p[hit + $0] == needle[$0] }) { return hit }
            j = hit + 1
        }
        return nil
    }

    private static func has(_ p: UnsafeBufferPointer<UInt8>, _ i: Int, _ word: String, caseInsensitive: Bool = false) -> Bool {
        let w = Array(word.utf8)
        guard i + w.count <= p.count else { return false }
        return (0..<w.count).allSatisfy { k in
            let b = p[i + k]
            return (caseInsensitive && b >= 0x61 && b <= 0x7A ? b - 32 : b) == w[k]
        }
    }

    /// The bytes from `i` to the end are the start of `word`.
    private static func isPrefix(_ p: UnsafeBufferPointer<UInt8>, _ i: Int, _ word: String) -> Bool {
        let w = Array(word.utf8)
        return (i..<p.count).allSatisfy { k in k - i < w.count && p[k] == w[k - i] }
    }
}
