import Foundation
@testable import DubanKit

/// The reference the one JSON writer (`JSONByteEncoder`, behind `JSONOutput`) is held to: what a
/// `JSONObject` meant when it encoded itself by reflection, written by `JSONEncoder`. Every stored
/// property under its own name, an optional without a value as null; nested `JSONObject`s the
/// same; a property wrapped in `OmittedIfNil` or `OmittedIfFalse` under its own name, left out
/// when nil or false.
struct Reflected: Encodable {
    let value: Any

    func encode(to encoder: Encoder) throws {
        if let array = value as? [Any] {
            var c = encoder.unkeyedContainer()
            for element in array { try c.encode(Reflected(value: element)) }
        } else if value is JSONObject {
            var c = encoder.container(keyedBy: PropertyKey.self)
            for child in Mirror(reflecting: value).children {
                guard var label = child.label else { continue }
                var value = child.value
                if let flag = value as? OmittedIfFalse {
                    guard flag.wrappedValue else { continue }
                    value = true
                    label.removeFirst()
                } else if String(describing: type(of: value)).hasPrefix("OmittedIfNil<") {
                    guard let wrapped = Mirror(reflecting: value).children.first?.value,
                          let present = Mirror(reflecting: wrapped).children.first?.value else { continue }
                    value = present
                    label.removeFirst()
                }
                let key = PropertyKey(stringValue: label)
                let mirror = Mirror(reflecting: value)
                if mirror.displayStyle == .optional {
                    if let wrapped = mirror.children.first?.value { try c.encode(Reflected(value: wrapped), forKey: key) }
                    else { try c.encodeNil(forKey: key) }
                } else {
                    try c.encode(Reflected(value: value), forKey: key)
                }
            }
        } else if let encodable = value as? Encodable {
            try encodable.encode(to: encoder)
        }
    }

    /// `JSONEncoder`'s text (pretty, keys sorted, slashes unescaped, a final newline).
    static func text(_ value: Any, snakeCaseKeys: Bool = false) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        if snakeCaseKeys { encoder.keyEncodingStrategy = .convertToSnakeCase }
        return String(decoding: try encoder.encode(Reflected(value: value)), as: UTF8.self) + "\n"
    }
}

extension DigestJSONRenderer {
    /// The digest's JSON through `JSONEncoder` (`convertToSnakeCase`) and reflection.
    static func encoderText(_ digest: Digest) -> String {
        (try? Reflected.text(digest, snakeCaseKeys: true)) ?? "null\n"
    }
}
