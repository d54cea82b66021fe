import DubanKit
@testable import DubanServer
import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import XCTest

/// Pages that list several ledgers read their entries and evidence files in one query each,
/// however many ledgers they list (was: two queries a ledger on /reviews). Counted on the
/// database's one connection (a `DatabaseQueue`: `access: .write`) through SQLite's trace.
final class PortalQueryCountTests: CLITestCase {
    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var statements: [String] = []
        func add(_ sql: String) { lock.withLock { statements.append(sql) } }
        func take() -> [String] { lock.withLock { defer { statements = [] }; return statements } }
    }

    func testTheReviewQueueReadsEntriesAndEvidenceOnceForAllItsLedgers() async throws {
        let cli = try CLIRunner()
        let plan = try cli.copyOfZhangye(editing: "plan.yaml") {
            $0.replacingOccurrences(of: "  liaison_phone: required", with: "  review: required\n  liaison_phone: required")
        }
        XCTAssertEqual(try cli.run(["plan", "load", plan]).code, 0)
        let samples = CLIRunner.zhangye + "/samples"
        let files = ["ganzhou", "linze", "gaotai"].flatMap { unit in (1...2).map { "\(samples)/\(unit)-2024-0\($0).yaml" } }
        let submitted = try cli.run(["ledger", "submit"] + files)
        XCTAssertEqual(submitted.code, 0, submitted.stderr)
        let added = try cli.run(["account", "add", "--login", "sfj-wang", "--name", "某某", "--role", "coordinator"])
        let password = String(try XCTUnwrap(added.stdout.split(separator: " ").last).trimmingCharacters(in: .whitespacesAndNewlines))

        let database = try DubanDatabase(path: cli.db, access: .write)
        let counter = Counter()
        try await database.writer.writeWithoutTransaction { db in
            db.trace(options: .statement) { event in counter.add(event.description) }
        }
        let configuration = PortalConfiguration(host: "127.0.0.1", port: 0, database: database, planID: "zhangye-2023-2025",
                                                secureCookies: false, today: LocalDate(iso: "2024-04-10"), log: { _ in })
        try await PortalServer.makeApplication(configuration).test(.router) { client in
            let cookie = try await PortalRouteTests.signIn(client, "sfj-wang", password)
            _ = counter.take()
            let page = try await client.execute(uri: "/reviews", method: .get, headers: [.cookie: cookie])
            XCTAssertEqual(page.status, .ok)
            XCTAssertEqual(String(buffer: page.body).components(separatedBy: "<section class=\"review\"").count - 1, 6, "six ledgers pending")
            let statements = counter.take()
            XCTAssertEqual(statements.filter { $0.contains("FROM evidence_file") }.count, 1,
                           "the evidence of all six in one query:\n\(statements.joined(separator: "\n"))")
            XCTAssertEqual(statements.filter { $0.contains("FROM progress_record r WHERE r.submission_id") }.count, 1,
                           "the entries of all six in one query")
        }
    }
}
