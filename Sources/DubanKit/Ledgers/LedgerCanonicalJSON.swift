import Foundation

extension Ledger {
    /// `canonicalJSON` written by hand: the same bytes as `JSONEncoder` with `.sortedKeys,
    /// .withoutEscapingSlashes` gives for `Content` (keys sorted, nil optionals left out), at a
    /// fraction of the cost. `canonicalJSONEncoded` is the reference it is tested against.
    var canonicalJSONWritten: String {
        String(decoding: LedgerEncoding.canonical(self), as: UTF8.self)
    }
}

/// A ledger as the store writes it, in bytes, never all of it at once: its canonical JSON (the
/// submission's content) in pieces of about `chunk` bytes, given one after another to whoever
/// hashes, compares or stores it; and the texts of some of its records' columns (figures and
/// evidence as JSON), a few records at a time.
enum LedgerEncoding {
    /// Bytes per piece of the canonical JSON (one more entry may overshoot it).
    static let chunk = 1 << 16

    /// The canonical JSON whole (for `Ledger.canonicalJSON`; the store never holds it whole).
    static func canonical(_ ledger: Ledger) -> [UInt8] {
        var out: [UInt8] = []
        canonical(ledger) { out.append(contentsOf: $0); return true }
        return out
    }

    /// Gives the canonical JSON to `piece` in order, in pieces of about `chunk` bytes (a piece
    /// ends after an entry), writing them into one reused buffer. `piece` returns false to stop.
    static func canonical(_ ledger: Ledger, _ piece: (UnsafeBufferPointer<UInt8>) throws -> Bool) rethrows {
        var out: [UInt8] = []
        out.reserveCapacity(chunk + 4096)
        JSONBytes.literal(head, into: &out)
        let entries = ledger.entries
        for i in entries.indices {
            entry(entries, i, first: i == 0, into: &out)
            if out.count >= chunk {
                guard try out.withUnsafeBufferPointer(piece) else { return }
                out.removeAll(keepingCapacity: true)
            }
        }
        tail(ledger, into: &out)
        _ = try out.withUnsafeBufferPointer(piece)
    }

    /// The canonical JSON up to the first entry (`LedgerContentSpool` writes it entry by entry).
    static let head: StaticString = #"{"entries":["#

    /// Entry `i` of `entries` as the canonical JSON has it (after a comma unless `first`).
    /// Fields are read through the array (`entries[i].x`), not by binding the entry: a bound
    /// entry is a copy, retaining and releasing all of its strings and arrays.
    static func entry(_ entries: [LedgerEntry], _ i: Int, first: Bool, into out: inout [UInt8]) {
        if !first { out.append(UInt8(ascii: ",")) }
        out.append(UInt8(ascii: "{"))
        if let c = entries[i].completed {
            JSONBytes.literal(#""completed":""#, into: &out)
            JSONBytes.date(c, into: &out)
            JSONBytes.literal(#"","#, into: &out)
        }
        JSONBytes.literal(#""evidence":"#, into: &out)
        JSONBytes.strings(entries[i].evidence, into: &out)
        JSONBytes.literal(#","figures":"#, into: &out)
        JSONBytes.figures(entries[i].figures, into: &out)
        if let m = entries[i].milestone {
            JSONBytes.literal(#","milestone":"#, into: &out)
            JSONBytes.string(m, into: &out)
        }
        JSONBytes.literal(#","next_steps":"#, into: &out)
        JSONBytes.string(entries[i].nextSteps, into: &out)
        if let p = entries[i].percent {
            JSONBytes.literal(#","percent":"#, into: &out)
            JSONBytes.int(p, into: &out)
        }
        JSONBytes.literal(#","problems":"#, into: &out)
        JSONBytes.string(entries[i].problems, into: &out)
        JSONBytes.literal(#","progress":"#, into: &out)
        JSONBytes.string(entries[i].progress, into: &out)
        JSONBytes.literal(#","status":"#, into: &out)
        JSONBytes.string(entries[i].status.rawValue, into: &out)
        if let t = entries[i].task {
            JSONBytes.literal(#","task":"#, into: &out)
            JSONBytes.int(t, into: &out)
        }
        out.append(UInt8(ascii: "}"))
    }

    /// The canonical JSON after the last entry: the header's fields (not `ledger.entries`).
    static func tail(_ ledger: Ledger, into out: inout [UInt8]) {
        JSONBytes.literal(#"],"liaison":{"name":"#, into: &out)
        JSONBytes.string(ledger.liaison.name, into: &out)
        if let phone = ledger.liaison.phone {
            JSONBytes.literal(#","phone":"#, into: &out)
            JSONBytes.string(phone, into: &out)
        }
        JSONBytes.literal(#"},"period":"#, into: &out)
        JSONBytes.string(ledger.period.description, into: &out)
        JSONBytes.literal(#","plan":"#, into: &out)
        JSONBytes.string(ledger.planID, into: &out)
        JSONBytes.literal(#","submitted":""#, into: &out)
        JSONBytes.date(ledger.submitted, into: &out)
        JSONBytes.literal(#"","unit":"#, into: &out)
        JSONBytes.string(ledger.unitID, into: &out)
        out.append(UInt8(ascii: "}"))
    }

    /// The canonical JSON's length and its `PlanStore.fingerprint` (FNV-1a, 64 bits, 16 hex
    /// digits), taken piece by piece: the JSON is never whole.
    static func measure(_ ledger: Ledger) -> (size: Int, fingerprint: String) {
        var f = ContentFingerprint()
        canonical(ledger) { f.add($0); return true }
        return (f.size, f.hex)
    }

    /// `PlanStore.fingerprint` (FNV-1a, 64 bits) and the length of bytes given piece by piece.
    struct ContentFingerprint {
        private var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        private(set) var size = 0

        mutating func add(_ bytes: UnsafeBufferPointer<UInt8>) {
            size += bytes.count
            for byte in bytes {
                hash ^= UInt64(byte)
                hash = hash &* 0x100_0000_01b3
            }
        }

        /// 16 hex digits.
        var hex: String {
            let hex = String(hash, radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }
    }

    /// The column texts of some entries' records, one after another, with where each is.
    struct Columns {
        var pieces: [UInt8] = []
        var spans: [Spans] = []

        struct Spans {
            var progress: Range<Int>
            var problems: Range<Int>
            var nextSteps: Range<Int>
            var milestone: Range<Int>?
            var completed: Range<Int>?
            var figures: Range<Int>
            var evidence: Range<Int>
        }

        /// Encodes the entries `range` of `ledger` (the buffers keep their capacity).
        mutating func encode(_ ledger: Ledger, _ range: Range<Int>) {
            pieces.removeAll(keepingCapacity: true)
            spans.removeAll(keepingCapacity: true)
            func piece(_ write: (inout [UInt8]) -> Void) -> Range<Int> {
                let start = pieces.count
                write(&pieces)
                return start..<pieces.count
            }
            let entries = ledger.entries
            for i in range {
                spans.append(Spans(progress: piece { JSONBytes.raw(entries[i].progress, into: &$0) },
                                   problems: piece { JSONBytes.raw(entries[i].problems, into: &$0) },
                                   nextSteps: piece { JSONBytes.raw(entries[i].nextSteps, into: &$0) },
                                   milestone: entries[i].milestone.map { m in piece { JSONBytes.raw(m, into: &$0) } },
                                   completed: entries[i].completed.map { c in piece { JSONBytes.date(c, into: &$0) } },
                                   figures: piece { JSONBytes.figures(entries[i].figures, into: &$0) },
                                   evidence: piece { JSONBytes.strings(entries[i].evidence, into: &$0) }))
            }
        }
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
