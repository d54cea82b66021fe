import Foundation
import Yams

/// A one-document YAML file as a flat array of nodes in document order, built from libyaml's
/// events (`YAMLEvents`) without Yams' `Node` tree: the one YAML reader of plans, calendars,
/// notification settings and ledgers. A collection's children follow it; `end` is the index
/// just past a node and everything under it. A mapping's children are its keys and values in
/// turn.
///
/// It takes what `Yams.compose` takes, into the same tree, and refuses what it refuses, with the
/// same message at the same place (`parse` reports): a libyaml error (its problem, what it was
/// reading, line and column), a control character, an empty text (or comments only), more than
/// one document, an alias (`*a`) to no anchor before it, and a key written twice in one mapping
/// (keys compare as Yams compares them: by text and resolved tag, `1` and `'1'` differ). An alias
/// stands for a copy of what its anchor names, at the anchor's place; aliases may copy in at most
/// `InputLimits.yamlAliasedNodes` nodes in all, so a few lines cannot stand for millions of values.
final class FlatYAML {
    enum Kind: UInt8 { case scalar, sequence, mapping }

    struct Node {
        var kind: Kind
        /// A plain scalar (not quoted, not a block).
        var plain: Bool
        var line: Int32
        var column: Int32
        var end: Int32
    }

    let nodes: [Node]
    /// Each node's scalar value, by the node's index; empty for collections.
    let strings: [String]

    fileprivate init(nodes: [Node], strings: [String]) {
        self.nodes = nodes
        self.strings = strings
    }

    /// The index of the root node.
    var root: Int { 0 }

    /// Reads, checks the encoding and parses `path`. Reports a missing file, a file that is not
    /// UTF-8 text, and every problem `parse` reports, each with its position. `bounded`: findings
    /// quote the file's lines only as a short escaped window (a file a plan names, such as a
    /// calendar).
    static func read(path: String, bounded: Bool = false, into diagnostics: DiagnosticCollector) -> FlatYAML? {
        guard let bytes = InputFile.read(path, limit: InputLimits.planFileBytes, what: "a plan file",
                                         sizeHint: "a plan file holds the plan's tasks and units, not documents: keep it under the limit",
                                         into: diagnostics) else { return nil }
        guard let text = TextDecoding.utf8(Data(bytes), path: path, into: diagnostics) else { return nil }
        return parse(text, path: path, bounded: bounded, into: diagnostics)
    }

    /// Parses already-decoded text; nil, with the problem reported at its place, when the text is
    /// not one YAML document.
    static func parse(_ text: String, path: String, bounded: Bool = false, into diagnostics: DiagnosticCollector) -> FlatYAML? {
        diagnostics.register(file: path, text: text, bounded: bounded)
        var composer = Composer(capacity: text.utf8.count / 16)
        let end = YAMLEvents.scan(text) { composer.take($0) }
        if case .failed(let error) = end { composer.problem = .syntax(error) }
        guard let problem = composer.problem else {
            guard !composer.nodes.isEmpty else {
                diagnostics.error(SourceLocation(file: path, line: 1, column: 1), "the file is empty",
                                  hint: "a plan file starts with `version: 1`")
                return nil
            }
            return FlatYAML(nodes: composer.nodes, strings: composer.strings)
        }
        // libyaml names the place of a control character by the start of the chunk it was
        // reading (a BEL on line 13 came out at 6:8), and may stop at another error before it:
        // a text that has one is reported by them, at their own places.
        if TextDecoding.reportControlCharacters(in: text, path: path, into: diagnostics) { return nil }
        problem.report(path: path, text: text, into: diagnostics)
        return nil
    }

    // MARK: Walking

    /// The index after the node at `index` and everything under it.
    func next(after index: Int) -> Int { Int(nodes[index].end) }

    /// The items of the sequence at `index`.
    func items(of index: Int) -> [Int] {
        var out: [Int] = []
        var k = index + 1
        let end = next(after: index)
        while k < end {
            out.append(k)
            k = next(after: k)
        }
        return out
    }

    /// The key and value nodes of the mapping at `index`, in order.
    func pairs(of index: Int) -> [(key: Int, value: Int)] {
        var out: [(key: Int, value: Int)] = []
        var k = index + 1
        let end = next(after: index)
        while k < end {
            let v = next(after: k)
            out.append((k, v))
            k = next(after: v)
        }
        return out
    }
}

/// Why a text is not one YAML document, worded as Duban has always reported Yams' errors.
private enum YAMLProblem {
    case syntax(YAMLSyntaxError)
    /// Yams' composer: an undefined alias, a second document.
    case composer(problem: String, context: String?, line: Int, column: Int)
    case duplicates(keys: [String], line: Int, column: Int)
    case aliases(line: Int, column: Int)

    func report(path: String, text: String, into diagnostics: DiagnosticCollector) {
        let hint = "YAML syntax: check indentation, quoting and `key: value` pairs near this place"
        func invalid(_ problem: String, _ context: String?, _ line: Int, _ column: Int) {
            let where_ = context.map { " (\($0))" } ?? ""
            diagnostics.error(SourceLocation(file: path, line: line, column: column), "not valid YAML: \(problem)\(where_)", hint: hint)
        }
        switch self {
        case .syntax(let e):
            switch e.stage {
            case .scanner, .parser:
                invalid(e.problem, e.context, e.line, e.column)
            case .reader:
                // The offset is Yams' (see `YAMLSyntaxError`), read as a byte offset as before.
                var where_ = SourceLocation(file: path)
                if let offset = e.offset {
                    let (line, column) = TextDecoding.position(ofByte: offset, in: Array(text.utf8))
                    where_ = SourceLocation(file: path, line: line, column: column)
                }
                let character = e.value >= 0 ? String(format: " (U+%04X)", e.value) : ""
                diagnostics.error(where_, "cannot read the text: \(e.problem)\(character)",
                                  hint: "remove the control character; YAML files hold printable text, tabs and line breaks only")
            case .memory:
                diagnostics.error(SourceLocation(file: path), "not valid YAML: Memory error")
            }
        case let .composer(problem, context, line, column):
            invalid(problem, context, line, column)
        case let .duplicates(keys, line, column):
            diagnostics.error(SourceLocation(file: path, line: line, column: column),
                              "duplicate key\(keys.count == 1 ? "" : "s") \(keys.map { "`\($0)`" }.joined(separator: ", ")) in one mapping",
                              hint: "each key may appear once; remove or rename the repeated one")
        case let .aliases(line, column):
            diagnostics.error(SourceLocation(file: path, line: line, column: column),
                              "the aliases (`*name`) of this file stand for more than \(InputFile.grouped(InputLimits.yamlAliasedNodes)) values",
                              hint: "write the values out where they are needed (docs/limits.md)")
        }
    }
}

/// Builds the nodes from the events, as Yams' `Parser.singleRoot` builds its tree.
private struct Composer {
    var nodes: [FlatYAML.Node] = []
    var strings: [String] = []
    var problem: YAMLProblem?
    /// Tags written on nodes (`!!str`), by index: only keys written twice look at them.
    private var tags: [Int: String] = [:]
    /// Each anchor's node and everything under it, as the last node of that name was (Yams
    /// registers a node's anchor once the node is complete).
    private var anchors: [String: Range<Int>] = [:]
    private var open: [(index: Int, anchor: String?)] = []
    private var documents = 0
    private var aliased = 0

    init(capacity: Int) {
        nodes.reserveCapacity(capacity)
        strings.reserveCapacity(capacity)
    }

    /// Takes one event; false (with `problem` set) to stop.
    mutating func take(_ event: YAMLEvent) -> Bool {
        switch event.kind {
        case .documentStart:
            documents += 1
            if documents > 1 {
                problem = .composer(problem: "but found another document", context: "expected a single document in the stream",
                                    line: event.line, column: event.column)
            }
        case .documentEnd, .streamEnd, .other:
            break
        case .alias:
            alias(event)
        case .scalar:
            let index = nodes.count
            nodes.append(FlatYAML.Node(kind: .scalar, plain: event.plain, line: Int32(clamping: event.line),
                                       column: Int32(clamping: event.column), end: Int32(clamping: index + 1)))
            strings.append(event.string)
            if let tag = event.tag { tags[index] = tag }
            if let anchor = event.anchor { anchors[anchor] = index..<(index + 1) }
        case .sequenceStart, .mappingStart:
            let index = nodes.count
            open.append((index, event.anchor))
            nodes.append(FlatYAML.Node(kind: event.kind == .mappingStart ? .mapping : .sequence, plain: false,
                                       line: Int32(clamping: event.line), column: Int32(clamping: event.column), end: 0))
            strings.append("")
            if let tag = event.tag { tags[index] = tag }
        case .sequenceEnd, .mappingEnd:
            guard let collection = open.popLast() else { break }
            nodes[collection.index].end = Int32(clamping: nodes.count)
            if event.kind == .mappingEnd { checkKeys(of: collection.index) }
            if let anchor = collection.anchor { anchors[anchor] = collection.index..<nodes.count }
        }
        return problem == nil
    }

    /// An alias: a copy of its anchor's nodes, which keep their places.
    private mutating func alias(_ event: YAMLEvent) {
        guard let name = event.anchor, let range = anchors[name] else {
            problem = .composer(problem: "found undefined alias", context: nil, line: event.line, column: event.column)
            return
        }
        aliased += range.count
        guard aliased <= InputLimits.yamlAliasedNodes else {
            problem = .aliases(line: event.line, column: event.column)
            return
        }
        let shift = nodes.count - range.lowerBound
        for i in range {
            var node = nodes[i]
            node.end += Int32(clamping: shift)
            nodes.append(node)
            strings.append(strings[i])
            if !tags.isEmpty, let tag = tags[i] { tags[i + shift] = tag }
        }
    }

    // MARK: Keys

    /// Sets `problem` when the mapping at `index` has a key twice. Most mappings have scalar
    /// keys of different texts, which settles it without resolving a tag.
    private mutating func checkKeys(of index: Int) {
        let end = Int(nodes[index].end)
        var keys: [Int] = []
        var k = index + 1
        var scalars = true
        while k < end {
            keys.append(k)
            if nodes[k].kind != .scalar { scalars = false }
            k = Int(nodes[next(k)].end)
        }
        if scalars {
            if keys.count <= 16 {
                var distinct = true
                for a in keys.indices where distinct {
                    for b in keys.indices where b > a && strings[keys[a]] == strings[keys[b]] { distinct = false }
                }
                if distinct { return }
            } else {
                var seen = Set<String>()
                if keys.allSatisfy({ seen.insert(strings[$0]).inserted }) { return }
            }
        }
        // Group the keys as Yams' `Dictionary(grouping:)` does, each group named by its first key.
        var groups: [[Int]] = []
        var buckets: [Int: [Int]] = [:]
        for key in keys {
            var hasher = Hasher()
            hash(key, into: &hasher)
            let h = hasher.finalize()
            if let g = buckets[h, default: []].first(where: { equal(groups[$0][0], key) }) {
                groups[g].append(key)
            } else {
                buckets[h, default: []].append(groups.count)
                groups.append([key])
            }
        }
        let repeated = groups.filter { $0.count > 1 }.map { $0[0] }.sorted { less($0, $1) }
        guard let first = repeated.first else { return }
        problem = .duplicates(keys: repeated.map { text($0) ?? "<uncovertable>" },
                              line: Int(nodes[first].line), column: Int(nodes[first].column))
    }

    private func next(_ index: Int) -> Int { Int(nodes[index].end) }

    private func children(_ index: Int) -> [Int] {
        var out: [Int] = []
        var k = index + 1
        while k < next(index) {
            out.append(k)
            k = next(k)
        }
        return out
    }

    /// The node's tag as Yams resolves it with its default resolver.
    private func resolvedTag(_ index: Int) -> String {
        let tag = tags[index]
        switch nodes[index].kind {
        case .scalar:
            if tag == "!" || (tag == nil && !nodes[index].plain) { return Tag.Name.str.rawValue }
            if let tag { return tag }
            return Resolver.default.resolveTag(of: Yams.Node.scalar(.init(strings[index]))).rawValue
        case .mapping: return tag == nil || tag == "!" ? Tag.Name.map.rawValue : tag ?? ""
        case .sequence: return tag == nil || tag == "!" ? Tag.Name.seq.rawValue : tag ?? ""
        }
    }

    /// Equality of two nodes as Yams' `Node ==`: kind, resolved tag, and text or children.
    private func equal(_ a: Int, _ b: Int) -> Bool {
        guard nodes[a].kind == nodes[b].kind else { return false }
        if nodes[a].kind == .scalar { guard strings[a] == strings[b] else { return false } }
        guard resolvedTag(a) == resolvedTag(b) else { return false }
        let ca = children(a), cb = children(b)
        return ca.count == cb.count && zip(ca, cb).allSatisfy { equal($0, $1) }
    }

    private func hash(_ index: Int, into hasher: inout Hasher) {
        hasher.combine(nodes[index].kind)
        if nodes[index].kind == .scalar {
            hasher.combine(strings[index])
            return
        }
        for child in children(index) { hash(child, into: &hasher) }
    }

    /// Yams' `Node <`: texts of scalars, keys of mappings, items of lists; nodes of two kinds
    /// are not ordered.
    private func less(_ a: Int, _ b: Int) -> Bool {
        switch (nodes[a].kind, nodes[b].kind) {
        case (.scalar, .scalar):
            return strings[a] < strings[b]
        case (.mapping, .mapping), (.sequence, .sequence):
            let mapping = nodes[a].kind == .mapping
            let ca = children(a), cb = children(b)
            let la = mapping ? stride(from: 0, to: ca.count, by: 2).map { ca[$0] } : ca
            let lb = mapping ? stride(from: 0, to: cb.count, by: 2).map { cb[$0] } : cb
            for (x, y) in zip(la, lb) {
                if less(x, y) { return true }
                if less(y, x) { return false }
            }
            return la.count < lb.count
        default:
            return false
        }
    }

    /// Yams' `Node.string`: a scalar's text, the value of a mapping's `!!value` key (a plain `=`,
    /// whose tag hashing the key resolved), else nil.
    private func text(_ index: Int) -> String? {
        switch nodes[index].kind {
        case .scalar: return strings[index]
        case .sequence: return nil
        case .mapping:
            let c = children(index)
            for i in stride(from: 0, to: c.count, by: 2) where resolvedTag(c[i]) == Tag.Name.value.rawValue {
                return text(c[i + 1])
            }
            return nil
        }
    }
}
