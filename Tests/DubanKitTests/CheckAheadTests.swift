@testable import DubanKit
import Foundation
import GRDB
import XCTest

/// Files checked on a second thread (`CheckAhead`) come back in order, each with its own
/// findings; stopping early (as a failed submit does) ends the thread; a submit failing while the
/// thread is ahead writes nothing and restores the connection's pragmas.
final class CheckAheadTests: XCTestCase {
    static func checker() -> LedgerLoader.Checker {
        LedgerLoader.Checker(encoding: .auto, defaults: LedgerHeaderDefaults(), planIDs: [], plan: { _ in nil })
    }

    func testResultsComeInOrderAndStoppingEarlyEndsTheThread() throws {
        // Files whose format cannot be told from their name: each gets its own finding, at once.
        let paths = (0..<200).map { "/nonexistent/file-\($0).txt" }
        let ahead = CheckAhead(paths: paths) { CheckAheadTests.checker() }
        var seen: [String] = []
        while let check = ahead.next() {
            seen.append(check.path)
            XCTAssertEqual(check.findings.map(\.location.file), [check.path])
            XCTAssertNil(check.ledger)
        }
        ahead.stop()
        XCTAssertEqual(seen, paths)

        for taken in [0, 1, 3] {
            let early = CheckAhead(paths: paths) { CheckAheadTests.checker() }
            for _ in 0..<taken { XCTAssertNotNil(early.next()) }
            early.stop() // returns: the thread ends after the file it is on
        }
    }

    func testAFailureWhileFilesAreCheckedAheadWritesNothing() throws {
        let plan = try XCTUnwrap(loadPlan(TestPaths.zhangye).0)
        let database = try checkedDatabase()
        _ = try PlanStore(database).load(plan, sourceDirectory: "Plans/zhangye-2023-2025")
        // A stored plan that cannot be decoded: the first file naming it fails the submit.
        try database.writer.write { db in try db.execute(sql: "UPDATE plan_version SET plan_json = '{'") }
        let files = Array(repeating: TestPaths.fixture("ledgers/good/ganzhou-2024-02.yaml"), count: 20)
        XCTAssertThrowsError(try LedgerIngest(database).submit(paths: files, loader: LedgerLoader(diagnostics: DiagnosticCollector())))
        try database.writer.read { db in
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT count(*) FROM ledger_submission"), 0)
            XCTAssertEqual(try Bool.fetchOne(db, sql: "PRAGMA foreign_keys"), true)
            XCTAssertEqual(try Bool.fetchOne(db, sql: "PRAGMA ignore_check_constraints"), false)
        }
    }

    /// A file with errors that still reads as a ledger (an unknown key, a missing status) claims
    /// its unit and period as before the files were checked ahead: a second one for them is
    /// reported too, and the first file named is the earlier one.
    func testAFileWithErrorsStillClaimsItsUnitAndPeriod() throws {
        let plan = try XCTUnwrap(loadPlan(TestPaths.zhangye).0)
        let database = try checkedDatabase()
        _ = try PlanStore(database).load(plan, sourceDirectory: "Plans/zhangye-2023-2025")
        let good = TestPaths.fixture("ledgers/good/ganzhou-2024-02.yaml")
        let bad = TestPaths.fixture("ledgers/bad/unknown-key.yaml")
        for (files, claimed, duplicate) in [([good, bad], good, bad), ([bad, good], bad, good)] {
            let diagnostics = DiagnosticCollector()
            let outcome = try LedgerIngest(database).submit(paths: files, loader: LedgerLoader(diagnostics: diagnostics))
            XCTAssertFalse(outcome.succeeded)
            let found = diagnostics.errors.filter { $0.message.contains("is also the ledger of") }
            XCTAssertEqual(found.map(\.location.file), [duplicate], diagnostics.renderAll())
            XCTAssertTrue(found.first?.message.hasPrefix(claimed) ?? false, diagnostics.renderAll())
            XCTAssertTrue(diagnostics.errors.contains { $0.location.file == bad && $0.message.contains("unknown key") })
            // The same findings as reading them all first (`LedgerLoader.load`).
            let loaded = DiagnosticCollector()
            XCTAssertNil(LedgerLoader(diagnostics: loaded).load(paths: files, plans: [plan.id: plan]))
            XCTAssertEqual(diagnostics.renderAll(), loaded.renderAll())
        }
    }

    /// A ledger checked ahead without errors comes measured (its canonical JSON's length and
    /// fingerprint), so the recording thread does not measure it again; the submission stored
    /// from it holds exactly that content, that length and that fingerprint. A file with errors
    /// comes unmeasured.
    func testALedgerCheckedAheadComesMeasuredAsItIsStored() throws {
        let plan = try XCTUnwrap(loadPlan(TestPaths.zhangye).0)
        let good = TestPaths.fixture("ledgers/good/ganzhou-2024-02.yaml")
        let bad = TestPaths.fixture("ledgers/bad/unknown-key.yaml")
        let ahead = CheckAhead(paths: [good, bad]) {
            LedgerLoader.Checker(encoding: .auto, defaults: LedgerHeaderDefaults(), planIDs: [plan.id], plan: { $0 == plan.id ? plan : nil })
        }
        let first = try XCTUnwrap(ahead.next()), second = try XCTUnwrap(ahead.next())
        ahead.stop()
        let ledger = try XCTUnwrap(first.ledger)
        let measured = try XCTUnwrap(first.measured)
        let content = LedgerEncoding.canonical(ledger)
        XCTAssertEqual(measured.size, content.count)
        XCTAssertEqual(measured.fingerprint, PlanStore.fingerprint(String(decoding: content, as: UTF8.self)))
        XCTAssertTrue(second.findings.contains { $0.severity == .error })
        XCTAssertNil(second.measured)

        let database = try checkedDatabase()
        _ = try PlanStore(database).load(plan, sourceDirectory: "Plans/zhangye-2023-2025")
        let outcome = try LedgerIngest(database).submit(paths: [good], loader: LedgerLoader(diagnostics: DiagnosticCollector()))
        XCTAssertTrue(outcome.succeeded)
        try database.writer.read { db in
            let row = try XCTUnwrap(Row.fetchOne(db, sql: """
                SELECT s.content_hash, length(c.content_json) AS size, c.content_json FROM ledger_submission s
                JOIN ledger_content c ON c.submission_id = s.id
                """))
            XCTAssertEqual(row["content_hash"] as String, measured.fingerprint)
            XCTAssertEqual(row["size"] as Int, measured.size)
            XCTAssertEqual([UInt8](row["content_json"] as Data), content)
        }
    }
}
