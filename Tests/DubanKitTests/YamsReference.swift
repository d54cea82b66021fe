@testable import DubanKit
import Foundation
import Yams

/// What `Yams.compose` makes of a text, the reference `FlatYAML` is held to: the tree (each node
/// in document order with its kind, place, style and text; an alias stands for its anchor's
/// node), or the findings of its error, worded as Duban reported Yams' errors before `FlatYAML`
/// read every file (`YAMLDocument.report`, removed): a control character first, then libyaml's
/// problem, an empty text, a duplicate key.
enum YamsReference {
    struct Outcome: Equatable, CustomStringConvertible {
        var tree: [String]
        var diagnostics: [Diagnostic]
        var description: String { (tree + diagnostics.map { "\($0.location) \($0.message) | \($0.hint ?? "")" }).joined(separator: "\n") }
    }

    static func compose(_ text: String, path: String) -> Outcome {
        let diagnostics = DiagnosticCollector()
        diagnostics.register(file: path, text: text)
        var tree: [String] = []
        if !TextDecoding.reportControlCharacters(in: text, path: path, into: diagnostics) {
            do {
                if let root = try Yams.compose(yaml: text) {
                    dump(root, into: &tree)
                } else {
                    diagnostics.error(SourceLocation(file: path, line: 1, column: 1), "the file is empty",
                                      hint: "a plan file starts with `version: 1`")
                }
            } catch let error as YamlError {
                report(error, path: path, into: diagnostics)
            } catch {
                diagnostics.error(SourceLocation(file: path), "not valid YAML: \(error)")
            }
        }
        return Outcome(tree: tree, diagnostics: diagnostics.diagnostics)
    }

    static func flat(_ text: String, path: String) -> Outcome {
        let diagnostics = DiagnosticCollector()
        var tree: [String] = []
        if let doc = FlatYAML.parse(text, path: path, into: diagnostics) {
            for (i, node) in doc.nodes.enumerated() {
                let place = "\(node.line):\(node.column)"
                switch node.kind {
                case .scalar: tree.append("scalar \(place) \(node.plain ? "plain" : "quoted") \(doc.strings[i].debugDescription)")
                case .mapping: tree.append("mapping \(place) \(doc.pairs(of: i).count)")
                case .sequence: tree.append("sequence \(place) \(doc.items(of: i).count)")
                }
            }
        }
        return Outcome(tree: tree, diagnostics: diagnostics.diagnostics)
    }

    static func dump(_ node: Node, into tree: inout [String]) {
        let place = node.mark.map { "\($0.line):\($0.column)" } ?? "?"
        switch node {
        case .scalar(let s):
            tree.append("scalar \(place) \(s.style == .plain ? "plain" : "quoted") \(s.string.debugDescription)")
        case .mapping(let m):
            tree.append("mapping \(place) \(m.count)")
            for (key, value) in m {
                dump(key, into: &tree)
                dump(value, into: &tree)
            }
        case .sequence(let s):
            tree.append("sequence \(place) \(s.count)")
            for item in s { dump(item, into: &tree) }
        case .alias:
            tree.append("alias \(place)")
        }
    }

    static func report(_ error: YamlError, path: String, into diagnostics: DiagnosticCollector) {
        func location(_ mark: Mark) -> SourceLocation {
            SourceLocation(file: path, line: mark.line, column: mark.column)
        }
        let hint = "YAML syntax: check indentation, quoting and `key: value` pairs near this place"
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            let where_ = context.map { " (\($0.text))" } ?? ""
            diagnostics.error(location(mark), "not valid YAML: \(problem)\(where_)", hint: hint)
        case let .reader(problem, offset, value, yaml):
            var where_ = SourceLocation(file: path)
            if let offset {
                let (line, column) = TextDecoding.position(ofByte: offset, in: Array(yaml.utf8))
                where_ = SourceLocation(file: path, line: line, column: column)
            }
            let character = value >= 0 ? String(format: " (U+%04X)", value) : ""
            diagnostics.error(where_, "cannot read the text: \(problem)\(character)",
                              hint: "remove the control character; YAML files hold printable text, tabs and line breaks only")
        case let .duplicatedKeysInMapping(duplicates, context):
            diagnostics.error(location(context.mark),
                              "duplicate key\(duplicates.count == 1 ? "" : "s") \(duplicates.map { "`\($0)`" }.joined(separator: ", ")) in one mapping",
                              hint: "each key may appear once; remove or rename the repeated one")
        default:
            diagnostics.error(SourceLocation(file: path), "not valid YAML: \(error)")
        }
    }
}
