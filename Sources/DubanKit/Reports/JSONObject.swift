/// A JSON object of Duban's documented output: every stored property is written under its own
/// name, and an optional without a value is written as `null` rather than left out, so that
/// every documented key is always present. (Synthesized `Encodable` would drop nil keys.)
public protocol JSONObject: Encodable {}

extension JSONObject {
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: PropertyKey.self)
        for child in Mirror(reflecting: self).children {
            guard let label = child.label else { continue }
            let key = PropertyKey(stringValue: label)
            let mirror = Mirror(reflecting: child.value)
            if mirror.displayStyle == .optional {
                if let wrapped = mirror.children.first?.value as? Encodable {
                    try container.encode(AnyEncodable(wrapped), forKey: key)
                } else {
                    try container.encodeNil(forKey: key)
                }
            } else if let value = child.value as? Encodable {
                try container.encode(AnyEncodable(value), forKey: key)
            }
        }
    }
}

struct PropertyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

struct AnyEncodable: Encodable {
    let value: Encodable
    init(_ value: Encodable) { self.value = value }
    func encode(to encoder: Encoder) throws { try value.encode(to: encoder) }
}
