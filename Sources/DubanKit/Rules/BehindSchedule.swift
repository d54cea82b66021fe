/// 序时进度: a milestone whose reported percent trails the share of its time already elapsed.
public struct BehindSchedule: Equatable, Sendable {
    public enum Colour: String, Sendable { case yellow, red }

    public var state: ItemState
    public var percent: Int
    /// Share of the time from start to due already elapsed, in percent.
    public var elapsed: Int
    public var colour: Colour

    public var trailing: Int { elapsed - percent }

    /// Milestone items not done and not yet overdue whose last reported percent trails the elapsed
    /// time by at least the plan's yellow threshold. The clock starts at the occurrence's period
    /// start (recurring) or the plan's start (one-time).
    public static func find(plan: Plan, states: [ItemState], asOf: LocalDate) -> [BehindSchedule] {
        let yellow = plan.escalation?.behindYellowPoints ?? 10
        let red = plan.escalation?.behindRedPoints ?? 30
        return states.compactMap { s in
            guard s.item.kind == .milestone, !s.isDone, !s.isOverdue(asOf: asOf), let percent = s.lastPercent else { return nil }
            let start = max(s.item.period?.start ?? plan.start, plan.start)
            let total = start.days(to: s.due)
            guard total > 0, asOf > start else { return nil }
            let elapsed = min(100, start.days(to: asOf) * 100 / total)
            let trailing = elapsed - percent
            guard trailing >= yellow else { return nil }
            return BehindSchedule(state: s, percent: percent, elapsed: elapsed, colour: trailing >= red ? .red : .yellow)
        }
    }
}
