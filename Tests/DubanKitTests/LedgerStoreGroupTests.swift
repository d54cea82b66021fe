import Foundation
import GRDB
import XCTest
@testable import DubanKit

/// Group commit (`LedgerStore.recording(group:plan:)`): several submissions in one write
/// transaction, each in its own savepoint with its own `recorded_at` and audit line; one that
/// fails rolls back alone, the others commit, and the kept facts are folded in.
final class LedgerStoreGroupTests: XCTestCase {
    var plan: Plan!
    var store: LedgerStore!

    override func setUpWithError() throws {
        (plan, store) = try zhangyeLedgerStore()
    }

    func sample(_ name: String) throws -> Ledger {
        let path = TestPaths.zhangye + "/samples/\(name).yaml"
        let diagnostics = DiagnosticCollector()
        let ledger = LedgerLoader(diagnostics: diagnostics).load(paths: [path], plans: [plan.id: plan])?.first
        XCTAssertEqual(diagnostics.errors.count, 0, diagnostics.renderAll())
        return try XCTUnwrap(ledger)
    }

    /// Each grouped submission records its ledger and an audit line as `login`.
    func grouped(_ ledger: Ledger, login: String, at now: Date) -> LedgerStore.Grouped<SubmissionReport> {
        LedgerStore.Grouped(now: now) { recorder in
            let report = try recorder.record(ledger)
            try recorder.audit(AuditActor(accountID: nil, login: login, address: "127.0.0.1"), action: "ledger.submit",
                               detail: "\(report.unitID) \(report.period)")
            return report
        }
    }

    /// Two fail: one throws after writing its ledger (its savepoint is rolled back), one breaks a
    /// CHECK, which ends the whole transaction (`OR ROLLBACK`; the group is written again without
    /// it). Each gets its own error, nothing of either is written, the four others commit.
    func testFailingSubmissionsRollBackAloneAndTheOthersCommitEachWithItsOwnTime() throws {
        struct Refused: Error {}
        var bad = try sample("shandan-2024-01")
        // Refused by the percent CHECK at its second record, after its submission row was inserted.
        bad.entries[1].percent = 120
        let ledgers = [try sample("ganzhou-2024-01"), try sample("gaotai-2024-01"), bad, try sample("linze-2024-01"),
                       try sample("sunan-2024-01"), try sample("minle-2024-01")]
        let start = Date(timeIntervalSince1970: 1_712_700_000)
        let times = ledgers.indices.map { start.addingTimeInterval(Double($0) * 61) }
        var group = ledgers.indices.map { grouped(ledgers[$0], login: "liaison-\($0)", at: times[$0]) }
        let writtenThenRefused = group[4].body
        group[4].body = { recorder in
            _ = try writtenThenRefused(recorder)
            throw Refused()
        }

        let results = try store.recording(group: group, plan: (plan, 1))

        XCTAssertEqual(results.count, 6)
        guard case .failure(let error) = results[2] else { return XCTFail("the bad ledger fails: \(results[2])") }
        XCTAssertTrue(error is DatabaseError, "its own error: \(error)")
        guard case .failure(let refused) = results[4] else { return XCTFail("the refused one fails: \(results[4])") }
        XCTAssertTrue(refused is Refused, "its own error: \(refused)")
        let good = [0, 1, 3, 5]
        let reports = try good.map { try results[$0].get() }
        XCTAssertEqual(reports.map(\.kind), Array(repeating: .new, count: 4))
        let ids = reports.compactMap(\.submissionID)
        XCTAssertEqual(Set(ids).count, 4, "four receipts, each its own number")

        try store.database.writer.read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT id, unit_id, recorded_at FROM ledger_submission ORDER BY id")
            XCTAssertEqual(rows.map { $0["unit_id"] as String }, good.map { ledgers[$0].unitID }, "nothing of the two that failed")
            XCTAssertEqual(rows.map { $0["id"] as Int64 }, ids, "the receipts name the rows")
            for (row, i) in zip(rows, good) {
                let id: Int64 = row["id"]
                XCTAssertEqual(row["recorded_at"] as String, Timestamp.iso(times[i]), "each keeps its own recorded_at")
                let records = try Row.fetchAll(db, sql: "SELECT recorded_at FROM progress_record WHERE submission_id = ?", arguments: [id])
                XCTAssertEqual(records.count, ledgers[i].entries.count)
                XCTAssertEqual(Set(records.map { $0["recorded_at"] as String }), [Timestamp.iso(times[i])])
            }
            for failed in [2, 4] {
                XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT count(*) FROM progress_record WHERE unit_id = ?",
                                                arguments: [ledgers[failed].unitID]), 0)
            }
            let audit = try Row.fetchAll(db, sql: "SELECT actor, at, detail FROM audit_event ORDER BY id")
            XCTAssertEqual(audit.map { $0["actor"] as String }, good.map { "liaison-\($0)" }, "one audit line per recorded submission")
            XCTAssertEqual(audit.map { $0["at"] as String }, good.map { Timestamp.iso(times[$0]) })
            XCTAssertTrue(try CurrentFacts.isCurrent(db, plan: plan), "the kept facts are folded in with the group")
        }
    }

    /// Each submission sees those before it in the group: the same unit and period twice is a
    /// correction of the first, and the same content again is unchanged, as one after the other.
    func testLaterSubmissionsSeeTheEarlierOnesOfTheirGroup() throws {
        let first = try sample("ganzhou-2024-01")
        var corrected = first
        corrected.entries[0].percent = (first.entries[0].percent ?? 0) == 50 ? 60 : 50
        let now = Date(timeIntervalSince1970: 1_712_700_000)
        let results = try store.recording(group: [grouped(first, login: "a", at: now), grouped(corrected, login: "b", at: now),
                                                  grouped(corrected, login: "c", at: now)])
        let reports = try results.map { try $0.get() }
        XCTAssertEqual(reports[0].kind, .new)
        XCTAssertEqual(reports[1].kind, .correction(supersedes: try XCTUnwrap(reports[0].submissionID)))
        XCTAssertEqual(reports[2].kind, .unchanged(existing: try XCTUnwrap(reports[1].submissionID)))
    }

    /// `undoable`: what its body wrote is rolled back when it throws; what came before is kept.
    func testUndoableRollsBackItsOwnWritesOnly() throws {
        struct Refused: Error {}
        let actor = AuditActor(accountID: nil, login: "x", address: "127.0.0.1")
        let results = try store.recording(group: [LedgerStore.Grouped(now: Date()) { recorder -> String in
            try recorder.audit(actor, action: "kept", detail: "")
            do {
                try recorder.undoable {
                    _ = try recorder.record(try self.sample("ganzhou-2024-01"))
                    throw Refused()
                }
            } catch is Refused {
                try recorder.audit(actor, action: "after", detail: "")
            }
            return "done"
        }])
        XCTAssertEqual(try results[0].get(), "done")
        try store.database.writer.read { db in
            XCTAssertEqual(try String.fetchAll(db, sql: "SELECT action FROM audit_event ORDER BY id"), ["kept", "after"])
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT count(*) FROM ledger_submission"), 0)
        }
    }
}
