import Foundation

/// Reads the files of a plan folder (`plan.yaml`, `units.yaml`, `tasks.yaml`) into a `PlanSpec`,
/// reporting every problem of shape: wrong types, missing or unknown keys, bad dates.
/// References between files are checked afterwards by `PlanValidator`.
public struct PlanFileReader {
    public static let supportedVersion = 1
    public static let files = ["plan.yaml", "units.yaml", "tasks.yaml"]

    let diagnostics: DiagnosticCollector

    public init(diagnostics: DiagnosticCollector) {
        self.diagnostics = diagnostics
    }

    public func read(directory: String) -> PlanSpec {
        var spec = PlanSpec(directory: directory)
        let dir = directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        if let plan = document(dir + "/plan.yaml") { spec.header = header(plan) }
        if let units = document(dir + "/units.yaml") { readUnits(units, into: &spec) } else { spec.unitsReadable = false }
        if let tasks = document(dir + "/tasks.yaml") { spec.tasks = readTasks(tasks) }
        return spec
    }

    // MARK: Files

    /// Reads a file and checks its top-level mapping and `version`.
    func document(_ path: String) -> FlatMappingReader? {
        guard let doc = FlatYAML.read(path: path, into: diagnostics) else { return nil }
        guard let top = FlatMappingReader(doc.root, in: doc, path: path, what: "the file", diagnostics: diagnostics) else { return nil }
        if let version = top.int("version", range: 0...Int.max), version.value != Self.supportedVersion {
            diagnostics.error(version.location, "unsupported format version \(version.value)",
                              hint: "this duban reads version \(Self.supportedVersion)")
        }
        return top
    }

    func items(_ reader: FlatMappingReader, _ key: String, what: (Int) -> String, required: Bool = true,
               nonEmpty: Bool = false) -> [FlatMappingReader] {
        guard let nodes = reader.list(key, required: required) else { return [] }
        if nonEmpty, nodes.isEmpty, let node = reader.value(key) {
            diagnostics.error(reader.location(of: node), "`\(key)` is empty", hint: "a plan needs at least one entry in `\(key)`")
        }
        return nodes.enumerated().compactMap { i, node in
            reader.reader(node, what: what(i + 1))
        }
    }

    // MARK: plan.yaml

    func header(_ r: FlatMappingReader) -> HeaderSpec {
        var h = HeaderSpec(location: r.location)
        h.id = r.string("id").flatMap { checkedID($0, what: "plan id") }
        h.title = r.string("title")?.value
        h.issuer = r.string("issuer")?.value
        h.issued = r.date("issued")
        if let period = r.mapping("period", what: "`period`") {
            h.start = period.date("start")
            h.end = period.date("end")
            h.periodSource = period.string("source", required: false)
            period.finish()
        }
        h.coordinator = r.string("coordinator")
        h.text = r.string("text", required: false)
        h.calendar = r.string("calendar", required: false)
        if let l = r.mapping("ledgers", what: "`ledgers`", required: false) { h.ledgers = ledgers(l) }
        if let e = r.mapping("escalation", what: "`escalation`", required: false) { h.escalation = escalation(e) }
        if let l = r.mapping("letters", what: "`letters`", required: false) {
            let code = l.string("code", required: false)
            if let code, code.value.contains(where: { "〔〕[]0123456789".contains($0) }) {
                diagnostics.error(code.location, "`code` is the 机关代字 alone, found \"\(code.value)\"",
                                  hint: "write `code: 张司函`; duban adds 〔year〕 and the number")
            }
            h.letters = LetterSettings(office: l.string("office", required: false)?.value, code: code?.value,
                                       contact: l.string("contact", required: false)?.value,
                                       phone: l.string("phone", required: false)?.value)
            l.finish()
        }
        for c in items(r, "categories", what: { "category #\($0)" }, nonEmpty: true) {
            let number = c.int("number", range: 1...99)
            let numeral = c.string("numeral")
            let title = c.string("title")
            c.finish()
            if let number, let numeral, let title {
                h.categories.append(CategorySpec(number: number, numeral: numeral.value, title: title.value))
            }
        }
        for o in items(r, "obligations", what: { "obligation #\($0)" }, required: false) {
            if let m = milestone(o, task: nil) { h.obligations.append(m) }
        }
        r.finish()
        return h
    }

    func basis(_ r: FlatMappingReader) -> Basis {
        guard let text = r.string("basis", required: false) else { return .local }
        guard let b = Basis(rawValue: text.value) else {
            diagnostics.error(text.location, "`basis` must be `text` or `local`, found \"\(text.value)\"",
                              hint: "`text`: the plan text says so; `local`: a local setting")
            return .local
        }
        return b
    }

    func frequency(_ r: FlatMappingReader, _ key: String) -> Frequency? {
        guard let text = r.string(key) else { return nil }
        guard let f = Frequency(rawValue: text.value) else {
            let names = Frequency.allCases.map(\.rawValue)
            diagnostics.error(text.location, "`\(key)` must be one of \(names.joined(separator: ", ")), found \"\(text.value)\"",
                              hint: Suggest.nearest(text.value, among: names).map { "did you mean `\($0)`?" })
            return nil
        }
        return f
    }

    func ledgers(_ r: FlatMappingReader) -> LedgerSpec {
        var spec = LedgerSpec(location: r.location, basis: basis(r), note: r.string("note", required: false)?.value,
                              every: frequency(r, "every"),
                              dueAfterDays: r.int("due_after_days", required: false, range: 0...366)?.value ?? 0,
                              from: r.date("from", required: false),
                              owedBy: r.strings("owed_by") ?? [],
                              liaisonPhone: r.string("liaison_phone", required: false))
        spec.review = r.string("review", required: false)
        r.finish()
        return spec
    }

    func escalation(_ r: FlatMappingReader) -> EscalationRules {
        func step(_ key: String) -> LadderStep {
            guard let s = r.mapping(key, what: "`escalation.\(key)`") else { return LadderStep() }
            let step = LadderStep(daysOverdue: s.int("days_overdue", required: false, range: 0...InputLimits.escalationDays)?.value,
                                  overdueItems: s.int("overdue_items", required: false, range: 1...InputLimits.escalationItems)?.value,
                                  unrectifiedDays: s.int("unrectified_days", required: false, range: 0...InputLimits.escalationDays)?.value)
            s.finish()
            if step == LadderStep() {
                diagnostics.error(s.location, "`escalation.\(key)` sets no condition",
                                  hint: "set at least one of days_overdue, overdue_items, unrectified_days")
            }
            return step
        }
        let b = basis(r)
        let note = r.string("note", required: false)?.value
        let remind = r.int("remind_before_days", range: 0...366)?.value ?? 7
        let letter = step("letter"), circular = step("circular"), referral = step("referral")
        var yellow = 10, red = 30
        if let bs = r.mapping("behind_schedule", what: "`escalation.behind_schedule`") {
            let y = bs.int("yellow_points", range: 0...100)
            let rd = bs.int("red_points", range: 0...100)
            bs.finish()
            if let y, let rd {
                yellow = y.value
                red = rd.value
                if rd.value < y.value {
                    diagnostics.error(rd.location, "`red_points` (\(rd.value)) is below `yellow_points` (\(y.value))",
                                      hint: "red marks a task further behind schedule than yellow")
                }
            }
        }
        r.finish()
        for (lower, higher, name) in [(letter, circular, "circular"), (circular, referral, "referral")] {
            if let a = lower.daysOverdue, let b = higher.daysOverdue, b < a {
                diagnostics.error(r.location, "`escalation.\(name).days_overdue` (\(b)) is below the step before it (\(a))",
                                  hint: "each step of the ladder needs at least as many days overdue as the one before")
            }
        }
        return EscalationRules(basis: b, note: note, remindBeforeDays: remind, letter: letter, circular: circular,
                               referral: referral, behindYellowPoints: yellow, behindRedPoints: red)
    }

    // MARK: units.yaml

    func readUnits(_ r: FlatMappingReader, into spec: inout PlanSpec) {
        for u in items(r, "units", what: { "unit #\($0)" }, nonEmpty: true) {
            let id = u.string("id").flatMap { checkedID($0, what: "unit id") }
            let name = u.string("name")
            var kind: UnitKind?
            if let k = u.string("kind") {
                kind = UnitKind(rawValue: k.value)
                if kind == nil {
                    let names = UnitKind.allCases.map(\.rawValue)
                    diagnostics.error(k.location, "unknown unit kind \"\(k.value)\"",
                                      hint: (Suggest.nearest(k.value, among: names).map { "did you mean `\($0)`? " } ?? "")
                                        + "kinds: " + names.joined(separator: ", "))
                }
            }
            let aliases = u.strings("aliases", required: false) ?? []
            var liaison: Liaison?
            if let l = u.mapping("liaison", what: "`liaison`", required: false) {
                if let n = l.string("name") { liaison = Liaison(name: n.value, phone: l.string("phone", required: false)?.value) }
                l.finish()
            }
            u.finish()
            if let id, let name, let kind {
                spec.units.append(UnitSpec(id: id, name: name, kind: kind, aliases: aliases, liaison: liaison))
            }
        }
        for g in items(r, "groups", what: { "group #\($0)" }, required: false) {
            let id = g.string("id").flatMap { checkedID($0, what: "group id") }
            let name = g.string("name")
            let aliases = g.strings("aliases", required: false) ?? []
            let b = basis(g)
            let members = g.strings("members")
            g.finish()
            if let id, let name, let members {
                spec.groups.append(GroupSpec(id: id, name: name, aliases: aliases, basis: b, members: members))
            }
        }
        r.finish()
    }

    // MARK: tasks.yaml

    func readTasks(_ r: FlatMappingReader) -> [TaskSpec] {
        var tasks: [TaskSpec] = []
        for t in items(r, "tasks", what: { "task #\($0)" }, nonEmpty: true) {
            let number = t.int("number", range: 1...999)
            let category = t.int("category", range: 1...99)
            let title = t.string("title")?.value
            let text = t.string("text")?.value
            let lead = t.strings("lead")
            let responsible = t.strings("responsible", required: false) ?? []
            var milestones: [MilestoneSpec] = []
            for m in items(t, "milestones", what: { "milestone #\($0) of task \(number.map { String($0.value) } ?? "?")" }) {
                if let spec = milestone(m, task: number?.value) { milestones.append(spec) }
            }
            t.finish()
            if let number {
                tasks.append(TaskSpec(location: t.location, number: number, category: category, title: title,
                                      text: text, lead: lead, responsible: responsible, milestones: milestones))
            }
        }
        r.finish()
        return tasks
    }

    func milestone(_ m: FlatMappingReader, task: Int?) -> MilestoneSpec? {
        let id = m.string("id").flatMap { checkedID($0, what: "milestone id") }
        let spec = MilestoneSpec(location: m.location, id: id ?? Located("", at: m.location),
                                 section: m.string("section", required: false)?.value,
                                 title: m.string("title")?.value,
                                 owners: m.strings("owners", required: false),
                                 due: due(m),
                                 source: m.string("source", required: false),
                                 note: m.string("note", required: false)?.value)
        m.finish()
        return id == nil ? nil : spec
    }

    func due(_ m: FlatMappingReader) -> Located<DueRule>? {
        guard let node = m.value("due") else {
            m.missing("due", "a date YYYY-MM-DD, `plan-end`, or a recurrence `{every: year}`")
            return nil
        }
        let loc = m.location(of: node)
        if let text = m.scalarText(node) {
            if text == "plan-end" { return Located(.planEnd, at: loc) }
            guard let d = m.date(node, what: "`due` of \(m.what)") else { return nil }
            return Located(.date(d.value), at: loc)
        }
        guard let r = m.reader(node, what: "the recurrence `due` of \(m.what)") else {
            return nil
        }
        let every = frequency(r, "every")
        var onMonth: Int?, onDay: Int?
        if let on = r.string("on", required: false) {
            let parts = on.value.split(separator: "-")
            if parts.count == 2, let mo = Int(parts[0]), let d = Int(parts[1]),
               (1...12).contains(mo), (1...LocalDate.daysIn(month: mo, year: 2024)).contains(d) {
                onMonth = mo
                onDay = d
                if let every, every != .year {
                    diagnostics.error(on.location, "`on` works only with `every: year`",
                                      hint: "for other periods use `after_days` (days after each period's end)")
                }
            } else {
                diagnostics.error(on.location, "`on` must be a day of the year MM-DD, found \"\(on.value)\"",
                                  hint: "quote it: on: \"01-31\"")
            }
        }
        let after = r.int("after_days", required: false, range: 0...366)?.value ?? 0
        let from = r.date("from", required: false)
        let until = r.date("until", required: false)
        r.finish()
        if let from, let until, until.value < from.value {
            diagnostics.error(until.location, "`until` (\(until.value)) is before `from` (\(from.value))")
        }
        guard let every else { return nil }
        return Located(.recurring(Recurrence(every: every, onMonth: onMonth, onDay: onDay, afterDays: after,
                                             from: from?.value, until: until?.value)), at: loc)
    }

    // MARK: Helpers

    /// Ids are ASCII so they can be typed on any keyboard and used in file names.
    func checkedID(_ id: Located<String>, what: String) -> Located<String>? {
        let ok = id.value.unicodeScalars.allSatisfy {
            ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || "-_.".unicodeScalars.contains($0)
        }
        guard ok else {
            diagnostics.error(id.location, "\(what) \"\(id.value)\" must be ASCII letters, digits, '-', '_' or '.'",
                              hint: "keep the Chinese name in `name`; ids are for typing")
            return nil
        }
        return id
    }
}
