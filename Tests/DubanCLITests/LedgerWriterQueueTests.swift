import DubanKit
@testable import DubanServer
import Foundation
import XCTest

/// The portal's group commit (`LedgerWriterQueue`): submissions that wait for the writer together
/// are written in one transaction, each with its own receipt, `recorded_at` and audit line; an
/// invalid one is answered alone and nothing of it is recorded.
final class LedgerWriterQueueTests: CLITestCase {
    final class Held: @unchecked Sendable {
        let entered = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
    }

    func testSubmissionsWaitingTogetherAreOneGroupAndAnInvalidOneIsAnsweredAlone() async throws {
        let cli = try CLIRunner()
        XCTAssertEqual(try cli.run(["plan", "load", CLIRunner.zhangye]).code, 0)
        XCTAssertEqual(try cli.run(["account", "add", "--login", "sfj-wang", "--role", "coordinator", "--name", "王某某"]).code, 0)
        let database = try DubanDatabase(path: cli.db, access: .serve)
        let account = try XCTUnwrap(try AccountStore(database).account(login: "sfj-wang"))
        let served = try XCTUnwrap(try PlanCache().current(id: "zhangye-2023-2025", in: database))
        let writer = LedgerWriterQueue(database)

        // The writer is held inside a first group while the others arrive.
        let held = Held()
        let first = Task {
            try await writer.record(now: Date(), plan: nil) { _ in
                held.entered.signal()
                held.release.wait()
            }
        }
        held.entered.wait()

        let samples = CLIRunner.zhangye + "/samples/"
        let names = ["ganzhou-2024-01", "gaotai-2024-01", "broken-2024-01", "linze-2024-01", "minle-2024-01"]
        let start = Date(timeIntervalSince1970: 1_712_700_000)
        var uploads: [(name: String, bytes: [UInt8], at: Date)] = []
        for (i, name) in names.enumerated() {
            var text = try String(contentsOfFile: samples + name.replacingOccurrences(of: "broken", with: "shandan") + ".yaml", encoding: .utf8)
            if name.hasPrefix("broken") { text = text.replacingOccurrences(of: "unit: 山丹县", with: "unit: 不存在县") }
            uploads.append((name + ".yaml", Array(text.utf8), start.addingTimeInterval(Double(i) * 61)))
        }
        let day = try XCTUnwrap(LocalDate(iso: "2024-02-05"))
        let waiting = uploads.map { upload in
            var intake = LedgerIntake(database: database, plan: served.plan, planVersion: served.version, owed: served.owed,
                                      receivedOn: day, account: account, address: "10.0.0.1")
            intake.receivedAt = upload.at
            let checked = intake.check(upload.bytes, filename: upload.name, encoding: .auto)
            return Task { [intake] in
                try await writer.record(now: intake.receivedAt, plan: (intake.plan, intake.planVersion)) { try intake.record(checked, with: $0) }
            }
        }
        let deadline = Date().addingTimeInterval(30)
        while writer.waitingCount < names.count, Date() < deadline { try await Task.sleep(nanoseconds: 5_000_000) }
        XCTAssertEqual(writer.waitingCount, names.count)
        held.release.signal()
        try await first.value

        var receipts: [Int64] = []
        for (i, task) in waiting.enumerated() {
            switch try await task.value {
            case .recorded(let reports, _):
                XCTAssertNotEqual(i, 2)
                receipts += reports.compactMap(\.submissionID)
            case .invalid(let diagnostics, _):
                XCTAssertEqual(i, 2, "only the broken one is refused")
                XCTAssertTrue(diagnostics.contains { $0.message.contains("不存在县") }, "\(diagnostics)")
            default:
                XCTFail("upload \(i): unexpected outcome")
            }
        }
        XCTAssertEqual(Set(receipts).count, 4, "four receipts, each its own number")
        let statistics = writer.groupStatistics
        XCTAssertEqual(statistics.groups, 2, "the held group, then the five that waited together")
        XCTAssertEqual(statistics.largest, 5)

        let rows = try cli.run([], shell: "sqlite3 \"\(cli.db)\" 'SELECT id, unit_id, recorded_at FROM ledger_submission ORDER BY id'").stdout
        let expected = [0, 1, 3, 4].map { i in
            "\(receipts[[0, 1, 3, 4].firstIndex(of: i) ?? 0])|\(["ganzhou", "gaotai", "", "linze", "minle"][i])|\(Timestamp.iso(uploads[i].at))"
        }
        XCTAssertEqual(rows.split(separator: "\n").map(String.init), expected, "each recorded once, with its own recorded_at")
        let audit = try cli.run([], shell: "sqlite3 \"\(cli.db)\" \"SELECT action, at, address FROM audit_event WHERE action LIKE 'ledger.%' ORDER BY id\"").stdout
        XCTAssertEqual(audit.split(separator: "\n").map(String.init), uploads.indices.map { i in
            "\(i == 2 ? "ledger.rejected" : "ledger.submit")|\(Timestamp.iso(uploads[i].at))|10.0.0.1"
        }, "one audit line per submission, at its own time")
    }
}
