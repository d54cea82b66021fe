@testable import DubanKit
import Foundation
import GRDB
import XCTest

/// `SupervisionStore.facts(planID:asOf:plan:)` reads only the facts that can decide a date; the
/// states they give must be those of every record.
final class SupervisionStoreAsOfTests: XCTestCase {
    /// A done record completes an occurrence only in the period it is placed in. When later records
    /// repeat a completion date (ledgers carry a done milestone forward) and were stored before the
    /// one that completed it (a correction, or a late report, gets a later id), keeping the first
    /// `cap` copies of that date by id alone kept only the repeats and left the occurrence open.
    func testTheCopyThatCompletesAnOccurrenceIsReadWhenLaterCopiesWereStoredFirst() throws {
        let (loaded, diagnostics) = loadPlan(TestPaths.fixture("plans/mini"))
        let plan = try XCTUnwrap(loaded, diagnostics.renderAll())
        // One milestone recurs yearly 2024–2026: at most 3 copies of one completion date are read.
        XCTAssertEqual(plan.milestones.map(\.dueDates.count).max(), 3)
        let database = try checkedDatabase()
        _ = try PlanStore(database).load(plan, sourceDirectory: TestPaths.fixture("plans/mini"))
        // Three repeats reported in 2025 (placed in the 2025 occurrence, where a 2024 completion
        // completes nothing), then the report that completed 2024, stored last.
        try database.writer.write { db in
            for reported in ["2025-03-31", "2025-06-30", "2025-09-30", "2024-06-20"] {
                try db.execute(sql: """
                    INSERT INTO progress_record (plan_id, unit_id, task_number, milestone_id, status, percent, completed_on,
                        reported_on, origin, source, recorded_at)
                    VALUES (?, 'east', 1, '1.1', 'done', 100, '2024-06-20', ?, 'command', 'test', '2025-10-01T00:00:00Z')
                    """, arguments: [plan.id, reported])
            }
        }
        let store = SupervisionStore(database)
        let asOf = try XCTUnwrap(LocalDate(iso: "2025-10-10"))
        let all = ItemStates.compute(plan: plan, facts: try store.facts(planID: plan.id), asOf: asOf, units: ["east"])
        let read = ItemStates.compute(plan: plan, facts: try store.facts(planID: plan.id, asOf: asOf, plan: plan), asOf: asOf,
                                      units: ["east"])
        let first = try XCTUnwrap(all.first { $0.item.milestoneID == "1.1" && $0.item.due.description == "2024-12-31" },
                                  all.map { "\($0.item.milestoneID ?? "-") \($0.item.due)" }.joined(separator: ", "))
        XCTAssertEqual(first.doneOn?.description, "2024-06-20", "every record: the 2024 occurrence is done")
        XCTAssertEqual(read, all)
    }
    /// The facts are read from the records by the stored owed keys only when those cover every key
    /// the plan owes (each milestone's owners', each task's): with one owner missing, the units it
    /// concerns are read another way (`recordRows` is nil), the other units still by their keys.
    func testTheRecordsAreReadByTheStoredKeysOnlyWhenTheyCoverThePlansOwners() throws {
        let (loaded, diagnostics) = loadPlan(TestPaths.fixture("plans/mini"))
        let plan = try XCTUnwrap(loaded, diagnostics.renderAll())
        let database = try checkedDatabase()
        _ = try PlanStore(database).load(plan, sourceDirectory: TestPaths.fixture("plans/mini"))
        let asOf = try XCTUnwrap(LocalDate(iso: "2024-06-30"))
        func read(_ units: Set<String>?) throws -> Bool {
            try database.read { db in try SupervisionStore.recordRows(db, planID: plan.id, asOf: asOf, plan: plan, units: units) != nil }
        }
        XCTAssertTrue(try read(nil))
        XCTAssertTrue(try read(["east"]))
        // West owes milestone 1.1 (through 各县区人民政府): its stored owner row removed.
        XCTAssertTrue(Owing.units(owing: try XCTUnwrap(plan.milestones.first { $0.id == "1.1" }), in: plan).contains { $0.id == "west" })
        try database.writer.write { db in
            try db.execute(sql: "DELETE FROM milestone_owner WHERE plan_id = ? AND milestone_id = '1.1' AND unit_id = 'west'", arguments: [plan.id])
        }
        XCTAssertFalse(try read(nil), "every unit: west's key is missing")
        XCTAssertFalse(try read(["west"]))
        XCTAssertTrue(try read(["east"]), "east's keys are all stored")
    }
}
