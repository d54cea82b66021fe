import Foundation

/// Encodes any `Encodable` straight to the bytes of pretty JSON, as `JSONEncoder` writes them
/// (keys sorted by their UTF-8 bytes, slashes not escaped, numbers and escapes as it writes them),
/// byte for byte, without a tree of values in between (why: BENCHMARKS.md, "One JSON writer, no
/// tree"): the one JSON writer of every output, behind `JSONOutput`. A type's keys are the ones
/// its `encode(to:)` writes (synthesized: its stored properties' names), so each key is declared
/// once, where the type is. Two differences, both what Duban's documented JSON needs: a
/// `JSONObject`'s optionals without a value are written as `null` (JSONEncoder leaves them out),
/// and `snakeCaseKeys` converts keys as `JSONEncoder.KeyEncodingStrategy.convertToSnakeCase` does.
///
/// How: a value's bytes are written into one buffer as it is encoded; an object or array is a
/// frame listing its members (a key and where its value's bytes are, or a nested frame not yet
/// written), and when the value's `encode(to:)` returns its frames are written out, members in
/// key order, after what is in the buffer. A value is copied once per level it is nested in.
enum JSONByteEncoder {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// A member of an object or array: its key (objects), and its value's bytes at `start..<end`
    /// of the buffer or, when `child` is not negative, the frame that writes it.
    struct Member {
        var key: String
        var start: Int
        var end: Int
        var child: Int
    }

    /// An object, array or single value being encoded, at `indent`.
    struct Frame {
        enum Kind { case empty, leaf, object, array }
        var kind = Kind.empty
        var indent = 0
        /// Whether an optional without a value is written as null (a `JSONObject`) or left out.
        var nullForNil = false
        var leaf = Member(key: "", start: 0, end: 0, child: -1)
        var members: [Member] = []
    }

    /// One document's (or one list element's) encoding: its buffer, its frames (kept for reuse),
    /// its key conversion and what it learned of each type and key list.
    final class Context {
        let snakeCaseKeys: Bool
        // Not checked for overlapping accesses at run time (each is used from one thread, and no
        // access to one of them overlaps another: the checks were 3% of `escalate`).
        @exclusivity(unchecked) private var bytes: UnsafeMutablePointer<UInt8>
        @exclusivity(unchecked) private(set) var count = 0
        @exclusivity(unchecked) private var capacity: Int
        @exclusivity(unchecked) var frames: [Frame] = []
        private var free: [Int] = []
        private var converted: [String: String] = [:]
        private var objects: [ObjectIdentifier: Bool] = [:]
        private var orders = KeyOrders()

        init(snakeCaseKeys: Bool) {
            self.snakeCaseKeys = snakeCaseKeys
            capacity = 4096
            bytes = .allocate(capacity: capacity)
        }

        deinit { bytes.deallocate() }

        /// The bytes at `range` of the buffer, appended to `out`.
        func copy(_ range: Range<Int>, to out: inout [UInt8]) {
            out.append(contentsOf: UnsafeBufferPointer(start: bytes + range.lowerBound, count: range.count))
        }

        /// The buffer emptied and every frame free, for the next document or element.
        func reset() {
            count = 0
            if free.count != frames.count {
                for i in frames.indices { frames[i].members.removeAll(keepingCapacity: true) }
                free = Array(frames.indices.reversed())
            }
        }

        /// `value`'s JSON, its nested lines indented from `indent`, appended to the buffer: where it is.
        func write<T: Encodable>(_ value: T, indent: Int) throws -> Range<Int> {
            let start = count
            // The common leaves without an encoder of their own (a type compared, not cast).
            if T.self == String.self, let s = value as? String {
                quote(s)
            } else if T.self == Int.self, let n = value as? Int {
                integer(n)
            } else if T.self == LocalDate.self, let d = value as? LocalDate {
                quote(d.description)
            } else if T.self == Bool.self, let b = value as? Bool {
                append(b ? "true" : "false")
            } else {
                let frame = newFrame(indent: indent, nullForNil: isObject(T.self))
                try value.encode(to: Writer(context: self, frame: frame, codingPath: []))
                return finish(frame)
            }
            return start..<count
        }

        func newFrame(indent: Int, nullForNil: Bool) -> Int {
            let i: Int
            if let reused = free.popLast() { i = reused } else { i = frames.count; frames.append(Frame()) }
            frames[i].kind = .empty
            frames[i].indent = indent
            frames[i].nullForNil = nullForNil
            return i
        }

        /// The frame's JSON appended to the buffer (its nested frames first), the frame freed: where it is.
        private func finish(_ f: Int) -> Range<Int> {
            defer {
                frames[f].members.removeAll(keepingCapacity: true)
                free.append(f)
            }
            let kind = frames[f].kind, indent = frames[f].indent
            var i = 0
            while i < frames[f].members.count {
                let child = frames[f].members[i].child
                if child >= 0 {
                    let range = finish(child)
                    (frames[f].members[i].start, frames[f].members[i].end, frames[f].members[i].child) = (range.lowerBound, range.upperBound, -1)
                }
                i += 1
            }
            let start = count
            switch kind {
            case .leaf:
                return frames[f].leaf.start..<frames[f].leaf.end
            case .empty, .object:
                append(UInt8(ascii: "{"))
                append(UInt8(ascii: "\n"))
                let order = orders.order(frames[f].members.lazy.map(\.key))
                for (n, i) in order.enumerated() {
                    if n > 0 { append(",\n") }
                    pad(indent + 2)
                    quote(frames[f].members[i].key)
                    append(" : ")
                    appendCopy(frames[f].members[i].start..<frames[f].members[i].end)
                }
                append(UInt8(ascii: "\n"))
                pad(indent)
                append(UInt8(ascii: "}"))
            case .array:
                append(UInt8(ascii: "["))
                append(UInt8(ascii: "\n"))
                for i in frames[f].members.indices {
                    if i > 0 { append(",\n") }
                    pad(indent + 2)
                    appendCopy(frames[f].members[i].start..<frames[f].members[i].end)
                }
                append(UInt8(ascii: "\n"))
                pad(indent)
                append(UInt8(ascii: "]"))
            }
            return start..<count
        }

        /// A key as written: converted to snake case if asked, each key converted once.
        func key(_ key: CodingKey) -> String {
            let name = key.stringValue
            guard snakeCaseKeys else { return name }
            if let known = converted[name] { return known }
            let snake = JSONByteEncoder.snakeCase(name)
            converted[name] = snake
            return snake
        }

        /// Whether the type is a `JSONObject`, asked of the runtime once per type.
        private func isObject<T>(_ type: T.Type) -> Bool {
            let id = ObjectIdentifier(type)
            if let known = objects[id] { return known }
            let answer = type is JSONObject.Type
            objects[id] = answer
            return answer
        }

        // MARK: The buffer

        @inline(__always)
        private func reserve(_ n: Int) {
            if count + n > capacity { grow(to: count + n) }
        }

        @inline(never)
        private func grow(to needed: Int) {
            var grown = capacity * 2
            while grown < needed { grown *= 2 }
            let moved = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
            moved.update(from: bytes, count: count)
            bytes.deallocate()
            bytes = moved
            capacity = grown
        }

        func append(_ byte: UInt8) {
            reserve(1)
            bytes[count] = byte
            count += 1
        }

        func append(_ raw: UnsafeRawBufferPointer) {
            guard let base = raw.baseAddress, raw.count > 0 else { return }
            reserve(raw.count)
            (bytes + count).update(from: base.assumingMemoryBound(to: UInt8.self), count: raw.count)
            count += raw.count
        }

        func append(_ text: StaticString) {
            append(UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
        }

        func append(_ text: String) {
            var text = text
            text.withUTF8 { append(UnsafeRawBufferPointer($0)) }
        }

        /// Bytes already in the buffer, appended again.
        private func appendCopy(_ range: Range<Int>) {
            reserve(range.count)
            (bytes + count).update(from: bytes + range.lowerBound, count: range.count)
            count += range.count
        }

        private func pad(_ n: Int) {
            reserve(n)
            (bytes + count).update(repeating: UInt8(ascii: " "), count: n)
            count += n
        }

        func integer<I: BinaryInteger>(_ n: I) {
            if let small = Int(exactly: n) { integer(small) } else { append(String(n)) }
        }

        /// An `Int`'s decimal digits, written without making a `String`.
        func integer(_ n: Int) {
            var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
            var magnitude = n.magnitude
            withUnsafeMutableBytes(of: &digits) { buffer in
                var i = buffer.count
                repeat {
                    i -= 1
                    buffer[i] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                    magnitude /= 10
                } while magnitude > 0
                if n < 0 {
                    i -= 1
                    buffer[i] = UInt8(ascii: "-")
                }
                append(UnsafeRawBufferPointer(rebasing: buffer[i...]))
            }
        }

        /// Numbers as `JSONEncoder` writes them: a `Double` by its shortest round-tripping text
        /// without a trailing `.0`; not-a-number and infinity refused.
        func number(_ d: Double) throws {
            guard d.isFinite else { throw Failure(description: "\(d) is not a JSON number") }
            var text = d.description
            if text.hasSuffix(".0") { text.removeLast(2) }
            append(text)
        }

        private static let hex = Array("0123456789abcdef".utf8)

        /// JSONEncoder's escapes: `"` and `\`, the short forms \b \f \n \r \t, other controls as \u00xx.
        func quote(_ s: String) {
            append(UInt8(ascii: "\""))
            if s.utf8.withContiguousStorageIfAvailable({ quoted($0) }) == nil {
                var s = s
                s.withUTF8 { quoted($0) }
            }
            append(UInt8(ascii: "\""))
        }

        /// `quote`'s text between the quotes. Runs of bytes needing no escape are appended whole
        /// (byte by byte was 11% of a `GET /api/v1/overdue`), found eight bytes at a time.
        private func quoted(_ text: UnsafeBufferPointer<UInt8>) {
            guard let base = text.baseAddress else { return }
            let n = text.count
            var start = 0
            var i = 0
            while i < n {
                if i + 8 <= n, !Self.needsEscape(UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)) {
                    i += 8
                    continue
                }
                let b = base[i]
                if b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") {
                    if start < i { append(UnsafeRawBufferPointer(start: base + start, count: i - start)) }
                    escape(b)
                    start = i + 1
                }
                i += 1
            }
            if start < n { append(UnsafeRawBufferPointer(start: base + start, count: n - start)) }
        }

        /// Whether any of the eight bytes is a control character, `"` or `\` (the bit tricks of
        /// "Bit Twiddling Hacks": a byte below 0x20, a byte equal to 0x22 or to 0x5C).
        @inline(__always)
        static func needsEscape(_ w: UInt64) -> Bool {
            let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
            func hasZero(_ v: UInt64) -> Bool { (v &- ones) & ~v & highs != 0 }
            let below = (w &- ones &* 0x20) & ~w & highs != 0
            return below || hasZero(w ^ (ones &* 0x22)) || hasZero(w ^ (ones &* 0x5C))
        }

        private func escape(_ b: UInt8) {
            switch b {
            case UInt8(ascii: "\""): append("\\\"")
            case UInt8(ascii: "\\"): append("\\\\")
            case 0x08: append("\\b")
            case 0x0C: append("\\f")
            case 0x0A: append("\\n")
            case 0x0D: append("\\r")
            case 0x09: append("\\t")
            default:
                append("\\u00")
                append(Self.hex[Int(b >> 4)])
                append(Self.hex[Int(b & 0xF)])
            }
        }
    }

    /// The fields' positions in the order of their keys' UTF-8 bytes (as `JSONEncoder` sorts
    /// them), the sort stable; keys compared with `memcmp` (comparing `utf8` views element by
    /// element was 5% of a `GET /api/v1/overdue`).
    static func sortedByKey<Keys: RandomAccessCollection<String>>(_ keys: Keys) -> [Int] where Keys.Index == Int {
        var order = Array(keys.indices)
        guard keys.count > 1 else { return order }
        // Insertion sort: objects are small.
        for i in 1..<order.count {
            let moving = order[i]
            var j = i
            while j > 0, precedes(keys[moving], keys[order[j - 1]]) {
                order[j] = order[j - 1]
                j -= 1
            }
            order[j] = moving
        }
        return order
    }

    /// `sortedByKey` for the objects of one output: a list writes thousands of objects with the
    /// same keys in the same order, so the last few key lists and their orders are kept and a
    /// repeated one is not sorted again (sorting every object's keys was 5% of `overdue --format
    /// json` at country size).
    struct KeyOrders {
        private var recent: [(keys: [String], order: [Int])] = []
        private var next = 0
        static let kept = 8

        mutating func order<Keys: RandomAccessCollection<String>>(_ keys: Keys) -> [Int] where Keys.Index == Int {
            guard keys.count > 1 else { return Array(keys.indices) }
            for entry in recent where entry.keys.count == keys.count {
                if zip(entry.keys, keys).allSatisfy({ $0 == $1 }) { return entry.order }
            }
            let order = JSONByteEncoder.sortedByKey(keys)
            let entry = (keys: Array(keys), order: order)
            if recent.count < Self.kept { recent.append(entry) } else { recent[next] = entry }
            next = (next + 1) % Self.kept
            return order
        }
    }

    /// Whether `a`'s UTF-8 bytes precede `b`'s.
    static func precedes(_ a: String, _ b: String) -> Bool {
        let fast = a.utf8.withContiguousStorageIfAvailable { x in
            b.utf8.withContiguousStorageIfAvailable { y -> Bool in
                let common = min(x.count, y.count)
                if common > 0, let p = x.baseAddress, let q = y.baseAddress {
                    let c = memcmp(p, q, common)
                    if c != 0 { return c < 0 }
                }
                return x.count < y.count
            }
        }
        return (fast ?? nil) ?? a.utf8.lexicographicallyPrecedes(b.utf8)
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

    struct Writer: Encoder {
        let context: Context
        let frame: Int
        var codingPath: [CodingKey]
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
            context.frames[frame].kind = .object
            return KeyedEncodingContainer(Keyed<Key>(context: context, frame: frame, codingPath: codingPath))
        }

        func unkeyedContainer() -> UnkeyedEncodingContainer {
            context.frames[frame].kind = .array
            return Unkeyed(context: context, frame: frame, codingPath: codingPath)
        }

        func singleValueContainer() -> SingleValueEncodingContainer {
            Single(context: context, frame: frame, codingPath: codingPath)
        }
    }

    struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let context: Context
        let frame: Int
        var codingPath: [CodingKey]

        /// Records the bytes written since `start` as the value of `key`.
        private func put(_ key: Key, from start: Int) {
            let member = Member(key: context.key(key), start: start, end: context.count, child: -1)
            context.frames[frame].members.append(member)
        }
        private func absent(_ key: Key) {
            guard context.frames[frame].nullForNil else { return }
            let start = context.count
            context.append("null")
            put(key, from: start)
        }
        private func integer<I: BinaryInteger>(_ value: I, _ key: Key) {
            let start = context.count
            context.integer(value)
            put(key, from: start)
        }

        mutating func encodeNil(forKey key: Key) throws {
            let start = context.count
            context.append("null")
            put(key, from: start)
        }
        mutating func encode(_ value: Bool, forKey key: Key) throws {
            let start = context.count
            context.append(value ? "true" : "false")
            put(key, from: start)
        }
        mutating func encode(_ value: String, forKey key: Key) throws {
            let start = context.count
            context.quote(value)
            put(key, from: start)
        }
        mutating func encode(_ value: Double, forKey key: Key) throws {
            let start = context.count
            try context.number(value)
            put(key, from: start)
        }
        mutating func encode(_ value: Float, forKey key: Key) throws { try encode(Double(value), forKey: key) }
        mutating func encode(_ value: Int, forKey key: Key) throws { integer(value, key) }
        mutating func encode(_ value: Int8, forKey key: Key) throws { integer(value, key) }
        mutating func encode(_ value: Int16, forKey key: Key) throws { integer(value, key) }
        mutating func encode(_ value: Int32, forKey key: Key) throws { integer(value, key) }
        mutating func encode(_ value: Int64, forKey key: Key) throws { integer(value, key) }
        mutating func encode(_ value: UInt, forKey key: Key) throws { integer(value, key) }
        mutating func encode(_ value: UInt8, forKey key: Key) throws { integer(value, key) }
        mutating func encode(_ value: UInt16, forKey key: Key) throws { integer(value, key) }
        mutating func encode(_ value: UInt32, forKey key: Key) throws { integer(value, key) }
        mutating func encode(_ value: UInt64, forKey key: Key) throws { integer(value, key) }
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            let range = try context.write(value, indent: context.frames[frame].indent + 2)
            let member = Member(key: context.key(key), start: range.lowerBound, end: range.upperBound, child: -1)
            context.frames[frame].members.append(member)
        }

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

        /// A member whose value a nested frame writes when this one is finished.
        private func nested(_ name: String, codingPath: [CodingKey]) -> Writer {
            let child = context.newFrame(indent: context.frames[frame].indent + 2, nullForNil: false)
            context.frames[frame].members.append(Member(key: name, start: 0, end: 0, child: child))
            return Writer(context: context, frame: child, codingPath: codingPath)
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type,
                                                            forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
            nested(context.key(key), codingPath: codingPath + [key]).container(keyedBy: keyType)
        }

        mutating func nestedUnkeyedContainer(forKey key: Key) -> UnkeyedEncodingContainer {
            nested(context.key(key), codingPath: codingPath + [key]).unkeyedContainer()
        }

        mutating func superEncoder() -> Encoder { nested("super", codingPath: codingPath) }
        mutating func superEncoder(forKey key: Key) -> Encoder { nested(key.stringValue, codingPath: codingPath) }
    }

    /// What an unkeyed container and a single-value one share: a value's bytes written, then
    /// recorded (`put`) as the next element or as the value.
    protocol ValueWriting {
        var context: Context { get }
        /// The indent of the value's nested lines: an element's (one level in) or the frame's own.
        var indent: Int { get }
        func put(_ bytes: Range<Int>)
    }

    struct Unkeyed: UnkeyedEncodingContainer, ValueWriting {
        let context: Context
        let frame: Int
        var codingPath: [CodingKey]
        var count: Int { context.frames[frame].members.count }
        var indent: Int { context.frames[frame].indent + 2 }

        func put(_ bytes: Range<Int>) {
            context.frames[frame].members.append(Member(key: "", start: bytes.lowerBound, end: bytes.upperBound, child: -1))
        }

        /// An element whose value a nested frame writes when this one is finished.
        private func nested() -> Writer {
            let child = context.newFrame(indent: indent, nullForNil: false)
            context.frames[frame].members.append(Member(key: "", start: 0, end: 0, child: child))
            return Writer(context: context, frame: child, codingPath: codingPath)
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            nested().container(keyedBy: keyType)
        }

        mutating func nestedUnkeyedContainer() -> UnkeyedEncodingContainer { nested().unkeyedContainer() }

        mutating func superEncoder() -> Encoder { nested() }
    }

    struct Single: SingleValueEncodingContainer, ValueWriting {
        let context: Context
        let frame: Int
        var codingPath: [CodingKey]
        var indent: Int { context.frames[frame].indent }

        func put(_ bytes: Range<Int>) {
            context.frames[frame].kind = .leaf
            context.frames[frame].leaf = Member(key: "", start: bytes.lowerBound, end: bytes.upperBound, child: -1)
        }
    }
}

extension JSONByteEncoder.ValueWriting {
    /// The bytes `write` appends, recorded.
    private func put(_ write: () throws -> Void) rethrows {
        let start = context.count
        try write()
        put(start..<context.count)
    }
    private func integer<I: BinaryInteger>(_ value: I) { put { context.integer(value) } }

    func encodeNil() throws { put { context.append("null") } }
    func encode(_ value: Bool) throws { put { context.append(value ? "true" : "false") } }
    func encode(_ value: String) throws { put { context.quote(value) } }
    func encode(_ value: Double) throws { try put { try context.number(value) } }
    func encode(_ value: Float) throws { try encode(Double(value)) }
    func encode(_ value: Int) throws { integer(value) }
    func encode(_ value: Int8) throws { integer(value) }
    func encode(_ value: Int16) throws { integer(value) }
    func encode(_ value: Int32) throws { integer(value) }
    func encode(_ value: Int64) throws { integer(value) }
    func encode(_ value: UInt) throws { integer(value) }
    func encode(_ value: UInt8) throws { integer(value) }
    func encode(_ value: UInt16) throws { integer(value) }
    func encode(_ value: UInt32) throws { integer(value) }
    func encode(_ value: UInt64) throws { integer(value) }
    func encode<T: Encodable>(_ value: T) throws { put(try context.write(value, indent: indent)) }
}
