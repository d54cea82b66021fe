import Foundation

/// The shared-string table of a workbook read (`xl/sharedStrings.xml`): each `<si>` as its
/// text, rich-text runs (`<r><t>`) joined, phonetic guides (`<rPh>`) left out, Excel's
/// `_xHHHH_` escapes decoded. Streamed once as it is inflated, bounded by `maxStrings` and the
/// part's inflated size (`ZipReader.Limits`). A cell may name any string, so the table is kept
/// until the sheet is read: in memory while it is small (`heldBytes`), past that in two
/// `SpoolFile`s, the texts' UTF-8 one after another and where each ends (8 bytes a string), a
/// string read back by index through a 4 KB window of each (strings are numbered in order of
/// first use, so a sheet mostly names those next to the last), the short ones recently read kept
/// in a small cache. Its memory then does not grow with the number or the size of the strings (but
/// for the one string being read). If no temporary file can be made, the table stays in memory.
final class XLSXSharedStrings {
    static let maxStrings = 1_000_000
    static let part = "xl/sharedStrings.xml"
    /// The table stays in memory while its texts' UTF-8 and 16 bytes a string come to less.
    static let heldBytes = 1 << 16
    /// Strings of up to `cachedLength` bytes read back from the spool are kept in `cacheSlots`
    /// slots, slot `index % cacheSlots` (at most about 100 KB).
    static let cacheSlots = 512, cachedLength = 128

    private(set) var count = 0
    private var held: [String] = []
    private var heldSize = 0
    private let threshold: Int
    private var spool: (texts: SpoolFile, ends: SpoolFile)?
    private var spoolMissing = false
    private var cache: [(index: Int, text: String)?] = []

    /// Whether the strings are in temporary files (for the tests).
    var spooled: Bool { spool != nil }

    init(heldBytes: Int = XLSXSharedStrings.heldBytes) {
        threshold = heldBytes
    }

    static func read(from zip: inout ZipReader, heldBytes: Int = XLSXSharedStrings.heldBytes) throws -> XLSXSharedStrings {
        let table = XLSXSharedStrings(heldBytes: heldBytes)
        var current = ""
        var inItem = false, inText = false, phonetic = 0
        let events = XMLChunkParser(part: part)
        events.onStart = { name, _ in
            switch name {
            case "si":
                guard table.count < maxStrings else { throw OfficeReadError("xl/sharedStrings.xml holds more than \(maxStrings) strings") }
                inItem = true
                current = ""
            case "rPh": phonetic += 1
            case "t": inText = inItem && phonetic == 0
            default: break
            }
        }
        events.onEnd = { name in
            switch name {
            case "si":
                try table.append(decodeEscapes(current))
                inItem = false
            case "rPh": phonetic -= 1
            case "t": inText = false
            default: break
            }
        }
        events.onText = { text in if inText { current += text } }
        guard try zip.stream(part, into: events.feed) else { return table }
        try events.finish()
        return table
    }

    func append(_ text: String) throws {
        count += 1
        if spool == nil {
            held.append(text)
            heldSize += text.utf8.count + 16
            guard heldSize >= threshold, !spoolMissing else { return }
            guard let texts = SpoolFile(), let ends = SpoolFile() else { spoolMissing = true; return }
            spool = (texts, ends)
            cache = Array(repeating: nil, count: Self.cacheSlots)
            let all = held
            held = []
            for text in all { try spill(text) }
        } else {
            try spill(text)
        }
    }

    private func spill(_ text: String) throws {
        guard let (texts, ends) = spool else { return }
        do {
            try texts.append(text.utf8)
            try withUnsafeBytes(of: UInt64(texts.size).littleEndian) { try ends.append($0) }
        } catch {
            throw OfficeReadError("the shared strings (xl/sharedStrings.xml) could not be kept aside: \(error)")
        }
    }

    /// String `index` (0 ≤ `index` < `count`).
    func string(at index: Int) throws -> String {
        guard let (texts, ends) = spool else { return held[index] }
        let slot = index % Self.cacheSlots
        if let hit = cache[slot], hit.index == index { return hit.text }
        let text: String
        do {
            let ends = try ends.bytes(at: index == 0 ? 0 : (index - 1) * 8, count: index == 0 ? 8 : 16)
            let start = index == 0 ? 0 : Self.offset(ends.prefix(8)), end = Self.offset(ends.suffix(8))
            text = String(decoding: try texts.bytes(at: start, count: end - start), as: UTF8.self)
        } catch {
            throw OfficeReadError("shared string #\(index) could not be read back: \(error)")
        }
        if text.utf8.count <= Self.cachedLength { cache[slot] = (index, text) }
        return text
    }

    /// 8 bytes, little-endian.
    private static func offset(_ bytes: ArraySlice<UInt8>) -> Int {
        Int(bytes.reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
    }

    /// `_x000D_` → CR, `_x005F_` → `_`: how Excel writes characters XML cannot hold.
    static func decodeEscapes(_ s: String) -> String {
        var utf8 = s.utf8.makeIterator(), underscore = false, escaped = false
        while let byte = utf8.next() {
            if underscore && byte == 0x78 { escaped = true; break }
            underscore = byte == 0x5F
        }
        guard escaped else { return s }
        var out = ""
        var scalars = Array(s.unicodeScalars)[...]
        while let first = scalars.first {
            if first == "_", scalars.count >= 7, scalars[scalars.startIndex + 1] == "x", scalars[scalars.startIndex + 6] == "_",
               let value = UInt32(String(String.UnicodeScalarView(scalars[(scalars.startIndex + 2)..<(scalars.startIndex + 6)])), radix: 16),
               let scalar = Unicode.Scalar(value) {
                out.unicodeScalars.append(scalar)
                scalars = scalars.dropFirst(7)
            } else {
                out.unicodeScalars.append(first)
                scalars = scalars.dropFirst()
            }
        }
        return out
    }
}
