import Foundation
import Yams

/// Reads a YAML ledger into a `LedgerFileSpec`, reporting every problem of shape (wrong types,
/// missing or unknown keys, bad dates, a percent outside 0–100) with its position. Whether the
/// unit, tasks and period exist in the plan is checked afterwards by `LedgerValidator`.
public struct LedgerFileReader {
    public static let supportedVersion = 1

    let diagnostics: DiagnosticCollector

    public init(diagnostics: DiagnosticCollector) {
        self.diagnostics = diagnostics
    }

    /// Reads already-decoded text (see `LedgerText`).
    public func read(text: String, path: String) -> LedgerFileSpec? {
        guard let doc = YAMLDocument.parse(text: text, path: path, into: diagnostics) else { return nil }
        guard let top = MappingReader(doc.root, path: path, what: "the ledger", diagnostics: diagnostics) else { return nil }
        var spec = LedgerFileSpec(path: path, format: .yaml, location: top.location)
        if let version = top.int("version"), version.value != Self.supportedVersion {
            diagnostics.error(version.location, "unsupported ledger format version \(version.value)",
                              hint: "this duban reads version \(Self.supportedVersion)")
        }
        spec.plan = top.string("plan")
        spec.unit = top.string("unit")
        spec.period = top.string("period")
        if let liaison = top.mapping("liaison", what: "`liaison`") {
            spec.liaisonName = liaison.string("name")
            spec.liaisonPhone = liaison.string("phone")
            liaison.finish()
        }
        spec.submitted = top.date("submitted")
        if let nodes = top.list("entries") {
            if nodes.isEmpty {
                diagnostics.error(top.location(of: top.value("entries") ?? top.node), "`entries` is empty",
                                  hint: "write one entry per task the unit owes: `duban ledger template` prints them")
            }
            for (i, node) in nodes.enumerated() {
                guard let r = MappingReader(node, path: path, what: "entry #\(i + 1)", diagnostics: diagnostics) else { continue }
                spec.entries.append(entry(r))
            }
        }
        top.finish()
        return spec
    }

    func entry(_ r: MappingReader) -> LedgerEntrySpec {
        var e = LedgerEntrySpec(location: r.location)
        // A plan-wide obligation (三(二)) has no task: the entry names it by `milestone` alone.
        e.task = r.int("task", required: !r.has("milestone"), range: 1...9999)
        e.milestone = r.string("milestone", required: false)
        e.status = r.string("status")
        e.percent = r.int("percent", required: false, range: 0...100)
        e.completed = r.date("completed", required: false)
        e.progress = r.string("progress")
        e.problems = r.string("problems", required: false, allowEmpty: true)
        e.nextSteps = r.string("next_steps", required: false, allowEmpty: true)
        for (i, node) in (r.list("figures", required: false) ?? []).enumerated() {
            guard let f = MappingReader(node, path: r.path, what: "figure #\(i + 1) of \(r.what)", diagnostics: diagnostics) else { continue }
            let name = f.string("name")
            let value = number(f)
            let unit = f.string("unit", required: false)
            f.finish()
            if let name, let value {
                e.figures.append(Located(Figure(name: name.value, value: value, unit: unit?.value), at: f.location))
            }
        }
        e.evidence = r.strings("evidence", required: false) ?? []
        r.finish()
        return e
    }

    func number(_ r: MappingReader) -> Double? {
        guard let node = r.value("value") else {
            diagnostics.error(r.location, "\(r.what) has no `value`: expected a number", hint: "add `value: 12`")
            return nil
        }
        let text = node.scalar?.string.trimmingCharacters(in: .whitespaces) ?? ""
        guard let value = Double(text), value.isFinite else {
            diagnostics.error(r.location(of: node), "`value` of \(r.what) must be a number, found \"\(text)\"",
                              hint: "write the number alone and the unit in `unit:` (value: 12, unit: \"%\")")
            return nil
        }
        return value
    }
}
