import DubanKit
import XCTest

/// `DigestBuilder` on the bundled plan with facts made up in the test, and the HTML renderer's escaping.
final class DigestBuilderTests: XCTestCase {
    var plan: Plan!

    override func setUpWithError() throws {
        plan = try loadZhangye()
    }

    func day(_ s: String) throws -> LocalDate { try XCTUnwrap(LocalDate(iso: s)) }

    func testTheWeekCountsWhatBecameKnownInIt() throws {
        // 甘州区 reports 7.1 done on 2024-01-03 (late: due 2023-12-31) and submits its January ledger on 2024-02-02.
        let facts = Facts(progress: [ProgressFact(unitID: "ganzhou", task: 7, milestoneID: "7.1", status: .done,
                                                  knownOn: try day("2024-01-03"), completedOn: try day("2024-01-02"))],
                          ledgers: [LedgerFact(unitID: "ganzhou", period: try XCTUnwrap(ReportingPeriod(label: "2024-01", frequency: .month)),
                                               submittedOn: try day("2024-02-02"))])
        let actions = [ActionFact(unitID: "linze", level: .letter, date: try day("2024-01-04"))]
        let d = DigestBuilder.build(plan: plan, facts: facts, actions: actions, asOf: try day("2024-01-07"))
        XCTAssertEqual(d.week, "2024-W01")
        XCTAssertEqual(d.previousAsOf, try day("2023-12-31"))
        XCTAssertEqual(d.changes.newlyCompleted.map { "\($0.unit.id) \($0.milestone ?? "")" }, ["ganzhou 7.1"])
        XCTAssertEqual(d.changes.actions.map(\.unit.name), ["临泽县"])
        XCTAssertEqual(d.headline.milestonesDone, d.previous.milestonesDone + 1)
        XCTAssertEqual(d.headline.milestonesDone + d.headline.milestonesOnTrack + d.headline.milestonesBehind
                       + d.headline.milestonesOverdue, d.headline.milestonesTotal, "the four counts partition the milestones")
        XCTAssertNil(d.headline.ledgerPeriod, "no ledger period has ended by 2024-01-07")
        // 7.1 fell due on 2023-12-31: overdue from 2024-01-01, so newly overdue in this week for the others.
        XCTAssertTrue(d.changes.newlyOverdue.contains { $0.unit.id == "linze" && $0.milestone == "7.1" })
        XCTAssertFalse(d.changes.newlyOverdue.contains { $0.unit.id == "ganzhou" && $0.milestone == "7.1" })

        let feb = DigestBuilder.build(plan: plan, facts: facts, actions: actions, asOf: try day("2024-02-07"))
        XCTAssertEqual(feb.headline.ledgerPeriod, "2024-01")
        XCTAssertEqual(feb.headline.ledgersReceived, 1)
        XCTAssertEqual(feb.headline.ledgersOwed, 18)
        XCTAssertEqual(feb.changes.ledgersReceived.map(\.unit.id), ["ganzhou"])
        XCTAssertEqual(feb.units.first { $0.unit.id == "ganzhou" }?.onTimeRate, 100)
        XCTAssertEqual(feb.units.first { $0.unit.id == "linze" }?.onTimeRate, 0)
        XCTAssertEqual(feb.missingLedgers.count, 17)
    }

    /// A ledger submitted on the as-of date is received that day: in the headline (the grid made
    /// from the ledger facts) and in the week before's headline when submitted on its date.
    func testALedgerSubmittedOnTheAsOfDateIsReceivedThatDay() throws {
        let jan = try XCTUnwrap(ReportingPeriod(label: "2024-01", frequency: .month))
        let feb = try XCTUnwrap(ReportingPeriod(label: "2024-02", frequency: .month))
        // 临泽县's January ledger on 2024-02-27 (late: due 2024-02-05), the week before 2024-03-05;
        // 甘州区's February ledger on 2024-03-05, its due date.
        let facts = Facts(ledgers: [LedgerFact(unitID: "linze", period: jan, submittedOn: try day("2024-02-27")),
                                    LedgerFact(unitID: "ganzhou", period: feb, submittedOn: try day("2024-03-05"))])
        let d = DigestBuilder.build(plan: plan, facts: facts, actions: [], asOf: try day("2024-03-05"))
        XCTAssertEqual(d.headline.ledgerPeriod, "2024-02")
        XCTAssertEqual(d.headline.ledgersReceived, 1)
        XCTAssertEqual(d.headline.ledgersOnTime, 1)
        XCTAssertEqual(d.previous.ledgerPeriod, "2024-01")
        XCTAssertEqual(d.previous.ledgersReceived, 1)
        XCTAssertEqual(d.previous.ledgersLate, 1)
        let cells = LedgerCalendar.grid(plan, ledgers: facts.ledgers, periods: [jan, feb], asOf: try day("2024-03-05"))
        XCTAssertEqual(cells.first { $0.unitID == "ganzhou" && $0.period == feb }?.submittedOn, try day("2024-03-05"))
        XCTAssertEqual(cells.first { $0.unitID == "ganzhou" && $0.period == feb }?.state, .submitted)
        XCTAssertEqual(cells.first { $0.unitID == "linze" && $0.period == jan }?.state, .late)
    }

    func testBurnUpRunsOverThePlanAndStopsCountingDoneAtTheAsOfDate() throws {
        let d = DigestBuilder.build(plan: plan, facts: Facts(), actions: [], asOf: try day("2024-04-14"))
        XCTAssertEqual(d.burnUp.first?.date, plan.start)
        XCTAssertEqual(d.burnUp.last?.date, plan.end)
        XCTAssertEqual(d.burnUp.last?.due, d.headline.milestonesTotal)
        XCTAssertTrue(d.burnUp.contains { $0.date == (try? self.day("2024-04-14")) && $0.done == 0 })
        XCTAssertTrue(d.burnUp.filter { $0.date > d.asOf }.allSatisfy { $0.done == nil })
        XCTAssertEqual(d.burnUp.map(\.date), d.burnUp.map(\.date).sorted())
    }

    func testHTMLEscapesEveryText() throws {
        var p = try XCTUnwrap(plan)
        p.title = "<script>alert('x')</script> & \"方案\""
        if let i = p.units.firstIndex(where: { $0.id == "ganzhou" }) { p.units[i].name = "<b>甘州区</b>" }
        let d = DigestBuilder.build(plan: p, facts: Facts(), actions: [], asOf: try day("2024-01-07"))
        for language in DigestLanguage.allCases {
            let html = DigestHTMLRenderer.render(d, language: language)
            XCTAssertFalse(html.contains("<script"), "no script element, and the title is escaped")
            XCTAssertFalse(html.contains("<b>"))
            XCTAssertTrue(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;方案&quot;"))
            XCTAssertTrue(html.contains("&lt;b&gt;甘州区&lt;/b&gt;"))
        }
        let md = DigestMarkdownRenderer.render(d)
        XCTAssertFalse(md.contains("<b>"), "Markdown escapes raw HTML too")
    }
}
