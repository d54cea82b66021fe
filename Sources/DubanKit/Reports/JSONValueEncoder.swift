/// Turns any `Encodable` into a `JSONValue`, reading it as `JSONEncoder` does: a type's keys are
/// the ones its `encode(to:)` writes (synthesized: its stored properties' names), so each key is
/// declared once, where the type is. Two differences, both what Duban's documented JSON needs:
/// a `JSONObject`'s optionals without a value are written as `null` (JSONEncoder leaves them
/// out), and `snakeCaseKeys` converts keys as `JSONEncoder.KeyEncodingStrategy.convertToSnakeCase`
/// does. `JSONValue` writes the text: the one JSON writer of every output.
public enum JSONValueEncoder {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public static func value<T: Encodable>(_ value: T, snakeCaseKeys: Bool = false) throws -> JSONValue {
        try Context(snakeCaseKeys: snakeCaseKeys).value(value)
    }

    /// What one encoding shares: its key conversion and the keys converted so far.
    final class Context {
        let snakeCaseKeys: Bool
        private var converted: [String: String] = [:]

        init(snakeCaseKeys: Bool) { self.snakeCaseKeys = snakeCaseKeys }

        func key(_ key: CodingKey) -> String {
            let name = key.stringValue
            guard snakeCaseKeys else { return name }
            if let known = converted[name] { return known }
            let snake = Self.snakeCase(name)
            converted[name] = snake
            return snake
        }

        func value<T: Encodable>(_ value: T) throws -> JSONValue {
            // The common leaves without an encoder of their own (a type compared, not cast).
            if T.self == String.self, let s = value as? String { return .string(s) }
            if T.self == Int.self, let n = value as? Int { return .int(n) }
            if T.self == LocalDate.self, let d = value as? LocalDate { return .string(d.description) }
            if T.self == Bool.self, let b = value as? Bool { return .bool(b) }
            let builder = Builder(nullForNil: isObject(T.self))
            try value.encode(to: Writer(builder: builder, context: self, codingPath: []))
            return builder.finish()
        }

        private var objects: [ObjectIdentifier: Bool] = [:]

        /// Whether the type is a `JSONObject`, asked of the runtime once per type.
        private func isObject<T>(_ type: T.Type) -> Bool {
            let id = ObjectIdentifier(type)
            if let known = objects[id] { return known }
            let answer = type is JSONObject.Type
            objects[id] = answer
            return answer
        }

        /// `JSONEncoder`'s `convertToSnakeCase`: words split where lower case meets upper case and
        /// before the last capital of a run of capitals followed by lower case (`planID` →
        /// `plan_id`, `myURLKey` → `my_url_key`), then lowercased; leading and trailing `_` kept.
        static func snakeCase(_ key: String) -> String {
            let chars = Array(key)
            guard let first = chars.firstIndex(where: { $0 != "_" }) else { return key }
            var last = chars.count - 1
            while last > first, chars[last] == "_" { last -= 1 }
            var words: [String] = []
            var start = first
            var i = first + 1
            while i <= last {
                let c = chars[i]
                if c.isUppercase {
                    let previous = chars[i - 1]
                    let next: Character? = i + 1 <= last ? chars[i + 1] : nil
                    if !previous.isUppercase || (next.map { $0.isLowercase } ?? false) {
                        words.append(String(chars[start..<i]))
                        start = i
                    }
                }
                i += 1
            }
            words.append(String(chars[start...last]))
            return String(chars[..<first]) + words.map { $0.lowercased() }.joined(separator: "_") + String(chars[(last + 1)...])
        }
    }

    /// A value under construction: a leaf, an object or an array; a nested container's value
    /// is filled in when it is finished.
    final class Builder {
        enum Kind { case empty, leaf, object, array }
        var kind = Kind.empty
        var leaf = JSONValue.null
        var fields: [(String, JSONValue)] = []
        var elements: [JSONValue] = []
        /// Nested containers: their position in `fields` or `elements`.
        var pending: [(Int, Builder)] = []
        /// Whether an optional without a value is written as null (a `JSONObject`) or left out.
        let nullForNil: Bool

        init(nullForNil: Bool) { self.nullForNil = nullForNil }

        func finish() -> JSONValue {
            switch kind {
            case .empty: return .object([])
            case .leaf: return leaf
            case .object:
                for (i, b) in pending { fields[i].1 = b.finish() }
                return .object(fields)
            case .array:
                for (i, b) in pending { elements[i] = b.finish() }
                return .array(elements)
            }
        }

        func nested(key: String) -> Builder {
            let child = Builder(nullForNil: false)
            pending.append((fields.count, child))
            fields.append((key, .null))
            return child
        }

        func nestedElement() -> Builder {
            let child = Builder(nullForNil: false)
            pending.append((elements.count, child))
            elements.append(.null)
            return child
        }
    }

    struct Writer: Encoder {
        let builder: Builder
        let context: Context
        var codingPath: [CodingKey]
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
            builder.kind = .object
            return KeyedEncodingContainer(Keyed<Key>(builder: builder, context: context, codingPath: codingPath))
        }

        func unkeyedContainer() -> UnkeyedEncodingContainer {
            builder.kind = .array
            return Unkeyed(builder: builder, context: context, codingPath: codingPath)
        }

        func singleValueContainer() -> SingleValueEncodingContainer {
            Single(builder: builder, context: context, codingPath: codingPath)
        }
    }

    /// Numbers as `JSONEncoder` writes them: integers in full, a `Double` by its shortest
    /// round-tripping text without a trailing `.0`; not-a-number and infinity refused.
    static func number(_ d: Double) throws -> JSONValue {
        guard d.isFinite else { throw Failure(description: "\(d) is not a JSON number") }
        var text = d.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        return .number(text)
    }

    struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let builder: Builder
        let context: Context
        var codingPath: [CodingKey]

        private func put(_ value: JSONValue, _ key: Key) { builder.fields.append((context.key(key), value)) }
        private func absent(_ key: Key) { if builder.nullForNil { put(.null, key) } }

        mutating func encodeNil(forKey key: Key) throws { put(.null, key) }
        mutating func encode(_ value: Bool, forKey key: Key) throws { put(.bool(value), key) }
        mutating func encode(_ value: String, forKey key: Key) throws { put(.string(value), key) }
        mutating func encode(_ value: Double, forKey key: Key) throws { put(try number(value), key) }
        mutating func encode(_ value: Float, forKey key: Key) throws { put(try number(Double(value)), key) }
        mutating func encode(_ value: Int, forKey key: Key) throws { put(.int(value), key) }
        mutating func encode(_ value: Int8, forKey key: Key) throws { put(.number(String(value)), key) }
        mutating func encode(_ value: Int16, forKey key: Key) throws { put(.number(String(value)), key) }
        mutating func encode(_ value: Int32, forKey key: Key) throws { put(.number(String(value)), key) }
        mutating func encode(_ value: Int64, forKey key: Key) throws { put(.number(String(value)), key) }
        mutating func encode(_ value: UInt, forKey key: Key) throws { put(.number(String(value)), key) }
        mutating func encode(_ value: UInt8, forKey key: Key) throws { put(.number(String(value)), key) }
        mutating func encode(_ value: UInt16, forKey key: Key) throws { put(.number(String(value)), key) }
        mutating func encode(_ value: UInt32, forKey key: Key) throws { put(.number(String(value)), key) }
        mutating func encode(_ value: UInt64, forKey key: Key) throws { put(.number(String(value)), key) }
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { put(try context.value(value), key) }

        // Optionals: left out, as JSONEncoder does, or null for a `JSONObject`.
        mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) throws {
            if let value { try encode(value, forKey: key) } else { absent(key) }
        }
        mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws {
            if let value { try encode(value, forKey: key) } else { absent(key) }
        }
        mutating func encodeIfPresent(_ value: Double?, forKey key: Key) throws {
            if let value { try encode(value, forKey: key) } else { absent(key) }
        }
        mutating func encodeIfPresent(_ value: Float?, forKey key: Key) throws {
            if let value { try encode(value, forKey: key) } else { absent(key) }
        }
        mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws {
            if let value { try encode(value, forKey: key) } else { absent(key) }
        }
        mutating func encodeIfPresent(_ value: Int8?, forKey key: Key) throws {
            if let value { try encode(value, forKey: key) } else { absent(key) }
        }
        mutating func encodeIfPresent(_ value: Int16?, forKey key: Key) throws {
            if let value { try encode(value, forKey: key) } else { absent(key) }
        }
        mutating func encodeIfPresent(_ value: Int32?, forKey key: Key) throws {
            if let value { try encode(value, forKey: key) } else { absent(key) }
        }
        mutating func encodeIfPresent(_ value: Int64?, forKey key: Key) throws {
            if let value { try encode(value, forKey: key) } else { absent(key) }
        }
        mutating func encodeIfPresent(_ value: UInt?, forKey key: Key) throws {
            if let value { try encode(value, forKey: key) } else { absent(key) }
        }
        mutating func encodeIfPresent(_ value: UInt8?, forKey key: Key) throws {
            if let value { try encode(value, forKey: key) } else { absent(key) }
        }
        mutating func encodeIfPresent(_ value: UInt16?, forKey key: Key) throws {
            if let value { try encode(value, forKey: key) } else { absent(key) }
        }
        mutating func encodeIfPresent(_ value: UInt32?, forKey key: Key) throws {
            if let value { try encode(value, forKey: key) } else { absent(key) }
        }
        mutating func encodeIfPresent(_ value: UInt64?, forKey key: Key) throws {
            if let value { try encode(value, forKey: key) } else { absent(key) }
        }
        mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws {
            if let value { try encode(value, forKey: key) } else { absent(key) }
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type,
                                                            forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
            let child = builder.nested(key: context.key(key))
            return Writer(builder: child, context: context, codingPath: codingPath + [key]).container(keyedBy: keyType)
        }

        mutating func nestedUnkeyedContainer(forKey key: Key) -> UnkeyedEncodingContainer {
            let child = builder.nested(key: context.key(key))
            return Writer(builder: child, context: context, codingPath: codingPath + [key]).unkeyedContainer()
        }

        mutating func superEncoder() -> Encoder { superEncoder(named: "super") }
        mutating func superEncoder(forKey key: Key) -> Encoder { superEncoder(named: key.stringValue) }

        private func superEncoder(named name: String) -> Encoder {
            let child = builder.nested(key: name)
            return Writer(builder: child, context: context, codingPath: codingPath)
        }
    }

    struct Unkeyed: UnkeyedEncodingContainer {
        let builder: Builder
        let context: Context
        var codingPath: [CodingKey]
        var count: Int { builder.elements.count }

        mutating func encodeNil() throws { builder.elements.append((.null)) }
        mutating func encode(_ value: Bool) throws { builder.elements.append((.bool(value))) }
        mutating func encode(_ value: String) throws { builder.elements.append((.string(value))) }
        mutating func encode(_ value: Double) throws { builder.elements.append((try number(value))) }
        mutating func encode(_ value: Float) throws { builder.elements.append((try number(Double(value)))) }
        mutating func encode(_ value: Int) throws { builder.elements.append((.int(value))) }
        mutating func encode(_ value: Int8) throws { builder.elements.append((.number(String(value)))) }
        mutating func encode(_ value: Int16) throws { builder.elements.append((.number(String(value)))) }
        mutating func encode(_ value: Int32) throws { builder.elements.append((.number(String(value)))) }
        mutating func encode(_ value: Int64) throws { builder.elements.append((.number(String(value)))) }
        mutating func encode(_ value: UInt) throws { builder.elements.append((.number(String(value)))) }
        mutating func encode(_ value: UInt8) throws { builder.elements.append((.number(String(value)))) }
        mutating func encode(_ value: UInt16) throws { builder.elements.append((.number(String(value)))) }
        mutating func encode(_ value: UInt32) throws { builder.elements.append((.number(String(value)))) }
        mutating func encode(_ value: UInt64) throws { builder.elements.append((.number(String(value)))) }
        mutating func encode<T: Encodable>(_ value: T) throws { builder.elements.append((try context.value(value))) }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            let child = builder.nestedElement()
            return Writer(builder: child, context: context, codingPath: codingPath).container(keyedBy: keyType)
        }

        mutating func nestedUnkeyedContainer() -> UnkeyedEncodingContainer {
            let child = builder.nestedElement()
            return Writer(builder: child, context: context, codingPath: codingPath).unkeyedContainer()
        }

        mutating func superEncoder() -> Encoder {
            let child = builder.nestedElement()
            return Writer(builder: child, context: context, codingPath: codingPath)
        }
    }

    struct Single: SingleValueEncodingContainer {
        let builder: Builder
        let context: Context
        var codingPath: [CodingKey]

        private func set(_ value: JSONValue) {
            builder.kind = .leaf
            builder.leaf = value
        }

        mutating func encodeNil() throws { set(.null) }
        mutating func encode(_ value: Bool) throws { set(.bool(value)) }
        mutating func encode(_ value: String) throws { set(.string(value)) }
        mutating func encode(_ value: Double) throws { set(try number(value)) }
        mutating func encode(_ value: Float) throws { set(try number(Double(value))) }
        mutating func encode(_ value: Int) throws { set(.int(value)) }
        mutating func encode(_ value: Int8) throws { set(.number(String(value))) }
        mutating func encode(_ value: Int16) throws { set(.number(String(value))) }
        mutating func encode(_ value: Int32) throws { set(.number(String(value))) }
        mutating func encode(_ value: Int64) throws { set(.number(String(value))) }
        mutating func encode(_ value: UInt) throws { set(.number(String(value))) }
        mutating func encode(_ value: UInt8) throws { set(.number(String(value))) }
        mutating func encode(_ value: UInt16) throws { set(.number(String(value))) }
        mutating func encode(_ value: UInt32) throws { set(.number(String(value))) }
        mutating func encode(_ value: UInt64) throws { set(.number(String(value))) }
        mutating func encode<T: Encodable>(_ value: T) throws { set(try context.value(value)) }
    }
}
