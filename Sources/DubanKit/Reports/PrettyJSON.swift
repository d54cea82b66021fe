/// A JSON value written exactly as `JSONOutput.encode`'s `JSONEncoder` writes it (pretty-printed,
/// keys sorted by their UTF-8 bytes, slashes not escaped), byte for byte, without the encoder's
/// per-value machinery: the supervision lists hold tens of thousands of items at country size,
/// where `JSONEncoder` took 0.5 s of a 2.5 s `overdue`. `PrettyJSONTests` holds the two equal.
public enum JSONValue: Sendable {
    case string(String)
    case int(Int)
    case bool(Bool)
    case null
    case array([JSONValue])
    /// Fields in any order: they are written sorted.
    case object([(String, JSONValue)])

    public static func string(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
    public static func int(_ value: Int?) -> JSONValue { value.map(JSONValue.int) ?? .null }

    /// The text, with the final newline `JSONOutput.encode` adds.
    public var prettyText: String {
        var out: [UInt8] = []
        write(into: &out, indent: 0)
        out.append(UInt8(ascii: "\n"))
        return String(decoding: out, as: UTF8.self)
    }

    func write(into out: inout [UInt8], indent: Int) {
        switch self {
        case .string(let s): Self.quote(s, into: &out)
        case .int(let n): out.append(contentsOf: String(n).utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .null: out.append(contentsOf: "null".utf8)
        case .array(let values):
            out.append(UInt8(ascii: "["))
            out.append(UInt8(ascii: "\n"))
            for (i, v) in values.enumerated() {
                if i > 0 { out.append(contentsOf: ",\n".utf8) }
                Self.pad(indent + 2, &out)
                v.write(into: &out, indent: indent + 2)
            }
            out.append(UInt8(ascii: "\n"))
            Self.pad(indent, &out)
            out.append(UInt8(ascii: "]"))
        case .object(let fields):
            out.append(UInt8(ascii: "{"))
            out.append(UInt8(ascii: "\n"))
            for (i, field) in fields.sorted(by: { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }).enumerated() {
                if i > 0 { out.append(contentsOf: ",\n".utf8) }
                Self.pad(indent + 2, &out)
                Self.quote(field.0, into: &out)
                out.append(contentsOf: " : ".utf8)
                field.1.write(into: &out, indent: indent + 2)
            }
            out.append(UInt8(ascii: "\n"))
            Self.pad(indent, &out)
            out.append(UInt8(ascii: "}"))
        }
    }

    private static func pad(_ n: Int, _ out: inout [UInt8]) {
        out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: n))
    }

    private static let hex = Array("0123456789abcdef".utf8)

    /// JSONEncoder's escapes: `"` and `\`, the short forms \b \f \n \r \t, other controls as \u00xx.
    static func quote(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for b in s.utf8 {
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
        out.append(UInt8(ascii: "\""))
    }
}

/// A value `JSONOutput.encode` writes through `JSONValue`.
public protocol JSONValueConvertible {
    var jsonValue: JSONValue { get }
}

extension Array: JSONValueConvertible where Element: JSONValueConvertible {
    public var jsonValue: JSONValue { .array(map(\.jsonValue)) }
}

extension SupervisionJSON.Item: JSONValueConvertible {
    public var jsonValue: JSONValue {
        .object([("unit", .string(unit)), ("unit_name", .string(unit_name)), ("kind", .string(kind)), ("task", .int(task)),
                 ("milestone", .string(milestone)), ("title", .string(title)), ("period", .string(period)), ("due", .string(due)),
                 ("original_due", .string(original_due)), ("extended", .bool(extended)), ("days_overdue", .int(days_overdue)),
                 ("last_status", .string(last_status)), ("last_percent", .int(last_percent)),
                 ("last_reported_on", .string(last_reported_on)), ("reason", .string(reason)), ("level", .string(level))]
                + (item_level.map { [("item_level", JSONValue.string($0))] } ?? []))
    }
}

extension SupervisionJSON.Notice: JSONValueConvertible {
    public var jsonValue: JSONValue {
        .object([("unit", .string(unit)), ("unit_name", .string(unit_name)), ("liaison", .string(liaison)), ("phone", .string(phone)),
                 ("due_until", .string(due_until)), ("due_soon", due_soon.jsonValue), ("overdue", overdue.jsonValue)]
                + (own ? [("own", JSONValue.bool(true))] : []))
    }
}

extension SupervisionJSON.Escalation: JSONValueConvertible {
    public var jsonValue: JSONValue {
        .object([("unit", .string(unit)), ("unit_name", .string(unit_name)), ("level", .string(level)),
                 ("level_label", .string(level_label)), ("colour", .string(colour)), ("reason", .string(reason)),
                 ("reasons", .array(reasons.map(JSONValue.string))), ("task", .int(task)), ("milestone", .string(milestone)),
                 ("due", .string(due)), ("days_overdue", .int(days_overdue)), ("overdue_items", .int(overdue_items)),
                 ("due_soon_items", .int(due_soon_items)), ("last_action", .string(last_action)),
                 ("last_action_on", .string(last_action_on)), ("items", items.jsonValue)])
    }
}

extension SupervisionJSON.FollowUps: JSONValueConvertible {
    public var jsonValue: JSONValue {
        .object([("unit", .string(unit)), ("unit_name", .string(unit_name)), ("overdue_items", .int(overdue_items)),
                 ("due_soon_items", .int(due_soon_items)), ("items", items.jsonValue)])
    }
}

extension SupervisionJSON.Behind: JSONValueConvertible {
    public var jsonValue: JSONValue {
        .object([("unit", .string(unit)), ("unit_name", .string(unit_name)), ("task", .int(task)), ("milestone", .string(milestone)),
                 ("due", .string(due)), ("days_overdue", .int(days_overdue)), ("percent", .int(percent)), ("elapsed", .int(elapsed)),
                 ("colour", .string(colour)), ("reason", .string(reason))])
    }
}

extension LedgerJSON.StatusObject: JSONValueConvertible {
    public var jsonValue: JSONValue {
        .object([("unit", .string(unit)), ("unit_name", .string(unit_name)), ("task", .int(task)), ("task_title", .string(task_title)),
                 ("status", .string(status)), ("status_label", .string(status_label)), ("percent", .int(percent)),
                 ("reported_on", .string(reported_on)), ("completed_on", .string(completed_on)), ("progress", .string(progress)),
                 ("source", .string(source))])
    }
}

extension LedgerJSON.LedgerCellObject: JSONValueConvertible {
    public var jsonValue: JSONValue {
        .object([("unit", .string(unit)), ("unit_name", .string(unit_name)), ("period", .string(period)), ("due", .string(due)),
                 ("state", .string(state)), ("state_label", .string(state_label)), ("submitted_on", .string(submitted_on)),
                 ("submission", .int(submission.map { Int($0) })), ("received_as", .string(received_as)),
                 ("review", .string(review)), ("review_label", .string(review_label))])
    }
}
