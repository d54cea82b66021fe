@testable import DubanKit
import Foundation
import GRDB
import XCTest

/// `v18-extension-deadlines` makes `due_extension`, `extension_request` and `extension_decision`
/// again: a database of v17 with rows in all three keeps every row and id, its foreign keys hold,
/// and the new rule (a late approval of a timely request) can then be stored.
final class ExtensionDeadlinesMigrationTests: XCTestCase {
    func day(_ text: String) throws -> LocalDate { try XCTUnwrap(LocalDate(iso: text)) }

    func testAV17DatabaseKeepsEveryExtensionRowAndIdAndThenTakesALateApproval() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("v18-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }

        // Rows as v17 allowed them, written by the stores into a current database.
        let plan = try XCTUnwrap(loadPlan(TestPaths.zhangye).0)
        let currentPath = dir.appendingPathComponent("current.sqlite").path
        let current = try DubanDatabase(path: currentPath)
        _ = try PlanStore(current).load(plan, sourceDirectory: TestPaths.zhangye)
        let actor = AuditActor(accountID: nil, login: "cli:test", address: "local")
        let store = ExtensionRequestStore(current)
        let approved = try store.request(plan: plan, unitID: "linze", task: 15, milestone: "15.1", due: nil, newDue: try day("2025-03-31"),
                                         reason: "评估范围扩大", on: try day("2024-12-01"), by: actor)
        _ = try store.decide(plan: plan, id: approved.id, approve: true, reason: nil, on: try day("2024-12-02"), by: actor)
        let refused = try store.request(plan: plan, unitID: "gaotai", task: 15, milestone: "15.1", due: nil, newDue: try day("2025-03-31"),
                                        reason: "人手不足", on: try day("2024-12-01"), by: actor)
        _ = try store.decide(plan: plan, id: refused.id, approve: false, reason: "理由不充分", on: try day("2024-12-03"), by: actor)
        let pending = try store.request(plan: plan, unitID: "minle", task: 15, milestone: "15.1", due: nil, newDue: try day("2025-02-28"),
                                        reason: "待补材料", on: try day("2024-12-20"), by: actor)
        _ = try SupervisionStore(current).recordExtension(planID: plan.id, ExtensionFact(unitID: "shandan", milestoneID: "15.1",
            originalDue: try day("2024-12-31"), newDue: try day("2025-01-31"), grantedOn: try day("2024-12-10")), reason: "直接批准")

        // The same rows in a database migrated up to v17 only.
        let oldPath = dir.appendingPathComponent("old.sqlite").path
        do {
            let queue = try DatabaseQueue(path: oldPath)
            try Migrations.migrator.migrate(queue, upTo: "v17-calendar-tokens")
            try queue.writeWithoutTransaction { db in
                try db.execute(sql: "ATTACH DATABASE ? AS cur", arguments: [currentPath])
                let tables = try String.fetchAll(db, sql: """
                    SELECT name FROM cur.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name <> 'grdb_migrations'
                      AND name NOT LIKE 'owed\\_state%' ESCAPE '\\'
                    ORDER BY rowid
                    """)
                try db.inTransaction {
                    // OR REPLACE: some tables hold a row their migration made. Empty tables are left
                    // out: later migrations made some (v19: ledger_content) or changed their columns.
                    for t in tables where try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM cur.\"\(t)\")") == true {
                        try db.execute(sql: "INSERT OR REPLACE INTO main.\"\(t)\" SELECT * FROM cur.\"\(t)\"")
                    }
                    return .commit
                }
                try db.execute(sql: "DETACH DATABASE cur")
            }
            try queue.close()
        }

        let old = try DubanDatabase(path: oldPath, access: .write)
        XCTAssertEqual(old.migrated, ["v18-extension-deadlines", "v19-ledger-content", "v20-owed-states", "v21-owed-state-status"])
        for table in ["due_extension", "extension_request", "extension_decision"] {
            let sql = "SELECT * FROM \(table) ORDER BY id"
            let before = try current.writer.read { db in try Row.fetchAll(db, sql: sql).map(\.description) }
            let after = try old.writer.read { db in try Row.fetchAll(db, sql: sql).map(\.description) }
            XCTAssertEqual(after, before, table)
            XCTAssertFalse(after.isEmpty, table)
        }
        let schema = "SELECT type, name, sql FROM sqlite_master WHERE tbl_name IN ('due_extension', 'extension_request', 'extension_decision') ORDER BY name"
        XCTAssertEqual(try old.writer.read { db in try Row.fetchAll(db, sql: schema).map(\.description) },
                       try current.writer.read { db in try Row.fetchAll(db, sql: schema).map(\.description) })
        XCTAssertEqual(try old.writer.read { db in try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").count }, 0)
        XCTAssertEqual(try old.writer.read { db in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE name LIKE 'v18_saved%'") }, [])

        // What v17 refused: the timely request of 民乐县 approved after 2024-12-31.
        let late = try XCTUnwrap(try ExtensionRequestStore(old).decide(plan: plan, id: pending.id, approve: true, reason: nil,
                                                                        on: try day("2025-01-05"), by: actor))
        XCTAssertNotNil(late.decision?.extensionID)
        XCTAssertThrowsError(try old.writer.write { db in try db.execute(sql: "UPDATE due_extension SET reason = 'x'") }, "still append-only")
    }
}
