/// Reads a submitted ledger form (`LedgerForm`) into a `LedgerFileSpec`, reporting every problem
/// of shape at its field: a missing or empty required field, a number or date that is none, a
/// percent outside 0–100, a text over its limit (`InputLimits`, as for files), a control
/// character, text that was not valid UTF-8. What the values mean (the unit owes the task, the
/// status agrees with the percent…) is `LedgerValidator`'s, as for every ledger.
public struct LedgerFormReader {
    let diagnostics: DiagnosticCollector

    public init(diagnostics: DiagnosticCollector) {
        self.diagnostics = diagnostics
    }

    /// `values` by field name; `malformed`: fields whose bytes were not UTF-8; `file`: the name
    /// findings and the records give the form (e.g. `portal:LOGIN/form`).
    public func read(_ values: [String: String], malformed: Set<String> = [], file: String) -> LedgerFileSpec {
        var spec = LedgerFileSpec(path: file, format: .csv, location: SourceLocation(file: file, field: "unit"))
        spec.receivedAs = .form
        func text(_ key: String, entry: Int?, required: Bool, limitKey: String? = nil) -> Located<String>? {
            let at = LedgerForm.location(key, entry: entry, file: file)
            let name = LedgerForm.name(key, entry: entry)
            let what = LedgerForm.fieldDescription(key: key, entry: entry)
            if malformed.contains(name) {
                diagnostics.error(at, "\(what) is not valid UTF-8 text", hint: "type the text again (the browser sent bytes that are no text)")
                return nil
            }
            let value = (values[name] ?? "").replacingOccurrences(of: "\r\n", with: "\n").trimmedFast()
            if value.isEmpty {
                if required { diagnostics.error(at, "\(what) is empty", hint: "fill in \(LedgerForm.label(key))") }
                return nil
            }
            if let bad = value.unicodeScalars.first(where: { $0.properties.generalCategory == .control && $0 != "\n" && $0 != "\t" }) {
                diagnostics.error(at, "\(what) holds a control character (U+\(String(bad.value, radix: 16, uppercase: true)))",
                                  hint: "remove it; only line breaks and tabs are kept in text")
                return nil
            }
            guard InputLimits.check(value, key: limitKey ?? key, what: what, at: at, into: diagnostics) else { return nil }
            return Located(value, at: at)
        }
        func date(_ key: String, entry: Int?, required: Bool) -> Located<LocalDate>? {
            guard let t = text(key, entry: entry, required: required) else { return nil }
            guard let d = LedgerCSVReader.date(t.value) else {
                diagnostics.error(t.location, "\(LedgerForm.fieldDescription(key: key, entry: entry)) must be a date YYYY-MM-DD, found \"\(t.value)\"",
                                  hint: "write dates as 2024-02-05")
                return nil
            }
            return Located(d, at: t.location)
        }
        spec.plan = text("plan", entry: nil, required: true)
        spec.unit = text("unit", entry: nil, required: true)
        spec.period = text("period", entry: nil, required: true)
        spec.liaisonName = text("liaison", entry: nil, required: true)
        spec.liaisonPhone = text("phone", entry: nil, required: true)
        spec.submitted = date("submitted", entry: nil, required: true)

        let numbers = Set(values.keys.compactMap(Self.entryNumber)).sorted()
        if let beyond = numbers.first(where: { $0 > LedgerForm.maxEntries }) {
            diagnostics.error(LedgerForm.location("task", entry: beyond, file: file), "the form has more than \(LedgerForm.maxEntries) entries",
                              hint: "a ledger has one entry per task and milestone owed")
        }
        if numbers.isEmpty {
            diagnostics.error(spec.location, "the form has no entries", hint: "reload the ledger page: it lists every task the unit owes")
        }
        for n in numbers where n <= LedgerForm.maxEntries {
            var e = LedgerEntrySpec(location: LedgerForm.location("task", entry: n, file: file))
            let milestone = text("milestone", entry: n, required: false)
            if let t = text("task", entry: n, required: milestone == nil) {
                if let number = Int(t.value), (1...9999).contains(number) {
                    e.task = Located(number, at: t.location)
                } else {
                    diagnostics.error(t.location, "\(LedgerForm.fieldDescription(key: "task", entry: n)) must be a task number, found \"\(t.value)\"",
                                      hint: "reload the ledger page")
                }
            }
            e.milestone = milestone
            e.status = text("status", entry: n, required: true)
            if let p = text("percent", entry: n, required: false) {
                if let value = Int(p.value), (0...100).contains(value) {
                    e.percent = Located(value, at: p.location)
                } else {
                    diagnostics.error(p.location, "\(LedgerForm.fieldDescription(key: "percent", entry: n)) must be a whole number from 0 to 100, found \"\(p.value)\"",
                                      hint: "the share of the task done, as a whole percent")
                }
            }
            e.completed = date("completed", entry: n, required: false)
            e.progress = text("progress", entry: n, required: true)
            e.problems = text("problems", entry: n, required: false)
            e.nextSteps = text("next_steps", entry: n, required: false)
            if let f = text("figures", entry: n, required: false) {
                for item in LedgerCSVReader.split(f.value) {
                    if let figure = LedgerCSVReader.figure(item) {
                        e.append(figure: Located(figure, at: f.location))
                    } else {
                        diagnostics.error(f.location, "\(LedgerForm.fieldDescription(key: "figures", entry: n)): \"\(item)\" is not `名称=数值单位`",
                                          hint: "write figures as 案卷评查比例=12%;培训学时=60学时, one a line or separated by ;")
                    }
                }
            }
            if let list = text("evidence", entry: n, required: false, limitKey: "figures") {
                for item in LedgerCSVReader.split(list.value)
                where InputLimits.check(item, key: "evidence", what: "an item of \(LedgerForm.fieldDescription(key: "evidence", entry: n))",
                                        at: list.location, into: diagnostics) {
                    e.append(evidence: Located(item, at: list.location))
                }
            }
            spec.entries.append(e)
        }
        return spec
    }

    /// N of a field named `eN.KEY` (N from 1, at most six digits), else nil.
    static func entryNumber(_ name: String) -> Int? {
        entryField(name).flatMap { LedgerForm.entryKeys.contains($0.key) ? $0.entry : nil }
    }

    /// (N, KEY) of a field named `eN.KEY` (N from 1, at most six digits), else nil.
    public static func entryField(_ name: String) -> (entry: Int, key: String)? {
        guard name.hasPrefix("e"), let dot = name.firstIndex(of: ".") else { return nil }
        let digits = name[name.index(after: name.startIndex)..<dot]
        guard (1...6).contains(digits.count), digits.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(digits), n >= 1 else { return nil }
        return (n, String(name[name.index(after: dot)...]))
    }
}
