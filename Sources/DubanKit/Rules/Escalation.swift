/// The steps of the ladder of the plan's section 三(四): 提醒 → 函告提醒 → 通报 → 提请追责问责.
public enum EscalationLevel: Int, Comparable, CaseIterable, Codable, Sendable {
    case none = 0
    case remind = 1
    case letter = 2
    case circular = 3
    case referral = 4

    public static func < (lhs: EscalationLevel, rhs: EscalationLevel) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The keyword in JSON and on the command line.
    public var keyword: String {
        switch self {
        case .none: return "none"
        case .remind: return "remind"
        case .letter: return "letter"
        case .circular: return "circular"
        case .referral: return "referral"
        }
    }

    public var label: String {
        switch self {
        case .none: return "正常"
        case .remind: return "提醒"
        case .letter: return "函告提醒"
        case .circular: return "通报"
        case .referral: return "提请追责问责"
        }
    }

    /// The colour supervision systems use: blue near the deadline, yellow late, orange, red seriously late.
    public var colour: String {
        switch self {
        case .none: return "green"
        case .remind: return "blue"
        case .letter: return "yellow"
        case .circular: return "orange"
        case .referral: return "red"
        }
    }

    public init?(keyword: String) {
        guard let level = Self.allCases.first(where: { $0.keyword == keyword || $0.label == keyword }) else { return nil }
        self = level
    }

    public var next: EscalationLevel { EscalationLevel(rawValue: min(rawValue + 1, 4)) ?? .referral }
}

/// A step taken by the coordinator: a letter sent, a circular issued, a referral made.
public struct ActionFact: Equatable, Sendable {
    public var unitID: String
    public var level: EscalationLevel
    public var date: LocalDate
    public var task: Int?

    public init(unitID: String, level: EscalationLevel, date: LocalDate, task: Int? = nil) {
        self.unitID = unitID
        self.level = level
        self.date = date
        self.task = task
    }
}

/// Where one unit stands on the ladder on an as-of date, and why.
public struct UnitEscalation: Equatable, Sendable {
    public var unitID: String
    public var level: EscalationLevel
    /// Why the unit is at `level`: the first condition that reached it.
    public var reason: String
    /// Every condition that held, in the order checked.
    public var reasons: [String]
    public var overdue: [ItemState]
    public var dueSoon: [ItemState]
    public var lastAction: ActionFact?
    /// Each of `overdue` then `dueSoon`'s own step (`Ladder.level(of:…)`), in that order.
    public var itemLevels: [EscalationLevel]
}

/// The coordinator's own open items: it does not escalate against itself, so `escalate` lists
/// them apart, as its own follow-ups, and `notify` writes them as its own to-do list.
public struct OwnFollowUps: Equatable, Sendable {
    public var unitID: String
    public var overdue: [ItemState]
    public var dueSoon: [ItemState]
}

/// The ladder's rules: thresholds from the plan file, applied to item states and recorded actions.
public enum Ladder {
    /// The thresholds in force: the plan's, or these defaults (Zhangye's) when it sets none.
    public static func rules(_ plan: Plan) -> EscalationRules {
        plan.escalation ?? EscalationRules(basis: .local, note: nil, remindBeforeDays: 7,
                                           letter: LadderStep(daysOverdue: 15, overdueItems: 3),
                                           circular: LadderStep(daysOverdue: 30, overdueItems: 5, unrectifiedDays: 15),
                                           referral: LadderStep(daysOverdue: 90, unrectifiedDays: 30),
                                           behindYellowPoints: 10, behindRedPoints: 30)
    }

    /// Every unit but the coordinator on its step. The coordinator (牵头抓总) runs the ladder: its
    /// own items are `ownFollowUps`, never an escalation against itself.
    /// - Parameters:
    ///   - dueSoonUntil: items due on or before this day count as due soon (提醒).
    public static func evaluate(plan: Plan, states: [ItemState], actions: [ActionFact], asOf: LocalDate,
                                dueSoonUntil: LocalDate) -> [UnitEscalation] {
        let rules = rules(plan)
        var byUnit: [String: [ItemState]] = [:]
        for s in states { byUnit[s.item.unitID, default: []].append(s) }
        var actionsByUnit: [String: [ActionFact]] = [:]
        for a in actions where a.date <= asOf { actionsByUnit[a.unitID, default: []].append(a) }
        var out: [UnitEscalation] = []
        for unit in plan.units where unit.id != plan.coordinator {
            let mine = byUnit[unit.id] ?? []
            let overdue = mine.filter { $0.isOverdue(asOf: asOf) }
            let soon = mine.filter { !$0.isDone && $0.due >= asOf && $0.due <= dueSoonUntil }
            let maxDays = overdue.map { $0.daysOverdue(asOf: asOf) }.max() ?? 0
            var level = EscalationLevel.none
            var reason = ""
            var reasons: [String] = []
            func reach(_ l: EscalationLevel, _ why: String) {
                if l > level {
                    level = l
                    reason = why
                }
                reasons.append(why)
            }
            if !soon.isEmpty { reach(.remind, "\(soon.count) 项将于 \(dueSoonUntil) 前到期") }
            if !overdue.isEmpty {
                reach(.remind, "逾期 \(overdue.count) 项,最长逾期 \(maxDays) 天,未达函告阈值")
                for (l, step) in [(EscalationLevel.letter, rules.letter), (.circular, rules.circular), (.referral, rules.referral)] {
                    if let d = step.daysOverdue, maxDays >= d { reach(l, "最长逾期 \(maxDays) 天,达到\(l.label)阈值 \(d) 天") }
                    if let n = step.overdueItems, overdue.count >= n { reach(l, "逾期 \(overdue.count) 项,达到\(l.label)阈值 \(n) 项") }
                }
            }
            // The last step taken keeps the unit at that step until it has caught up on what was
            // overdue when the step was taken; unrectified past the allowed days, it climbs.
            let taken = actionsByUnit[unit.id]?.max { ($0.date, $0.level) < ($1.date, $1.level) }
            if let action = taken {
                let unrectified = overdue.filter { $0.due < action.date }
                if !unrectified.isEmpty {
                    reach(action.level, "\(action.level.label)已于 \(action.date) 采取,尚有 \(unrectified.count) 项未整改")
                    if let next = climb(after: action, rules: rules, asOf: asOf) {
                        reach(next, "\(action.level.label)后 \(action.date.days(to: asOf)) 天仍未整改(≥ \(step(next, rules)?.unrectifiedDays ?? 0) 天)")
                    }
                }
            }
            if level > .none {
                let levels = (overdue + soon).map { self.level(of: $0, rules: rules, lastAction: taken, asOf: asOf) }
                out.append(UnitEscalation(unitID: unit.id, level: level, reason: reason, reasons: reasons, overdue: overdue,
                                          dueSoon: soon, lastAction: taken, itemLevels: levels))
            }
        }
        // Most severe first; within a level, units in the plan's order.
        let rank = Dictionary(uniqueKeysWithValues: plan.units.enumerated().map { ($1.id, $0) })
        return out.sorted { ($1.level, rank[$0.unitID] ?? 0) < ($0.level, rank[$1.unitID] ?? 0) }
    }

    /// One open item's own step: by its own days overdue against each step's `days_overdue`
    /// (an item due soon, or overdue below the letter threshold, is a reminder), raised to the
    /// unit's last recorded step when the item was already overdue on that step's date, and one
    /// step higher once that step has gone unrectified for its `unrectified_days`. The thresholds
    /// that count a unit's items (`overdue_items`) belong to the unit, not to any one item.
    public static func level(of s: ItemState, rules: EscalationRules, lastAction: ActionFact?, asOf: LocalDate) -> EscalationLevel {
        guard !s.isDone else { return .none }
        var level = EscalationLevel.remind
        if s.isOverdue(asOf: asOf) {
            let days = s.daysOverdue(asOf: asOf)
            for l in [EscalationLevel.letter, .circular, .referral] {
                if let d = step(l, rules)?.daysOverdue, days >= d { level = max(level, l) }
            }
            if let action = lastAction, s.due < action.date {
                level = max(level, action.level)
                if let next = climb(after: action, rules: rules, asOf: asOf) { level = max(level, next) }
            }
        }
        return level
    }

    /// The coordinator's own open items: overdue (most days first) and due by `dueSoonUntil`
    /// (earliest first); nil when it has none.
    public static func ownFollowUps(plan: Plan, states: [ItemState], asOf: LocalDate, dueSoonUntil: LocalDate) -> OwnFollowUps? {
        let mine = states.filter { $0.item.unitID == plan.coordinator }
        let overdue = SupervisionReports.overdue(mine, rank: [:], asOf: asOf)
        let soon = mine.filter { !$0.isDone && $0.due >= asOf && $0.due <= dueSoonUntil }.sorted { $0.due < $1.due }
        guard !overdue.isEmpty || !soon.isEmpty else { return nil }
        return OwnFollowUps(unitID: plan.coordinator, overdue: overdue, dueSoon: soon)
    }

    static func step(_ level: EscalationLevel, _ rules: EscalationRules) -> LadderStep? {
        switch level {
        case .letter: return rules.letter
        case .circular: return rules.circular
        case .referral: return rules.referral
        case .none, .remind: return nil
        }
    }

    /// The step above `action`'s once it has gone unrectified for the next step's `unrectified_days`.
    static func climb(after action: ActionFact, rules: EscalationRules, asOf: LocalDate) -> EscalationLevel? {
        let next = action.level.next
        guard next > action.level, next >= .circular, let days = step(next, rules)?.unrectifiedDays,
              action.date.days(to: asOf) >= days else { return nil }
        return next
    }
}
