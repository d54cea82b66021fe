/// JSON as every command writes it: pretty, keys sorted, no escaped slashes, newline at the end,
/// the keys those of the value's `Encodable` conformance (`JSONValueEncoder`), written by `JSONValue`.
public enum JSONOutput {
    public static func encode<T: Encodable>(_ value: T, snakeCaseKeys: Bool = false) -> String {
        guard let json = try? JSONValueEncoder.value(value, snakeCaseKeys: snakeCaseKeys) else { return "null\n" }
        return json.prettyText
    }

    /// `encode`'s UTF-8 bytes, made without a `String` (what a server sends).
    public static func bytes<T: Encodable>(_ value: T, snakeCaseKeys: Bool = false) -> [UInt8] {
        guard let json = try? JSONValueEncoder.value(value, snakeCaseKeys: snakeCaseKeys) else { return Array("null\n".utf8) }
        return json.prettyBytes
    }

    /// `encode(values)`'s bytes handed to `write` a part at a time (each about `chunk` bytes, whole
    /// elements), each element encoded when its turn comes: a country-size list is tens of
    /// megabytes of text, which `encode` holds at once, with the tree it is written from. An
    /// element that cannot be encoded (a number that is not finite) is written as `null`.
    public static func stream<T: Encodable>(_ values: [T], snakeCaseKeys: Bool = false, chunk: Int = 1 << 16,
                                            to write: ([UInt8]) -> Void) {
        var out: [UInt8] = Array("[\n".utf8)
        out.reserveCapacity(chunk + chunk / 4)
        var orders = JSONValue.KeyOrders()
        for (i, value) in values.enumerated() {
            if i > 0 { out.append(contentsOf: ",\n".utf8) }
            out.append(contentsOf: "  ".utf8)
            let json = (try? JSONValueEncoder.value(value, snakeCaseKeys: snakeCaseKeys)) ?? .null
            json.write(into: &out, indent: 2, orders: &orders)
            if out.count >= chunk {
                write(out)
                out.removeAll(keepingCapacity: true)
            }
        }
        out.append(contentsOf: "\n]\n".utf8)
        write(out)
    }
}
