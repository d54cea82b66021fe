/// JSON as every command writes it: pretty, keys sorted, no escaped slashes, newline at the end,
/// the keys those of the value's `Encodable` conformance, written by `JSONByteEncoder`.
public enum JSONOutput {
    public static func encode<T: Encodable>(_ value: T, snakeCaseKeys: Bool = false) -> String {
        String(decoding: bytes(value, snakeCaseKeys: snakeCaseKeys), as: UTF8.self)
    }

    /// `encode`'s UTF-8 bytes, made without a `String` (what a server sends). A value that cannot
    /// be encoded (a number that is not finite) is written as `null`.
    public static func bytes<T: Encodable>(_ value: T, snakeCaseKeys: Bool = false) -> [UInt8] {
        var out: [UInt8] = []
        var writer = Writer(snakeCaseKeys: snakeCaseKeys, chunk: Int.max) { out = $0 }
        writer.value(value, indent: 0)
        writer.end()
        return out
    }

    /// `encode(values)`'s bytes handed to `write` a part at a time (each about `chunk` bytes, whole
    /// elements), each element encoded when its turn comes: a country-size list is tens of
    /// megabytes of text, which `encode` holds at once. An
    /// element that cannot be encoded (a number that is not finite) is written as `null`.
    public static func stream<T: Encodable & Sendable>(_ values: [T], snakeCaseKeys: Bool = false, chunk: Int = 1 << 16,
                                            to write: ([UInt8]) -> Void) {
        withoutActuallyEscaping(write) { sink in
            var writer = Writer(snakeCaseKeys: snakeCaseKeys, chunk: chunk, sink: sink)
            writer.list(values, indent: 0)
            writer.end()
        }
    }

    /// `encode` of the list whose elements `elements` hands out (calling `each` once per element,
    /// in order), written as they come: each element encoded when it is handed out and the bytes
    /// handed to `write` in parts of about `chunk` bytes, for a list too long to hold (`history`
    /// at country size: 9.5 million records). Unlike `stream`, on one thread.
    public static func stream<T: Encodable>(snakeCaseKeys: Bool = false, chunk: Int = 1 << 16,
                                            elements: (_ each: (T) -> Void) throws -> Void,
                                            to write: ([UInt8]) -> Void) rethrows {
        try withoutActuallyEscaping(write) { sink in
            var writer = Writer(snakeCaseKeys: snakeCaseKeys, chunk: chunk, sink: sink)
            writer.raw("[\n")
            var first = true
            try elements { value in
                writer.raw(first ? "  " : ",\n  ")
                writer.value(value, indent: 2)
                first = false
            }
            writer.raw("\n]")
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
            for (n, i) in JSONByteEncoder.sortedByKey(members.map(\.key)).enumerated() {
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

    /// Writes JSON through `JSONByteEncoder`, handing it on in parts of about `chunk` bytes.
    public struct Writer {
        fileprivate(set) var out: [UInt8] = []
        /// One for the whole document: what it learns of each type and key (whether a type is a
        /// `JSONObject`, a key's snake case, an object's key order) is asked once, not once per
        /// element, and its buffer and frames are reused.
        private let context: JSONByteEncoder.Context
        private let chunk: Int
        private let sink: ([UInt8]) -> Void

        init(snakeCaseKeys: Bool, chunk: Int, sink: @escaping ([UInt8]) -> Void) {
            context = JSONByteEncoder.Context(snakeCaseKeys: snakeCaseKeys)
            self.chunk = max(1, chunk)
            self.sink = sink
            if chunk < Int.max / 2 { out.reserveCapacity(self.chunk + self.chunk / 4) }
        }

        mutating func raw(_ text: String) { out.append(contentsOf: text.utf8) }

        mutating func key(_ key: String) {
            context.quote(key)
            context.copy(0..<context.count, to: &out)
            context.reset()
            raw(" : ")
        }

        /// The value's JSON, its nested lines indented from `indent`; `null` if it cannot be
        /// encoded (a number that is not finite).
        mutating func value<T: Encodable>(_ value: T, indent: Int) {
            if let range = try? context.write(value, indent: indent) {
                context.copy(range, to: &out)
            } else {
                raw("null")
            }
            context.reset()
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
                let (one, two) = (PartWriter(snakeCaseKeys: context.snakeCaseKeys), PartWriter(snakeCaseKeys: context.snakeCaseKeys))
                var start = 0
                while start < values.count {
                    let a = start..<min(start + part, values.count)
                    let b = a.upperBound..<min(a.upperBound + part, values.count)
                    _ = onTwoThreads({ one.write(values[a], from: a.lowerBound, indent: indent) },
                                     { two.write(values[b], from: b.lowerBound, indent: indent) })
                    out.append(contentsOf: one.writer.out)
                    out.append(contentsOf: two.writer.out)
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

        /// The writer of a list's parts on one thread, one for the whole list: its bytes and its
        /// encoder's buffer are reused from part to part (a new one per part touched fresh pages
        /// for each: a tenth of `escalate` at country size went to the kernel clearing them).
        private final class PartWriter: @unchecked Sendable {
            var writer: Writer

            init(snakeCaseKeys: Bool) { writer = Writer(snakeCaseKeys: snakeCaseKeys, chunk: Int.max) { _ in } }

            /// `elements`' bytes in `writer.out`, in place of the last part's.
            func write<T: Encodable>(_ values: ArraySlice<T>, from: Int, indent: Int) {
                writer.out.removeAll(keepingCapacity: true)
                writer.elements(values, from: from, indent: indent)
            }
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
