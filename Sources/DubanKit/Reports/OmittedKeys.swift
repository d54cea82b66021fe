/// A key of a `JSONObject` written only when it has a value, where every other key is always
/// written (a nil as `null`): for a key added after its schema was published, on some objects
/// only. The synthesized `Encodable` calls the `encode` below, which leaves the key out.
@propertyWrapper
public struct OmittedIfNil<Value: Encodable>: Encodable {
    public var wrappedValue: Value?

    public init(wrappedValue: Value?) { self.wrappedValue = wrappedValue }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(wrappedValue)
    }
}

/// As `OmittedIfNil`, for a flag written only when true.
@propertyWrapper
public struct OmittedIfFalse: Encodable, Equatable, Sendable {
    public var wrappedValue: Bool

    public init(wrappedValue: Bool) { self.wrappedValue = wrappedValue }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(wrappedValue)
    }
}

extension OmittedIfNil: Equatable where Value: Equatable {}
extension OmittedIfNil: Sendable where Value: Sendable {}

extension KeyedEncodingContainer {
    public mutating func encode<V>(_ value: OmittedIfNil<V>, forKey key: Key) throws {
        if let v = value.wrappedValue { try encode(v, forKey: key) }
    }

    public mutating func encode(_ value: OmittedIfFalse, forKey key: Key) throws {
        if value.wrappedValue { try encode(true, forKey: key) }
    }
}
