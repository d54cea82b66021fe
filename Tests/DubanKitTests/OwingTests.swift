@testable import DubanKit
import XCTest

/// `Owing.units(owingEach:in:)` expands each list of owners once: the units are those
/// `units(owing:in:)` gives each milestone or task.
final class OwingTests: XCTestCase {
    var plan: Plan!

    override func setUpWithError() throws {
        plan = try loadZhangye()
    }

    func testEachMilestonesOwnersAreTheUnitsItNames() {
        let milestones = plan.milestones
        let lists = Set(milestones.map(\.owners)).count
        XCTAssertGreaterThan(lists, 1, "milestones naming different owners")
        XCTAssertLessThan(lists, milestones.count, "milestones naming the same owners")
        XCTAssertEqual(Owing.units(owingEach: milestones, in: plan).map { $0.map(\.id) },
                       milestones.map { Owing.units(owing: $0, in: plan).map(\.id) })
    }

    func testEachTasksOwnersAreTheUnitsItNames() {
        let tasks = plan.tasks
        let lists = Set(tasks.map { $0.lead + $0.responsible }).count
        XCTAssertGreaterThan(lists, 1, "tasks naming different units")
        XCTAssertLessThan(lists, tasks.count, "tasks naming the same units")
        XCTAssertEqual(Owing.units(owingEach: tasks, in: plan).map { $0.map(\.id) },
                       tasks.map { Owing.units(owing: $0, in: plan).map(\.id) })
    }
}
