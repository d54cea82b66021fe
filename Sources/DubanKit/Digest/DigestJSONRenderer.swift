/// The digest as JSON: snake_case keys, sorted, every documented key present (null when empty).
/// The schema is documented in docs/digest.md. Labels are not translated: JSON carries keywords.
public enum DigestJSONRenderer {
    /// The keys are the properties' names in snake_case (`planID` → `plan_id`), as
    /// `JSONEncoder`'s `convertToSnakeCase` writes them (the tests hold the two equal).
    public static func render(_ digest: Digest) -> String {
        JSONOutput.encode(digest, snakeCaseKeys: true)
    }
}
