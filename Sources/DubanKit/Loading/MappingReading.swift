import Yams

/// What a file reader asks of a positioned, error-collecting mapping reader, so that one reader
/// (e.g. `LedgerFileReader`) runs over either `MappingReader` (Yams' `Node` tree) or
/// `FlatMappingReader` (libyaml's events, `FlatYAML`), with the same results and messages.
/// See `MappingReader` for what each method reports.
protocol MappingReading: AnyObject {
    /// How the reader names a node: Yams' `Node`, or an index into a `FlatYAML`.
    associatedtype ValueNode
    var path: String { get }
    var what: String { get }
    var node: ValueNode { get }
    var location: SourceLocation { get }
    func location(of node: ValueNode) -> SourceLocation
    func value(_ key: String) -> ValueNode?
    func has(_ key: String) -> Bool
    func string(_ key: String, required: Bool, allowEmpty: Bool) -> Located<String>?
    func int(_ key: String, required: Bool, range: ClosedRange<Int>) -> Located<Int>?
    func date(_ key: String, required: Bool) -> Located<LocalDate>?
    func list(_ key: String, required: Bool) -> [ValueNode]?
    func strings(_ key: String, required: Bool) -> [Located<String>]?
    func mapping(_ key: String, what name: String, required: Bool) -> Self?
    /// A reader of `node` (a list item, say), nil with an error when it is not a mapping.
    func reader(_ node: ValueNode, what: String) -> Self?
    /// The text of `node` when it is a scalar (untrimmed), else nil.
    func scalarText(_ node: ValueNode) -> String?
    func finish()
}

extension MappingReader: MappingReading {
    func reader(_ node: Node, what: String) -> MappingReader? {
        MappingReader(node, path: path, what: what, diagnostics: diagnostics)
    }

    func scalarText(_ node: Node) -> String? { node.scalar?.string }
}
