/// A digest laid out as titled sections of paragraphs, lists and tables, in one language: the
/// common ground of the Markdown, text and HTML renderers, so that they say the same things.
struct DigestDocument {
    enum Block {
        case paragraph(String)
        case list([String])
        case table(Table)
        /// A chart only the HTML renderer draws (the others skip it).
        case chart(Chart)
    }

    enum Chart { case burnUp, categories }

    struct Section {
        var id: String
        var title: String
        var blocks: [Block]
    }

    var title: String
    var subtitle: [String]
    var sections: [Section]
    var footer: String

    /// Names of units, cut after `limit` with a count.
    static func names(_ units: [DigestUnitRef], _ l: DigestLabels, limit: Int = 6) -> String {
        let sep = l.htmlLang == "en" ? ", " : "、"
        if units.count <= limit { return units.map(\.name).joined(separator: sep) }
        return units.prefix(limit).map(\.name).joined(separator: sep) + " … (" + l.unitsCount.filling(units.count) + ")"
    }

    static func what(kind: String, milestone: String?, title: String) -> String {
        kind == "ledger" ? title : (milestone.map { "[\($0)] " } ?? "") + title
    }

    static func delta(_ now: Int, _ before: Int) -> String {
        let d = now - before
        return d > 0 ? "+\(d)" : d < 0 ? "−\(-d)" : "0"
    }

    /// Items grouped by what and when, as "[7.1] title(期限 2023-12-31):甘州区、临泽县".
    static func groupedLines(_ items: [DigestItem], _ l: DigestLabels, showDays: Bool) -> [String] {
        var order: [String] = []
        var groups: [String: [DigestItem]] = [:]
        for i in items {
            let key = "\(i.kind)|\(i.milestone ?? "")|\(i.period ?? "")|\(i.due)"
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(i)
        }
        let colon = l.htmlLang == "en" ? ": " : ":"
        return order.compactMap { key in
            guard let g = groups[key], let first = g.first else { return nil }
            let en = l.htmlLang == "en"
            var when = en ? "due \(first.due)" : "期限 \(first.due)"
            if showDays && first.daysOverdue > 0 { when += en ? ", \(first.daysOverdue) days overdue" : ",逾期 \(first.daysOverdue) 天" }
            return what(kind: first.kind, milestone: first.milestone, title: first.title) + (en ? " (\(when))" : "(\(when))") + colon
                + names(g.map(\.unit), l)
        }
    }

    init(_ d: Digest, language: DigestLanguage) {
        let l = language.labels
        let h = d.headline, p = d.previous
        let en = language == .en
        title = en ? "\(d.planTitle) — \(l.title)" : "《\(d.planTitle)》\(l.title)"
        // The seven days ending on the as-of date: an ISO week only when that day is a Sunday, so
        // only then is the week named (as of Wednesday 2024-04-10 they are 2024-04-04 … 04-10).
        let isoWeek = d.weekStart.adding(days: 6) == d.asOf && ISOWeek(containing: d.asOf).sunday == d.asOf
        subtitle = [
            en ? "\(l.asOf) \(d.asOf) (\(isoWeek ? "\(d.week), " : "")\(d.weekStart) – \(d.asOf))"
               : "\(l.asOf) \(d.asOf)(\(isoWeek ? "\(d.week)," : "")\(d.weekStart) 至 \(d.asOf))",
            "\(l.coordinator)\(en ? ": " : ":")\(d.coordinator)",
        ]
        footer = l.footer

        // 1. Headline figures.
        var rows: [[String]] = []
        func row(_ label: String, _ now: Int, _ before: Int, _ shown: String? = nil, _ shownBefore: String? = nil) {
            rows.append([label, shown ?? String(now), shownBefore ?? String(before), Self.delta(now, before)])
        }
        row(l.milestonesDone, h.milestonesDone, p.milestonesDone, "\(h.milestonesDone) / \(h.milestonesTotal)",
            "\(p.milestonesDone) / \(p.milestonesTotal)")
        row(l.milestonesOnTrack, h.milestonesOnTrack, p.milestonesOnTrack)
        row(l.milestonesBehind, h.milestonesBehind, p.milestonesBehind)
        row(l.milestonesOverdue, h.milestonesOverdue, p.milestonesOverdue)
        let period = h.ledgerPeriod.map { en ? " (\($0))" : "(\($0))" } ?? ""
        row(l.ledgersReceived + period, h.ledgersReceived, p.ledgersReceived,
            "\(h.ledgersReceived) / \(h.ledgersOwed)" + (h.ledgerPeriod == nil ? "" : ""),
            "\(p.ledgersReceived) / \(p.ledgersOwed)" + (p.ledgerPeriod.map { p.ledgerPeriod == h.ledgerPeriod ? "" : " (\($0))" } ?? ""))
        row(l.ledgersOverdue, h.ledgersOverdue, p.ledgersOverdue)
        row(l.unitsEscalated, h.unitsEscalated, p.unitsEscalated)
        let t = d.taskStatus
        let sep = en ? ", " : ","
        var headlineBlocks: [Block] = [
            .table(Table(columns: [.init(l.figure), .init(l.thisWeek, .right, kind: .number), .init(l.lastWeek, .right, kind: .number),
                                         .init(l.change, .right)],
                         rows: rows)),
            .paragraph("\(l.taskStatus)\(en ? ": " : ":")\(l.done) \(t.done)\(sep)\(l.inProgress) \(t.inProgress)\(sep)"
                       + "\(l.notStarted) \(t.notStarted)\(sep)\(l.noRecord) \(t.noRecord) / \(t.cells)"),
        ]
        headlineBlocks.append(.chart(.burnUp))

        // 2. Categories.
        let catRows = d.categories.map { c -> [String] in
            let name = c.number == 0 ? l.obligations : "(\(c.numeral))\(c.title)"
            let rate = c.due == 0 ? "—" : "\(c.doneOfDue * 100 / c.due)%"
            return [name, String(c.due), String(c.doneOfDue), rate, String(c.overdue), String(c.doneThisWeek)]
        }
        let categoryTable = Table(columns: [.init(l.category), .init(l.dueToDate, .right, kind: .number), .init(l.doneOfDue, .right, kind: .number),
                                            .init("%", .right, kind: .percent), .init(l.overdue, .right, kind: .number),
                                            .init(l.doneThisWeek, .right, kind: .number)],
                                  rows: catRows)

        // 3. Changes.
        let c = d.changes
        func listOrNone(_ lines: [String]) -> Block { .list(lines.isEmpty ? [l.none] : lines) }
        let received = c.ledgersReceived.map { r in
            "\(r.unit.name) \(r.period) (\(r.submittedOn)\(r.late ? ", " + l.late : ""))"
        }
        let climbed = c.newEscalations.map { "\($0.unit.name): \(l.level($0.from)) → \(l.level($0.to)) — \($0.reason)" }
        let actions = c.actions.map { a in
            "\(a.date) \(l.level(a.level)) → \(a.unit.name)" + (a.task.map { " (\(l.task) \($0))" } ?? "")
        }
        let changeBlocks: [Block] = [
            .paragraph("\(l.newlyCompleted) (\(c.newlyCompleted.count))"), listOrNone(Self.groupedLines(c.newlyCompleted, l, showDays: false)),
            .paragraph("\(l.newlyOverdue) (\(c.newlyOverdue.count))"), listOrNone(Self.groupedLines(c.newlyOverdue, l, showDays: true)),
            .paragraph("\(l.ledgersReceivedThisWeek) (\(c.ledgersReceived.count))"), listOrNone(received),
            .paragraph("\(l.newEscalations) (\(c.newEscalations.count))"), listOrNone(climbed),
            .paragraph("\(l.actions) (\(c.actions.count))"), listOrNone(actions),
        ]

        // 4–8.
        let overdueTable = Table(columns: [.init(l.item, maxWidth: 34), .init(l.due, kind: .date), .init(l.daysOverdue, .right, kind: .number),
                                                 .init(l.units, maxWidth: 40)],
                                 rows: d.overdue.map { g in
                                     [Self.what(kind: g.kind, milestone: g.milestone, title: g.title), g.due.description,
                                      String(g.daysOverdue), Self.names(g.units, l)]
                                 })
        let escalationTable = Table(columns: [.init(l.level), .init(l.unit), .init(l.overdueItems, .right, kind: .number),
                                              .init(l.daysOverdue, .right, kind: .number),
                                              .init(l.lastAction), .init(l.reason, maxWidth: 40)],
                                    rows: d.escalations.map { e in
                                        [l.level(e.level), e.unit.name, String(e.overdueItems), String(e.daysOverdue),
                                         e.lastAction.map { "\(l.level($0)) \(e.lastActionOn?.description ?? "")" } ?? "", e.reason]
                                    })
        let missingTable = Table(columns: [.init(l.unit), .init(l.periods)],
                                 rows: d.missingLedgers.map { [$0.unit.name, $0.periods.joined(separator: ", ")] })
        let unitTable = Table(columns: [.init(l.unit), .init(l.onTimeRate, .right), .init(l.milestones, .right),
                                        .init(l.overdueItems, .right, kind: .number), .init(l.level)],
                              rows: d.units.map { u in
                                  [u.unit.name,
                                   u.onTimeRate.map { "\(u.ledgersOnTime)/\(u.ledgersDue) \($0)%" } ?? "—",
                                   "\(u.milestonesDone)/\(u.milestonesDue)", String(u.overdueItems), l.level(u.level)]
                              })
        let upcomingTable = Table(columns: [.init(l.due, kind: .date), .init(l.item, maxWidth: 34), .init(l.units, maxWidth: 40)],
                                  rows: d.upcoming.map { g in
                                      [g.due.description, Self.what(kind: g.kind, milestone: g.milestone, title: g.title), Self.names(g.units, l)]
                                  })
        func tableOrNone(_ table: Table) -> Block { table.rows.isEmpty ? .paragraph(l.none) : .table(table) }
        let overdueTotal = d.headline.milestonesOverdue + d.headline.ledgersOverdue
        sections = [
            Section(id: "headline", title: l.headline, blocks: headlineBlocks),
            Section(id: "categories", title: l.categories, blocks: [.table(categoryTable), .chart(.categories)]),
            Section(id: "changes", title: l.changes, blocks: changeBlocks),
            Section(id: "overdue", title: l.overdueList + " (\(overdueTotal))", blocks: [tableOrNone(overdueTable)]),
            Section(id: "escalations", title: l.escalationList + " (\(d.escalations.count))", blocks: [tableOrNone(escalationTable)]),
            Section(id: "missing-ledgers", title: l.missingLedgers + " (\(d.missingLedgers.count))", blocks: [tableOrNone(missingTable)]),
            Section(id: "units", title: l.unitTable, blocks: [tableOrNone(unitTable)]),
            Section(id: "upcoming", title: l.upcoming.filling(d.upcomingDays), blocks: [tableOrNone(upcomingTable)]),
        ]
    }
}
