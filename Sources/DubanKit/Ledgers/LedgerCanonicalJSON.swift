import Foundation

extension Ledger {
    /// `canonicalJSON` written by hand: the same bytes as `JSONEncoder` with `.sortedKeys,
    /// .withoutEscapingSlashes` gives for `Content` (keys sorted, nil optionals left out), at a
    /// fraction of the cost. `canonicalJSONEncoded` is the reference it is tested against.
    var canonicalJSONWritten: String {
        var encoding = LedgerEncoding()
        encoding.encode(self)
        return String(decoding: encoding.canonical, as: UTF8.self)
    }
}

/// A ledger as the store writes it, in bytes: its canonical JSON (the submission's content),
/// and for each entry the texts of its record's columns (figures and evidence as JSON). The
/// figures and evidence JSON are written once and used twice (in the content and in the
/// columns). The buffers keep their capacity from ledger to ledger.
struct LedgerEncoding {
    /// The canonical JSON.
    private(set) var canonical: [UInt8] = []
    /// Every entry's column texts, one after another.
    private(set) var pieces: [UInt8] = []
    /// Where each entry's texts are in `pieces`.
    private(set) var spans: [Spans] = []

    struct Spans {
        var progress: Range<Int>
        var problems: Range<Int>
        var nextSteps: Range<Int>
        var milestone: Range<Int>?
        var completed: Range<Int>?
        var figures: Range<Int>
        var evidence: Range<Int>
    }

    mutating func encode(_ ledger: Ledger) {
        canonical.removeAll(keepingCapacity: true)
        pieces.removeAll(keepingCapacity: true)
        spans.removeAll(keepingCapacity: true)
        spans.reserveCapacity(ledger.entries.count)
        func piece(_ write: (inout [UInt8]) -> Void) -> Range<Int> {
            let start = pieces.count
            write(&pieces)
            return start..<pieces.count
        }
        JSONBytes.literal(#"{"entries":["#, into: &canonical)
        // Fields are read through the array (`entries[i].x`), not by binding each entry: a bound
        // entry is a copy, retaining and releasing all of its strings and arrays.
        let entries = ledger.entries
        for i in entries.indices {
            let s = Spans(progress: piece { JSONBytes.raw(entries[i].progress, into: &$0) },
                          problems: piece { JSONBytes.raw(entries[i].problems, into: &$0) },
                          nextSteps: piece { JSONBytes.raw(entries[i].nextSteps, into: &$0) },
                          milestone: entries[i].milestone.map { m in piece { JSONBytes.raw(m, into: &$0) } },
                          completed: entries[i].completed.map { c in piece { JSONBytes.date(c, into: &$0) } },
                          figures: piece { JSONBytes.figures(entries[i].figures, into: &$0) },
                          evidence: piece { JSONBytes.strings(entries[i].evidence, into: &$0) })
            spans.append(s)
            if i > 0 { canonical.append(UInt8(ascii: ",")) }
            canonical.append(UInt8(ascii: "{"))
            if let c = s.completed {
                JSONBytes.literal(#""completed":""#, into: &canonical)
                canonical.append(contentsOf: pieces[c])
                JSONBytes.literal(#"","#, into: &canonical)
            }
            JSONBytes.literal(#""evidence":"#, into: &canonical)
            canonical.append(contentsOf: pieces[s.evidence])
            JSONBytes.literal(#","figures":"#, into: &canonical)
            canonical.append(contentsOf: pieces[s.figures])
            if let m = entries[i].milestone {
                JSONBytes.literal(#","milestone":"#, into: &canonical)
                JSONBytes.string(m, into: &canonical)
            }
            JSONBytes.literal(#","next_steps":"#, into: &canonical)
            JSONBytes.string(entries[i].nextSteps, into: &canonical)
            if let p = entries[i].percent {
                JSONBytes.literal(#","percent":"#, into: &canonical)
                JSONBytes.int(p, into: &canonical)
            }
            JSONBytes.literal(#","problems":"#, into: &canonical)
            JSONBytes.string(entries[i].problems, into: &canonical)
            JSONBytes.literal(#","progress":"#, into: &canonical)
            JSONBytes.string(entries[i].progress, into: &canonical)
            JSONBytes.literal(#","status":"#, into: &canonical)
            JSONBytes.string(entries[i].status.rawValue, into: &canonical)
            if let t = entries[i].task {
                JSONBytes.literal(#","task":"#, into: &canonical)
                JSONBytes.int(t, into: &canonical)
            }
            canonical.append(UInt8(ascii: "}"))
        }
        JSONBytes.literal(#"],"liaison":{"name":"#, into: &canonical)
        JSONBytes.string(ledger.liaison.name, into: &canonical)
        if let phone = ledger.liaison.phone {
            JSONBytes.literal(#","phone":"#, into: &canonical)
            JSONBytes.string(phone, into: &canonical)
        }
        JSONBytes.literal(#"},"period":"#, into: &canonical)
        JSONBytes.string(ledger.period.description, into: &canonical)
        JSONBytes.literal(#","plan":"#, into: &canonical)
        JSONBytes.string(ledger.planID, into: &canonical)
        JSONBytes.literal(#","submitted":""#, into: &canonical)
        JSONBytes.date(ledger.submitted, into: &canonical)
        JSONBytes.literal(#"","unit":"#, into: &canonical)
        JSONBytes.string(ledger.unitID, into: &canonical)
        canonical.append(UInt8(ascii: "}"))
    }

    /// `PlanStore.fingerprint` of the canonical JSON (FNV-1a, 64 bits, 16 hex digits), without
    /// making a string of it first.
    var fingerprint: String {
        let hash = canonical.withUnsafeBufferPointer { bytes -> UInt64 in
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in bytes {
                hash ^= UInt64(byte)
                hash = hash &* 0x100_0000_01b3
            }
            return hash
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

/// JSON written into bytes, byte for byte what `JSONEncoder` writes with `.sortedKeys,
/// .withoutEscapingSlashes` (tested against it). `JSONText` gives the same as strings.
enum JSONBytes {
    static func figures(_ figures: [Figure], into out: inout [UInt8]) {
        out.append(UInt8(ascii: "["))
        for (i, f) in figures.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            literal(#"{"name":"#, into: &out)
            string(f.name, into: &out)
            if let unit = f.unit {
                literal(#","unit":"#, into: &out)
                string(unit, into: &out)
            }
            literal(#","value":"#, into: &out)
            number(f.value, into: &out)
            out.append(UInt8(ascii: "}"))
        }
        out.append(UInt8(ascii: "]"))
    }

    static func strings(_ values: [String], into out: inout [UInt8]) {
        out.append(UInt8(ascii: "["))
        for (i, v) in values.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            string(v, into: &out)
        }
        out.append(UInt8(ascii: "]"))
    }

    /// A Double as JSONEncoder writes it: integral values without `.0`, others in Swift's shortest form.
    static func number(_ d: Double, into out: inout [UInt8]) {
        if d.isFinite, d == d.rounded(), abs(d) < 1e15, !(d == 0 && d.sign == .minus) {
            int(Int(d), into: &out)
            return
        }
        let text = (try? JSONEncoder().encode(d)).map { String(decoding: $0, as: UTF8.self) } ?? "\(d)"
        out.append(contentsOf: text.utf8)
    }

    static func int(_ n: Int, into out: inout [UInt8]) {
        let zero = UInt8(ascii: "0")
        switch n {
        case 0..<10:
            out.append(zero + UInt8(n))
        case 10..<100:
            out.append(zero + UInt8(n / 10))
            out.append(zero + UInt8(n % 10))
        case 100..<1000:
            out.append(zero + UInt8(n / 100))
            out.append(zero + UInt8(n / 10 % 10))
            out.append(zero + UInt8(n % 10))
        default:
            out.append(contentsOf: String(n).utf8)
        }
    }

    /// YYYY-MM-DD, as `LocalDate.description` writes it.
    static func date(_ d: LocalDate, into out: inout [UInt8]) {
        guard (0...9999).contains(d.year) else {
            out.append(contentsOf: d.description.utf8)
            return
        }
        func two(_ n: Int) {
            out.append(UInt8(ascii: "0") + UInt8(n / 10))
            out.append(UInt8(ascii: "0") + UInt8(n % 10))
        }
        two(d.year / 100)
        two(d.year % 100)
        out.append(UInt8(ascii: "-"))
        two(d.month)
        out.append(UInt8(ascii: "-"))
        two(d.day)
    }

    /// A literal's bytes (no `String` made).
    @inline(__always)
    static func literal(_ s: StaticString, into out: inout [UInt8]) {
        out.append(contentsOf: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    /// The string's UTF-8 bytes, copied whole.
    @inline(__always)
    static func raw(_ s: String, into out: inout [UInt8]) {
        if s.utf8.withContiguousStorageIfAvailable({ out.append(contentsOf: $0) }) == nil {
            out.append(contentsOf: s.utf8)
        }
    }

    static func string(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        let utf8 = s.utf8
        // Nearly every string needs no escape: append it whole. Every character to escape is one
        // byte below 0x20, `"` or `\` (never part of a longer UTF-8 sequence), so escaping byte by
        // byte is escaping scalar by scalar.
        if let plain = utf8.withContiguousStorageIfAvailable({ b -> Bool in
            for c in b where c < 0x20 || c == 0x22 || c == 0x5C { return false }
            out.append(contentsOf: b)
            return true
        }) {
            if plain {
                out.append(UInt8(ascii: "\""))
                return
            }
        } else if !utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) {
            out.append(contentsOf: utf8)
            out.append(UInt8(ascii: "\""))
            return
        }
        let hex = Array("0123456789abcdef".utf8)
        for b in utf8 {
            switch b {
            case 0x22: literal(#"\""#, into: &out)
            case 0x5C: literal(#"\\"#, into: &out)
            case 0x0A: literal(#"\n"#, into: &out)
            case 0x0D: literal(#"\r"#, into: &out)
            case 0x09: literal(#"\t"#, into: &out)
            case 0x08: literal(#"\b"#, into: &out)
            case 0x0C: literal(#"\f"#, into: &out)
            case ..<0x20:
                literal(#"\u00"#, into: &out)
                out.append(hex[Int(b >> 4)])
                out.append(hex[Int(b & 0xF)])
            default:
                out.append(b)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
