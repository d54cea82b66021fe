import Foundation

/// The digest as JSON: snake_case keys, sorted, every documented key present (null when empty).
/// The schema is documented in docs/digest.md. Labels are not translated: JSON carries keywords.
public enum DigestJSONRenderer {
    public static func render(_ digest: Digest) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        guard let data = try? encoder.encode(digest) else { return "null\n" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
