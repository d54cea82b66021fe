/// A JSON object of Duban's documented output: its keys are its stored properties' names (the
/// synthesized `Encodable`), and `JSONByteEncoder` writes an optional without a value as `null`
/// rather than leaving it out, so that every documented key is always present.
public protocol JSONObject: Encodable {}

/// A key named at run time, for an `encode(to:)` that writes keys one by one.
struct PropertyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
