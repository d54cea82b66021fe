import Foundation
import GRDB
import XCTest
@testable import DubanKit

/// `owed_state` (open states as versions, kept by every write): the open states read from it equal
/// the computed ones on every date; folding write by write, in batches, makes what one rebuild
/// makes; a table behind the records, derived by another version or from another plan is not read.
final class OwedStatesTests: XCTestCase {
    func dataset() throws -> (Plan, DubanDatabase) { try generatedHistory() }

    /// Every 3rd day from before the first ledger to after the last.
    static let dates = stride(from: -10, through: 340, by: 3).map { LocalDate(dayNumber: LocalDate(iso: "2024-01-01")!.dayNumber + $0) }

    func stored(_ database: DubanDatabase, _ plan: Plan, _ asOf: LocalDate, units: Set<String>? = nil) throws -> [ItemState]? {
        try database.writer.read { try OwedStates.openStates($0, plan: plan, asOf: asOf, units: units) }
    }

    func computed(_ database: DubanDatabase, _ plan: Plan, _ asOf: LocalDate) throws -> [ItemState] {
        ItemStates.compute(plan: plan, facts: try SupervisionStore(database).facts(planID: plan.id), asOf: asOf).filter { !$0.isDone }
    }

    func table(_ database: DubanDatabase) throws -> [String] {
        try database.writer.read { db in
            try String.fetchAll(db, sql: """
                SELECT plan_id || '|' || unit_id || '|' || milestone_rank || '|' || owner_rank || '|' || slot || '|' || valid_from || '|'
                    || valid_until || '|' || kind || '|' || quote(milestone_id) || '|' || item_due || '|' || due || '|' || extended
                    || '|' || quote(last_status) || '|' || quote(last_percent) || '|' || quote(last_reported_on)
                FROM owed_state ORDER BY 1
                """)
        }
    }

    func testTheStoredOpenStatesAreTheComputedOnesOnEveryDate() throws {
        let (plan, database) = try dataset()
        let extended = try database.writer.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM owed_state WHERE extended = 1") }
        XCTAssertGreaterThan(extended ?? 0, 0, "the extension shows")
        for asOf in Self.dates {
            XCTAssertEqual(try stored(database, plan, asOf), try computed(database, plan, asOf), "as of \(asOf)")
        }
        // A unit's own: the states of those units, in the same order.
        let asOf = try XCTUnwrap(LocalDate(iso: "2024-06-30"))
        let units: Set<String> = ["c0001", "c0003"]
        XCTAssertEqual(try stored(database, plan, asOf, units: units), try computed(database, plan, asOf).filter { units.contains($0.item.unitID) })
        // The snapshot the lists read takes them.
        let snapshot = try SupervisionSnapshot(database: database, plan: plan, asOf: asOf, openOnly: true) { $0.isOverdue(asOf: asOf) }
        XCTAssertEqual(snapshot.states, try computed(database, plan, asOf).filter { $0.isOverdue(asOf: asOf) })
        XCTAssertFalse(snapshot.states.isEmpty)
        // `dueBy` reads no state due later, and every state due by then (the day itself included).
        for asOf in Self.dates {
            let all = try XCTUnwrap(try stored(database, plan, asOf))
            for dueBy in Set(all.map(\.due)).sorted().prefix(4) + [asOf] {
                let read = try database.writer.read { try OwedStates.openStates($0, plan: plan, asOf: asOf, units: nil, dueBy: dueBy) }
                XCTAssertEqual(read, all.filter { $0.due <= dueBy }, "as of \(asOf), due by \(dueBy)")
            }
        }
    }

    func testFoldingWriteByWriteInBatchesMakesWhatOneRebuildMakes() throws {
        let (_, database) = try dataset()
        let folded = try table(database)
        XCTAssertGreaterThan(folded.count, 100)
        XCTAssertTrue(folded.contains { $0.contains("|ledger|") } && folded.contains { $0.contains("|milestone|") })
        for size in [1, 3, OwedStates.batch] {
            try database.writer.write { db in
                try OwedStates.reset(db)
                try OwedStates.fold(db, batch: size)
            }
            XCTAssertEqual(try table(database), folded, "batches of \(size)")
        }
        XCTAssertEqual(try database.rebuildDerivedTables().versions, folded.count)
        XCTAssertEqual(try table(database), folded)
    }

    /// Folds `owed_state` alone (the records already in, `current_fact` folded first); returns
    /// the rows the fold inserted, deleted or updated.
    func foldCountingChanges(_ database: DubanDatabase) throws -> Int {
        try database.writer.write { db in
            try CurrentFacts.fold(db)
            let before = db.totalChangesCount
            try OwedStates.fold(db)
            return db.totalChangesCount - before
        }
    }

    /// Each write's fold deletes and inserts only the rows whose versions it changes (plus the
    /// mark), not every row valid after the unit's last change day; and what it leaves is what a
    /// rebuild makes and answers as `ItemStates.compute` on every date. Writes: a command update
    /// of a task, and a catch-up (已完成 for an earlier occurrence of a recurring milestone, named
    /// explicitly), on top of the dataset's corrections, returns and extension.
    func testAFoldRewritesOnlyTheRowsItChanges() throws {
        let (plan, database) = try dataset()
        let (unit, milestone) = try XCTUnwrap(plan.milestones.lazy.compactMap { m in
            Occurrences(m).frequency == nil ? nil : Owing.units(owing: m, in: plan).first.map { ($0, m) }
        }.first)
        let occurrence = try XCTUnwrap(Occurrences(milestone).list.first?.period).description
        let writes: [(sql: String, arguments: StatementArguments)] = [
            ("""
             INSERT INTO progress_record (plan_id, unit_id, task_number, status, percent, reported_on, origin, source, recorded_at)
             VALUES (?, 'c0001', 1, 'in_progress', 60, '2024-07-15', 'command', 'test', '2024-07-15T00:00:00Z')
             """, [plan.id]),
            ("""
             INSERT INTO progress_record (plan_id, unit_id, task_number, milestone_id, status, percent, completed_on, reported_on,
                 origin, source, recorded_at, occurrence)
             VALUES (?, ?, ?, ?, 'done', 100, '2024-08-10', '2024-08-10', 'command', 'test', '2024-08-10T00:00:00Z', ?)
             """, [plan.id, unit.id, milestone.task, milestone.id, occurrence]),
        ]
        for (sql, arguments) in writes {
            let before = Set(try table(database))
            try database.writer.write { try $0.execute(sql: sql, arguments: arguments) }
            let changes = try foldCountingChanges(database)
            let after = Set(try table(database))
            XCTAssertNotEqual(before, after, "the write changes some versions")
            XCTAssertEqual(changes, before.subtracting(after).count + after.subtracting(before).count + 1,
                           "rows deleted and inserted, and the mark")
            XCTAssertGreaterThan(after.intersection(before).count, changes, "most rows stay")
        }
        let folded = try table(database)
        for asOf in Self.dates {
            XCTAssertEqual(try stored(database, plan, asOf), try computed(database, plan, asOf), "as of \(asOf)")
        }
        _ = try database.rebuildDerivedTables()
        XCTAssertEqual(try table(database), folded)
    }

    /// A stored row that is not what its unit's versions derive (here a still-valid ledger row
    /// marked extended) is replaced by the next fold of its unit, though its place and days match.
    func testARowStoredOtherwiseThanDerivedIsReplacedByTheNextFoldOfItsUnit() throws {
        let (plan, database) = try dataset()
        let derived = try table(database)
        try database.writer.write { db in
            try db.execute(sql: """
                UPDATE owed_state SET extended = 1 WHERE (plan_id, valid_until, unit_id, milestone_rank, owner_rank, slot) IN (
                    SELECT plan_id, valid_until, unit_id, milestone_rank, owner_rank, slot FROM owed_state
                    WHERE unit_id = 'c0001' AND kind = 'ledger' AND valid_until = '9999-12-31' ORDER BY valid_from DESC LIMIT 1)
                """)
            XCTAssertEqual(db.changesCount, 1)
        }
        XCTAssertNotEqual(try table(database), derived)
        try insertRecordWithoutFold(database, plan: plan)
        XCTAssertTrue(try database.updateDerivedTables())
        let folded = try table(database)
        _ = try database.rebuildDerivedTables()
        XCTAssertEqual(folded, try table(database))
    }

    /// A record written without a fold (an older duban, a hand-made INSERT): the table is behind and
    /// not read; the snapshot computes; the next write folds it in.
    func testATableBehindTheRecordsIsNotReadAndTheNextWriteFoldsIt() throws {
        let (plan, database) = try dataset()
        let asOf = try XCTUnwrap(LocalDate(iso: "2024-12-31"))
        try insertRecordWithoutFold(database, plan: plan)
        XCTAssertNil(try stored(database, plan, asOf))
        let snapshot = try SupervisionSnapshot(database: database, plan: plan, asOf: asOf, openOnly: true) { !$0.isDone }
        XCTAssertEqual(snapshot.states, try computed(database, plan, asOf))
        XCTAssertTrue(try database.updateDerivedTables())
        XCTAssertEqual(try stored(database, plan, asOf), try computed(database, plan, asOf))
        XCTAssertFalse(try database.updateDerivedTables(), "up to date: nothing to do")
    }

    /// Rows derived by another version of the code, or from another plan, are not read even when
    /// they would answer otherwise; the next write derives them again.
    func testATableOfAnotherVersionOrPlanIsNotRead() throws {
        let (plan, database) = try dataset()
        let asOf = try XCTUnwrap(LocalDate(iso: "2024-09-30"))
        let truth = try computed(database, plan, asOf)
        let derived = try table(database)
        try database.writer.write { try $0.execute(sql: "DELETE FROM owed_state WHERE kind = 'ledger'") }
        XCTAssertNotEqual(try stored(database, plan, asOf), truth, "read as current, these rows would answer otherwise")
        try database.writer.write {
            try $0.execute(sql: "UPDATE derived_version SET version = ? WHERE name = 'owed_state'", arguments: [OwedStates.version + 1])
        }
        XCTAssertNil(try stored(database, plan, asOf))
        try SupervisionStore(database).recordAction(planID: plan.id, unitID: "c0001", level: .letter, takenOn: asOf, task: nil,
                                                    reference: nil, note: nil)
        XCTAssertEqual(try table(database), derived, "the next write derives it again")
        XCTAssertEqual(try stored(database, plan, asOf), truth)

        var other = plan
        other.title += " (修订)"
        XCTAssertNil(try stored(database, other, asOf), "rows of another plan's content")
        _ = try PlanStore(database).load(other, sourceDirectory: "changed")
        XCTAssertEqual(try stored(database, other, asOf), try computed(database, other, asOf), "a plan load derives them for the new plan")
        XCTAssertNil(try stored(database, plan, asOf))
    }

    /// A reader that has the stored plan names it by its stored text's hash (not encoding the plan
    /// again): that hash is the plan's, and a hash of other content is not read as current.
    func testTheStoredPlansHashNamesThePlanTheTableWasDerivedFrom() throws {
        let (plan, database) = try dataset()
        let asOf = try XCTUnwrap(LocalDate(iso: "2024-09-30"))
        let stored = try XCTUnwrap(try PlanStore(database).plan(id: plan.id))
        XCTAssertEqual(stored.planSHA256, try OwedStates.sha256(stored.plan))
        let read = { (sha: String) in
            try database.writer.read { try OwedStates.openStates($0, plan: stored.plan, planSHA256: sha, asOf: asOf, units: nil) }
        }
        XCTAssertEqual(try read(stored.planSHA256), try computed(database, plan, asOf))
        var other = plan
        other.title += " (修订)"
        XCTAssertNil(try read(try OwedStates.sha256(other)), "the hash given, not the plan's, says whose rows to read")
        _ = try PlanStore(database).load(other, sourceDirectory: "changed")
        XCTAssertNil(try read(stored.planSHA256), "derived again for the plan loaded since")
        let now = try XCTUnwrap(try PlanStore(database).plan(id: plan.id))
        XCTAssertEqual(now.planSHA256, try OwedStates.sha256(other))
        XCTAssertEqual(try database.writer.read { try OwedStates.openStates($0, plan: now.plan, planSHA256: now.planSHA256, asOf: asOf, units: nil) },
                       try computed(database, other, asOf))
    }

    /// The schema refuses a version that ends before it starts and a row of no unit of the plan.
    func testTheSchemaChecksItsRows() throws {
        let (plan, database) = try dataset()
        let insert = """
            INSERT INTO owed_state (plan_id, unit_id, milestone_rank, owner_rank, slot, valid_from, valid_until, kind, milestone_id,
                item_due, due, extended) VALUES (?, ?, 0, 0, 99, '2024-03-01', ?, 'ledger', NULL, '2024-01-01', '2024-01-01', 0)
            """
        for (unit, until) in [("c0001", "2024-02-01"), ("no-such-unit", "2024-04-01"), ("c0001", "2024-13-01")] {
            XCTAssertThrowsError(try database.writer.write { try $0.execute(sql: insert, arguments: [plan.id, unit, until]) }, "\(unit) \(until)")
        }
        try database.writer.write { try $0.execute(sql: insert, arguments: [plan.id, "c0001", "2024-04-01"]) }
        try database.writer.write { try $0.execute(sql: "DELETE FROM owed_state WHERE slot = 99") }
    }
}
