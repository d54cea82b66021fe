@testable import DubanKit
import Foundation
import GRDB
import XCTest

final class PlanStoreTests: XCTestCase {
    func plan(_ dir: String) throws -> Plan {
        let (plan, diagnostics) = loadPlan(dir)
        XCTAssertFalse(diagnostics.hasErrors, diagnostics.renderAll())
        return try XCTUnwrap(plan)
    }

    func testLoadStoresEveryRowAndReadsBackTheSamePlan() throws {
        let db = try checkedDatabase()
        let zhangye = try plan(TestPaths.zhangye)
        XCTAssertEqual(try PlanStore(db).load(zhangye, sourceDirectory: "x"), .created(version: 1))
        let stored = try XCTUnwrap(try PlanStore(db).plan(id: zhangye.id))
        XCTAssertEqual(stored.plan, zhangye)
        try db.writer.read { db in
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT count(*) FROM plan_task"), 24)
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT count(*) FROM category"), 6)
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT count(*) FROM milestone"), zhangye.milestones.count)
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT count(*) FROM milestone_due"),
                           zhangye.milestones.reduce(0) { $0 + $1.dueDates.count })
            // Task 7's milestone is owed by 市司法局, 13 enforcement departments and 6 counties.
            XCTAssertEqual(try Int.fetchOne(db, sql: """
                SELECT count(*) FROM milestone_owner o JOIN milestone m ON m.plan_id = o.plan_id AND m.id = o.milestone_id
                WHERE m.task_number = 7
                """), 19)
            XCTAssertEqual(try Int.fetchOne(db, sql: "PRAGMA foreign_keys"), 1)
        }
    }

    func testLoadingTheSamePlanAgainWritesNothing() throws {
        let db = try checkedDatabase()
        let mini = try plan(TestPaths.fixture("plans/mini"))
        _ = try PlanStore(db).load(mini, sourceDirectory: "a", now: Date(timeIntervalSince1970: 0))
        let before = try db.writer.read { try Row.fetchAll($0, sql: "SELECT * FROM plan_version") }
        XCTAssertEqual(try PlanStore(db).load(mini, sourceDirectory: "b", now: Date()), .unchanged(version: 1))
        let after = try db.writer.read { try Row.fetchAll($0, sql: "SELECT * FROM plan_version") }
        XCTAssertEqual(before, after)
    }

    func testAnEditedPlanBecomesANewVersionAndRetiresRatherThanDeletes() throws {
        let db = try checkedDatabase()
        let store = PlanStore(db)
        _ = try store.load(try plan(TestPaths.fixture("plans/mini")), sourceDirectory: "v1")
        // Version 2: task 2 removed, task 1 retitled, a unit renamed.
        let edited = try TestPaths.copyPlan(TestPaths.fixture("plans/mini"), edits: [
            "tasks.yaml": [("title: 加强培训", "title: 加强执法培训")],
            "units.yaml": [("name: 西县", "name: 西县区"), ("members: [east, 西县]", "members: [east, west]")],
        ])
        var v2 = try plan(edited)
        v2.tasks.removeAll { $0.number == 2 }
        guard case .updated(let version, let changes) = try store.load(v2, sourceDirectory: "v2") else {
            return XCTFail("expected an update")
        }
        XCTAssertEqual(version, 2)
        XCTAssertTrue(changes.contains(PlanChange(kind: .changed, entity: .task, id: "1", fields: ["title"])), "\(changes)")
        XCTAssertTrue(changes.contains(PlanChange(kind: .removed, entity: .task, id: "2", fields: [])))
        XCTAssertTrue(changes.contains(PlanChange(kind: .removed, entity: .milestone, id: "2.1", fields: [])))
        XCTAssertTrue(changes.contains(PlanChange(kind: .changed, entity: .unit, id: "west", fields: ["name"])))
        try db.writer.read { db in
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT retired_in_version FROM plan_task WHERE number = 2"), 2)
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT count(*) FROM plan_task WHERE retired_in_version IS NULL"), 1)
            XCTAssertEqual(try String.fetchOne(db, sql: "SELECT name FROM unit WHERE id = 'west'"), "西县区")
        }
        XCTAssertEqual(try store.versions(planID: "mini-2024").map(\.version), [1, 2])
        XCTAssertEqual(try store.plan(id: "mini-2024")?.plan.tasks.count, 1)
        // Restoring the task brings the same row back to life.
        _ = try store.load(try plan(edited), sourceDirectory: "v3")
        try db.writer.read { db in
            XCTAssertNil(try Int.fetchOne(db, sql: "SELECT retired_in_version FROM plan_task WHERE number = 2"))
        }
    }

    func testSchemaRefusesWhatTheModelForbids() throws {
        let db = try checkedDatabase()
        _ = try PlanStore(db).load(try plan(TestPaths.fixture("plans/mini")), sourceDirectory: "x")
        XCTAssertThrowsError(try db.writer.write { db in
            try db.execute(sql: "INSERT INTO task_unit (plan_id, task_number, unit_id, role) VALUES ('mini-2024', 99, 'east', 'lead')")
        }, "a task that does not exist")
        XCTAssertThrowsError(try db.writer.write { db in
            try db.execute(sql: "UPDATE unit SET kind = 'county' WHERE id = 'east'")
        }, "an unknown unit kind")
    }
}
