/// Checks a ledger as written against its plan: the unit exists and is not a group, the
/// period is one of the schedule's within the plan, every entry names a task (and milestone)
/// the unit owes, statuses, percents and dates are consistent, nothing is entered twice.
/// Every problem is reported; the ledger is returned only when there is none.
public struct LedgerValidator {
    let diagnostics: DiagnosticCollector
    /// What each unit owes, for the plan being validated against (computed when not given).
    let owed: OwedIndex?

    public init(diagnostics: DiagnosticCollector, owed: OwedIndex? = nil) {
        self.diagnostics = diagnostics
        self.owed = owed
    }

    public func validate(_ spec: LedgerFileSpec, plan: Plan) -> Ledger? {
        guard let owed, owed.planID == plan.id else {
            return LedgerValidator(diagnostics: diagnostics, owed: OwedIndex(plan)).validate(spec, plan: plan)
        }
        var check = Check(self, header: spec, plan: plan, owed: owed)
        for e in spec.entries { check.add(e) }
        return check.finish()
    }

    /// The checks of one ledger, entry by entry as they are read (`LedgerXLSXReader` gives them
    /// so, holding no more than a few hundred rows): the header's checks when made, each entry's
    /// when added, and the whole's (tasks not reported, the telephone) at `finish`. What it keeps
    /// is the checked entries, one slot per task and milestone of the plan, and the task numbers
    /// reported.
    struct Check {
        let validator: LedgerValidator
        /// The ledger's header (its `entries` are not read here).
        let header: LedgerFileSpec
        let plan: Plan
        let owed: OwedIndex
        let errorsBefore: Int
        let unit: (unit: PlanUnit, ref: UnitRef)?
        let period: ReportingPeriod?
        let owedByUnit: OwedIndex.Owed?
        var entries: [LedgerEntry] = []
        /// Where checked entries go instead of `entries`, when set (a workbook recorded as it is
        /// read: `WorkbookRecording`); `finish` then gives the ledger without them.
        var each: ((LedgerEntry) -> Void)?
        /// The line of the entry first seen for each task or milestone (by `OwedIndex` slot; an
        /// entry with a milestone is known by it, as its task is the milestone's).
        var seen: [Int]
        var reported = Set<Int>()
        var any = false

        /// Checks the header (`owed` must be `plan`'s).
        init(_ validator: LedgerValidator, header spec: LedgerFileSpec, plan: Plan, owed: OwedIndex) {
            let diagnostics = validator.diagnostics
            self.validator = validator
            self.header = spec
            self.plan = plan
            self.owed = owed
            errorsBefore = diagnostics.diagnostics.count
            if let p = spec.plan, p.value != plan.id {
                diagnostics.error(p.location, "the ledger is for plan \"\(p.value)\", not \"\(plan.id)\"",
                                  hint: "write `plan: \(plan.id)`")
            }
            let unit = spec.unit.flatMap { validator.resolveUnit($0, plan: plan) }
            let period = spec.period.flatMap { validator.resolvePeriod($0, plan: plan) }
            if let submitted = spec.submitted, let period, submitted.value < period.start {
                diagnostics.error(submitted.location,
                                  "submitted \(submitted.value) is before the period \(period) starts (\(period.start))",
                                  hint: "a ledger reports on a period that has begun: check the period and the date")
            }
            if let phone = spec.liaisonPhone, phone.value.filter(\.isASCII).filter(\.isNumber).count < 7
                || !phone.value.allSatisfy({ $0.isNumber || " -+()()转".contains($0) }) {
                diagnostics.error(phone.location, "\"\(phone.value)\" is not a telephone number",
                                  hint: "write it as 0936-1234567 or 13800000000")
            }
            self.unit = unit
            self.period = period
            owedByUnit = unit.map { owed.owed(by: $0.unit.id) }
            seen = [Int](repeating: -1, count: owed.slots)
            entries.reserveCapacity(spec.entries.count)
        }

        mutating func add(_ e: LedgerEntrySpec) {
            any = true
            if let task = e.taskValue { reported.insert(task) }
            var slot = -1
            guard let entry = validator.validate(e, unit: unit, owedByUnit: owedByUnit, submitted: header.submitted?.value,
                                                 format: header.format, plan: plan, owed: owed, slot: &slot) else { return }
            if seen.indices.contains(slot), seen[slot] >= 0 {
                let first = seen[slot]
                let taskText = entry.task.map { "task \($0)" } ?? "the plan"
                let what = entry.milestone.map { "milestone \($0) of \(taskText)" } ?? taskText
                validator.diagnostics.error(e.location, "a second entry for \(what) (the first is at line \(first))",
                                            hint: "keep one entry per task and milestone: merge the two")
                return
            }
            if seen.indices.contains(slot) { seen[slot] = e.location.line ?? 0 }
            if let each { each(entry) } else { entries.append(entry) }
        }

        /// The checks of the whole; the ledger, or nil when anything was wrong.
        func finish() -> Ledger? {
            let diagnostics = validator.diagnostics
            let spec = header
            if let unit, any {
                let owes = owedByUnit?.tasks ?? []
                let missing = plan.tasks.filter { owes.contains($0.number) && !reported.contains($0.number) }
                if !missing.isEmpty {
                    let numbers = missing.map { String($0.number) }.joined(separator: ", ")
                    let hint = "write one entry per task owed (未启动 when nothing was done); `duban ledger template --unit \(unit.unit.name)` lists them"
                    // Every task after the last one reported missing: the file reads as one cut off at
                    // a line break (the entries after it lost), so it is an error, not a warning.
                    if let last = reported.max(), missing.allSatisfy({ $0.number > last }) {
                        diagnostics.error(spec.location, "the entries stop after task \(last): no entry for task\(missing.count == 1 ? "" : "s") \(numbers), which \(unit.unit.name) owes; was the file cut off?",
                                          hint: hint)
                    } else {
                        diagnostics.warning(spec.location, "no entry for task\(missing.count == 1 ? "" : "s") \(numbers), which \(unit.unit.name) owes",
                                            hint: hint)
                    }
                }
            }
            if spec.liaisonPhone == nil, plan.ledgers?.requiresLiaisonPhone == true {
                diagnostics.error(spec.liaisonName?.location ?? spec.location, "the ledger gives no telephone for its liaison",
                                  hint: "plan \(plan.id) requires one (`ledgers.liaison_phone: required`): write it as 0936-1234567 or 13800000000")
            }
            guard !validator.errors(since: errorsBefore), var ledger = headerLedger else { return nil }
            // Entries added one by one (a workbook's) grew by doubling: the ledger, held until it is
            // written, gets them in an array of their size.
            ledger.entries = entries.capacity > entries.count + entries.count / 8 ? entries.withUnsafeBufferPointer { Array($0) } : entries
            return ledger
        }

        /// The ledger's header as checked so far, without entries (nil when the unit, the
        /// period, the liaison or the date is missing or wrong).
        var headerLedger: Ledger? {
            let spec = header
            guard let unit, let period, let name = spec.liaisonName, let submitted = spec.submitted else { return nil }
            return Ledger(planID: plan.id, unitID: unit.unit.id, period: period, liaison: Liaison(name: name.value, phone: spec.liaisonPhone?.value),
                          submitted: submitted.value, entries: [], sourceFile: spec.path, format: spec.format,
                          receivedAs: spec.receivedAs)
        }
    }

    /// Whether an error was reported after the `diagnostics.count` given (without filtering every
    /// finding of the collector, as `errors` does, once per entry).
    func errors(since mark: Int) -> Bool {
        let all = diagnostics.diagnostics
        return all.count > mark && all[mark...].contains { $0.severity == .error }
    }

    func resolveUnit(_ text: Located<String>, plan: Plan) -> (unit: PlanUnit, ref: UnitRef)? {
        guard let ref = plan.resolve(text.value) else {
            let names = plan.units.map(\.name) + plan.units.map(\.id)
            diagnostics.error(text.location, "unknown unit \"\(text.value)\" in plan \(plan.id)",
                              hint: (Suggest.nearest(text.value, among: names).map { "did you mean \"\($0)\"? " } ?? "") + "see `duban units`")
            return nil
        }
        guard ref.kind == .unit, let unit = plan.unit(id: ref.id) else {
            diagnostics.error(text.location, "\"\(text.value)\" is a group of units; each member submits its own ledger",
                              hint: "write one unit, e.g. \(plan.group(id: ref.id)?.members.first.flatMap { plan.unit(id: $0)?.name } ?? "甘州区")")
            return nil
        }
        return (unit, ref)
    }

    func resolvePeriod(_ text: Located<String>, plan: Plan) -> ReportingPeriod? {
        guard let schedule = plan.ledgers else {
            diagnostics.error(text.location, "plan \(plan.id) has no ledger schedule",
                              hint: "add `ledgers:` with `every:` to the plan's plan.yaml")
            return nil
        }
        let every = schedule.every
        guard let period = ReportingPeriod(label: text.value, frequency: every) else {
            let other = Frequency.allCases.first { ReportingPeriod(label: text.value, frequency: $0) != nil }
            let example = LedgerPeriods.owed(plan).first?.description ?? "2024-01"
            diagnostics.error(text.location,
                              other.map { "period \"\(text.value)\" is a \($0.rawValue), but this plan's ledgers are due \(every.label) (every \(every.rawValue))" }
                                ?? "period \"\(text.value)\" is not a \(every.rawValue) such as \(example)",
                              hint: "write the period as \(example); periods of this plan: \(LedgerPeriods.span(plan))")
            return nil
        }
        guard LedgerPeriods.isOwed(period, plan: plan) else {
            diagnostics.error(text.location, "period \(period) is outside the plan's ledger periods (\(LedgerPeriods.span(plan)))",
                              hint: "the plan runs \(plan.start) … \(plan.end)\(schedule.from.map { "; ledgers start \($0)" } ?? "")")
            return nil
        }
        return period
    }

    /// Every status exactly as `ProgressStatus(written:)` reads it when there is nothing to trim
    /// (its raw value or its label): one lookup instead of a trim and string comparisons.
    static let statusBySpelling: [String: ProgressStatus] = Dictionary(
        ProgressStatus.allCases.flatMap { [($0.rawValue, $0), ($0.label, $0)] }, uniquingKeysWith: { first, _ in first })

    func validate(_ e: LedgerEntrySpec, unit: (unit: PlanUnit, ref: UnitRef)?, submitted: LocalDate?, format: LedgerFormat,
                  plan: Plan, owed: OwedIndex) -> LedgerEntry? {
        var slot = -1
        return validate(e, unit: unit, owedByUnit: unit.map { owed.owed(by: $0.unit.id) }, submitted: submitted, format: format,
                        plan: plan, owed: owed, slot: &slot)
    }

    /// One entry; `slot` gets the `OwedIndex` slot of what it reports on (its milestone's, or
    /// its task's), to find a second entry for the same.
    func validate(_ e: borrowing LedgerEntrySpec, unit: (unit: PlanUnit, ref: UnitRef)?, owedByUnit: OwedIndex.Owed?, submitted: LocalDate?,
                  format: LedgerFormat, plan: Plan, owed: OwedIndex, slot: inout Int) -> LedgerEntry? {
        let before = diagnostics.diagnostics.count
        // The plan's task and milestone are looked up as numbers and ids; `PlanTask` and
        // `Milestone` only when a message needs them.
        var task: Int?
        var taskSlot = -1
        // Values are read without their positions (`LedgerEntrySpec` packs those): a position
        // is unpacked only for an error.
        if let n = e.taskValue {
            if let found = owed.slot(ofTask: n) {
                task = n
                taskSlot = found
                if let unit, let owedByUnit, !owedByUnit.owes(slot: found), let t = plan.task(number: n) {
                    diagnostics.error(e.task?.location ?? e.location, "\(unit.unit.name) does not owe task \(n) (\(t.title))",
                                      hint: "task \(n) is owed by 牵头 \(t.lead.map(\.written).joined(separator: "、"))"
                                          + (t.responsible.isEmpty ? "" : ";责任 \(t.responsible.map(\.written).joined(separator: "、"))")
                                          + "; remove the entry")
                }
            } else {
                diagnostics.error(e.task?.location ?? e.location, "unknown task \(n): plan \(plan.id) has tasks \(plan.tasks.first?.number ?? 1) … \(plan.tasks.last?.number ?? 0)",
                                  hint: "see `duban tasks`")
            }
        }
        var milestone: (id: String, task: Int?)?
        var milestoneSlot = -1
        if let m = e.milestoneValue {
            if let (found, milestoneTask) = owed.milestoneSlot(m) {
                milestone = (m, milestoneTask)
                milestoneSlot = found
                if let task, milestoneTask != task {
                    let ids = plan.task(number: task)?.milestones.map(\.id) ?? []
                    diagnostics.error(e.milestone?.location ?? e.location, "milestone \(m) belongs to \(milestoneTask.map { "task \($0)" } ?? "no task (a plan-wide obligation)"), not task \(task)",
                                      hint: "task \(task) has milestones \(ids.joined(separator: ", "))")
                } else if let unit, let owedByUnit, !owedByUnit.owes(slot: found), let info = owed.milestone(id: m, in: plan) {
                    diagnostics.error(e.milestone?.location ?? e.location, "\(unit.unit.name) does not owe milestone \(m) (\(info.title))",
                                      hint: "it is owed by \(info.owners.map(\.written).joined(separator: "、")); report on the task without `milestone`")
                }
            } else {
                let ids = task.flatMap { plan.task(number: $0) }?.milestones.map(\.id) ?? plan.milestones.map(\.id)
                diagnostics.error(e.milestone?.location ?? e.location, "unknown milestone \"\(m)\"",
                                  hint: (Suggest.nearest(m, among: ids).map { "did you mean \($0)? " } ?? "")
                                      + "milestones of this task: \(ids.joined(separator: ", "))")
            }
        }
        var status: ProgressStatus?
        if let s = e.statusValue {
            status = Self.statusBySpelling[s] ?? ProgressStatus(written: s)
            if status == nil {
                diagnostics.error(e.status?.location ?? e.location, "status \"\(s)\" is not one of 未启动, 推进中, 已完成",
                                  hint: (Suggest.nearest(s, among: ProgressStatus.spellings).map { "did you mean \($0)? " } ?? "")
                                      + "English keywords not_started, in_progress, done are accepted too")
            }
        }
        if let status, let p = e.percentValue {
            if status == .done && p != 100 {
                diagnostics.error(e.percent?.location ?? e.location, "percent \(p) with status 已完成", hint: "a finished item is 100%: write 100 or change the status to 推进中")
            } else if status == .notStarted && p != 0 {
                diagnostics.error(e.percent?.location ?? e.location, "percent \(p) with status 未启动", hint: "an item not started is 0%: change the status to 推进中")
            }
        }
        if let c = e.completedValue {
            if let status, status != .done {
                diagnostics.error(e.completed?.location ?? e.location, "a completion date with status \(status.label)",
                                  hint: "give `completed` only for 已完成 items, or change the status")
            }
            if let submitted, c > submitted {
                diagnostics.error(e.completed?.location ?? e.location, "completed \(c) is after the ledger was submitted (\(submitted))",
                                  hint: "a ledger can report only what was done by the day it was submitted")
            }
        } else if status == .done {
            diagnostics.error(e.status?.location ?? e.location, "status 已完成 without a completion date",
                              hint: format == .csv ? "fill in 完成日期 (YYYY-MM-DD)" : "add `completed: YYYY-MM-DD` to the entry")
        }
        // Without `task`, the milestone names the task (or is a plan-wide obligation, with none).
        guard !errors(since: before), task != nil || milestone != nil, let status, let progress = e.progressValue else { return nil }
        slot = milestone != nil ? milestoneSlot : taskSlot
        return LedgerEntry(task: task ?? milestone?.task, milestone: milestone?.id, status: status,
                           percent: e.percentValue ?? (status == .done ? 100 : status == .notStarted ? 0 : nil),
                           completed: e.completedValue, progress: progress,
                           problems: e.problemsValue ?? "", nextSteps: e.nextStepsValue ?? "",
                           figures: e.figureValues, evidence: e.evidenceValues, line: e.location.line)
    }
}
