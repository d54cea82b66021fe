/// One progress update recorded by the coordinator outside a ledger (`duban progress record`),
/// e.g. a milestone confirmed by telephone.
public struct ProgressUpdate: Equatable, Sendable {
    public var planID: String
    public var unitID: String
    /// The task; nil for a plan-wide obligation, which `milestone` then names.
    public var task: Int?
    public var milestone: String?
    public var status: ProgressStatus
    public var percent: Int?
    /// The day the status holds on (and, for 已完成, the completion date).
    public var date: LocalDate
    public var note: String?
    /// For a done record of a recurring milestone: the earlier occurrence it catches up on (2024-Q1).
    public var occurrence: String?
    /// How it was recorded, for history: the command line.
    public var source: String

    public init(planID: String, unitID: String, task: Int?, milestone: String? = nil, status: ProgressStatus,
                percent: Int? = nil, date: LocalDate, note: String? = nil, occurrence: String? = nil, source: String) {
        self.planID = planID
        self.occurrence = occurrence
        self.unitID = unitID
        self.task = task
        self.milestone = milestone
        self.status = status
        self.percent = percent
        self.date = date
        self.note = note
        self.source = source
    }

    /// What is wrong with the update for `plan`, as messages with hints (empty when it is fine).
    /// The same rules as for a ledger entry: the unit owes the task and milestone, the percent
    /// fits the status, the date lies within the plan.
    public func problems(in plan: Plan) -> [(message: String, hint: String)] {
        var out: [(String, String)] = []
        guard let unit = plan.unit(id: unitID) else {
            return [("unknown unit \"\(unitID)\"", "see `duban units`")]
        }
        guard let task else {
            // A plan-wide obligation: the milestone names it and the unit must owe it.
            guard let milestone, let m = plan.obligations.first(where: { $0.id == milestone }) else {
                return [("name a task, or a plan-wide obligation with --milestone",
                         "obligations: " + plan.obligations.map(\.id).joined(separator: ", "))]
            }
            if !Owing.owes(unit.id, m, in: plan) {
                out.append(("\(unit.name) does not owe \(milestone)", "it is owed by \(m.owners.map(\.written).joined(separator: "、"))"))
            }
            return out + commonProblems(in: plan)
        }
        let ref = UnitRef(written: unit.name, kind: .unit, id: unit.id)
        guard let t = plan.task(number: task) else {
            return [("no task \(task) in plan \(plan.id)", "tasks are numbered \(plan.tasks.first?.number ?? 1) … \(plan.tasks.last?.number ?? 0)")]
        }
        if !TaskQuery.owes(ref, t, in: plan) {
            out.append(("\(unit.name) does not owe task \(task) (\(t.title))", "see `duban tasks --unit \(unit.name)`"))
        }
        if let milestone {
            if let m = plan.milestones.first(where: { $0.id == milestone }) {
                if m.task != task {
                    out.append(("milestone \(milestone) belongs to \(m.task.map { "task \($0)" } ?? "no task"), not task \(task)",
                                "task \(task) has milestones \(t.milestones.map(\.id).joined(separator: ", "))"))
                } else if !Owing.owes(unit.id, m, in: plan) {
                    out.append(("\(unit.name) does not owe milestone \(milestone)", "it is owed by \(m.owners.map(\.written).joined(separator: "、"))"))
                }
            } else {
                out.append(("unknown milestone \"\(milestone)\"", "task \(task) has milestones \(t.milestones.map(\.id).joined(separator: ", "))"))
            }
        }
        return out + commonProblems(in: plan)
    }

    func commonProblems(in plan: Plan) -> [(message: String, hint: String)] {
        var out: [(String, String)] = occurrenceProblems(in: plan)
        if let percent {
            if status == .done && percent != 100 { out.append(("percent \(percent) with status 已完成", "a finished item is 100%")) }
            if status == .notStarted && percent != 0 { out.append(("percent \(percent) with status 未启动", "use 推进中 (in_progress)")) }
        }
        if date < plan.start.adding(days: -366) || date > plan.end {
            out.append(("date \(date) is outside the plan (\(plan.start) … \(plan.end))", "give the day the status was confirmed"))
        }
        return out
    }

    /// `--occurrence` names an occurrence of the milestone (a recurring one), for a done record,
    /// whose period has begun by `date`.
    func occurrenceProblems(in plan: Plan) -> [(message: String, hint: String)] {
        guard let occurrence else { return [] }
        guard let id = milestone, let m = plan.milestones.first(where: { $0.id == id }) else {
            return [("--occurrence needs --milestone", "name the recurring milestone whose occurrence is caught up on")]
        }
        let occurrences = Occurrences(m)
        let labels = occurrences.list.compactMap { $0.period?.description }
        guard !labels.isEmpty else {
            return [("milestone \(id) is not recurring: it has one occurrence", "leave out --occurrence")]
        }
        guard let period = occurrences.period(labelled: occurrence) else {
            return [("\"\(occurrence)\" is not an occurrence of milestone \(id)", "occurrences: " + labels.joined(separator: ", "))]
        }
        var out: [(String, String)] = []
        if status != .done { out.append(("--occurrence is for a done record (已完成)", "catching up an earlier occurrence means it is done")) }
        if period.start > date { out.append(("occurrence \(period) begins after --date \(date)", "a catch-up is recorded on or after its period begins")) }
        return out
    }
}
