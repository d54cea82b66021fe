@testable import DubanKit
import Foundation
import GRDB
import XCTest

/// `v21-owed-state-status` makes `owed_state` again with its status checked by comparisons, not an
/// `IN` list (which SQLite evaluates through an ephemeral table opened for every row): a database
/// of v20, with rows derived, is not read from the emptied table until a write derives it again,
/// then holds what a current database holds; a plan with no record at all is derived too; the
/// new table refuses what the old one refused.
final class OwedStateStatusMigrationTests: XCTestCase {
    /// A database migrated up to v20 only, holding every row of `current` (made by the stores).
    func v20Copy(of currentPath: String, at path: String) throws {
        let queue = try DatabaseQueue(path: path)
        try Migrations.migrator.migrate(queue, upTo: "v20-owed-states")
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "ATTACH DATABASE ? AS cur", arguments: [currentPath])
            let tables = try String.fetchAll(db, sql: """
                SELECT name FROM cur.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
                  AND name <> 'grdb_migrations' ORDER BY rowid
                """)
            try db.inTransaction {
                // OR REPLACE: some tables hold a row their migration made.
                for t in tables { try db.execute(sql: "INSERT OR REPLACE INTO main.\"\(t)\" SELECT * FROM cur.\"\(t)\"") }
                return .commit
            }
            try db.execute(sql: "DETACH DATABASE cur")
            XCTAssertEqual(try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = 'owed_state'")?
                .contains("last_status IN ('not_started', 'in_progress', 'done')"), true, "v20's table")
        }
        try queue.close()
    }

    /// The Zhangye plan loaded by the stores into a current database in `dir` (its samples
    /// submitted when `samples`): the plan, the database and its path.
    func currentDatabase(in dir: URL, samples: Bool) throws -> (Plan, DubanDatabase, String) {
        let plan = try XCTUnwrap(loadPlan(TestPaths.zhangye).0)
        let path = dir.appendingPathComponent("current.sqlite").path
        let database = try checkedDatabase(path: path)
        _ = try PlanStore(database).load(plan, sourceDirectory: TestPaths.zhangye)
        if samples {
            try ingest(try FileManager.default.contentsOfDirectory(atPath: TestPaths.zhangye + "/samples").sorted()
                .map { TestPaths.zhangye + "/samples/" + $0 }, into: database)
        }
        return (plan, database, path)
    }

    func table(_ database: DubanDatabase) throws -> [String] {
        try database.writer.read { db in try Row.fetchAll(db, sql: "SELECT * FROM owed_state ORDER BY 1, 2, 3, 4, 5, 6, 7").map(\.description) }
    }

    func testAV20DatabaseIsDerivedAgainByTheNextWriteAndHoldsWhatACurrentOneHolds() throws {
        let dir = try TestPaths.tempDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (plan, current, currentPath) = try currentDatabase(in: dir, samples: true)
        let derived = try table(current)
        XCTAssertGreaterThan(derived.count, 100)

        let oldPath = dir.appendingPathComponent("old.sqlite").path
        try v20Copy(of: currentPath, at: oldPath)
        let old = try checkedDatabase(path: oldPath)
        XCTAssertEqual(old.migrated, ["v21-owed-state-status"])
        XCTAssertEqual(try table(old), [], "emptied")
        let asOf = try XCTUnwrap(LocalDate(iso: "2024-06-30"))
        XCTAssertNil(try old.writer.read { try OwedStates.openStates($0, plan: plan, asOf: asOf, units: nil) }, "not read")
        let computed = ItemStates.compute(plan: plan, facts: try SupervisionStore(old).facts(planID: plan.id), asOf: asOf).filter { !$0.isDone }
        let snapshot = try SupervisionSnapshot(database: old, plan: plan, asOf: asOf, openOnly: true) { !$0.isDone }
        XCTAssertEqual(snapshot.states, computed, "the lists compute from the records meanwhile")

        XCTAssertTrue(try old.updateDerivedTables())
        XCTAssertEqual(try table(old), derived)
        XCTAssertEqual(try old.writer.read { try OwedStates.openStates($0, plan: plan, asOf: asOf, units: nil) }, computed)
        XCTAssertFalse(try old.updateDerivedTables(), "up to date")
        let schema = "SELECT type, name, sql FROM sqlite_master WHERE tbl_name LIKE 'owed\\_state%' ESCAPE '\\' ORDER BY name"
        XCTAssertEqual(try old.writer.read { try Row.fetchAll($0, sql: schema).map(\.description) },
                       try current.writer.read { try Row.fetchAll($0, sql: schema).map(\.description) })
    }

    /// A plan loaded, nothing recorded: nothing was added since the mark, but the emptied table
    /// lacks the plan's rows, which the next write derives.
    func testAPlanWithoutRecordsIsDerivedAgainToo() throws {
        let dir = try TestPaths.tempDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (_, current, currentPath) = try currentDatabase(in: dir, samples: false)
        let derived = try table(current)
        XCTAssertFalse(derived.isEmpty)

        let oldPath = dir.appendingPathComponent("old.sqlite").path
        try v20Copy(of: currentPath, at: oldPath)
        let old = try checkedDatabase(path: oldPath)
        XCTAssertEqual(try table(old), [])
        XCTAssertTrue(try old.updateDerivedTables())
        XCTAssertEqual(try table(old), derived)
        XCTAssertFalse(try old.updateDerivedTables(), "up to date")
    }

    /// The comparisons refuse what the list refused and allow what it allowed; writing a row opens
    /// no ephemeral table (the program SQLite runs for an insert says so).
    func testTheStatusCheckRefusesWhatTheListRefusedWithoutAnEphemeralTable() throws {
        let (plan, database) = try generatedHistory()
        let insert = """
            INSERT INTO owed_state (plan_id, unit_id, milestone_rank, owner_rank, slot, valid_from, valid_until, kind, milestone_id,
                item_due, due, extended, last_status) VALUES (?, 'c0001', 0, 0, 99, '2024-03-01', '2024-04-01', 'ledger', NULL,
                '2024-01-01', '2024-01-01', 0, ?)
            """
        for status in ["finished", "", "Done"] {
            XCTAssertThrowsError(try database.writer.write { try $0.execute(sql: insert, arguments: [plan.id, status]) }, status)
        }
        for status in ["not_started", "in_progress", "done", nil] {
            try database.writer.write { db in
                try db.execute(sql: insert, arguments: [plan.id, status])
                try db.execute(sql: "DELETE FROM owed_state WHERE slot = 99")
            }
        }
        let program = try database.writer.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN " + insert, arguments: [plan.id, "done"]).map { $0["opcode"] as String }
        }
        XCTAssertTrue(program.contains("Insert") || program.contains("IdxInsert"), "\(program)")
        XCTAssertFalse(program.contains("OpenEphemeral"), "\(program)")
    }
}
