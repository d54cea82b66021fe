/// What `duban demo` shows once the plan and the sample ledgers are in, as of one day: the
/// ledger grid, the overdue items, each lagging unit's step on the ladder and the weekly digest,
/// read from the store and worked out by the rules `ledgers`, `overdue`, `escalate` and
/// `digest` apply. The command prints the sections and writes `digestHTML` beside the database.
public struct DemoReport {
    /// The overdue items listed, the longest overdue first.
    public static let shownOverdue = 15

    public let plan: Plan
    public let asOf: LocalDate
    public let cells: [LedgerCell]
    /// Every overdue item, the longest overdue first.
    public let overdue: [SupervisionJSON.Item]
    public let ladder: [SupervisionJSON.Escalation]
    public let digest: Digest

    public init(database: DubanDatabase, plan: Plan, asOf: LocalDate) throws {
        self.plan = plan
        self.asOf = asOf
        cells = LedgerCalendar.grid(plan, submissions: try LedgerStore(database).submissions(plan: plan.id),
                                    periods: LedgerCalendar.periods(plan, asOf: asOf), asOf: asOf)
        let supervision = SupervisionStore(database)
        let facts = try supervision.facts(planID: plan.id)
        let actions = try supervision.actions(planID: plan.id).map(\.fact)
        let states = ItemStates.compute(plan: plan, facts: facts, asOf: asOf)
        overdue = SupervisionReports.overdue(states, plan: plan, asOf: asOf).map { SupervisionJSON.item($0, plan: plan, asOf: asOf) }
        let until = asOf.adding(days: plan.escalation?.remindBeforeDays ?? 7)
        ladder = Ladder.evaluate(plan: plan, states: states, actions: actions, asOf: asOf, dueSoonUntil: until)
            .map { SupervisionJSON.escalation($0, plan: plan, asOf: asOf) }
        digest = DigestBuilder.build(plan: plan, facts: facts, actions: actions, asOf: asOf)
    }

    /// The week of `asOf`, which names the digest's file (`duban-digest-2024-W15.html`).
    public var digestFileName: String { "duban-digest-\(ISOWeek(containing: asOf)).html" }

    /// The whole digest, in Chinese, as the page leadership reads.
    public var digestHTML: String { DigestFormat.html.render(digest, language: .zh) }

    /// Section 4: who has reported which period.
    public var ledgersSection: String {
        "== 4. 台账报送情况 ledgers --as-of \(asOf) ==\n" + LedgerReports.ledgerGrid(cells, plan: plan).renderText() + "\n"
    }

    /// Section 5: the overdue items, at most `shownOverdue` of them.
    public var overdueSection: String {
        let shown = Self.shownOverdue
        return "== 5. 逾期事项 overdue --as-of \(asOf):共 \(overdue.count) 项\(overdue.count > shown ? ",列出逾期最久的 \(shown) 项" : "") ==\n"
            + SupervisionReports.itemsTable(Array(overdue.prefix(shown))).renderText() + "\n"
    }

    /// Section 6: each lagging unit's step; `colour`: the steps painted for a terminal.
    public func escalationSection(colour: Bool) -> String {
        "== 6. 督办等级 escalate --as-of \(asOf):\(ladder.count) 个单位 ==\n"
            + SupervisionReports.ladderTable(ladder, colour: colour).renderText()
    }

    /// Section 7: the digest's headline (its text up to part 二), naming where the whole page is.
    public func digestSection(htmlPath: String) -> String {
        let text = DigestFormat.text.render(digest, language: .zh)
        let headline = text.components(separatedBy: "\n二、").first ?? text
        return "\n== 7. 工作周报 digest --as-of \(asOf)(全文:\(htmlPath)) ==\n" + headline
            + "\n下一步 next: duban digest --as-of \(asOf) --format markdown; duban notify --as-of \(asOf) --format text; duban task 7\n"
    }

    /// The demo database's portal accounts: a liaison of the plan's first unit other than the
    /// coordinator, the coordinator, a leader (login, role, unit, name).
    public static func accounts(plan: Plan) -> [(login: String, role: Role, unitID: String?, name: String)] {
        guard let unit = plan.units.first(where: { $0.id != plan.coordinator }) ?? plan.units.first else { return [] }
        return [("demo-liaison", .liaison, unit.id, "联络员(演示)"),
                ("demo-coordinator", .coordinator, nil, "牵头单位(演示)"),
                ("demo-leader", .leader, nil, "领导(演示)")]
    }
}
