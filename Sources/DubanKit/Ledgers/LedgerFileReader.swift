import Foundation

/// Reads a YAML ledger into a `LedgerFileSpec`, reporting every problem of shape (wrong types,
/// missing or unknown keys, bad dates, a percent outside 0–100) with its position. Whether the
/// unit, tasks and period exist in the plan is checked afterwards by `LedgerValidator`.
///
/// A ledger is read as plans are, through `FlatYAML` (libyaml's events, several times faster than
/// composing Yams' `Node` tree), which reports YAML errors, and `FlatMappingReader`.
public struct LedgerFileReader {
    public static let supportedVersion = 1

    let diagnostics: DiagnosticCollector

    public init(diagnostics: DiagnosticCollector) {
        self.diagnostics = diagnostics
    }

    /// Reads already-decoded text (see `LedgerText`).
    public func read(text: String, path: String) -> LedgerFileSpec? {
        guard let doc = FlatYAML.parse(text, path: path, into: diagnostics) else { return nil }
        guard let top = FlatMappingReader(doc.root, in: doc, path: path, what: "the ledger", diagnostics: diagnostics) else { return nil }
        return read(top)
    }

    /// The ledger read from its top mapping.
    func read(_ top: FlatMappingReader) -> LedgerFileSpec {
        var spec = LedgerFileSpec(path: top.path, format: .yaml, location: top.location)
        if let version = top.int("version", required: true, range: 0...Int.max), version.value != Self.supportedVersion {
            diagnostics.error(version.location, "unsupported ledger format version \(version.value)",
                              hint: "this duban reads version \(Self.supportedVersion)")
        }
        spec.plan = top.string("plan", required: true, allowEmpty: false)
        spec.unit = top.string("unit", required: true, allowEmpty: false)
        spec.period = top.string("period", required: true, allowEmpty: false)
        if let liaison = top.mapping("liaison", what: "`liaison`", required: true) {
            spec.liaisonName = liaison.string("name", required: true, allowEmpty: false)
            // Optional here (an empty one is none): whether the plan requires it is checked against the plan.
            spec.liaisonPhone = liaison.string("phone", required: false, allowEmpty: true).flatMap { $0.value.isEmpty ? nil : $0 }
            liaison.finish()
        }
        spec.submitted = top.date("submitted", required: true)
        if let nodes = top.list("entries", required: true) {
            if nodes.isEmpty {
                diagnostics.error(top.location(of: top.value("entries") ?? top.node), "`entries` is empty",
                                  hint: "write one entry per task the unit owes: `duban ledger template` prints them")
            }
            for (i, node) in nodes.enumerated() {
                guard let r = top.reader(node, what: "entry #\(i + 1)") else { continue }
                spec.entries.append(entry(r))
            }
        }
        top.finish()
        return spec
    }

    func entry(_ r: FlatMappingReader) -> LedgerEntrySpec {
        var e = LedgerEntrySpec(location: r.location)
        // A plan-wide obligation (三(二)) has no task: the entry names it by `milestone` alone.
        e.task = r.int("task", required: !r.has("milestone"), range: 1...9999)
        e.milestone = r.string("milestone", required: false, allowEmpty: false)
        e.status = r.string("status", required: true, allowEmpty: false)
        e.percent = r.int("percent", required: false, range: 0...100)
        e.completed = r.date("completed", required: false)
        e.progress = r.string("progress", required: true, allowEmpty: false)
        e.problems = r.string("problems", required: false, allowEmpty: true)
        e.nextSteps = r.string("next_steps", required: false, allowEmpty: true)
        for (i, node) in (r.list("figures", required: false) ?? []).enumerated() {
            guard let f = r.reader(node, what: "figure #\(i + 1) of \(r.what)") else { continue }
            let name = f.string("name", required: true, allowEmpty: false)
            let value = number(f)
            let unit = f.string("unit", required: false, allowEmpty: false)
            f.finish()
            if let name, let value {
                e.append(figure: Located(Figure(name: name.value, value: value, unit: unit?.value), at: f.location))
            }
        }
        e.evidence = r.strings("evidence", required: false) ?? []
        r.finish()
        return e
    }

    func number(_ r: FlatMappingReader) -> Double? {
        guard let node = r.value("value") else {
            diagnostics.error(r.location, "\(r.what) has no `value`: expected a number", hint: "add `value: 12`")
            return nil
        }
        let text = r.scalarText(node)?.trimmedLikeFoundation(newlines: false) ?? ""
        guard let value = Double(text), value.isFinite else {
            diagnostics.error(r.location(of: node), "`value` of \(r.what) must be a number, found \"\(text)\"",
                              hint: "write the number alone and the unit in `unit:` (value: 12, unit: \"%\")")
            return nil
        }
        return value
    }
}
