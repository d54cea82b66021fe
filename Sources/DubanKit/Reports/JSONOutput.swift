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
    public static func stream<T: Encodable & Sendable>(_ values: [T], snakeCaseKeys: Bool = false, chunk: Int = 1 << 16,
                                            to write: ([UInt8]) -> Void) {
        withoutActuallyEscaping(write) { sink in
            var writer = Writer(snakeCaseKeys: snakeCaseKeys, chunk: chunk, sink: sink)
            writer.list(values, indent: 0)
            writer.end()
        }
    }

    /// A document that is one object, written member by member (each a value, or a list written
    /// element by element), the members in the order of their keys as `encode` sorts them.
    public static func streamObject(_ members: [Member], snakeCaseKeys: Bool = false, chunk: Int = 1 << 16,
                                    to write: ([UInt8]) -> Void) {
        withoutActuallyEscaping(write) { sink in
            var writer = Writer(snakeCaseKeys: snakeCaseKeys, chunk: chunk, sink: sink)
            writer.raw("{\n")
            for (n, i) in JSONValue.sortedByKey(members.map { ($0.key, JSONValue.null) }).enumerated() {
                writer.raw(n == 0 ? "  " : ",\n  ")
                writer.key(members[i].key)
                members[i].write(&writer, 2)
            }
            writer.raw("\n}")
            writer.end()
        }
    }

    /// One member of `streamObject`'s object: its key, and what writes its value at an indent.
    public struct Member {
        let key: String
        let write: (inout Writer, Int) -> Void

        public static func value<T: Encodable>(_ key: String, _ value: T) -> Member {
            Member(key: key) { writer, indent in writer.value(value, indent: indent) }
        }

        public static func list<T: Encodable & Sendable>(_ key: String, _ values: [T]) -> Member {
            Member(key: key) { writer, indent in writer.list(values, indent: indent) }
        }
    }

    /// Writes JSON as `JSONValue` does, handing it on in parts of about `chunk` bytes.
    public struct Writer {
        private var out: [UInt8] = []
        private var orders = JSONValue.KeyOrders()
        /// One for the whole document: what it learns of each type and key (whether a type is a
        /// `JSONObject`, a key's snake case) is asked once, not once per element.
        private let context: JSONValueEncoder.Context
        private let chunk: Int
        private let sink: ([UInt8]) -> Void

        init(snakeCaseKeys: Bool, chunk: Int, sink: @escaping ([UInt8]) -> Void) {
            context = JSONValueEncoder.Context(snakeCaseKeys: snakeCaseKeys)
            self.chunk = max(1, chunk)
            self.sink = sink
            if chunk < Int.max / 2 { out.reserveCapacity(self.chunk + self.chunk / 4) }
        }

        mutating func raw(_ text: String) { out.append(contentsOf: text.utf8) }

        mutating func key(_ key: String) {
            JSONValue.quote(key, into: &out)
            raw(" : ")
        }

        mutating func value<T: Encodable>(_ value: T, indent: Int) {
            let json = (try? context.value(value)) ?? .null
            json.write(into: &out, indent: indent, orders: &orders)
            flushIfFull()
        }

        /// A list, element by element. A long one is encoded in parts of `part` elements, two at
        /// a time, one per thread (each with a writer of its own), and its parts' bytes handed on
        /// in order: the same bytes, in less time on two cores (encoding was a third of `notify`
        /// and `escalate` at country size).
        mutating func list<T: Encodable & Sendable>(_ values: [T], indent: Int, part: Int = 512) {
            raw("[\n")
            if values.count < 2 * part {
                elements(values[...], from: 0, indent: indent)
            } else {
                let snakeCaseKeys = context.snakeCaseKeys
                var start = 0
                while start < values.count {
                    let a = start..<min(start + part, values.count)
                    let b = a.upperBound..<min(a.upperBound + part, values.count)
                    let (first, second) = onTwoThreads({ Writer.bytes(of: values[a], from: a.lowerBound, indent: indent, snakeCaseKeys: snakeCaseKeys) },
                                                       { Writer.bytes(of: values[b], from: b.lowerBound, indent: indent, snakeCaseKeys: snakeCaseKeys) })
                    out.append(contentsOf: first)
                    out.append(contentsOf: second)
                    flushIfFull()
                    start = b.upperBound
                }
            }
            raw("\n" + String(repeating: " ", count: indent) + "]")
        }

        /// Elements of a list, the first of them at position `from` in it (each but the list's
        /// first after a comma), each on its own line at `indent` + 2.
        private mutating func elements<T: Encodable>(_ values: ArraySlice<T>, from: Int, indent: Int) {
            let pad = String(repeating: " ", count: indent + 2)
            for (i, value) in zip(from..., values) {
                raw(i > 0 ? ",\n" + pad : pad)
                self.value(value, indent: indent + 2)
            }
        }

        /// `elements`' bytes, written by a writer of their own (on another thread).
        private static func bytes<T: Encodable>(of values: ArraySlice<T>, from: Int, indent: Int, snakeCaseKeys: Bool) -> [UInt8] {
            var writer = Writer(snakeCaseKeys: snakeCaseKeys, chunk: Int.max) { _ in }
            writer.elements(values, from: from, indent: indent)
            return writer.out
        }

        /// The final newline, and whatever is left handed on.
        mutating func end() {
            raw("\n")
            sink(out)
            out.removeAll()
        }

        private mutating func flushIfFull() {
            if out.count >= chunk {
                sink(out)
                out.removeAll(keepingCapacity: true)
            }
        }
    }
}
