@testable import DubanKit
import Foundation
import XCTest

/// `DemoReport` on the bundled plan and its samples: the demo shows what `escalate` and `digest`
/// show for the same day, the overdue items cut at 15 with their count, the digest's headline.
final class DemoReportTests: XCTestCase {
    func testTheDemoShowsWhatTheCommandsShow() throws {
        let plan = try XCTUnwrap(loadPlan(TestPaths.zhangye).0)
        let database = try checkedDatabase()
        _ = try PlanStore(database).load(plan, sourceDirectory: TestPaths.zhangye)
        let folder = TestPaths.zhangye + "/samples"
        try ingest(try FileManager.default.contentsOfDirectory(atPath: folder).sorted().map { folder + "/" + $0 }, into: database)
        let stored = try XCTUnwrap(try PlanStore(database).plan(id: plan.id)).plan
        let asOf = try XCTUnwrap(LocalDate(iso: "2024-04-10"))
        let report = try DemoReport(database: database, plan: stored, asOf: asOf)

        let facts = try SupervisionStore(database).facts(planID: stored.id)
        let actions = try SupervisionStore(database).actions(planID: stored.id).map(\.fact)
        let states = ItemStates.compute(plan: stored, facts: facts, asOf: asOf)
        let escalations = SupervisionLists.escalations(plan: stored, states: states, actions: actions, asOf: asOf,
                                                       dueSoonUntil: asOf.adding(days: stored.escalation?.remindBeforeDays ?? 7))
        XCTAssertEqual(report.ladder, escalations.units)
        XCTAssertFalse(report.ladder.isEmpty)
        XCTAssertEqual(report.digest, DigestBuilder.build(plan: stored, facts: facts, actions: actions, asOf: asOf))

        XCTAssertGreaterThan(report.overdue.count, DemoReport.shownOverdue)
        let overdue = report.overdueSection
        XCTAssertTrue(overdue.hasPrefix("== 5. 逾期事项 overdue --as-of 2024-04-10:共 \(report.overdue.count) 项,列出逾期最久的 15 项 =="), overdue)
        for item in report.overdue.prefix(15) { XCTAssertTrue(overdue.contains(item.unit_name), item.unit_name) }

        XCTAssertEqual(report.digestFileName, "duban-digest-2024-W15.html")
        let digest = report.digestSection(htmlPath: "/tmp/x.html")
        XCTAssertTrue(digest.contains("(全文:/tmp/x.html)"))
        XCTAssertFalse(digest.contains("\n二、"), "the headline only")
        XCTAssertTrue(report.digestHTML.contains("二、"), "the page has it all")
        XCTAssertEqual(DemoReport.accounts(plan: stored).map(\.login), ["demo-liaison", "demo-coordinator", "demo-leader"])
        XCTAssertNotEqual(DemoReport.accounts(plan: stored).first?.unitID, stored.coordinator)
    }
}
