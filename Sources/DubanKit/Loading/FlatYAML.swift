/// A one-document YAML text as a flat array of nodes in document order, built from libyaml's
/// events (`YAMLEvents`) without Yams' `Node` tree. A collection's children follow it; `end` is
/// the index just past a node and everything under it.
///
/// Only texts that `Yams.compose` reads without error into the same tree are taken. For any
/// other `compose` returns nil and the caller reads the text through `YAMLDocument`, which
/// reports its errors: a libyaml error, an empty text (or comments only), more than one
/// document, anchors and aliases, a key that is not a scalar, and a key written twice in one
/// mapping (Yams compares keys by text and resolved tag; two keys with the same text are left
/// to it). Tags (`!!str 12`) are read past: `MappingReader` never looks at them, and for Yams
/// they matter only in comparing keys, which the rule above leaves to it.
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

    private init(nodes: [Node], strings: [String]) {
        self.nodes = nodes
        self.strings = strings
    }

    /// The index of the root node.
    var root: Int { 0 }

    static func compose(_ text: String) -> FlatYAML? {
        var nodes: [Node] = []
        var strings: [String] = []
        nodes.reserveCapacity(text.utf8.count / 16)
        strings.reserveCapacity(text.utf8.count / 16)
        var open: [Int] = []
        var documents = 0
        var unsupported = false
        let read = YAMLEvents.scan(text) { event in
            switch event.kind {
            case .documentStart:
                documents += 1
                if documents > 1 { unsupported = true }
            case .documentEnd, .other:
                break
            case .alias:
                unsupported = true
            case .scalar:
                if event.anchored { unsupported = true; break }
                nodes.append(Node(kind: .scalar, plain: event.plain, line: Int32(clamping: event.line),
                                  column: Int32(clamping: event.column), end: Int32(clamping: nodes.count + 1)))
                strings.append(event.string)
            case .sequenceStart, .mappingStart:
                if event.anchored { unsupported = true; break }
                open.append(nodes.count)
                nodes.append(Node(kind: event.kind == .mappingStart ? .mapping : .sequence, plain: false,
                                  line: Int32(clamping: event.line), column: Int32(clamping: event.column), end: 0))
                strings.append("")
            case .sequenceEnd, .mappingEnd:
                guard let start = open.popLast() else { unsupported = true; break }
                nodes[start].end = Int32(clamping: nodes.count)
                if event.kind == .mappingEnd && !keysAreDistinctScalars(nodes, strings, mapping: start) { unsupported = true }
            }
            return !unsupported
        }
        guard read, !unsupported, documents == 1, open.isEmpty, !nodes.isEmpty else { return nil }
        return FlatYAML(nodes: nodes, strings: strings)
    }

    /// Whether every key of the mapping at `index` is a scalar and no two keys have the same text.
    private static func keysAreDistinctScalars(_ nodes: [Node], _ strings: [String], mapping index: Int) -> Bool {
        let end = Int(nodes[index].end)
        var count = 0
        var k = index + 1
        while k < end {
            guard nodes[k].kind == .scalar, k + 1 < end else { return false }
            count += 1
            k = Int(nodes[k + 1].end)
        }
        if count <= 16 {
            var a = index + 1
            while a < end {
                var b = Int(nodes[a + 1].end)
                while b < end {
                    if strings[a] == strings[b] { return false }
                    b = Int(nodes[b + 1].end)
                }
                a = Int(nodes[a + 1].end)
            }
            return true
        }
        var seen = Set<String>()
        k = index + 1
        while k < end {
            if !seen.insert(strings[k]).inserted { return false }
            k = Int(nodes[k + 1].end)
        }
        return true
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
}
