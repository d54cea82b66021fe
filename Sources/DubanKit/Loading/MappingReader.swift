import Yams

/// A value read from an input file, with where it was written.
public struct Located<Value> {
    public var value: Value
    public var location: SourceLocation

    public init(_ value: Value, at location: SourceLocation) {
        self.value = value
        self.location = location
    }
}

extension Located: Equatable where Value: Equatable {}
extension Located: Sendable where Value: Sendable {}

/// Reads the keys of one YAML mapping, type by type, recording a positioned error for every
/// missing key, wrong type, empty text and unknown key, and carrying on so that all problems
/// of a file are reported in one pass.
///
/// Decoding through `Codable` stops at the first error; this reader does not, which is why the
/// plan and ledger files are read with it.
public final class MappingReader {
    public let path: String
    public let node: Node
    public let what: String
    let diagnostics: DiagnosticCollector
    private var pairs: [(key: String, keyNode: Node, value: Node)] = []
    private var used: Set<String> = []

    /// Nil (with an error) when `node` is not a mapping. `what` names the thing in messages,
    /// e.g. "task 7" or "the plan".
    public init?(_ node: Node, path: String, what: String, diagnostics: DiagnosticCollector) {
        self.path = path
        self.node = node
        self.what = what
        self.diagnostics = diagnostics
        guard let mapping = node.mapping else {
            diagnostics.error(Self.location(of: node, in: path),
                              "\(what) must be a mapping of `key: value` lines, found \(Self.describe(node))")
            return nil
        }
        for (key, value) in mapping {
            let name = key.scalar?.string ?? ""
            pairs.append((name, key, value))
        }
    }

    public var location: SourceLocation { Self.location(of: node, in: path) }

    public static func location(of node: Node, in path: String) -> SourceLocation {
        SourceLocation(file: path, line: node.mark?.line, column: node.mark?.column)
    }

    public func location(of node: Node) -> SourceLocation { Self.location(of: node, in: path) }

    static func describe(_ node: Node) -> String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .scalar(let s): return s.string.isEmpty ? "nothing" : "the text \"\(s.string)\""
        case .alias: return "an alias"
        }
    }

    /// The value node of `key`, or nil. Marks the key as known.
    public func value(_ key: String) -> Node? {
        used.insert(key)
        guard let pair = pairs.first(where: { $0.key == key }) else { return nil }
        if case .scalar(let s) = pair.value, s.style == .plain, ["", "~", "null", "Null", "NULL"].contains(s.string) {
            return nil
        }
        return pair.value
    }

    /// Whether `key` is written at all (even with an empty value).
    public func has(_ key: String) -> Bool { pairs.contains { $0.key == key } }

    func missing(_ key: String, _ expected: String) {
        diagnostics.error(location, "\(what) has no `\(key)`: expected \(expected)",
                          hint: "add `\(key): …` to \(what)")
    }

    /// A non-empty text. Numbers and other plain scalars are read as their text.
    public func string(_ key: String, required: Bool = true, allowEmpty: Bool = false) -> Located<String>? {
        guard let node = value(key) else {
            if required { missing(key, "a text") }
            return nil
        }
        let text = Self.string(node, path: path, what: "`\(key)` of \(what)", allowEmpty: allowEmpty, diagnostics: diagnostics)
        if let text { InputLimits.check(text.value, key: key, what: "`\(key)` of \(what)", at: text.location, into: diagnostics) }
        return text
    }

    static func string(_ node: Node, path: String, what: String, allowEmpty: Bool = false,
                       diagnostics: DiagnosticCollector) -> Located<String>? {
        let loc = location(of: node, in: path)
        guard let scalar = node.scalar else {
            diagnostics.error(loc, "\(what) must be a text, found \(describe(node))")
            return nil
        }
        let text = scalar.string.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty && !allowEmpty {
            diagnostics.error(loc, "\(what) is empty", hint: "write the text, or remove the key if it is optional")
            return nil
        }
        return Located(text, at: loc)
    }

    /// A whole number within `range`.
    public func int(_ key: String, required: Bool = true, range: ClosedRange<Int> = 0...Int.max) -> Located<Int>? {
        guard let node = value(key) else {
            if required { missing(key, "a whole number") }
            return nil
        }
        return Self.int(node, path: path, what: "`\(key)` of \(what)", range: range, diagnostics: diagnostics)
    }

    static func int(_ node: Node, path: String, what: String, range: ClosedRange<Int>,
                    diagnostics: DiagnosticCollector) -> Located<Int>? {
        let loc = location(of: node, in: path)
        guard let scalar = node.scalar, let n = Int(scalar.string.trimmingCharacters(in: .whitespaces)) else {
            diagnostics.error(loc, "\(what) must be a whole number, found \(describe(node))")
            return nil
        }
        guard range.contains(n) else {
            diagnostics.error(loc, "\(what) must be \(range.boundText), found \(n)")
            return nil
        }
        return Located(n, at: loc)
    }

    /// A `YYYY-MM-DD` date that exists on the calendar.
    public func date(_ key: String, required: Bool = true) -> Located<LocalDate>? {
        guard let node = value(key) else {
            if required { missing(key, "a date YYYY-MM-DD") }
            return nil
        }
        return Self.date(node, path: path, what: "`\(key)` of \(what)", diagnostics: diagnostics)
    }

    static func date(_ node: Node, path: String, what: String, diagnostics: DiagnosticCollector) -> Located<LocalDate>? {
        guard let text = string(node, path: path, what: what, diagnostics: diagnostics) else { return nil }
        guard let date = LocalDate(iso: text.value) else {
            let shape = text.value.count == 10 && LocalDate(iso: "2000-01-01") != nil
                && text.value.range(of: #"^\d{4}-\d{2}-\d{2}$"#, options: .regularExpression) != nil
            diagnostics.error(text.location,
                              shape ? "\(what): \(text.value) is not a day on the calendar"
                                    : "\(what) must be a date YYYY-MM-DD, found \"\(text.value)\"",
                              hint: "write dates as 2024-12-31")
            return nil
        }
        return Located(date, at: text.location)
    }

    /// A list node; a single scalar is refused with a hint to write a list.
    public func list(_ key: String, required: Bool = true) -> [Node]? {
        guard let node = value(key) else {
            if required { missing(key, "a list") }
            return nil
        }
        guard let items = node.sequence else {
            diagnostics.error(location(of: node), "`\(key)` of \(what) must be a list, found \(Self.describe(node))",
                              hint: "write a list: `\(key): [A, B]`, or one `- A` per line")
            return nil
        }
        return Array(items)
    }

    /// A list of non-empty texts.
    public func strings(_ key: String, required: Bool = true) -> [Located<String>]? {
        guard let items = list(key, required: required) else { return nil }
        return items.compactMap {
            let text = Self.string($0, path: path, what: "an item of `\(key)` in \(what)", diagnostics: diagnostics)
            if let text { InputLimits.check(text.value, key: key, what: "an item of `\(key)` in \(what)", at: text.location, into: diagnostics) }
            return text
        }
    }

    /// A nested mapping.
    public func mapping(_ key: String, what name: String, required: Bool = true) -> MappingReader? {
        guard let node = value(key) else {
            if required { missing(key, "a mapping") }
            return nil
        }
        return MappingReader(node, path: path, what: name, diagnostics: diagnostics)
    }

    /// Reports every key that was never asked for, suggesting the nearest allowed key.
    public func finish() {
        for pair in pairs where !used.contains(pair.key) {
            let allowed = used.sorted()
            let near = Suggest.nearest(pair.key, among: allowed)
            let hint = (near.map { "did you mean `\($0)`? " } ?? "") + "allowed keys: " + allowed.joined(separator: ", ")
            diagnostics.error(location(of: pair.keyNode), "unknown key `\(pair.key)` in \(what)", hint: hint)
        }
    }
}

/// Spelling suggestions by edit distance.
public enum Suggest {
    public static func nearest(_ word: String, among candidates: [String]) -> String? {
        let limit = max(2, word.count / 3)
        var best: (String, Int)?
        for candidate in candidates {
            let d = distance(Array(word), Array(candidate))
            if d <= limit, d < (best?.1 ?? Int.max) { best = (candidate, d) }
        }
        return best?.0
    }

    static func distance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1,
                                 previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}

extension ClosedRange where Bound == Int {
    /// How a range reads in a message: "at least 1", "from 0 to 100".
    var boundText: String {
        upperBound == Int.max ? "at least \(lowerBound)" : "from \(lowerBound) to \(upperBound)"
    }
}
