import Foundation
import XCTest
@testable import DubanKit

/// `JSONOutput` (`JSONByteEncoder`) writes what `JSONEncoder` (pretty, sorted keys, slashes
/// unescaped) writes of each type's properties by reflection, byte for byte: the documented JSON
/// of `overdue`, `notify`, `escalate`, `status` and `ledgers` did not change when it took over.
final class PrettyJSONTests: XCTestCase {
    /// `JSONEncoder`'s text of the value read by reflection (`Reflected`): what `JSONObject` meant.
    func encoder<T: Encodable>(_ value: T) throws -> String {
        try Reflected.text(value)
    }

    static let odd = ["", "甘州区", "引号\"反斜杠\\/斜杠", "换行\n制表\t回车\r退格\u{08}换页\u{0C}", "\u{01}\u{1F}\u{7F}\u{2028}😀 é",
                      "a_b", "Z"]

    func randomItem(_ rng: inout some RandomNumberGenerator) -> SupervisionJSON.Item {
        func text() -> String { Self.odd.randomElement(using: &rng) ?? "" }
        func maybe<T>(_ value: T) -> T? { Bool.random(using: &rng) ? value : nil }
        return SupervisionJSON.Item(unit: text(), unit_name: text(), kind: text(), task: maybe(Int.random(in: -5...30, using: &rng)),
                                    milestone: maybe(text()), title: text(), period: maybe(text()), due: text(), original_due: text(),
                                    extended: Bool.random(using: &rng), days_overdue: Int.random(in: 0...400, using: &rng),
                                    last_status: maybe(text()), last_percent: maybe(Int.random(in: 0...100, using: &rng)),
                                    last_reported_on: maybe(text()), reason: text(), level: maybe(text()), item_level: maybe(text()))
    }

    func testItemsAndNoticesAreJSONEncoders() throws {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let items = (0..<Int.random(in: 0...4, using: &rng)).map { _ in randomItem(&rng) }
            XCTAssertEqual(JSONOutput.encode(items), try encoder(items))
            let notices = (0..<Int.random(in: 0...3, using: &rng)).map { _ in
                SupervisionJSON.Notice(unit: "u", unit_name: Self.odd.randomElement(using: &rng) ?? "", liaison: Bool.random(using: &rng) ? "张三" : nil,
                                       phone: nil, due_until: "2024-01-01",
                                       due_soon: (0..<Int.random(in: 0...2, using: &rng)).map { _ in randomItem(&rng) },
                                       overdue: (0..<Int.random(in: 0...2, using: &rng)).map { _ in randomItem(&rng) },
                                       own: Bool.random(using: &rng))
            }
            XCTAssertEqual(JSONOutput.encode(notices), try encoder(notices))
        }
        for _ in 0..<100 {
            func text() -> String { Self.odd.randomElement(using: &rng) ?? "" }
            func maybe<T>(_ value: T) -> T? { Bool.random(using: &rng) ? value : nil }
            let escalations = (0..<Int.random(in: 0...3, using: &rng)).map { _ in
                SupervisionJSON.Escalation(unit: text(), unit_name: text(), level: text(), level_label: text(), colour: text(), reason: text(),
                                           reasons: (0..<Int.random(in: 0...2, using: &rng)).map { _ in text() },
                                           task: maybe(Int.random(in: 1...24, using: &rng)), milestone: maybe(text()), due: maybe(text()),
                                           days_overdue: Int.random(in: 0...99, using: &rng), overdue_items: Int.random(in: 0...9, using: &rng),
                                           due_soon_items: Int.random(in: 0...9, using: &rng), last_action: maybe(text()),
                                           last_action_on: maybe(text()), items: (0..<Int.random(in: 0...2, using: &rng)).map { _ in randomItem(&rng) })
            }
            XCTAssertEqual(JSONOutput.encode(escalations), try encoder(escalations))
            let behind = (0..<Int.random(in: 0...3, using: &rng)).map { _ in
                SupervisionJSON.Behind(unit: text(), unit_name: text(), task: maybe(3), milestone: maybe(text()), due: text(),
                                       days_overdue: Int.random(in: -30...0, using: &rng), percent: Int.random(in: 0...100, using: &rng),
                                       elapsed: Int.random(in: 0...100, using: &rng), colour: text(), reason: text())
            }
            XCTAssertEqual(JSONOutput.encode(behind), try encoder(behind))
            let followUps = SupervisionJSON.FollowUps(unit: text(), unit_name: text(), overdue_items: Int.random(in: 0...9, using: &rng),
                                                      due_soon_items: Int.random(in: 0...9, using: &rng),
                                                      items: (0..<Int.random(in: 0...2, using: &rng)).map { _ in randomItem(&rng) })
            XCTAssertEqual(JSONOutput.encode(followUps), try encoder(followUps))
        }
        for _ in 0..<100 {
            func text() -> String { Self.odd.randomElement(using: &rng) ?? "" }
            func maybe<T>(_ value: T) -> T? { Bool.random(using: &rng) ? value : nil }
            let statuses = (0..<Int.random(in: 0...3, using: &rng)).map { _ in
                LedgerJSON.StatusObject(unit: text(), unit_name: text(), task: Int.random(in: 1...24, using: &rng), task_title: text(),
                                        status: maybe(text()), status_label: text(), percent: maybe(Int.random(in: 0...100, using: &rng)),
                                        reported_on: maybe(text()), completed_on: maybe(text()), progress: maybe(text()), source: maybe(text()))
            }
            XCTAssertEqual(JSONOutput.encode(statuses), try encoder(statuses))
            let cells = (0..<Int.random(in: 0...3, using: &rng)).map { _ in
                LedgerJSON.LedgerCellObject(unit: text(), unit_name: text(), period: text(), due: text(), state: text(), state_label: text(),
                                            submitted_on: maybe(text()), submission: maybe(Int64.random(in: 1...9_999_999, using: &rng)),
                                            review: maybe(text()), review_label: maybe(text()))
            }
            XCTAssertEqual(JSONOutput.encode(cells), try encoder(cells))
        }
        // Every control character, one by one.
        for scalar in (0..<0x20).compactMap(Unicode.Scalar.init) {
            let item = SupervisionJSON.Item(unit: String(Character(scalar)), unit_name: "", kind: "", task: nil, milestone: nil, title: "",
                                            period: nil, due: "", original_due: "", extended: false, days_overdue: 0, last_status: nil,
                                            last_percent: nil, last_reported_on: nil, reason: "", level: nil)
            XCTAssertEqual(JSONOutput.encode([item]), try encoder([item]), "U+\(String(scalar.value, radix: 16))")
        }
    }

    func plain<T: Encodable>(_ value: T, snakeCase: Bool = false) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        if snakeCase { encoder.keyEncodingStrategy = .convertToSnakeCase }
        return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
    }

    /// Numbers, snake_case keys, nested containers and optionals of a type that is not a
    /// `JSONObject` (left out): as `JSONEncoder` writes them.
    func testNumbersKeysAndNestedContainersAreJSONEncoders() throws {
        let doubles: [Double] = [0, -0.0, 1, 12, 12.5, 0.1, 1.0 / 3, 1e21, 1e-7, 123_456_789.125, -2.5e-300, 5e15, 1e16, 1.7976931348623157e308]
        XCTAssertEqual(JSONOutput.encode(doubles), try plain(doubles))
        let figures = [Figure(name: "培训", value: 60, unit: "学时"), Figure(name: "比例", value: 12.5, unit: nil)]
        XCTAssertEqual(JSONOutput.encode(figures), try plain(figures))
        XCTAssertEqual(JSONOutput.encode([Double.nan]), "null\n", "JSONEncoder refuses it too")
        struct Keys: Encodable {
            var planID = 1, previousAsOf: Int64 = 2, myURLKey: Int8 = 3, _private = "4", a: UInt = 5, onTimeRate: String? = nil
            var burnUp: [Int]? = [7], h2Value = 8.5, ledgerPeriodDue = LocalDate(dayNumber: 20_000), flag = false
        }
        XCTAssertEqual(JSONOutput.encode(Keys(), snakeCaseKeys: true), try plain(Keys(), snakeCase: true))
        XCTAssertEqual(JSONOutput.encode(Keys()), try plain(Keys()))
        struct Nested: Encodable {
            enum K: String, CodingKey { case inner, list, base }
            func encode(to encoder: Encoder) throws {
                var c = encoder.container(keyedBy: K.self)
                var inner = c.nestedContainer(keyedBy: K.self, forKey: .inner)
                try inner.encode("x", forKey: .base)
                var list = c.nestedUnkeyedContainer(forKey: .list)
                try list.encode(1)
                var deeper = list.nestedUnkeyedContainer()
                try deeper.encode("y")
                try deeper.encodeNil()
                try list.encode(["a": 1])
            }
        }
        XCTAssertEqual(JSONOutput.encode(Nested()), try plain(Nested()))
        XCTAssertEqual(JSONOutput.encode([String: String]()), try plain([String: String]()))
        let row = ["版本": "1", "载入时间": "t", "a10": "x", "a9": "y", "Z": "z", "_": "", "é": "e", "😀": "🙂"]
        XCTAssertEqual(JSONOutput.encode([row]), try plain([row]), "a table's rows: keys sorted as JSONEncoder sorts them")
        XCTAssertEqual(JSONOutput.encode([[String]]()), try plain([[String]]()))
        let prefixes = ["ab": 1, "a": 2, "": 3, "abc": 4, "b": 5, "a\u{01}": 6, "aé": 7, "A": 8]
        XCTAssertEqual(JSONOutput.encode(prefixes), try plain(prefixes), "a key before the keys it begins")
    }

    /// Every kind of container `Encodable` offers, nested in each other, as `JSONEncoder` writes
    /// them: keyed in keyed, unkeyed in keyed, keyed and unkeyed in unkeyed, a single value
    /// holding another `Encodable` (an object, a list, a leaf), `superEncoder` of both kinds, nil
    /// in each container and optionals left out (not a `JSONObject`), and a nested container
    /// written after its later siblings (its members still written where it was opened).
    func testContainersOfEveryKindAreJSONEncoders() throws {
        struct Wrapped<T: Encodable>: Encodable {
            var value: T
            func encode(to encoder: Encoder) throws {
                var c = encoder.singleValueContainer()
                try c.encode(value)
            }
        }
        struct Base: Encodable { var kind = "基", depth = 1, note: String? = nil }
        struct Every: Encodable {
            enum K: String, CodingKey { case z, a, keyed, list, late, wrapped, wrappedList, nothing, maybe, absent, sup, zz = "Z" }
            func encode(to encoder: Encoder) throws {
                var c = encoder.container(keyedBy: K.self)
                try c.encode("末", forKey: .z)
                var late = c.nestedContainer(keyedBy: K.self, forKey: .late)
                try c.encode(1, forKey: .a)
                var keyed = c.nestedContainer(keyedBy: K.self, forKey: .keyed)
                try keyed.encodeNil(forKey: .nothing)
                var deeper = keyed.nestedUnkeyedContainer(forKey: .list)
                try deeper.encode(true)
                var list = c.nestedUnkeyedContainer(forKey: .list)
                try list.encode("一")
                var inList = list.nestedContainer(keyedBy: K.self)
                try list.encodeNil()
                var listInList = list.nestedUnkeyedContainer()
                try list.encode(Base())
                try listInList.encode(2)
                try listInList.encode(Wrapped(value: [Base(), Base(note: "注")]))
                try inList.encode(Int8.min, forKey: .zz)
                try inList.encodeIfPresent(nil as Int?, forKey: .absent)
                try inList.encodeIfPresent(3 as Int?, forKey: .maybe)
                try deeper.encode("后")
                try late.encode("晚", forKey: .a)
                try late.encodeIfPresent(nil as String?, forKey: .absent)
                try c.encode(Wrapped(value: Base(kind: "包")), forKey: .wrapped)
                try c.encode(Wrapped(value: Wrapped(value: [1, 2])), forKey: .wrappedList)
                try c.encodeNil(forKey: .nothing)
                try c.encodeIfPresent(nil as Base?, forKey: .absent)
                try Base(kind: "super").encode(to: c.superEncoder())
                try Base(kind: "sup").encode(to: c.superEncoder(forKey: .sup))
                var empty = c.nestedUnkeyedContainer(forKey: .maybe)
                try Wrapped(value: "单").encode(to: empty.superEncoder())
            }
        }
        XCTAssertEqual(JSONOutput.encode(Every()), try plain(Every()))
        XCTAssertEqual(JSONOutput.encode([Every(), Every()]), try plain([Every(), Every()]))
        XCTAssertEqual(JSONOutput.encode(["一": [Every()]]), try plain(["一": [Every()]]))
        XCTAssertEqual(JSONOutput.encode(Wrapped(value: "只")), try plain(Wrapped(value: "只")), "a document that is one string")
        XCTAssertEqual(JSONOutput.encode(Wrapped(value: Every())), try plain(Wrapped(value: Every())))
        XCTAssertEqual(JSONOutput.encode(Every(), snakeCaseKeys: true), try plain(Every(), snakeCase: true))
    }

    /// Numbers at the edges of their types as `JSONEncoder` writes them, and where Duban's
    /// writer differs: a `Float` is written as the `Double` it widens to (as it always was; no
    /// output has one), and a number that is not finite makes the document `null` (JSONEncoder
    /// throws) or, in a streamed list, that element alone (the elements after it unharmed).
    func testLargeAndNonFiniteNumbers() throws {
        struct Edges: Encodable {
            var int = [Int.min, Int.max, -1, 0, 9, 10, 99, 100, 1_000_000_007]
            var int8 = [Int8.min, Int8.max], int16 = [Int16.min, Int16.max], int32 = [Int32.min, Int32.max]
            var int64 = [Int64.min, Int64.max], uint = [UInt.max, 0], uint8 = [UInt8.max], uint16 = [UInt16.max]
            var uint32 = [UInt32.max], uint64 = [UInt64.max, UInt64(Int64.max) + 1]
            var double = [Double.greatestFiniteMagnitude, -Double.greatestFiniteMagnitude, Double.leastNonzeroMagnitude,
                          Double.leastNormalMagnitude, 1e300, -1e-300, 9_007_199_254_740_993, 0.1 + 0.2, 100, -0.0, 1e15, 1e16, 1e21]
            var optional: Int64? = Int64.min
        }
        XCTAssertEqual(JSONOutput.encode(Edges()), try plain(Edges()))
        XCTAssertEqual(JSONOutput.encode([Float(0.5), 12, -3.25]), try plain([Float(0.5), 12, -3.25]))
        XCTAssertEqual(JSONOutput.encode([Float(1.1)]), "[\n  1.100000023841858\n]\n", "a Float as the Double it widens to")
        for bad in [Double.nan, .infinity, -.infinity] {
            XCTAssertThrowsError(try plain([bad]))
            XCTAssertEqual(JSONOutput.encode([bad]), "null\n")
            XCTAssertEqual(JSONOutput.encode(["a": [1, bad]]), "null\n", "deep in the document")
        }
        XCTAssertEqual(JSONOutput.encode([Float.nan]), "null\n")
        XCTAssertEqual(JSONOutput.encode([Float.infinity]), "null\n")
        struct Row: Encodable { var name: String, values: [Double] }
        let rows = [Row(name: "一", values: [1]), Row(name: "二", values: [2, .nan, 3]), Row(name: "三", values: [4.5])]
        var bytes: [UInt8] = []
        JSONOutput.stream(rows, chunk: 16) { bytes += $0 }
        // The bad row alone is `null`, as JSONEncoder writes an absent row.
        XCTAssertEqual(String(decoding: bytes, as: UTF8.self), try plain([rows[0], nil, rows[2]] as [Row?]))
    }

    /// Strings as `JSONEncoder` escapes them, whatever their length and wherever a byte to escape
    /// falls (the writer looks at eight bytes at a time): every control character, quotes,
    /// backslashes and slashes, CJK, emoji (joined sequences and flags), U+2028 and U+FFFF, at
    /// every position of strings of up to 40 characters, as keys and as values.
    func testStringsOfAnyLengthAndAnyCharacters() throws {
        let controls = (0..<0x20).compactMap(Unicode.Scalar.init).map { String(Character($0)) }
        let alphabet = controls + ["\"", "\\", "/", "a", "Z", "0", " ", "\u{7F}", "é", "甘", "州", "区", "😀", "👨‍👩‍👧", "🇨🇳",
                                   "\u{2028}", "\u{FFFF}", "\r\n"]
        var rng = SystemRandomNumberGenerator()
        for length in 0...40 {
            for _ in 0..<12 {
                let text = (0..<length).map { _ in alphabet.randomElement(using: &rng) ?? "" }.joined()
                XCTAssertEqual(JSONOutput.encode([text]), try plain([text]), text.debugDescription)
                XCTAssertEqual(JSONOutput.encode([text: text]), try plain([text: text]), text.debugDescription)
            }
            // One character to escape at each position of a string otherwise plain.
            for position in 0..<max(length, 1) {
                for special in ["\"", "\\", "\u{00}", "\u{1F}", "\n"] {
                    var characters = Array(repeating: "x", count: max(length, 1))
                    characters[position] = special
                    let text = characters.joined()
                    XCTAssertEqual(JSONOutput.encode([text]), try plain([text]), text.debugDescription)
                }
            }
        }
        let long = String(repeating: "长文本😀/", count: 5_000) + "\u{01}"
        XCTAssertEqual(JSONOutput.encode(["k": long]), try plain(["k": long]))
    }

    /// What the server sends: `encode`'s text as bytes, made without a `String`.
    func testTheBytesAreTheText() throws {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<100 {
            let items = (0..<Int.random(in: 0...4, using: &rng)).map { _ in randomItem(&rng) }
            XCTAssertEqual(JSONOutput.bytes(items), Array(JSONOutput.encode(items).utf8))
            XCTAssertEqual(JSONOutput.bytes(items), Array(try encoder(items).utf8))
        }
        XCTAssertEqual(JSONOutput.bytes([Double.nan]), Array("null\n".utf8))
    }

    /// `duban overdue --format json` and the other lists write their array a part at a time:
    /// the parts, whatever their size, make `encode`'s text; objects whose keys repeat (the key
    /// orders kept) or change (the same keys in another order, other keys) are written as
    /// `JSONEncoder` writes them.
    func testAStreamedListIsTheEncodedText() throws {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<100 {
            let items = (0..<Int.random(in: 0...40, using: &rng)).map { _ in randomItem(&rng) }
            var parts: [[UInt8]] = []
            JSONOutput.stream(items, chunk: Int.random(in: 1...2_000, using: &rng)) { parts.append($0) }
            XCTAssertEqual(parts.flatMap { $0 }, Array(JSONOutput.encode(items).utf8))
            XCTAssertTrue(parts.dropLast().allSatisfy { !$0.isEmpty })
        }
        let pool = ["a", "b", "c", "d", "é", "甘州区", "a_b", "Z", "ab", ""]
        for _ in 0..<50 {
            // Dictionaries keep no order: the same keys come in varied orders, and more than the
            // key lists kept come and go.
            let rows = (0..<Int.random(in: 1...60, using: &rng)).map { _ in
                Dictionary(uniqueKeysWithValues: pool.shuffled(using: &rng).prefix(Int.random(in: 2...4, using: &rng)).enumerated().map { ($1, $0) })
            }
            var bytes: [UInt8] = []
            JSONOutput.stream(rows, chunk: 64) { bytes += $0 }
            XCTAssertEqual(String(decoding: bytes, as: UTF8.self), try plain(rows))
            XCTAssertEqual(JSONOutput.encode(rows), try plain(rows))
        }
    }

    /// `duban history --format json` writes a list whose elements are handed out one at a time
    /// (read from a cursor): the bytes are `encode`'s for the same elements, none lost, none
    /// twice, in their order, whatever the part size, the empty list included.
    func testAListHandedOutElementByElementIsTheEncodedText() throws {
        var rng = SystemRandomNumberGenerator()
        for n in [0, 1, 2] + (0..<60).map({ _ in Int.random(in: 3...40, using: &rng) }) {
            let items = (0..<n).map { _ in randomItem(&rng) }
            var parts: [[UInt8]] = []
            JSONOutput.stream(chunk: Int.random(in: 1...2_000, using: &rng), elements: { each in items.forEach(each) }) { parts.append($0) }
            XCTAssertEqual(String(decoding: parts.flatMap { $0 }, as: UTF8.self), JSONOutput.encode(items), "\(n) items")
            XCTAssertTrue(parts.dropLast().allSatisfy { !$0.isEmpty })
        }
    }

    /// A long list is encoded in parts, two at a time on two threads: the bytes are still
    /// `encode`'s, whatever the part size and wherever the list ends (in a first part, a second
    /// part, or exactly at a pair's end); a part written out of order or an element twice fails here.
    func testAListEncodedInPartsOnTwoThreadsIsTheEncodedText() throws {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<60 {
            let part = Int.random(in: 1...7, using: &rng)
            let items = (0..<Int.random(in: 0...(6 * part + 3), using: &rng)).map { _ in randomItem(&rng) }
            var bytes: [UInt8] = []
            var writer = JSONOutput.Writer(snakeCaseKeys: false, chunk: Int.random(in: 1...500, using: &rng)) { bytes += $0 }
            writer.list(items, indent: 0, part: part)
            writer.end()
            XCTAssertEqual(String(decoding: bytes, as: UTF8.self), JSONOutput.encode(items), "part \(part), \(items.count) items")
        }
        // Through `stream`, with its own part size: a list long enough to be written in parts.
        let many = (0..<5_000).map { _ in randomItem(&rng) }
        var bytes: [UInt8] = []
        JSONOutput.stream(many) { bytes += $0 }
        XCTAssertEqual(String(decoding: bytes, as: UTF8.self), JSONOutput.encode(many))
    }

    /// `duban escalate --format json` writes its one object member by member, its lists element
    /// by element: the bytes are `encode`'s, with and without the coordinator's follow-ups, with
    /// empty lists and long ones (a member `encode` writes that the stream forgot fails here).
    func testAStreamedEscalationDocumentIsTheEncodedText() throws {
        var rng = SystemRandomNumberGenerator()
        func text() -> String { Self.odd.randomElement(using: &rng) ?? "" }
        for round in 0..<60 {
            let items = { (n: Int) in (0..<n).map { _ in self.randomItem(&rng) } }
            let units = (0..<Int.random(in: 0...5, using: &rng)).map { _ in
                SupervisionJSON.Escalation(unit: text(), unit_name: text(), level: text(), level_label: text(), colour: text(),
                                           reason: text(), reasons: (0..<Int.random(in: 0...2, using: &rng)).map { _ in text() },
                                           task: Bool.random(using: &rng) ? 3 : nil, milestone: Bool.random(using: &rng) ? text() : nil,
                                           due: Bool.random(using: &rng) ? text() : nil, days_overdue: Int.random(in: 0...99, using: &rng),
                                           overdue_items: 1, due_soon_items: 2, last_action: nil, last_action_on: Bool.random(using: &rng) ? text() : nil,
                                           items: items(Int.random(in: 0...3, using: &rng)))
            }
            let behind = (0..<Int.random(in: 0...4, using: &rng)).map { _ in
                SupervisionJSON.Behind(unit: text(), unit_name: text(), task: nil, milestone: text(), due: text(), days_overdue: 0,
                                       percent: Int.random(in: 0...100, using: &rng), elapsed: 50, colour: text(), reason: text())
            }
            let followUps = round % 2 == 0 ? nil : SupervisionJSON.FollowUps(unit: text(), unit_name: text(), overdue_items: 1,
                                                                                due_soon_items: 0, items: items(Int.random(in: 0...3, using: &rng)))
            let document = SupervisionLists.Escalations(asOf: LocalDate(dayNumber: 20_000 + round), units: units,
                                                        coordinatorFollowUps: followUps, behindSchedule: behind)
            var bytes: [UInt8] = []
            document.streamJSON { bytes += $0 }
            XCTAssertEqual(String(decoding: bytes, as: UTF8.self), JSONOutput.encode(document))
        }
    }
}
