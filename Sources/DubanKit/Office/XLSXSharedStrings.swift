import Foundation

/// The shared-string table of a workbook read (`xl/sharedStrings.xml`): each `<si>` as its
/// text, rich-text runs (`<r><t>`) joined, phonetic guides (`<rPh>`) left out, Excel's
/// `_xHHHH_` escapes decoded. Streamed as it is inflated; the table itself is held (a cell may
/// name any string), bounded by `maxStrings` and the part's inflated size (`ZipReader.Limits`).
enum XLSXSharedStrings {
    static let maxStrings = 1_000_000
    static let part = "xl/sharedStrings.xml"

    static func read(from zip: inout ZipReader) throws -> [String] {
        var strings: [String] = []
        var current = ""
        var inItem = false, inText = false, phonetic = 0
        let events = XMLChunkParser(part: part)
        events.onStart = { name, _ in
            switch name {
            case "si":
                guard strings.count < maxStrings else { throw OfficeReadError("xl/sharedStrings.xml holds more than \(maxStrings) strings") }
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
                strings.append(decodeEscapes(current))
                inItem = false
            case "rPh": phonetic -= 1
            case "t": inText = false
            default: break
            }
        }
        events.onText = { text in if inText { current += text } }
        guard try zip.stream(part, into: events.feed) else { return [] }
        try events.finish()
        return strings
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
