@testable import DubanKit
import Foundation
import GRDB
import XCTest

/// `v19-ledger-content` moves each submission's content from `ledger_submission.content_json`
/// (TEXT, v2) into `ledger_content`: a database of v18 with submissions and a correction keeps
/// every submission row and id and every content byte for byte; resubmitting a ledger it holds is
/// then unchanged (its content is compared through the new table), a changed one is a correction
/// whose content is written there, and the new table is append-only.
final class LedgerContentMigrationTests: XCTestCase {
    /// `ledger_submission`'s columns in v18, with `content` where the content was.
    static func columns(_ id: String, _ content: String) -> String {
        """
        \(id), plan_id, unit_id, period, period_start, period_end, submitted_on, liaison_name, liaison_phone, source_file,
        source_format, content_hash, \(content), entry_count, supersedes_id, recorded_at, received_as
        """
    }

    func testAV18DatabaseKeepsEveryContentAndComparesAndWritesThroughTheNewTable() throws {
        let dir = try TestPaths.tempDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }

        // Submissions as v18 held them, written by the stores into a current database.
        let plan = try XCTUnwrap(loadPlan(TestPaths.zhangye).0)
        let currentPath = dir.appendingPathComponent("current.sqlite").path
        let current = try checkedDatabase(path: currentPath)
        _ = try PlanStore(current).load(plan, sourceDirectory: TestPaths.zhangye)
        let samples = try FileManager.default.contentsOfDirectory(atPath: TestPaths.zhangye + "/samples").sorted()
            .map { TestPaths.zhangye + "/samples/" + $0 }
        try ingest(samples, into: current)
        func ledger(_ path: String) throws -> Ledger {
            try XCTUnwrap(LedgerLoader(diagnostics: DiagnosticCollector()).load(paths: [path], plans: [plan.id: plan])?.first)
        }
        var corrected = try ledger(samples[3])
        corrected.entries[0].progress += "(更正)"
        let correction = try LedgerStore(current).submit([corrected])
        XCTAssertEqual(correction.map(\.kind), [.correction(supersedes: 4)])

        // The same rows in a database migrated up to v18 only, the content in v2's column.
        let oldPath = dir.appendingPathComponent("old.sqlite").path
        do {
            let queue = try DatabaseQueue(path: oldPath)
            try Migrations.migrator.migrate(queue, upTo: "v18-extension-deadlines")
            try queue.writeWithoutTransaction { db in
                try db.execute(sql: "ATTACH DATABASE ? AS cur", arguments: [currentPath])
                let tables = try String.fetchAll(db, sql: """
                    SELECT name FROM cur.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
                      AND name NOT IN ('grdb_migrations', 'ledger_content') AND name NOT LIKE 'owed\\_state%' ESCAPE '\\'
                    ORDER BY rowid
                    """)
                try db.inTransaction {
                    for t in tables {
                        // OR REPLACE: some tables hold a row their migration made.
                        try db.execute(sql: t != "ledger_submission" ? "INSERT OR REPLACE INTO main.\"\(t)\" SELECT * FROM cur.\"\(t)\"" : """
                            INSERT INTO main.ledger_submission (\(Self.columns("id", "content_json")))
                            SELECT \(Self.columns("s.id", "CAST(c.content_json AS TEXT)"))
                            FROM cur.ledger_submission s JOIN cur.ledger_content c ON c.submission_id = s.id ORDER BY s.id
                            """)
                    }
                    return .commit
                }
                try db.execute(sql: "DETACH DATABASE cur")
                XCTAssertEqual(try String.fetchAll(db, sql: "SELECT DISTINCT typeof(content_json) FROM ledger_submission"), ["text"])
                XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT count(*) FROM ledger_submission"), samples.count + 1)
            }
            try queue.close()
        }

        let old = try checkedDatabase(path: oldPath)
        XCTAssertEqual(old.migrated, ["v19-ledger-content", "v20-owed-states", "v21-owed-state-status"])
        for sql in ["SELECT * FROM ledger_submission ORDER BY id", "SELECT * FROM ledger_content ORDER BY submission_id",
                    "SELECT type, name, sql FROM sqlite_master WHERE tbl_name IN ('ledger_submission', 'ledger_content') ORDER BY name"] {
            let before = try current.writer.read { db in try Row.fetchAll(db, sql: sql).map(\.description) }
            let after = try old.writer.read { db in try Row.fetchAll(db, sql: sql).map(\.description) }
            XCTAssertEqual(after, before, sql)
            XCTAssertFalse(after.isEmpty, sql)
        }
        let contents = try old.writer.read { db in
            try Row.fetchAll(db, sql: """
                SELECT s.content_hash, c.content_json, typeof(c.content_json) AS type FROM ledger_submission s
                LEFT JOIN ledger_content c ON c.submission_id = s.id ORDER BY s.id
                """)
        }
        XCTAssertEqual(contents.count, samples.count + 1)
        for row in contents {
            XCTAssertEqual(row["type"] as String, "blob")
            let bytes = try XCTUnwrap(row["content_json"] as Data?)
            XCTAssertEqual(PlanStore.fingerprint(String(decoding: bytes, as: UTF8.self)), row["content_hash"] as String)
        }
        XCTAssertEqual(contents.last?["content_json"] as Data?, Data(corrected.canonicalJSON.utf8))

        // Compared through the new table: the same ledgers are unchanged, a change a correction.
        let store = LedgerStore(old)
        XCTAssertEqual(try store.submit([try ledger(samples[0])]).map(\.kind), [.unchanged(existing: 1)])
        XCTAssertEqual(try store.submit([corrected]).map(\.kind), [.unchanged(existing: Int64(samples.count + 1))])
        var again = corrected
        again.entries[0].progress += "(再更正)"
        XCTAssertEqual(try store.submit([again]).map(\.kind), [.correction(supersedes: Int64(samples.count + 1))])
        try old.writer.write { db in
            XCTAssertEqual(try Data.fetchOne(db, sql: "SELECT content_json FROM ledger_content ORDER BY submission_id DESC LIMIT 1"),
                           Data(again.canonicalJSON.utf8))
            XCTAssertThrowsError(try db.execute(sql: "UPDATE ledger_content SET content_json = x'00'"), "append-only")
            XCTAssertThrowsError(try db.execute(sql: "DELETE FROM ledger_content"), "append-only")
            XCTAssertThrowsError(try db.execute(sql: "INSERT INTO ledger_content VALUES (9999, x'00')"), "a submission's content")
        }
    }
}
