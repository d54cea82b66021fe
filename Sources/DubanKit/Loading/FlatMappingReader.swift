/// Reads the keys of one mapping of a `FlatYAML` document, type by type, recording a positioned
/// error for every missing key, wrong type, empty text and unknown key, and carrying on so that
/// all problems of a file are reported in one pass (decoding through `Codable` stops at the first
/// error). A plain empty value, `~` and `null` are absent; texts are trimmed as Foundation trims
/// them. `what` names the mapping in messages ("entry #3", "the plan"); the texts that name a
/// value in messages ("`status` of entry #3") are made only for a message.
final class FlatMappingReader {
    let doc: FlatYAML
    let path: String
    let node: Int
    let what: String
    let diagnostics: DiagnosticCollector
    /// The keys asked for, possibly more than once.
    private var used: [String] = []

    /// Nil (with an error) when the node at `node` is not a mapping.
    init?(_ node: Int, in doc: FlatYAML, path: String, what: String, diagnostics: DiagnosticCollector) {
        guard doc.nodes[node].kind == .mapping else {
            diagnostics.error(Self.location(of: node, in: doc, path: path),
                              "\(what) must be a mapping of `key: value` lines, found \(Self.describe(node, in: doc))")
            return nil
        }
        self.doc = doc
        self.path = path
        self.node = node
        self.what = what
        self.diagnostics = diagnostics
        used.reserveCapacity(12)
    }

    var location: SourceLocation { Self.location(of: node, in: doc, path: path) }

    static func location(of node: Int, in doc: FlatYAML, path: String) -> SourceLocation {
        let n = doc.nodes[node]
        return SourceLocation(file: path, line: Int(n.line), column: Int(n.column))
    }

    func location(of node: Int) -> SourceLocation { Self.location(of: node, in: doc, path: path) }

    static func describe(_ node: Int, in doc: FlatYAML) -> String {
        switch doc.nodes[node].kind {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .scalar:
            let text = doc.strings[node]
            return text.isEmpty ? "nothing" : "the text \"\(text)\""
        }
    }

    /// The key node of `key`, or nil. A key that is not a scalar is named "".
    private func keyNode(_ key: String) -> Int? {
        let end = Int(doc.nodes[node].end)
        var k = node + 1
        while k < end {
            if doc.strings[k] == key { return k }
            k = doc.next(after: doc.next(after: k))
        }
        return nil
    }

    /// The value node of `key`, or nil when it is absent or null. Marks the key as known.
    func value(_ key: String) -> Int? {
        used.append(key)
        guard let k = keyNode(key) else { return nil }
        let v = doc.next(after: k)
        if doc.nodes[v].kind == .scalar, doc.nodes[v].plain, Self.isNull(doc.strings[v]) { return nil }
        return v
    }

    /// Whether a plain scalar is one of "", "~", "null", "Null", "NULL". No other string equals
    /// these (as Swift compares strings) than the same bytes, so the length settles most values.
    static func isNull(_ text: String) -> Bool {
        switch text.utf8.count {
        case 0: return true
        case 1: return text == "~"
        case 4: return text == "null" || text == "Null" || text == "NULL"
        default: return false
        }
    }

    /// Whether `key` is written at all (even with an empty value).
    func has(_ key: String) -> Bool { keyNode(key) != nil }

    func missing(_ key: String, _ expected: String) {
        diagnostics.error(location, "\(what) has no `\(key)`: expected \(expected)",
                          hint: "add `\(key): …` to \(what)")
    }

    /// The text of `node` when it is a scalar (untrimmed), else nil.
    func scalarText(_ node: Int) -> String? {
        doc.nodes[node].kind == .scalar ? doc.strings[node] : nil
    }

    /// A reader of `node` (a list item, say), nil with an error when it is not a mapping.
    func reader(_ node: Int, what: String) -> FlatMappingReader? {
        FlatMappingReader(node, in: doc, path: path, what: what, diagnostics: diagnostics)
    }

    /// A non-empty text. Numbers and other plain scalars are read as their text.
    func string(_ key: String, required: Bool = true, allowEmpty: Bool = false) -> Located<String>? {
        guard let node = value(key) else {
            if required { missing(key, "a text") }
            return nil
        }
        let text = string(node, allowEmpty: allowEmpty, what: "`\(key)` of \(what)")
        if let text { InputLimits.check(text.value, key: key, what: "`\(key)` of \(what)", at: text.location, into: diagnostics) }
        return text
    }

    func string(_ node: Int, allowEmpty: Bool = false, what: @autoclosure () -> String) -> Located<String>? {
        let loc = location(of: node)
        guard let text = scalarText(node) else {
            diagnostics.error(loc, "\(what()) must be a text, found \(Self.describe(node, in: doc))")
            return nil
        }
        let trimmed = text.trimmedLikeFoundation()
        if trimmed.isEmpty && !allowEmpty {
            diagnostics.error(loc, "\(what()) is empty", hint: "write the text, or remove the key if it is optional")
            return nil
        }
        return Located(trimmed, at: loc)
    }

    /// A whole number within `range`.
    func int(_ key: String, required: Bool = true, range: ClosedRange<Int> = 0...Int.max) -> Located<Int>? {
        guard let node = value(key) else {
            if required { missing(key, "a whole number") }
            return nil
        }
        let loc = location(of: node)
        guard let text = scalarText(node), let n = Int(text.trimmedLikeFoundation(newlines: false)) else {
            diagnostics.error(loc, "`\(key)` of \(what) must be a whole number, found \(Self.describe(node, in: doc))")
            return nil
        }
        guard range.contains(n) else {
            diagnostics.error(loc, "`\(key)` of \(what) must be \(range.boundText), found \(n)")
            return nil
        }
        return Located(n, at: loc)
    }

    /// A `YYYY-MM-DD` date that exists on the calendar.
    func date(_ key: String, required: Bool = true) -> Located<LocalDate>? {
        guard let node = value(key) else {
            if required { missing(key, "a date YYYY-MM-DD") }
            return nil
        }
        return date(node, what: "`\(key)` of \(what)")
    }

    /// The date at `node` (a list item, say), called `what` in messages.
    func date(_ node: Int, what: @autoclosure () -> String) -> Located<LocalDate>? {
        guard let text = string(node, what: what()) else { return nil }
        guard let date = LocalDate(iso: text.value) else {
            let shape = text.value.count == 10 && LocalDate(iso: "2000-01-01") != nil
                && text.value.range(of: #"^\d{4}-\d{2}-\d{2}$"#, options: .regularExpression) != nil
            diagnostics.error(text.location,
                              shape ? "\(what()): \(text.value) is not a day on the calendar"
                                    : "\(what()) must be a date YYYY-MM-DD, found \"\(text.value)\"",
                              hint: "write dates as 2024-12-31")
            return nil
        }
        return Located(date, at: text.location)
    }

    /// A list's items; a single scalar is refused with a hint to write a list.
    func list(_ key: String, required: Bool = true) -> [Int]? {
        guard let node = value(key) else {
            if required { missing(key, "a list") }
            return nil
        }
        guard doc.nodes[node].kind == .sequence else {
            diagnostics.error(location(of: node), "`\(key)` of \(what) must be a list, found \(Self.describe(node, in: doc))",
                              hint: "write a list: `\(key): [A, B]`, or one `- A` per line")
            return nil
        }
        return doc.items(of: node)
    }

    /// A list of non-empty texts.
    func strings(_ key: String, required: Bool = true) -> [Located<String>]? {
        guard let items = list(key, required: required) else { return nil }
        return items.compactMap { item in
            let text = string(item, what: "an item of `\(key)` in \(what)")
            if let text { InputLimits.check(text.value, key: key, what: "an item of `\(key)` in \(what)", at: text.location, into: diagnostics) }
            return text
        }
    }

    /// A nested mapping.
    func mapping(_ key: String, what name: String, required: Bool = true) -> FlatMappingReader? {
        guard let node = value(key) else {
            if required { missing(key, "a mapping") }
            return nil
        }
        return FlatMappingReader(node, in: doc, path: path, what: name, diagnostics: diagnostics)
    }

    /// Reports every key that was never asked for, suggesting the nearest allowed key.
    func finish() {
        let end = Int(doc.nodes[node].end)
        var k = node + 1
        while k < end {
            let key = doc.strings[k]
            if !used.contains(key) {
                let allowed = Set(used).sorted()
                let near = Suggest.nearest(key, among: allowed)
                let hint = (near.map { "did you mean `\($0)`? " } ?? "") + "allowed keys: " + allowed.joined(separator: ", ")
                diagnostics.error(location(of: k), "unknown key `\(key)` in \(what)", hint: hint)
            }
            k = doc.next(after: doc.next(after: k))
        }
    }
}

extension ClosedRange where Bound == Int {
    /// How a range reads in a message: "at least 1", "from 0 to 100".
    var boundText: String {
        upperBound == Int.max ? "at least \(lowerBound)" : "from \(lowerBound) to \(upperBound)"
    }
}
