@testable import DubanKit
import XCTest

final class LadderTests: XCTestCase {
    var plan: Plan!

    override func setUpWithError() throws {
        plan = try loadZhangye()
    }

    func day(_ s: String) throws -> LocalDate { try XCTUnwrap(LocalDate(iso: s)) }

    func level(_ unit: String, asOf: String, facts: Facts = Facts(), actions: [ActionFact] = [], plan: Plan? = nil) throws -> EscalationLevel {
        let p = plan ?? self.plan!
        let date = try day(asOf)
        let states = ItemStates.compute(plan: p, facts: facts, asOf: date)
        return Ladder.evaluate(plan: p, states: states, actions: actions, asOf: date, dueSoonUntil: date.adding(days: 7))
            .first { $0.unitID == unit }?.level ?? .none
    }

    func testLevelClimbsWithTimeAndDropsAfterCatchingUp() throws {
        XCTAssertEqual(try level("ganzhou", asOf: "2023-12-16"), .remind, "S3.2 falls due within 7 days")
        XCTAssertEqual(try level("ganzhou", asOf: "2024-01-05"), .remind, "two items, 14 days late")
        XCTAssertEqual(try level("ganzhou", asOf: "2024-01-06"), .letter, "15 days late")
        XCTAssertEqual(try level("ganzhou", asOf: "2024-01-21"), .circular, "30 days late")
        // With the circular reached only through an unrectified letter:
        var p = try XCTUnwrap(plan)
        p.escalation?.circular = LadderStep(daysOverdue: 60, unrectifiedDays: 15)
        let letter = [ActionFact(unitID: "ganzhou", level: .letter, date: try day("2024-01-08"))]
        XCTAssertEqual(try level("ganzhou", asOf: "2024-01-22", actions: letter, plan: p), .letter, "14 days after the letter")
        XCTAssertEqual(try level("ganzhou", asOf: "2024-01-23", actions: letter, plan: p), .circular, "15 days unrectified")
        let caughtUp = Facts(progress: [
            ProgressFact(unitID: "ganzhou", task: nil, milestoneID: "S3.2-measures", status: .done, knownOn: try day("2024-01-15")),
            ProgressFact(unitID: "ganzhou", task: 7, milestoneID: "7.1", status: .done, knownOn: try day("2024-01-15")),
        ])
        XCTAssertEqual(try level("ganzhou", asOf: "2024-01-23", facts: caughtUp, actions: letter), .none, "caught up: off the list")
        XCTAssertEqual(try level("ganzhou", asOf: "2024-02-01", facts: caughtUp, actions: letter), .remind, "January's ledger due 02-05")
    }

    func testThresholdsComeFromThePlanFile() throws {
        var strict = try XCTUnwrap(plan)
        strict.escalation?.letter = LadderStep(daysOverdue: 5)
        XCTAssertEqual(try level("ganzhou", asOf: "2024-01-01"), .remind)
        XCTAssertEqual(try level("ganzhou", asOf: "2024-01-01", plan: strict), .letter)
    }
}
