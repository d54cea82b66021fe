import Foundation

/// Checks a `PlanSpec` as a whole (references, uniqueness, dates within the period, source
/// quotes) and resolves it into a `Plan`. Every problem is reported; the plan is returned only
/// when there is no error.
public struct PlanValidator {
    let diagnostics: DiagnosticCollector
    private var checkReferences = true

    public init(diagnostics: DiagnosticCollector) {
        self.diagnostics = diagnostics
    }

    public mutating func validate(_ spec: PlanSpec) -> Plan? {
        checkReferences = spec.unitsReadable
        guard let header = spec.header else { return nil }
        let units = resolveUnits(spec)
        var plan = Plan(id: header.id?.value ?? "", title: header.title ?? "", issuer: header.issuer ?? "",
                        issued: header.issued?.value ?? LocalDate(dayNumber: 0),
                        start: header.start?.value ?? LocalDate(dayNumber: 0),
                        end: header.end?.value ?? LocalDate(dayNumber: 0),
                        periodSource: header.periodSource?.value, coordinator: "",
                        ledgers: nil, escalation: header.escalation, calendar: nil,
                        categories: [], units: units.units, groups: units.groups, tasks: [], obligations: [],
                        letters: header.letters)
        let span = plan.end.dayNumber - plan.start.dayNumber
        let periodKnown = header.start != nil && header.end != nil && plan.start <= plan.end && span <= InputLimits.planDays
        if let start = header.start, let end = header.end, end.value < start.value {
            diagnostics.error(end.location, "the plan ends (\(end.value)) before it starts (\(start.value))")
        } else if let end = header.end, header.start != nil, span > InputLimits.planDays {
            // Every due date, period and reminder is counted over the plan's days: bounded here.
            diagnostics.error(end.location, "the plan runs \(InputFile.grouped(span + 1)) days; a plan runs at most \(InputFile.grouped(InputLimits.planDays + 1)) days (ten years)",
                              hint: "a three-year action plan runs about 1,100 days")
        }
        if let c = header.coordinator, let ref = reference(c, in: plan, what: "coordinator") {
            if ref.kind == .group {
                diagnostics.error(c.location, "the coordinator must be one unit, \"\(c.value)\" is a group")
            } else {
                plan.coordinator = ref.id
            }
        }
        plan.categories = categories(header.categories)
        let sourceText = loadSourceText(header, directory: spec.directory)
        if let file = header.calendar,
           let path = planFile(file, directory: spec.directory, what: "the calendar",
                               hint: "the path is relative to the plan folder, e.g. ../calendars/china-2023-2026.yaml") {
            plan.calendar = CalendarReader.read(path: path, diagnostics: diagnostics)
        }
        var milestoneIDs: [String: SourceLocation] = [:]

        if let l = header.ledgers, let every = l.every {
            if l.owedBy.isEmpty {
                diagnostics.error(l.location, "`ledgers.owed_by` names no unit", hint: "e.g. owed_by: [各县区人民政府]")
            }
            if let from = l.from, periodKnown {
                // `from` names the first period's start: it may lie before the plan's first day, within that day's period.
                let earliest = LedgerPeriods.earliestFrom(every: every, planStart: plan.start)
                if from.value < earliest || from.value > plan.end {
                    diagnostics.error(from.location, "`ledgers.from` (\(from.value)) is outside \(earliest) … \(plan.end)",
                                      hint: "the plan runs \(plan.start) … \(plan.end); its first \(every.rawValue) starts \(earliest), and a period that overlaps the plan is owed")
                }
            }
            plan.ledgers = LedgerSchedule(basis: l.basis, note: l.note, every: every, dueAfterDays: l.dueAfterDays,
                                          from: l.from?.value,
                                          owedBy: l.owedBy.compactMap { reference($0, in: plan, what: "`ledgers.owed_by`") },
                                          requiresLiaisonPhone: l.liaisonPhone?.value == "required" ? true : nil,
                                          review: l.review.flatMap { ReviewPolicy(rawValue: $0.value) }.flatMap { $0 == .required ? $0 : nil })
            if let review = l.review, ReviewPolicy(rawValue: review.value) == nil {
                diagnostics.error(review.location, "`ledgers.review` must be `required` or `none`, found \"\(review.value)\"",
                                  hint: "`required`: the coordinator accepts or returns every ledger (`duban ledger review`); `none` (the default): a ledger stands when it is received")
            }
            if let phone = l.liaisonPhone, !["required", "optional"].contains(phone.value) {
                diagnostics.error(phone.location, "`ledgers.liaison_phone` must be `required` or `optional`, found \"\(phone.value)\"",
                                  hint: "`required`: every ledger gives its liaison's telephone; `optional` (the default): it may leave it out")
            }
        }

        plan.obligations = header.obligations.compactMap {
            milestone($0, task: nil, defaultOwners: [], plan: plan, periodKnown: periodKnown,
                      sourceText: sourceText, ids: &milestoneIDs)
        }

        var numbers: [Int: SourceLocation] = [:]
        for t in spec.tasks {
            let n = t.number.value
            if let first = numbers[n] {
                diagnostics.error(t.number.location, "duplicate task number \(n)",
                                  hint: "task \(n) is already defined at \(first); give each task its own number")
                continue
            }
            numbers[n] = t.number.location
            if let c = t.category, plan.category(number: c.value) == nil {
                diagnostics.error(c.location, "task \(n) names category \(c.value), which plan.yaml does not define",
                                  hint: "categories: " + plan.categories.map { "\($0.number) \($0.title)" }.joined(separator: "; "))
            }
            let lead = (t.lead ?? []).compactMap { reference($0, in: plan, what: "`lead` of task \(n)") }
            if let l = t.lead, l.isEmpty {
                diagnostics.error(t.location, "task \(n) has no lead unit (牵头单位)",
                                  hint: "name at least one unit or group in `lead`")
            }
            let responsible = t.responsible.compactMap { reference($0, in: plan, what: "`responsible` of task \(n)") }
            if t.milestones.isEmpty {
                diagnostics.warning(t.location, "task \(n) has no milestone, so nothing of it can fall due",
                                    hint: "add one; where the text gives no date use `due: plan-end`")
            }
            let milestones = t.milestones.compactMap {
                milestone($0, task: n, defaultOwners: lead + responsible, plan: plan, periodKnown: periodKnown,
                          sourceText: sourceText, ids: &milestoneIDs)
            }
            plan.tasks.append(PlanTask(number: n, category: t.category?.value ?? 0, title: t.title ?? "",
                                       text: t.text ?? "", lead: lead, responsible: responsible, milestones: milestones))
        }
        plan.tasks.sort { $0.number < $1.number }
        for category in plan.categories where !diagnostics.hasErrors && !plan.tasks.contains(where: { $0.category == category.number }) {
            diagnostics.warning(header.location, "category \(category.number) (\(category.title)) holds no task")
        }
        return diagnostics.hasErrors ? nil : plan
    }

    // MARK: Units and groups

    func resolveUnits(_ spec: PlanSpec) -> (units: [PlanUnit], groups: [UnitGroup]) {
        var names: [String: SourceLocation] = [:]
        var ids: [String: SourceLocation] = [:]
        func claim(_ id: Located<String>) -> Bool {
            if let first = ids[id.value] {
                diagnostics.error(id.location, "duplicate id \"\(id.value)\"", hint: "already used at \(first)")
                return false
            }
            ids[id.value] = id.location
            return true
        }
        func claimName(_ name: Located<String>) {
            if let first = names[name.value] {
                diagnostics.error(name.location, "the name \"\(name.value)\" is used twice",
                                  hint: "already used at \(first); a name or alias must point at one unit or group")
            } else {
                names[name.value] = name.location
            }
        }
        var units: [PlanUnit] = []
        for u in spec.units where claim(u.id) {
            claimName(u.name)
            u.aliases.forEach(claimName)
            units.append(PlanUnit(id: u.id.value, name: u.name.value, kind: u.kind,
                              aliases: u.aliases.map(\.value), liaison: u.liaison))
        }
        var groups: [UnitGroup] = []
        for g in spec.groups where claim(g.id) {
            claimName(g.name)
            g.aliases.forEach(claimName)
            var members: [String] = []
            for m in g.members {
                if let unit = units.first(where: { $0.id == m.value || $0.name == m.value || $0.aliases.contains(m.value) }) {
                    if members.contains(unit.id) {
                        diagnostics.warning(m.location, "\"\(m.value)\" is listed twice in group \(g.name.value)")
                    } else {
                        members.append(unit.id)
                    }
                } else {
                    diagnostics.error(m.location, "group \(g.name.value) lists \"\(m.value)\", which is not a unit",
                                      hint: hint(for: m.value, units: units, groups: []))
                }
            }
            if g.members.isEmpty {
                diagnostics.error(g.id.location, "group \(g.name.value) has no member")
            }
            groups.append(UnitGroup(id: g.id.value, name: g.name.value, aliases: g.aliases.map(\.value),
                                    basis: g.basis, members: members))
        }
        return (units, groups)
    }

    func reference(_ name: Located<String>, in plan: Plan, what: String) -> UnitRef? {
        if let ref = plan.resolve(name.value) { return ref }
        guard checkReferences else { return nil }
        diagnostics.error(name.location, "unknown unit or group \"\(name.value)\" in \(what)",
                          hint: hint(for: name.value, units: plan.units, groups: plan.groups))
        return nil
    }

    func hint(for name: String, units: [PlanUnit], groups: [UnitGroup]) -> String {
        let candidates = units.flatMap { [$0.name, $0.id] + $0.aliases } + groups.flatMap { [$0.name, $0.id] + $0.aliases }
        if let near = Suggest.nearest(name, among: candidates) {
            return "did you mean \"\(near)\"? Units and groups are defined in units.yaml"
        }
        return "define it in units.yaml, or use a unit's id, name or alias"
    }

    // MARK: Categories and milestones

    func categories(_ specs: [CategorySpec]) -> [Category] {
        var out: [Category] = []
        for c in specs {
            if out.contains(where: { $0.number == c.number.value }) {
                diagnostics.error(c.number.location, "duplicate category number \(c.number.value)")
                continue
            }
            out.append(Category(number: c.number.value, numeral: c.numeral, title: c.title))
        }
        return out.sorted { $0.number < $1.number }
    }

    func loadSourceText(_ header: HeaderSpec, directory: String) -> String? {
        guard let file = header.text,
              let path = planFile(file, directory: directory, what: "the plan text",
                                  hint: "put the text next to plan.yaml, or remove `text:`") else { return nil }
        guard let bytes = InputFile.read(path, limit: InputLimits.planFileBytes, what: "the plan's text",
                                         sizeHint: "give the plan's text alone", into: diagnostics) else { return nil }
        return TextDecoding.utf8(Data(bytes), path: path, into: diagnostics)
    }

    /// The path to read for a file plan.yaml names, or nil after reporting (at the value in
    /// plan.yaml) a path outside the plan's folder and the folder holding it, a missing file or
    /// one that is not a regular file. Nothing outside is opened, so nothing of it is shown.
    func planFile(_ file: Located<String>, directory: String, what: String, hint: String) -> String? {
        switch PlanPaths.resolve(file.value, planDirectory: directory) {
        case .file(let real):
            // Read as written (findings then name the file as the plan does), or resolved if absolute.
            return file.value.hasPrefix("/") ? real : (directory as NSString).appendingPathComponent(file.value)
        case .outside:
            diagnostics.error(file.location, "\(what) \"\(file.value)\" is outside the plan's folder and the folder holding it: not read",
                              hint: PlanPaths.rule)
        case .missing:
            diagnostics.error(file.location, "\(what) \"\(file.value)\" cannot be read", hint: hint)
        case .notAFile:
            diagnostics.error(file.location, "\(what) \"\(file.value)\" is not a regular file", hint: hint)
        }
        return nil
    }

    func milestone(_ m: MilestoneSpec, task: Int?, defaultOwners: [UnitRef], plan: Plan, periodKnown: Bool,
                   sourceText: String?, ids: inout [String: SourceLocation]) -> Milestone? {
        let id = m.id.value
        if let first = ids[id] {
            diagnostics.error(m.id.location, "duplicate milestone id \"\(id)\"", hint: "already used at \(first)")
            return nil
        }
        ids[id] = m.id.location
        let owners: [UnitRef]
        if let written = m.owners {
            owners = written.compactMap { reference($0, in: plan, what: "`owners` of milestone \(id)") }
            if written.isEmpty {
                diagnostics.error(m.location, "milestone \(id) has an empty `owners` list",
                                  hint: "name who must deliver it, or remove `owners` to default to the task's units")
            }
        } else if task == nil {
            diagnostics.error(m.location, "obligation \(id) has no `owners`", hint: "name the units or groups that owe it")
            owners = []
        } else {
            owners = defaultOwners
        }
        if let source = m.source {
            if let text = sourceText, !text.contains(source.value) {
                diagnostics.error(source.location, "the `source` of milestone \(id) is not found verbatim in the plan text",
                                  hint: "quote the phrase exactly as the text writes it (punctuation included)")
            }
        } else {
            diagnostics.warning(m.location, "milestone \(id) has no `source` quoting the text that sets its deadline",
                                hint: "add `source:` with the phrase of the plan text")
        }
        var dates: [LocalDate] = []
        if let due = m.due, periodKnown {
            dates = due.value.dueDates(planStart: plan.start, planEnd: plan.end)
            if dates.isEmpty {
                diagnostics.error(due.location, "the recurrence of milestone \(id) yields no due date within the plan's period \(plan.start) … \(plan.end)")
            }
            for d in dates where !(plan.start...plan.end).contains(d) {
                diagnostics.error(due.location, "milestone \(id) falls due on \(d), outside the plan's period \(plan.start) … \(plan.end)",
                                  hint: "a due date must lie within the plan's `period`")
            }
        }
        guard let due = m.due else { return nil }
        return Milestone(id: id, task: task, section: m.section, title: m.title ?? "", owners: owners,
                         due: due.value, dueDates: dates, source: m.source?.value, note: m.note)
    }
}

/// Reads and validates a plan folder: the one entry point for `plan check` and `plan load`.
public enum PlanLoader {
    /// The plan, or nil when any error was found. Findings (errors and warnings) are in `diagnostics`.
    public static func load(directory: String, diagnostics: DiagnosticCollector) -> Plan? {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDir), isDir.boolValue else {
            diagnostics.error(SourceLocation(file: directory), "no plan folder here",
                              hint: "give the folder that holds plan.yaml, units.yaml and tasks.yaml")
            return nil
        }
        let spec = PlanFileReader(diagnostics: diagnostics).read(directory: directory)
        var validator = PlanValidator(diagnostics: diagnostics)
        return validator.validate(spec)
    }
}
