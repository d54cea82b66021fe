import Foundation

/// A JSON value, written as `JSONEncoder` writes it (pretty-printed, keys sorted by their UTF-8
/// bytes, slashes not escaped), byte for byte, without the encoder's per-value machinery (why:
/// BENCHMARKS.md, "Figures the code's choices rest on"): the one writer of every JSON
/// output, fed by `JSONValueEncoder`. `PrettyJSONTests` holds it to `JSONEncoder`.
public enum JSONValue: Sendable {
    case string(String)
    case int(Int)
    /// A number's text as `JSONEncoder` writes it (`JSONValueEncoder.number`).
    case number(String)
    case bool(Bool)
    case null
    case array([JSONValue])
    /// Fields in any order: they are written sorted.
    case object([(String, JSONValue)])

    public static func string(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
    public static func int(_ value: Int?) -> JSONValue { value.map(JSONValue.int) ?? .null }

    /// The text, with the final newline `JSONOutput.encode` adds.
    public var prettyText: String { String(decoding: prettyBytes, as: UTF8.self) }

    /// `prettyText`'s UTF-8 bytes, made without a `String` (what a server sends).
    public var prettyBytes: [UInt8] {
        var out: [UInt8] = []
        var orders = KeyOrders()
        write(into: &out, indent: 0, orders: &orders)
        out.append(UInt8(ascii: "\n"))
        return out
    }

    func write(into out: inout [UInt8], indent: Int, orders: inout KeyOrders) {
        switch self {
        case .string(let s): Self.quote(s, into: &out)
        case .int(let n): out.append(contentsOf: String(n).utf8)
        case .number(let text): out.append(contentsOf: text.utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .null: out.append(contentsOf: "null".utf8)
        case .array(let values):
            out.append(UInt8(ascii: "["))
            out.append(UInt8(ascii: "\n"))
            for (i, v) in values.enumerated() {
                if i > 0 { out.append(contentsOf: ",\n".utf8) }
                Self.pad(indent + 2, &out)
                v.write(into: &out, indent: indent + 2, orders: &orders)
            }
            out.append(UInt8(ascii: "\n"))
            Self.pad(indent, &out)
            out.append(UInt8(ascii: "]"))
        case .object(let fields):
            out.append(UInt8(ascii: "{"))
            out.append(UInt8(ascii: "\n"))
            for (i, index) in orders.sortedByKey(fields).enumerated() {
                let field = fields[index]
                if i > 0 { out.append(contentsOf: ",\n".utf8) }
                Self.pad(indent + 2, &out)
                Self.quote(field.0, into: &out)
                out.append(contentsOf: " : ".utf8)
                field.1.write(into: &out, indent: indent + 2, orders: &orders)
            }
            out.append(UInt8(ascii: "\n"))
            Self.pad(indent, &out)
            out.append(UInt8(ascii: "}"))
        }
    }

    /// The fields' positions in the order of their keys' UTF-8 bytes (as `JSONEncoder` sorts
    /// them), the sort stable; keys compared with `memcmp` (comparing `utf8` views element by
    /// element was 5% of a `GET /api/v1/overdue`).
    static func sortedByKey(_ fields: [(String, JSONValue)]) -> [Int] {
        var order = Array(fields.indices)
        guard fields.count > 1 else { return order }
        let keys = fields.map(\.0)
        // Insertion sort: objects are small.
        for i in 1..<order.count {
            let moving = order[i]
            var j = i
            while j > 0, precedes(keys[moving], keys[order[j - 1]]) {
                order[j] = order[j - 1]
                j -= 1
            }
            order[j] = moving
        }
        return order
    }

    /// `sortedByKey` for the objects of one output: a list writes thousands of objects with the
    /// same keys in the same order, so the last few key lists and their orders are kept and a
    /// repeated one is not sorted again (sorting every object's keys was 5% of `overdue --format
    /// json` at country size).
    struct KeyOrders {
        private var recent: [(keys: [String], order: [Int])] = []
        private var next = 0
        static let kept = 8

        mutating func sortedByKey(_ fields: [(String, JSONValue)]) -> [Int] {
            guard fields.count > 1 else { return Array(fields.indices) }
            for entry in recent where entry.keys.count == fields.count {
                if zip(entry.keys, fields).allSatisfy({ $0 == $1.0 }) { return entry.order }
            }
            let order = JSONValue.sortedByKey(fields)
            let entry = (keys: fields.map(\.0), order: order)
            if recent.count < Self.kept { recent.append(entry) } else { recent[next] = entry }
            next = (next + 1) % Self.kept
            return order
        }
    }

    /// Whether `a`'s UTF-8 bytes precede `b`'s.
    static func precedes(_ a: String, _ b: String) -> Bool {
        let fast = a.utf8.withContiguousStorageIfAvailable { x in
            b.utf8.withContiguousStorageIfAvailable { y -> Bool in
                let common = min(x.count, y.count)
                if common > 0, let p = x.baseAddress, let q = y.baseAddress {
                    let c = memcmp(p, q, common)
                    if c != 0 { return c < 0 }
                }
                return x.count < y.count
            }
        }
        return (fast ?? nil) ?? a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    private static func pad(_ n: Int, _ out: inout [UInt8]) {
        out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: n))
    }

    private static let hex = Array("0123456789abcdef".utf8)

    /// JSONEncoder's escapes: `"` and `\`, the short forms \b \f \n \r \t, other controls as \u00xx.
    static func quote(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { bytes in
            // Runs of bytes needing no escape are appended whole (byte by byte was 11% of a
            // `GET /api/v1/overdue`).
            var start = 0
            for (i, b) in bytes.enumerated() where b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") {
                if start < i { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<i])) }
                escape(b, into: &out)
                start = i + 1
            }
            if start < bytes.count { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...])) }
        }
        out.append(UInt8(ascii: "\""))
    }

    private static func escape(_ b: UInt8, into out: inout [UInt8]) {
        switch b {
        case UInt8(ascii: "\""): out.append(contentsOf: "\\\"".utf8)
        case UInt8(ascii: "\\"): out.append(contentsOf: "\\\\".utf8)
        case 0x08: out.append(contentsOf: "\\b".utf8)
        case 0x0C: out.append(contentsOf: "\\f".utf8)
        case 0x0A: out.append(contentsOf: "\\n".utf8)
        case 0x0D: out.append(contentsOf: "\\r".utf8)
        case 0x09: out.append(contentsOf: "\\t".utf8)
        case 0..<0x20: out.append(contentsOf: "\\u00".utf8 + [hex[Int(b >> 4)], hex[Int(b & 0xF)]])
        default: out.append(b)
        }
    }
}

/// A value other code takes as a `JSONValue` (the notify webhook's `notice`, the tests).
public protocol JSONValueConvertible {
    var jsonValue: JSONValue { get }
}

extension JSONValueConvertible where Self: Encodable {
    /// Its `Encodable` keys, through `JSONValueEncoder` (null if it cannot be written: a number
    /// that is not finite).
    public var jsonValue: JSONValue { (try? JSONValueEncoder.value(self)) ?? .null }
}

extension Array: JSONValueConvertible where Element: JSONValueConvertible {
    public var jsonValue: JSONValue { .array(map(\.jsonValue)) }
}
