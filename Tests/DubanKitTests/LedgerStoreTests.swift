import DubanKit
import Foundation
import GRDB
import XCTest

/// Recording ledgers: supersession, no-ops, status as of a date, the schema's guarantees.
final class LedgerStoreTests: XCTestCase {
    var plan: Plan!
    var store: LedgerStore!

    override func setUpWithError() throws {
        (plan, store) = try zhangyeLedgerStore()
    }

    func ledger(percent: Int = 30) throws -> Ledger {
        var l = try XCTUnwrap(LedgerLoader(diagnostics: DiagnosticCollector())
            .load(paths: [TestPaths.fixture("ledgers/good/ganzhou-2024-02.yaml")], plans: [plan.id: plan])?.first)
        l.entries[0].percent = percent
        return l
    }

    /// `history`'s records, collected.
    func records(unit: String? = nil, task: Int? = nil) throws -> [ProgressRecord] {
        var out: [ProgressRecord] = []
        try store.history(plan: plan.id, unit: unit, task: task) { records in try records { out.append($0) } }
        return out
    }

    func testIdenticalIsANoOpAndACorrectionSupersedes() throws {
        let first = try store.submit([try ledger()])
        XCTAssertEqual(first.first?.kind, .new)
        XCTAssertEqual(first.first?.newlyCompleted, ["7.1"])
        XCTAssertEqual(try store.submit([try ledger()]).first?.kind, .unchanged(existing: 1))
        let corrected = try store.submit([try ledger(percent: 35)])
        XCTAssertEqual(corrected.first?.kind, .correction(supersedes: 1))
        let history = try records(unit: "ganzhou", task: 2)
        XCTAssertEqual(history.map(\.percent), [35, 30])
        XCTAssertEqual(history.map(\.supersededBy), [nil, 2])
        let asOf = try XCTUnwrap(LocalDate(iso: "2024-03-31"))
        let cell = try store.statusMatrix(plan: plan.id, asOf: asOf).first { $0.unit == "ganzhou" && $0.task == 2 }
        XCTAssertEqual(cell?.record?.percent, 35)
        let before = try XCTUnwrap(LocalDate(iso: "2024-02-28"))
        XCTAssertNil(try store.statusMatrix(plan: plan.id, asOf: before).first { $0.unit == "ganzhou" && $0.task == 2 }?.record,
                     "a February ledger speaks for 2024-02-29")
        // One unit's cells, read alone, are the whole matrix's cells of that unit (and only those).
        let whole = try store.statusMatrix(plan: plan.id, asOf: asOf)
        for unit in ["ganzhou", "linze"] {
            let mine = try store.statusMatrix(plan: plan.id, asOf: asOf, unit: unit)
            let expected = whole.filter { $0.unit == unit }
            XCTAssertFalse(expected.isEmpty, unit)
            XCTAssertEqual(mine.map(\.unit), expected.map(\.unit), unit)
            XCTAssertEqual(mine.map(\.task), expected.map(\.task), unit)
            XCTAssertEqual(mine.map(\.record?.id), expected.map(\.record?.id), unit)
        }
    }

    func testDryRunWritesNothing() throws {
        let reports = try store.submit([try ledger()], dryRun: true)
        XCTAssertEqual(reports.first?.entries, 4)
        XCTAssertTrue(try records().isEmpty)
    }

    func testTheSchemaRefusesUpdatesDeletesAndBadValues() throws {
        _ = try store.submit([try ledger()])
        try store.database.writer.write { db in
            XCTAssertThrowsError(try db.execute(sql: "UPDATE progress_record SET percent = 99"))
            XCTAssertThrowsError(try db.execute(sql: "DELETE FROM ledger_submission"))
            XCTAssertThrowsError(try db.execute(sql: """
                INSERT INTO progress_record (plan_id, unit_id, task_number, status, percent, reported_on, origin, source, recorded_at)
                VALUES ('zhangye-2023-2025', 'ganzhou', 2, 'in_progress', 120, '2024-03-01', 'command', 'x', 'now')
                """), "percent CHECK")
            XCTAssertThrowsError(try db.execute(sql: """
                INSERT INTO progress_record (plan_id, unit_id, task_number, status, reported_on, origin, source, recorded_at)
                VALUES ('zhangye-2023-2025', 'nowhere', 2, 'in_progress', '2024-03-01', 'command', 'x', 'now')
                """), "unit foreign key")
        }
    }

    func testLatestRecordIsAnIndexSeek() throws {
        let plan = try store.database.writer.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN SELECT * FROM progress_record r WHERE r.id = (" + """
                SELECT r2.id FROM progress_record r2
                WHERE r2.plan_id = ? AND r2.unit_id = ? AND r2.task_number = ? AND r2.milestone_id IS ? AND r2.reported_on <= ?
                  AND NOT EXISTS (SELECT 1 FROM ledger_submission s WHERE s.supersedes_id = r2.submission_id)
                ORDER BY r2.reported_on DESC, r2.id DESC LIMIT 1)
                """, arguments: ["p", "u", 1, nil, "2024-01-01"]).map { $0["detail"] as String }
        }
        XCTAssertTrue(plan.contains { $0.contains("progress_record_latest") && $0.contains("reported_on<?") }, plan.joined(separator: "\n"))
        XCTAssertFalse(plan.contains { $0.contains("USE TEMP B-TREE") }, plan.joined(separator: "\n"))
    }

    func testProgressRecordIsAuditedAndCounts() throws {
        let date = try XCTUnwrap(LocalDate(iso: "2024-02-10"))
        let update = ProgressUpdate(planID: plan.id, unitID: "ganzhou", task: 7, milestone: "7.1", status: .done,
                                    date: date, note: "电话确认", source: "duban progress record …")
        XCTAssertTrue(update.problems(in: plan).isEmpty)
        try store.record(update)
        let r = try XCTUnwrap(try store.latest(plan: plan.id, unit: "ganzhou", task: 7, milestone: "7.1", asOf: date))
        XCTAssertEqual(r.completedOn, date)
        XCTAssertEqual(r.origin, "command")
        var wrong = update
        wrong.unitID = "finance"
        XCTAssertFalse(wrong.problems(in: plan).isEmpty, "市财政局 does not owe task 7")
    }

    /// `history` hands out each record as SQLite reads its row, from a cursor, never from a list
    /// made first (at country size 9.5 million records did not fit in 24 GB): a temporary view in
    /// front of `progress_record` counts the rows read. When a record is handed out, only the rows
    /// up to it have been read; a pass stopped early (its callback throws) reads no further, and a
    /// second pass reads the same records again.
    func testHistoryHandsOutRecordsAsTheyAreRead() throws {
        _ = try store.submit([try ledger()])
        _ = try store.submit([try ledger(percent: 35)])
        let total = try records().count
        XCTAssertEqual(total, 8)
        final class Counter: @unchecked Sendable { var rows = 0 }
        let read = Counter()
        try store.database.writer.writeWithoutTransaction { db in
            db.add(function: DatabaseFunction("counted", argumentCount: 1, pure: false) { _ in read.rows += 1; return true })
            try db.execute(sql: "CREATE TEMP VIEW progress_record AS SELECT * FROM main.progress_record WHERE counted(id)")
        }
        defer { _ = try? store.database.writer.writeWithoutTransaction { try $0.execute(sql: "DROP VIEW temp.progress_record") } }

        var readWhenHandedOut: [Int] = []
        var ids: [[Int64]] = []
        try store.history(plan: plan.id) { records in
            for _ in 0..<2 {
                read.rows = 0
                ids.append([])
                try records { r in
                    readWhenHandedOut.append(read.rows)
                    ids[ids.count - 1].append(r.id)
                }
            }
        }
        XCTAssertEqual(readWhenHandedOut, Array(1...total) + Array(1...total), "each record handed out as its row is read")
        XCTAssertEqual(ids[0], ids[1], "a second pass reads the same records")
        XCTAssertEqual(ids[0], ids[0].sorted(by: >), "newest first")

        struct Enough: Error {}
        read.rows = 0
        var handedOut = 0
        XCTAssertThrowsError(try store.history(plan: plan.id) { records in
            try records { _ in
                handedOut += 1
                if handedOut == 3 { throw Enough() }
            }
        }) { XCTAssertTrue($0 is Enough, "\($0)") }
        XCTAssertEqual(handedOut, 3)
        XCTAssertEqual(read.rows, 3, "the rows after the third were not read")
    }
}
