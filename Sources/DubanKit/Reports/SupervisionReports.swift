/// The JSON items of `overdue`, `notify` and `escalate`; snake_case keys, documented in the README.
public enum SupervisionJSON {
    public struct Item: Encodable, Equatable, Sendable, JSONObject {
        public var unit: String
        public var unit_name: String
        public var kind: String
        public var task: Int?
        public var milestone: String?
        public var title: String
        public var period: String?
        public var due: String
        public var original_due: String
        public var extended: Bool
        public var days_overdue: Int
        public var last_status: String?
        public var last_percent: Int?
        public var last_reported_on: String?
        public var reason: String
        /// In `escalate`: the unit's step (every item of a unit carries the same); nil elsewhere.
        public var level: String?
        /// In `escalate`: this item's own step (`Ladder.level(of:…)`); absent elsewhere.
        @OmittedIfNil public var item_level: String?
    }

    public struct Notice: Encodable, Equatable, Sendable, JSONObject {
        public var unit: String
        public var unit_name: String
        public var liaison: String?
        public var phone: String?
        public var due_until: String
        public var due_soon: [Item]
        public var overdue: [Item]
        /// The coordinator's own items: a to-do list for itself, not a reminder (JSON: `own: true`, absent otherwise:
        /// a key added after the schema was published, on the coordinator's notice alone).
        @OmittedIfFalse public var own: Bool

        public init(unit: String, unit_name: String, liaison: String?, phone: String?, due_until: String,
                    due_soon: [Item], overdue: [Item], own: Bool = false) {
            self.own = own
            self.unit = unit
            self.unit_name = unit_name
            self.liaison = liaison
            self.phone = phone
            self.due_until = due_until
            self.due_soon = due_soon
            self.overdue = overdue
        }
    }

    public struct Escalation: Encodable, Equatable, Sendable, JSONObject {
        public var unit: String
        public var unit_name: String
        public var level: String
        public var level_label: String
        public var colour: String
        public var reason: String
        public var reasons: [String]
        public var task: Int?
        public var milestone: String?
        public var due: String?
        public var days_overdue: Int
        public var overdue_items: Int
        public var due_soon_items: Int
        public var last_action: String?
        public var last_action_on: String?
        public var items: [Item]
    }

    /// `escalate`'s `coordinator_follow_ups`: the coordinator's own open items.
    public struct FollowUps: Encodable, Equatable, Sendable, JSONObject {
        public var unit: String
        public var unit_name: String
        public var overdue_items: Int
        public var due_soon_items: Int
        public var items: [Item]
    }

    public struct Behind: Encodable, Equatable, Sendable, JSONObject {
        public var unit: String
        public var unit_name: String
        public var task: Int?
        public var milestone: String?
        public var due: String
        public var days_overdue: Int
        public var percent: Int
        public var elapsed: Int
        public var colour: String
        public var reason: String
    }

    public static func title(of item: OwedItem, in plan: Plan) -> String {
        switch item.kind {
        case .ledger: return "\(item.period?.description ?? "") 工作台账"
        case .milestone:
            // Its task's milestones first (a few), not every milestone of the plan per item.
            let near = item.task.map { plan.task(number: $0)?.milestones ?? [] } ?? plan.obligations
            return (near.first { $0.id == item.milestoneID } ?? plan.milestones.first { $0.id == item.milestoneID })?.title
                ?? item.milestoneID ?? ""
        }
    }

    public static func reason(_ s: ItemState, asOf: LocalDate) -> String {
        let days = s.daysOverdue(asOf: asOf)
        let what: String
        switch s.item.kind {
        case .ledger: what = "\(s.item.period?.description ?? "") 台账 "
        case .milestone: what = "节点 \(s.item.milestoneID ?? "")" + (s.item.period.map { "(\($0))" } ?? "") + " "
        }
        let ext = s.extended ? ",已延期至 \(s.due)" : ""
        if s.isOverdue(asOf: asOf) {
            return s.item.kind == .ledger ? "\(what)未报送,逾期 \(days) 天(应于 \(s.due) 前报送)" : "\(what)逾期 \(days) 天(期限 \(s.due)\(ext))"
        }
        return "\(what)将于 \(s.due) 到期(还有 \(-days) 天)\(ext)"
    }

    public static func item(_ s: ItemState, plan: Plan, asOf: LocalDate, level: EscalationLevel? = nil,
                            itemLevel: EscalationLevel? = nil) -> Item {
        Item(unit: s.item.unitID, unit_name: plan.unit(id: s.item.unitID)?.name ?? s.item.unitID, kind: s.item.kind.rawValue,
             task: s.item.task, milestone: s.item.milestoneID, title: title(of: s.item, in: plan),
             period: s.item.period?.description, due: s.due.description, original_due: s.item.due.description,
             extended: s.extended, days_overdue: max(0, s.daysOverdue(asOf: asOf)), last_status: s.lastStatus?.rawValue,
             last_percent: s.lastPercent, last_reported_on: s.lastReportedOn?.description, reason: reason(s, asOf: asOf),
             level: level?.keyword, item_level: itemLevel?.keyword)
    }
}

extension SupervisionJSON {
    /// With `items: false`, the summary alone (`items` empty): what the digest shows of each unit.
    public static func escalation(_ e: UnitEscalation, plan: Plan, asOf: LocalDate, items withItems: Bool = true) -> Escalation {
        // One unit's items: the unit rank cannot reorder them, so none is built (per unit, that was quadratic).
        let worst = SupervisionReports.overdue(e.overdue, rank: [:], asOf: asOf).first
        let items = withItems ? zip(e.overdue + e.dueSoon, e.itemLevels).map { item($0, plan: plan, asOf: asOf, level: e.level, itemLevel: $1) } : []
        return Escalation(unit: e.unitID, unit_name: plan.unit(id: e.unitID)?.name ?? e.unitID, level: e.level.keyword,
                          level_label: e.level.label, colour: e.level.colour, reason: e.reason,
                          reasons: e.reasons, task: worst?.item.task, milestone: worst?.item.milestoneID,
                          due: worst?.due.description, days_overdue: max(0, worst?.daysOverdue(asOf: asOf) ?? 0),
                          overdue_items: e.overdue.count, due_soon_items: e.dueSoon.count,
                          last_action: e.lastAction?.level.keyword, last_action_on: e.lastAction?.date.description,
                          items: items)
    }

    public static func followUps(_ f: OwnFollowUps, plan: Plan, asOf: LocalDate) -> FollowUps {
        FollowUps(unit: f.unitID, unit_name: plan.unit(id: f.unitID)?.name ?? f.unitID, overdue_items: f.overdue.count,
                  due_soon_items: f.dueSoon.count, items: (f.overdue + f.dueSoon).map { item($0, plan: plan, asOf: asOf) })
    }

    public static func behind(_ b: BehindSchedule, plan: Plan) -> Behind {
        Behind(unit: b.state.item.unitID, unit_name: plan.unit(id: b.state.item.unitID)?.name ?? b.state.item.unitID,
               task: b.state.item.task, milestone: b.state.item.milestoneID, due: b.state.due.description,
               days_overdue: 0, percent: b.percent, elapsed: b.elapsed, colour: b.colour.rawValue,
               reason: "序时进度滞后:已过时间 \(b.elapsed)%,报告完成 \(b.percent)%,落后 \(b.trailing) 个百分点")
    }
}

/// Orders and renders the supervision lists.
public enum SupervisionReports {
    /// Units in plan order, for sorting "by severity then unit".
    public static func unitRank(_ plan: Plan) -> [String: Int] {
        Dictionary(uniqueKeysWithValues: plan.units.enumerated().map { ($1.id, $0) })
    }

    /// Overdue items, most days overdue first, then by unit in plan order.
    public static func overdue(_ states: [ItemState], plan: Plan, asOf: LocalDate) -> [ItemState] {
        overdue(states, rank: unitRank(plan), asOf: asOf)
    }

    /// The same, with the unit ranks computed once by the caller (`notify` sorts per unit).
    public static func overdue(_ states: [ItemState], rank: [String: Int], asOf: LocalDate) -> [ItemState] {
        // Each sort key computed once (the item key is a built string).
        states.filter { $0.isOverdue(asOf: asOf) }
            .map { (state: $0, days: $0.daysOverdue(asOf: asOf), rank: rank[$0.item.unitID] ?? 0, key: $0.item.key) }
            .sorted { ($1.days, $0.rank, $0.key) < ($0.days, $1.rank, $1.key) }
            .map(\.state)
    }

    /// The escalation list as a table; `colour`: each step painted for a terminal.
    public static func ladderTable(_ rows: [SupervisionJSON.Escalation], colour: Bool, labels l: DigestLabels = .chinese) -> Table {
        Table(columns: [.init(l.step), .init(l.unit), .init(l.overdue, .right, kind: .number), .init(l.mostDaysOverdue, .right, kind: .number),
                        .init(l.taken), .init(l.reason, maxWidth: 60)],
              rows: rows.map { r -> [String] in
                  let label = l.level(r.level)
                  let level = colour ? TerminalColour.paint(label, r.colour) : label
                  var taken = ""
                  if let a = r.last_action { taken = "\(l.level(a)) \(r.last_action_on ?? "")" }
                  return [level, r.unit_name, String(r.overdue_items), String(r.days_overdue), taken, r.reason]
              })
    }

    /// The milestones behind schedule as a table; `colour`: yellow and red painted for a terminal.
    public static func behindTable(_ behind: [SupervisionJSON.Behind], colour: Bool, labels l: DigestLabels = .chinese) -> Table {
        Table(columns: [.init(l.schedule), .init(l.unit), .init(l.node), .init(l.due, kind: .date),
                        .init(l.elapsed, .right, kind: .percent), .init(l.percentDone, .right, kind: .percent)],
              rows: behind.map { b -> [String] in
                  let name = b.colour == "red" ? l.red : l.yellow
                  return [colour ? TerminalColour.paint(name, b.colour) : name, b.unit_name, b.milestone ?? "", b.due,
                          "\(b.elapsed)%", "\(b.percent)%"]
              })
    }

    public static func itemsTable(_ items: [SupervisionJSON.Item], levelColumn: Bool = false, labels l: DigestLabels = .chinese) -> Table {
        var columns: [Table.Column] = [.init(l.unit), .init(l.task.capitalized, .right, kind: .number), .init(l.item, maxWidth: 28),
                                       .init(l.due, kind: .date), .init(l.daysOverdue, .right, kind: .number), .init(l.lastStatus),
                                       .init(l.note, maxWidth: 40)]
        if levelColumn { columns.insert(.init(l.step), at: 0) }
        return Table(columns: columns, rows: items.map { i in
            var row = [i.unit_name, i.task.map(String.init) ?? "—", (i.milestone.map { "[\($0)] " } ?? "") + i.title, i.due,
                       String(i.days_overdue),
                       i.last_status.flatMap { ProgressStatus(rawValue: $0).map(l.status) }.map { s in s + (i.last_percent.map { " \($0)%" } ?? "") } ?? "—",
                       i.reason]
            if levelColumn { row.insert(i.level.map(l.level) ?? "", at: 0) }
            return row
        })
    }

    /// A ready-to-send reminder in Chinese for one unit; for the coordinator's own items, its own
    /// to-do list (not addressed to itself, not signed by itself).
    public static func noticeText(_ n: SupervisionJSON.Notice, plan: Plan, asOf: LocalDate) -> String {
        let coordinator = plan.unit(id: plan.coordinator)?.name ?? plan.coordinator
        var out: String
        if n.own {
            out = "【本单位待办】\(n.unit_name)(牵头单位):\n"
            out += "截至 \(asOf),本单位在《\(plan.title)》中承担的自身事项如下(不作督办提醒):\n"
        } else {
            out = "【督办提醒】\(n.unit_name)"
            if let l = n.liaison { out += " \(l)同志" + (n.phone.map { "(\($0))" } ?? "") }
            out += ":\n"
            out += "根据《\(plan.title)》工作安排,截至 \(asOf),贵单位有关事项如下:\n"
        }
        if !n.overdue.isEmpty {
            out += "一、已逾期事项(\(n.overdue.count) 项),请抓紧办理并报送:\n"
            for (i, item) in n.overdue.enumerated() {
                out += "  \(i + 1). \(item.task.map { "任务\($0) " } ?? "")\(item.title),期限 \(item.due),已逾期 \(item.days_overdue) 天。\n"
            }
        }
        if !n.due_soon.isEmpty {
            out += "\(n.overdue.isEmpty ? "一" : "二")、\(n.due_until) 前到期事项(\(n.due_soon.count) 项):\n"
            for (i, item) in n.due_soon.enumerated() {
                out += "  \(i + 1). \(item.task.map { "任务\($0) " } ?? "")\(item.title),请于 \(item.due) 前完成并报送。\n"
            }
        }
        out += n.own ? "请按期办结。\n" : "请按期落实,如有困难请及时与\(coordinator)联系。\n\(coordinator)\n\(asOf)\n"
        return out
    }
}
