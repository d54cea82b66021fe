/// The JSON shapes of `status`, `history` and `ledgers`. Field names are snake_case and stable.
public enum LedgerJSON {
    public struct StatusObject: Codable, Equatable, Sendable, JSONObject {
        public var unit: String
        public var unit_name: String
        public var task: Int
        public var task_title: String
        /// `not_started`, `in_progress`, `done`, or null when nothing was reported.
        public var status: String?
        public var status_label: String
        public var percent: Int?
        public var reported_on: String?
        public var completed_on: String?
        public var progress: String?
        public var source: String?
    }

    public struct HistoryObject: Codable, Equatable, Sendable, JSONObject {
        public var id: Int64
        public var unit: String
        public var unit_name: String
        public var task: Int?
        public var milestone: String?
        public var status: String
        public var percent: Int?
        public var completed_on: String?
        public var reported_on: String
        public var progress: String
        public var problems: String
        public var next_steps: String
        public var figures: [Figure]
        public var evidence: [String]
        public var origin: String
        public var source: String
        public var note: String?
        public var recorded_at: String
        public var superseded_by_submission: Int64?
        /// How the record's ledger came in: yaml, csv, xlsx or form; null for a command's record.
        public var received_as: String?
        /// The day the record's ledger was returned (退回), if it was.
        public var returned_on: String?
    }

    public struct LedgerCellObject: Codable, Equatable, Sendable, JSONObject {
        public var unit: String
        public var unit_name: String
        public var period: String
        public var due: String
        public var state: String
        public var state_label: String
        public var submitted_on: String?
        public var submission: Int64?
        /// How the current submission came in: yaml, csv, xlsx or form; null when none.
        public var received_as: String?
        /// `pending`, `accepted`, `returned`, or null when the plan does not review ledgers or nothing came in.
        public var review: String?
        public var review_label: String?
    }
}

/// Renderings of ledger results: what a submit did, the status matrix, history and the grid.
public enum LedgerReports {
    static func unitName(_ id: String, _ plan: Plan) -> String { plan.unit(id: id)?.name ?? id }

    /// The text `ledger submit` prints.
    public static func submitText(_ reports: [SubmissionReport], plan: Plan, dryRun: Bool) -> String {
        var out = ""
        for r in reports {
            let who = "\(unitName(r.unitID, plan)) \(r.period)"
            switch r.kind {
            case .unchanged(let id):
                out += "\(r.sourceFile): \(who): unchanged: identical to submission #\(id) already recorded; nothing written\n"
                continue
            case .new:
                out += "\(r.sourceFile): \(who): \(dryRun ? "would record" : "recorded") \(r.entries) entr\(r.entries == 1 ? "y" : "ies")"
            case .correction(let old):
                out += "\(r.sourceFile): \(who): \(dryRun ? "would record" : "recorded") \(r.entries) entr\(r.entries == 1 ? "y" : "ies") as a correction superseding submission #\(old) (kept in history)"
            }
            out += (r.submissionID.map { dryRun ? "\n" : " as submission #\($0)\n" } ?? "\n")
            if !r.newlyCompleted.isEmpty {
                out += "  milestones newly completed: \(r.newlyCompleted.joined(separator: ", "))\n"
            }
            if r.changes.isEmpty {
                out += "  no change from the previous period\n"
            } else {
                out += "  changes from the previous period:\n"
                for c in r.changes {
                    let what = (c.task.map { "task \($0)" } ?? "plan-wide") + (c.milestone.map { " milestone \($0)" } ?? "")
                    out += "    \(what): \(c.before?.description ?? "无记录") → \(c.after)\n"
                }
            }
        }
        let written = reports.filter { if case .unchanged = $0.kind { return false } else { return true } }
        if dryRun {
            out += "dry run: \(written.count) of \(reports.count) ledger\(reports.count == 1 ? "" : "s") would be recorded; nothing written\n"
        } else {
            out += "\(written.count) of \(reports.count) ledger\(reports.count == 1 ? "" : "s") recorded (one transaction)\n"
        }
        return out
    }

    /// A compact cell: ✓ done, the percent (or …) in progress, ○ not started, · no record.
    static func cell(_ record: ProgressRecord?) -> String {
        guard let r = record else { return "·" }
        switch r.status {
        case .done: return "✓"
        case .notStarted: return "○"
        case .inProgress: return r.percent.map { "\($0)%" } ?? "…"
        }
    }

    public static let legend = "✓ 已完成  NN% 推进中(完成比例)  … 推进中  ○ 未启动  · 无记录  空白 不承担"

    /// Units × tasks: one row per unit that owes something, one column per task.
    public static func statusMatrix(_ cells: [(unit: String, task: Int, record: ProgressRecord?)], plan: Plan) -> Table {
        var byUnit: [String: [Int: ProgressRecord?]] = [:]
        for c in cells { byUnit[c.unit, default: [:]][c.task] = .some(c.record) }
        let units = plan.units.filter { byUnit[$0.id] != nil }
        let columns = [Table.Column("单位")] + plan.tasks.map { Table.Column(String($0.number), .right, kind: .percent) }
        let rows = units.map { u -> [String] in
            [u.name] + plan.tasks.map { t in
                guard let entry = byUnit[u.id]?[t.number] else { return "" }
                return cell(entry)
            }
        }
        return Table(columns: columns, rows: rows)
    }

    /// One unit's tasks, a row each.
    public static func unitStatusTable(_ cells: [(unit: String, task: Int, record: ProgressRecord?)], plan: Plan) -> Table {
        Table(columns: [.init("任务", .right, kind: .number), .init("任务名称", maxWidth: 20), .init("状态"),
                        .init("完成比例", .right, kind: .percent), .init("截至", kind: .date), .init("进展情况", maxWidth: 36), .init("来源", maxWidth: 40)],
              rows: cells.map { c in
                  [String(c.task), plan.task(number: c.task)?.title ?? "", c.record?.status.label ?? "无记录",
                   c.record?.percent.map { "\($0)%" } ?? "", c.record?.reportedOn.description ?? "",
                   c.record?.progress ?? "", c.record?.sourceText ?? ""]
              })
    }

    public static func statusObjects(_ cells: [(unit: String, task: Int, record: ProgressRecord?)], plan: Plan) -> [LedgerJSON.StatusObject] {
        cells.map { c in
            LedgerJSON.StatusObject(unit: c.unit, unit_name: unitName(c.unit, plan), task: c.task,
                                    task_title: plan.task(number: c.task)?.title ?? "",
                                    status: c.record?.status.rawValue, status_label: c.record?.status.label ?? "无记录",
                                    percent: c.record?.percent, reported_on: c.record?.reportedOn.description,
                                    completed_on: c.record?.completedOn?.description, progress: c.record?.progress,
                                    source: c.record?.sourceText)
        }
    }

    /// `history` in `format`, written to `write` as the records are read: `records` hands them out
    /// (calling `each` once per record, newest first, and the same records each time it is
    /// called; `LedgerStore.history`). The terminal table goes over them twice, first to measure
    /// its columns; JSON, CSV and Markdown once. Nothing grows with the number of records.
    public static func writeHistory(_ format: OutputFormat, plan: Plan,
                                    records: (_ each: (ProgressRecord) throws -> Void) throws -> Void,
                                    to write: ([UInt8]) -> Void) throws {
        let form: Table.Form
        switch format {
        case .json:
            return try JSONOutput.stream(elements: { each in
                try withoutActuallyEscaping(each) { each in try records { each(historyObject($0, plan: plan)) } }
            }, to: write)
        case .table: form = .text
        case .csv: form = .csv
        case .markdown: form = .markdown
        }
        try Table.stream(columns: historyColumns, form: form, rows: { each in
            try withoutActuallyEscaping(each) { each in try records { try each(historyRow($0, plan: plan)) } }
        }, to: write)
    }

    static let historyColumns: [Table.Column] = [
        .init("#", .right), .init("录入时间"), .init("单位"), .init("任务", .right), .init("节点"),
        .init("状态"), .init("比例", .right), .init("截至"), .init("来源", maxWidth: 48), .init("备注", maxWidth: 30),
    ]

    static func historyRow(_ r: ProgressRecord, plan: Plan) -> [String] {
        [String(r.id), r.recordedAt, unitName(r.unitID, plan), r.task.map(String.init) ?? "—", r.milestone ?? "", r.status.label,
         r.percent.map { "\($0)%" } ?? "", r.reportedOn.description, r.sourceText,
         [r.returnedOn.map { "台账 \($0) 退回" }, r.supersededBy.map { "已被 #\($0) 更正" }, r.note].compactMap { $0 }.joined(separator: "; ")]
    }

    static func historyObject(_ r: ProgressRecord, plan: Plan) -> LedgerJSON.HistoryObject {
        LedgerJSON.HistoryObject(id: r.id, unit: r.unitID, unit_name: unitName(r.unitID, plan), task: r.task, milestone: r.milestone,
                                 status: r.status.rawValue, percent: r.percent, completed_on: r.completedOn?.description,
                                 reported_on: r.reportedOn.description, progress: r.progress, problems: r.problems,
                                 next_steps: r.nextSteps, figures: r.figures, evidence: r.evidence, origin: r.origin,
                                 source: r.sourceText, note: r.note, recorded_at: r.recordedAt,
                                 superseded_by_submission: r.supersededBy, received_as: r.receivedAs?.rawValue,
                                 returned_on: r.returnedOn?.description)
    }

    /// Units × periods: 已报 / 迟报 / 未报 / 待报 / 未到期.
    public static func ledgerGrid(_ cells: [LedgerCell], plan: Plan) -> Table {
        var periods: [ReportingPeriod] = []
        for c in cells where !periods.contains(c.period) { periods.append(c.period) }
        var units: [String] = []
        for c in cells where !units.contains(c.unitID) { units.append(c.unitID) }
        var byKey: [String: LedgerCell] = [:]
        for c in cells { byKey["\(c.unitID)|\(c.period)"] = c }
        return Table(columns: [.init("单位")] + periods.map { .init($0.description) },
                     rows: units.map { u in [unitName(u, plan)] + periods.map { byKey["\(u)|\($0)"]?.label ?? "" } })
    }

    /// One period: a row per unit with the dates.
    public static func ledgerPeriodTable(_ cells: [LedgerCell], plan: Plan) -> Table {
        Table(columns: [.init("单位"), .init("期间"), .init("应报日期", kind: .date), .init("状态"),
                        .init("报送日期", kind: .date), .init("报送记录", .right)],
              rows: cells.map { c in
                  [unitName(c.unitID, plan), c.period.description, c.due.description, c.label,
                   c.submittedOn?.description ?? "", c.submissionID.map { "#\($0)" } ?? ""]
              })
    }

    public static func ledgerObjects(_ cells: [LedgerCell], plan: Plan) -> [LedgerJSON.LedgerCellObject] {
        cells.map { c in
            LedgerJSON.LedgerCellObject(unit: c.unitID, unit_name: unitName(c.unitID, plan), period: c.period.description,
                                        due: c.due.description, state: c.state.rawValue, state_label: c.state.label,
                                        submitted_on: c.submittedOn?.description, submission: c.submissionID,
                                        received_as: c.receivedAs?.rawValue, review: c.review?.rawValue, review_label: c.review?.label)
        }
    }
}
