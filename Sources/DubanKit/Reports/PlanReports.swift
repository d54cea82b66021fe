/// The JSON shapes of `tasks`, `task N`, `units` and `plan show`. Field names are snake_case
/// and stable: the README documents them.
public enum PlanJSON {
    public struct UnitName: Codable, Equatable, Sendable, JSONObject {
        public var id: String
        public var name: String
    }

    public struct MilestoneObject: Codable, Equatable, Sendable, JSONObject {
        public var id: String
        public var task: Int?
        public var section: String?
        public var title: String
        public var owners: [String]
        public var owner_units: [UnitName]
        public var due: String
        public var due_dates: [String]
        public var source: String?
        public var note: String?
    }

    public struct TaskObject: Codable, Equatable, Sendable, JSONObject {
        public var number: Int
        public var category: Int
        public var category_title: String
        public var title: String
        public var text: String
        public var lead: [String]
        public var responsible: [String]
        public var lead_units: [UnitName]
        public var responsible_units: [UnitName]
        public var milestones: [MilestoneObject]
    }

    public struct UnitObject: Codable, Equatable, Sendable, JSONObject {
        public var id: String
        public var name: String
        public var kind: String
        public var kind_label: String
        public var aliases: [String]
        public var groups: [String]
        public var liaison: String?
        public var phone: String?
    }

    public struct GroupObject: Codable, Equatable, Sendable, JSONObject {
        public var id: String
        public var name: String
        public var aliases: [String]
        public var basis: String
        public var members: [UnitName]
    }

    public struct UnitsObject: Codable, Equatable, Sendable, JSONObject {
        public var units: [UnitObject]
        public var groups: [GroupObject]
    }

    public struct PlanObject: Codable, Equatable, Sendable, JSONObject {
        public var id: String
        public var title: String
        public var issuer: String
        public var issued: String
        public var start: String
        public var end: String
        public var coordinator: UnitName
        public var version: Int
        public var loaded_at: String
        public var fingerprint: String
        public var categories: Int
        public var tasks: Int
        public var units: Int
        public var groups: Int
        public var milestones: Int
        public var due_dates: Int
        public var ledger_schedule: String?
    }

    static func names(_ units: [PlanUnit]) -> [UnitName] { units.map { UnitName(id: $0.id, name: $0.name) } }

    public static func milestone(_ m: Milestone, in plan: Plan) -> MilestoneObject {
        MilestoneObject(id: m.id, task: m.task, section: m.section, title: m.title, owners: m.owners.map(\.written),
                        owner_units: names(Owing.units(owing: m, in: plan)), due: m.due.label,
                        due_dates: m.dueDates.map(\.description), source: m.source, note: m.note)
    }

    public static func task(_ t: PlanTask, in plan: Plan) -> TaskObject {
        TaskObject(number: t.number, category: t.category, category_title: plan.category(number: t.category)?.title ?? "",
                   title: t.title, text: t.text, lead: t.lead.map(\.written), responsible: t.responsible.map(\.written),
                   lead_units: names(plan.expand(t.lead)), responsible_units: names(plan.expand(t.responsible)),
                   milestones: t.milestones.map { milestone($0, in: plan) })
    }

    public static func units(_ plan: Plan) -> UnitsObject {
        UnitsObject(
            units: plan.units.map { u in
                UnitObject(id: u.id, name: u.name, kind: u.kind.rawValue, kind_label: u.kind.label, aliases: u.aliases,
                           groups: plan.groups.filter { $0.members.contains(u.id) }.map(\.name),
                           liaison: u.liaison?.name, phone: u.liaison?.phone)
            },
            groups: plan.groups.map { g in
                GroupObject(id: g.id, name: g.name, aliases: g.aliases, basis: g.basis.rawValue,
                            members: g.members.compactMap { plan.unit(id: $0) }.map { UnitName(id: $0.id, name: $0.name) })
            })
    }

    public static func summary(_ stored: StoredPlan) -> PlanObject {
        let p = stored.plan
        let coordinator = p.unit(id: p.coordinator)
        return PlanObject(id: p.id, title: p.title, issuer: p.issuer, issued: p.issued.description,
                          start: p.start.description, end: p.end.description,
                          coordinator: UnitName(id: p.coordinator, name: coordinator?.name ?? p.coordinator),
                          version: stored.version, loaded_at: stored.loadedAt, fingerprint: stored.fingerprint,
                          categories: p.categories.count, tasks: p.tasks.count, units: p.units.count, groups: p.groups.count,
                          milestones: p.milestones.count, due_dates: p.milestones.reduce(0) { $0 + $1.dueDates.count },
                          ledger_schedule: p.ledgers.map { ledgerLabel($0) })
    }

    public static func ledgerLabel(_ l: LedgerSchedule) -> String {
        "\(l.every.label),期末后\(l.dueAfterDays)日内报送(\(l.basis == .local ? "本地设置" : "方案原文"))"
    }
}

/// Human-readable renderings of the plan listings.
public enum PlanReports {
    public static func tasksTable(_ tasks: [PlanTask], in plan: Plan) -> Table {
        Table(columns: [.init("序号", .right, kind: .number), .init("类别"), .init("任务", maxWidth: 24), .init("牵头单位", maxWidth: 30),
                        .init("责任单位", maxWidth: 24), .init("节点", .right, kind: .number), .init("期限")],
              rows: tasks.map { t in
                  let dates = t.milestones.flatMap(\.dueDates).sorted()
                  let span = dates.isEmpty ? "" : dates.first == dates.last ? "\(dates[0])" : "\(dates[0]) … \(dates[dates.count - 1])"
                  return [String(t.number), plan.category(number: t.category)?.numeral ?? String(t.category), t.title,
                          t.lead.map(\.written).joined(separator: "、"), t.responsible.map(\.written).joined(separator: "、"),
                          String(t.milestones.count), span]
              })
    }

    /// The full view of one task, for a terminal.
    public static func taskText(_ t: PlanTask, in plan: Plan) -> String {
        let category = plan.category(number: t.category)
        var out = "任务 \(t.number)  \(t.title)\n"
        out += "类别: (\(category?.numeral ?? "?"))\(category?.title ?? "")\n\n"
        out += wrap(t.text, width: 72, indent: "  ") + "\n\n"
        func units(_ refs: [UnitRef]) -> String {
            let written = refs.map(\.written).joined(separator: "、")
            let expanded = plan.expand(refs)
            if refs.allSatisfy({ $0.kind == .unit }) { return written.isEmpty ? "(无)" : written }
            let list = wrap(expanded.map(\.name).joined(separator: "、"), width: 62, indent: "            ")
            return "\(written)\n          → " + list.dropFirst(12)
        }
        out += "牵头单位: \(units(t.lead))\n"
        out += "责任单位: \(units(t.responsible))\n\n"
        out += "完成节点 (\(t.milestones.count)):\n"
        for m in t.milestones { out += milestoneText(m, in: plan) }
        return out
    }

    public static func milestoneText(_ m: Milestone, in plan: Plan) -> String {
        var out = "  [\(m.id)] \(m.title)\n"
        out += "      期限: \(m.due.label)"
        if case .date = m.due {} else { out += " → " + m.dueDates.map(\.description).joined(separator: ", ") }
        out += "\n      责任: \(m.owners.map(\.written).joined(separator: "、")) (\(Owing.units(owing: m, in: plan).count) 个单位)\n"
        if let s = m.source { out += "      依据: “\(s)”\n" }
        if let n = m.note { out += "      说明: \(n)\n" }
        return out
    }

    public static func taskMarkdown(_ t: PlanTask, in plan: Plan) -> String {
        let category = plan.category(number: t.category)
        let e = MarkdownEscape.text
        var out = "## 任务 \(t.number) \(e(t.title))\n\n"
        out += "- 类别: (\(e(category?.numeral ?? "?")))\(e(category?.title ?? ""))\n"
        out += "- 牵头单位: \(e(t.lead.map(\.written).joined(separator: "、"))) (\(e(plan.expand(t.lead).map(\.name).joined(separator: "、"))))\n"
        out += "- 责任单位: \(e(t.responsible.map(\.written).joined(separator: "、"))) (\(e(plan.expand(t.responsible).map(\.name).joined(separator: "、"))))\n\n"
        out += "> \(e(t.text))\n\n"
        out += milestonesTable(t.milestones, in: plan).renderMarkdown()
        return out
    }

    public static func milestonesTable(_ milestones: [Milestone], in plan: Plan) -> Table {
        Table(columns: [.init("节点"), .init("内容", maxWidth: 30), .init("责任单位", maxWidth: 24), .init("期限"),
                        .init("到期日"), .init("依据", maxWidth: 30)],
              rows: milestones.map { m in
                  [m.id, m.title, m.owners.map(\.written).joined(separator: "、"), m.due.label,
                   m.dueDates.map(\.description).joined(separator: " "), m.source ?? ""]
              })
    }

    public static func unitsTable(_ plan: Plan) -> Table {
        Table(columns: [.init("编号"), .init("名称"), .init("类别"), .init("所属分组"), .init("联络员")],
              rows: plan.units.map { u in
                  [u.id, u.name, u.kind.label, plan.groups.filter { $0.members.contains(u.id) }.map(\.name).joined(separator: "、"),
                   [u.liaison?.name, u.liaison?.phone].compactMap { $0 }.joined(separator: " ")]
              })
    }

    public static func groupsTable(_ plan: Plan) -> Table {
        Table(columns: [.init("分组编号"), .init("分组"), .init("依据"), .init("成员")],
              rows: plan.groups.map { g in
                  [g.id, g.name, g.basis == .text ? "方案原文" : "本地设置",
                   g.members.compactMap { plan.unit(id: $0)?.name }.joined(separator: "、")]
              })
    }

    public static func planText(_ stored: StoredPlan) -> String {
        let s = PlanJSON.summary(stored)
        var out = "\(s.title)\n"
        out += "编号      \(s.id)\n"
        out += "发文单位  \(s.issuer)(\(s.issued))\n"
        out += "实施期限  \(s.start) 至 \(s.end)\n"
        out += "牵头抓总  \(s.coordinator.name)\n"
        if let l = s.ledger_schedule { out += "台账报送  \(l)\n" }
        out += "版本      第 \(s.version) 版,载入于 \(s.loaded_at)(指纹 \(s.fingerprint))\n\n"
        out += Table(columns: [.init("项目"), .init("数量", .right)],
                     rows: [["类别", String(s.categories)], ["任务", String(s.tasks)], ["单位", String(s.units)],
                            ["分组", String(s.groups)], ["完成节点", String(s.milestones)], ["到期日(全部)", String(s.due_dates)]])
            .renderText()
        return out
    }

    /// Wraps text at `width` display columns (CJK-aware), each line indented.
    public static func wrap(_ text: String, width: Int, indent: String) -> String {
        var lines: [String] = []
        var current = ""
        var used = 0
        // Closing punctuation never starts a line (禁则): it may overhang the width instead.
        let noLineStart: Set<Character> = ["、", ",", "。", ";", ":", ")", "」", "”", "》", "!", "?", ",", ";", ":", ")"]
        for ch in text {
            let w = DisplayWidth.of(String(ch))
            if used + w > width && !noLineStart.contains(ch) {
                lines.append(indent + current)
                current = ""
                used = 0
            }
            current.append(ch)
            used += w
        }
        if !current.isEmpty { lines.append(indent + current) }
        return lines.joined(separator: "\n")
    }
}
