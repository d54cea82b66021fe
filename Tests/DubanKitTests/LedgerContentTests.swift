@testable import DubanKit
import Foundation
import GRDB
import XCTest

/// A resubmitted ledger's content is compared with the current submission's piece by piece
/// (`LedgerWriter`: the canonical JSON is never held whole but to be inserted): a ledger of
/// several pieces that differs only in its last entry, at the same length, is a correction; the
/// same ledger again is unchanged; what is stored (`ledger_content`, written through an
/// incremental blob handle) is the canonical JSON, byte for byte, and its fingerprint.
final class LedgerContentTests: XCTestCase {
    /// A current submission whose content row is gone (a damaged database) is said to be damaged,
    /// found by asking for the row, and nothing is written.
    func testACurrentSubmissionWithoutContentIsReportedAsDamaged() throws {
        let d = try LedgerStreamingTests.dataset.get()
        let database = try checkedDatabase()
        _ = try PlanStore(database).load(d.plan, sourceDirectory: "scale")
        let ledger = try XCTUnwrap(LedgerLoader(diagnostics: DiagnosticCollector()).load(paths: [d.files[0]], plans: [d.plan.id: d.plan])?.first)
        let store = LedgerStore(database)
        XCTAssertEqual(try store.submit([ledger]).map(\.kind), [.new])
        try database.writer.write { db in  // damage: the table is append-only by a trigger
            try db.execute(sql: "DROP TRIGGER ledger_content_no_delete; DELETE FROM ledger_content")
        }
        XCTAssertThrowsError(try store.submit([ledger])) { error in
            XCTAssertTrue("\(error)".contains("submission #1 has no content in ledger_content"), "\(error)")
        }
        XCTAssertEqual(try database.writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM ledger_submission") }, 1)
    }

    func testALedgerDifferingOnlyInItsLastPieceIsACorrectionAndTheSameIsUnchanged() throws {
        let d = try LedgerStreamingTests.dataset.get()
        let database = try checkedDatabase()
        _ = try PlanStore(database).load(d.plan, sourceDirectory: "scale")
        var ledger = try XCTUnwrap(LedgerLoader(diagnostics: DiagnosticCollector()).load(paths: [d.files[0]], plans: [d.plan.id: d.plan])?.first)
        for i in ledger.entries.indices {
            ledger.entries[i].progress = String(repeating: "推进", count: 400) + "\(i)"
        }
        let size = ledger.canonicalJSON.utf8.count
        XCTAssertGreaterThan(size, 2 * LedgerEncoding.chunk, "the content is given in several pieces")
        let store = LedgerStore(database)
        XCTAssertEqual(try store.submit([ledger]).map(\.kind), [.new])
        XCTAssertEqual(try store.submit([ledger]).map(\.kind), [.unchanged(existing: 1)])

        var changed = ledger
        let last = changed.entries.count - 1
        changed.entries[last].progress = "进展" + changed.entries[last].progress.dropFirst(2)
        XCTAssertEqual(changed.canonicalJSON.utf8.count, size, "the same length")
        XCTAssertNotEqual(changed.canonicalJSON, ledger.canonicalJSON)
        XCTAssertEqual(try store.submit([changed]).map(\.kind), [.correction(supersedes: 1)])
        XCTAssertEqual(try store.submit([changed]).map(\.kind), [.unchanged(existing: 2)])
        XCTAssertEqual(try store.submit([ledger]).map(\.kind), [.correction(supersedes: 2)], "back to the first: a change again")

        let stored = try database.writer.read { db in
            try Row.fetchAll(db, sql: """
                SELECT c.content_json, s.content_hash, typeof(c.content_json) AS type
                FROM ledger_submission s JOIN ledger_content c ON c.submission_id = s.id ORDER BY s.id
                """)
        }
        XCTAssertEqual(stored.count, 3, "one content per submission")
        for (row, expected) in zip(stored, [ledger, changed, ledger]) {
            XCTAssertEqual(row["content_json"] as Data, Data(expected.canonicalJSON.utf8), "written in pieces through the blob handle")
            XCTAssertEqual(row["content_json"] as Data, Data(expected.canonicalJSONEncoded.utf8), "JSONEncoder's bytes")
            XCTAssertEqual(row["content_hash"] as String, PlanStore.fingerprint(expected.canonicalJSON))
            XCTAssertEqual(row["type"] as String, "blob")
        }
    }
}
