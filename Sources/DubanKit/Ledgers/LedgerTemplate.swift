/// A ready-to-fill ledger for one unit and period: every task the unit owes (through its
/// groups) and nothing else, the milestones falling due around the period, the previous
/// period's status and text prefilled, and Chinese comments explaining each field.
public struct LedgerTemplate {
    public var plan: Plan
    public var unit: PlanUnit
    public var period: ReportingPeriod
    /// The latest records before the period, task-level (key: task number) and per milestone.
    public var previousTasks: [Int: ProgressRecord]
    public var previousMilestones: [String: ProgressRecord]
    public var liaison: Liaison?
    /// The date written in `submitted` (the liaison changes it).
    public var submitted: LocalDate

    public init(plan: Plan, unit: PlanUnit, period: ReportingPeriod, previousTasks: [Int: ProgressRecord] = [:],
                previousMilestones: [String: ProgressRecord] = [:], liaison: Liaison? = nil, submitted: LocalDate) {
        self.plan = plan
        self.unit = unit
        self.period = period
        self.previousTasks = previousTasks
        self.previousMilestones = previousMilestones
        self.liaison = liaison
        self.submitted = submitted
    }

    /// The tasks the unit owes, in plan order.
    public var tasks: [PlanTask] {
        let ref = UnitRef(written: unit.name, kind: .unit, id: unit.id)
        return plan.tasks.filter { TaskQuery.owes(ref, $0, in: plan) }
    }

    /// Milestones of `task` the unit owes that fall due in this period or the next three months,
    /// or fell due earlier and are not reported done; with the due date that makes them appear.
    public func milestones(of task: PlanTask) -> [(Milestone, LocalDate)] {
        let horizon = period.end.adding(days: 92)
        return task.milestones.compactMap { m in
            guard Owing.owes(unit.id, m, in: plan),
                  previousMilestones[m.id]?.status != .done else { return nil }
            if let due = m.dueDates.first(where: { $0 >= period.start && $0 <= horizon }) { return (m, due) }
            if let overdue = m.dueDates.last(where: { $0 < period.start }) { return (m, overdue) }
            return nil
        }
    }

    static func quoted(_ s: String) -> String {
        var out = "\""
        for ch in s.unicodeScalars {
            switch ch {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out + "\""
    }

    /// A YAML value: a block scalar for multi-line text, else a double-quoted string.
    static func yamlText(_ s: String, indent: String) -> String {
        guard s.contains("\n") else { return quoted(s) }
        return "|-\n" + s.split(separator: "\n", omittingEmptySubsequences: false).map { indent + "  " + $0 }.joined(separator: "\n")
    }

    var due: LocalDate { period.end.adding(days: plan.ledgers?.dueAfterDays ?? 0) }

    /// The template as a YAML ledger.
    public func yaml() -> String {
        var out = """
        # \(plan.title)
        # 工作台账(\(unit.name),\(period),应于 \(due) 前报送)
        # 由 `duban ledger template` 生成。填写后用 `duban ledger submit 文件名` 报送。
        # 填写说明:
        #   status     状态:未启动 / 推进中 / 已完成(也可写 not_started / in_progress / done)
        #   percent    完成比例:0–100 的整数;已完成为 100,未启动为 0
        #   completed  完成日期:状态为“已完成”时必填,格式 YYYY-MM-DD,不得晚于报送日期
        #   progress   进展情况(必填);problems 存在问题;next_steps 下步打算
        #   figures    数据指标:名称、数值、单位,如 案卷评查比例 12 %、培训学时 60 学时
        #   evidence   佐证材料:文号、文件名或链接,一行一项
        #   milestone  完成节点编号:只在报告某一节点时填写;不填表示整项任务
        # 每项任务一条,不要重复;只填写本单位承担的任务。
        version: 1
        plan: \(plan.id)
        unit: \(unit.name)
        period: "\(period)"          # 报送期间(\(plan.ledgers?.every.label ?? "")报送)
        liaison:                     # 联络员
          name: \(Self.quoted(liaison?.name ?? ""))             # 姓名
          phone: \(Self.quoted(liaison?.phone ?? ""))            # 联系电话\(plan.ledgers?.requiresLiaisonPhone == true ? "" : "(选填)")
        submitted: \(submitted)       # 报送日期 YYYY-MM-DD
        entries:

        """
        for p in prefills {
            if let m = p.milestone, let dueDate = p.due {
                out += "  # 节点 \(m.id) \(m.title)(到期 \(dueDate)\(dueDate < period.start ? ",已逾期" : ""))\n"
            } else {
                out += "  # 任务\(p.task.number) \(p.task.title)\n"
            }
            out += entry(task: p.task.number, milestone: p.milestone?.id, previous: p.previous)
        }
        return out
    }

    /// One entry of the template: an owed task, or a milestone of it falling due, with what the
    /// last period reported (the starting point every form of the template shows).
    public struct Prefill: Sendable {
        public var task: PlanTask
        public var milestone: Milestone?
        /// The milestone's due date that puts it in the template.
        public var due: LocalDate?
        public var previous: ProgressRecord?

        public var status: ProgressStatus { previous?.status ?? .notStarted }
        public var percent: Int { previous?.percent ?? 0 }
        /// The last completion date, for an item already done.
        public var completed: LocalDate? { status == .done ? previous?.completedOn : nil }
        public var progress: String { previous?.progress ?? "" }
        public var problems: String { previous?.problems ?? "" }
        public var nextSteps: String { previous?.nextSteps ?? "" }
        public var figures: [Figure] { previous?.figures ?? [] }
        public var evidence: [String] { previous?.evidence ?? [] }
    }

    /// Every entry of the template, in order: each owed task, then its milestones falling due.
    public var prefills: [Prefill] {
        tasks.flatMap { task in
            [Prefill(task: task, previous: previousTasks[task.number])]
                + milestones(of: task).map { Prefill(task: task, milestone: $0.0, due: $0.1, previous: previousMilestones[$0.0.id]) }
        }
    }

    func entry(task: Int, milestone: String?, previous: ProgressRecord?) -> String {
        let indent = "    "
        var out = "  - task: \(task)\n"
        if let milestone { out += "\(indent)milestone: \(Self.quoted(milestone))\n" }
        let status = previous?.status ?? .notStarted
        let prior = previous.map { "上期(截至 \($0.reportedOn)):\($0.state)" } ?? "上期无记录"
        out += "\(indent)status: \(status.label)   # \(prior)\n"
        out += "\(indent)percent: \(previous?.percent ?? 0)\n"
        if status == .done { out += "\(indent)completed: \(previous?.completedOn?.description ?? submitted.description)\n" }
        out += "\(indent)progress: \(Self.yamlText(previous?.progress ?? "", indent: indent))\n"
        out += "\(indent)problems: \(Self.yamlText(previous?.problems ?? "", indent: indent))\n"
        out += "\(indent)next_steps: \(Self.yamlText(previous?.nextSteps ?? "", indent: indent))\n"
        if let figures = previous?.figures, !figures.isEmpty {
            out += "\(indent)figures:\n"
            for f in figures {
                out += "\(indent)  - {name: \(Self.quoted(f.name)), value: \(f.numberText), unit: \(Self.quoted(f.unit ?? ""))}\n"
            }
        } else {
            out += "\(indent)figures: []       # 例:- {name: 培训学时, value: 60, unit: 学时}\n"
        }
        if let evidence = previous?.evidence, !evidence.isEmpty {
            out += "\(indent)evidence:\n" + evidence.map { "\(indent)  - \(Self.quoted($0))\n" }.joined()
        } else {
            out += "\(indent)evidence: []      # 例:- 文号(如 ××发〔\(period.year)〕1号)、文件名或链接\n"
        }
        return out
    }

    /// The title and instruction lines above a spreadsheet template.
    var spreadsheetTitle: String { "\(plan.title) 工作台账(\(unit.name),\(period),应于 \(due) 前报送)" }
    static let spreadsheetInstructions = "填写说明:状态填 未启动/推进中/已完成;完成比例填0–100;已完成须填完成日期(YYYY-MM-DD);数据指标写 名称=数值单位,多项用;分隔;佐证材料多项用;分隔"

    /// The `key,value` rows of a spreadsheet template (方案, 单位, …), in order.
    var spreadsheetHeaderFields: [(key: String, value: String)] {
        [("方案", plan.id), ("单位", unit.name), ("期间", period.description),
         ("联络员", liaison?.name ?? ""), ("联系电话", liaison?.phone ?? ""), ("报送日期", submitted.description)]
    }

    /// The table's columns, as `LedgerCSVReader` reads them.
    public static let spreadsheetColumns = ["序号", "任务", "任务名称", "节点", "节点名称", "到期日", "上期状态", "状态", "完成比例",
                                            "完成日期", "进展情况", "存在问题", "下步打算", "数据指标", "佐证材料"]

    /// One row of the spreadsheet table: an owed task or milestone, prefilled from the last period.
    struct SpreadsheetRow {
        var number: Int, task: PlanTask, milestone: Milestone?, due: LocalDate?, previous: String
        var status: ProgressStatus, percent: Int, completed: LocalDate?
        var progress: String, problems: String, nextSteps: String, figures: String, evidence: String
    }

    /// The rows of the CSV and xlsx templates: each owed task, then its milestones falling due.
    var spreadsheetRows: [SpreadsheetRow] {
        prefills.enumerated().map { i, p in
            SpreadsheetRow(
                number: i + 1, task: p.task, milestone: p.milestone, due: p.due,
                previous: p.previous.map { $0.state.description } ?? "无记录", status: p.status, percent: p.percent,
                completed: p.completed, progress: p.progress, problems: p.problems, nextSteps: p.nextSteps,
                figures: Self.figuresText(p.figures), evidence: p.evidence.joined(separator: ";"))
        }
    }

    /// Figures as a spreadsheet cell (and the portal's form) writes them: `名称=数值单位`, `;` between.
    public static func figuresText(_ figures: [Figure]) -> String {
        figures.map { "\($0.name)=\($0.valueText)" }.joined(separator: ";")
    }

    /// The template as a spreadsheet ledger (UTF-8 CSV with BOM, so Excel shows Chinese).
    public func csv() -> String {
        var rows: [[String]] = [[spreadsheetTitle], [Self.spreadsheetInstructions]]
        rows += spreadsheetHeaderFields.map { [$0.key, $0.value] }
        rows += [[], Self.spreadsheetColumns]
        for r in spreadsheetRows {
            rows.append([String(r.number), String(r.task.number), r.task.title, r.milestone?.id ?? "", r.milestone?.title ?? "",
                         r.due?.description ?? "", r.previous, r.status.label, String(r.percent), r.completed?.description ?? "",
                         r.progress, r.problems, r.nextSteps, r.figures, r.evidence])
        }
        return "\u{FEFF}" + rows.map { $0.map(CSV.field).joined(separator: ",") + "\r\n" }.joined()
    }
}

extension Plan {
    /// The tasks unit `unitID` owes (named, or through a group), in plan order.
    public func tasksOwed(by unitID: String) -> [PlanTask] {
        let ref = UnitRef(written: unitID, kind: .unit, id: unitID)
        return tasks.filter { TaskQuery.owes(ref, $0, in: self) }
    }
}
