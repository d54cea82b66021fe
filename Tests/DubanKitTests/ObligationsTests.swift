@testable import DubanKit
import XCTest

final class ObligationsTests: XCTestCase {
    var plan: Plan!

    override func setUpWithError() throws {
        plan = try loadZhangye()
    }

    func testSectionThreeTwoIsOwedByEveryCountyAndEnforcementDepartment() {
        let items = Obligations.milestoneItems(plan).filter { $0.milestoneID?.hasPrefix("S3.2") ?? false }
        let owing = Set(items.map(\.unitID))
        let counties = Set(plan.group(id: "counties")?.members ?? [])
        let departments = Set(plan.group(id: "enforcement")?.members ?? [])
        XCTAssertEqual(owing, counties.union(departments))
        XCTAssertTrue(items.allSatisfy { $0.due.description == "2023-12-22" })
    }

    func testRecurringMilestonesGiveOneItemPerUnitAndPeriod() {
        let items = Obligations.milestoneItems(plan).filter { $0.milestoneID == "17.1" }
        XCTAssertEqual(items.map { $0.period?.description ?? "" }, ["2024-H1", "2024-H2", "2025-H1", "2025-H2"])
        XCTAssertEqual(Set(items.map(\.unitID)), ["justice"])
        let seven = Obligations.milestoneItems(plan).filter { $0.milestoneID == "7.1" }
        XCTAssertEqual(seven.count, 19, "市司法局 + 12 enforcement departments + 6 counties")
        XCTAssertEqual(Set(seven.map(\.key)).count, seven.count, "keys are unique")
    }

    func testLedgersAreOwedMonthlyFromJanuary2024() throws {
        let items = Obligations.ledgerItems(plan)
        let ganzhou = items.filter { $0.unitID == "ganzhou" }
        XCTAssertEqual(ganzhou.count, 24)
        XCTAssertEqual(ganzhou.first?.period?.description, "2024-01")
        XCTAssertEqual(ganzhou.first?.due.description, "2024-02-05")
        XCTAssertEqual(ganzhou.last?.due.description, "2026-01-05", "December 2025's ledger falls due after the plan ends")
        XCTAssertEqual(Set(items.map(\.unitID)).count, 18, "6 counties + 12 enforcement departments")
    }

    /// `OwedIndex` keeps no copy of the milestones (it looks one up for an error message): every
    /// id gives the plan's first milestone with it, obligations (三(二)) and tasks' alike, and the
    /// same owing as `Owing`.
    func testTheOwedIndexFindsEveryMilestoneAsThePlanListsIt() {
        let index = OwedIndex(plan)
        XCTAssertTrue(plan.obligations.count > 0 && plan.tasks.contains { !$0.milestones.isEmpty })
        for m in plan.milestones {
            XCTAssertEqual(index.milestone(id: m.id, in: plan), plan.milestones.first { $0.id == m.id }, m.id)
            XCTAssertEqual(index.task(ofMilestone: m.id), .some(m.task), m.id)
            for unit in Owing.units(owing: m, in: plan) {
                XCTAssertTrue(index.owes(unit: unit.id, milestone: m.id), "\(unit.id) \(m.id)")
            }
        }
        XCTAssertNil(index.milestone(id: "no-such-milestone", in: plan))
    }
}
