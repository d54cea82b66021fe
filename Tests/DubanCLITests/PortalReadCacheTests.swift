import DubanKit
@testable import DubanServer
import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import XCTest

/// The portal keeps the whole plan's overdue items and ledger grid per database state
/// (`ReadCache`, `DatabaseStamp`): a read repeated on an unchanged database computes nothing
/// again, and any commit, the portal's own or another process's, is seen by the next read.
final class PortalReadCacheTests: CLITestCase {
    final class Statements: @unchecked Sendable {
        private let lock = NSLock()
        private var texts: [String] = []
        func add(_ sql: String) { lock.withLock { texts.append(sql) } }
        func take() -> [String] { lock.withLock { defer { texts = [] }; return texts } }
    }

    /// On one connection (a `DatabaseQueue`, as `access: .write` opens): its own commits are
    /// told by SQLite's count of changes, another process's by `data_version`.
    func testOnOneConnectionASubmissionBetweenTwoReadsChangesTheSecond() async throws {
        try await checkEveryWriteIsSeen(access: .write)
    }

    /// On a reader pool (`duban serve`'s `access: .serve`): the writer's commits and another
    /// process's are both told to each reader by `data_version`.
    func testOnAReaderPoolASubmissionBetweenTwoReadsChangesTheSecond() async throws {
        try await checkEveryWriteIsSeen(access: .serve)
    }

    func checkEveryWriteIsSeen(access: DubanDatabase.Access) async throws {
        let cli = try CLIRunner()
        XCTAssertEqual(try cli.run(["plan", "load", CLIRunner.zhangye]).code, 0)
        var tokenOf: [String: String] = [:], passwordOf: [String: String] = [:]
        for (login, extra) in [("ganzhou-li", ["--unit", "甘州区", "--role", "liaison"]), ("sfj-wang", ["--role", "coordinator"])] {
            let added = try cli.run(["account", "add", "--login", login, "--name", "某某"] + extra)
            XCTAssertEqual(added.code, 0, added.stderr)
            passwordOf[login] = String(try XCTUnwrap(added.stdout.split(separator: " ").last).trimmingCharacters(in: .whitespacesAndNewlines))
            tokenOf[login] = try cli.run(["account", "token", login]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let (tokens, passwords) = (tokenOf, passwordOf)
        let database = try DubanDatabase(path: cli.db, access: access)
        let statements = Statements()
        if access == .write {
            try await database.writer.writeWithoutTransaction { db in db.trace(options: .statement) { statements.add($0.description) } }
        }
        let configuration = PortalConfiguration(host: "127.0.0.1", port: 0, database: database, planID: "zhangye-2023-2025",
                                                secureCookies: false, today: LocalDate(iso: "2024-04-10"), log: { _ in })
        let samples = CLIRunner.zhangye + "/samples/"
        try await PortalServer.makeApplication(configuration).test(.router) { client in
            let cookie = try await PortalRouteTests.signIn(client, "sfj-wang", try XCTUnwrap(passwords["sfj-wang"]))
            func get(_ path: String, as login: String) async throws -> String {
                let response = try await client.execute(uri: path, method: .get, headers: [.authorization: "Bearer \(tokens[login] ?? "")"])
                XCTAssertEqual(response.status, .ok, path)
                return String(buffer: response.body)
            }
            func owes(_ unit: String, _ period: String, as login: String = "sfj-wang") async throws -> Bool {
                let text = try await get("/api/v1/overdue", as: login)
                let items = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
                XCTAssertFalse(login == "ganzhou-li" && items.contains { $0["unit"] as? String != "ganzhou" }, "a liaison sees its own unit only")
                return items.contains { $0["unit"] as? String == unit && $0["kind"] as? String == "ledger" && $0["period"] as? String == period }
            }
            func cell(_ unit: String, _ period: String) async throws -> String? {
                let text = try await get("/api/v1/ledgers", as: "sfj-wang")
                let cells = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
                return cells.first { $0["unit"] as? String == unit && $0["period"] as? String == period }?["state"] as? String
            }
            func page(_ path: String) async throws -> String {
                let response = try await client.execute(uri: path, method: .get, headers: [.cookie: cookie])
                XCTAssertEqual(response.status, .ok, path)
                return String(buffer: response.body)
            }

            let owedBefore = try await owes("ganzhou", "2024-01")
            XCTAssertTrue(owedBefore, "nothing submitted: 甘州区 owes its January ledger")
            let againBefore = try await owes("ganzhou", "2024-01")
            XCTAssertTrue(againBefore)
            let liaisonBefore = try await owes("ganzhou", "2024-01", as: "ganzhou-li")
            XCTAssertTrue(liaisonBefore)
            let cellBefore = try await cell("ganzhou", "2024-01")
            XCTAssertEqual(cellBefore, "missing")
            let gridBefore = try await page("/ledgers")
            XCTAssertFalse(gridBefore.contains("#1<"), "no submission yet")
            if access == .write {
                _ = statements.take()
                _ = try await get("/api/v1/overdue", as: "sfj-wang")
                let repeated = statements.take()
                XCTAssertFalse(repeated.contains { $0.contains("supervision_action") },
                               "the same read on an unchanged database computes nothing again:\n\(repeated.joined(separator: "\n"))")
            }

            // The portal's own write.
            let posted = try await client.execute(uri: "/api/v1/ledgers?name=ganzhou-2024-01.yaml", method: .post,
                                                  headers: [.contentType: "application/yaml", .authorization: "Bearer \(tokens["ganzhou-li"] ?? "")"],
                                                  body: ByteBuffer(bytes: try Data(contentsOf: URL(fileURLWithPath: samples + "ganzhou-2024-01.yaml"))))
            XCTAssertEqual(posted.status, .created, String(buffer: posted.body))
            let owedAfter = try await owes("ganzhou", "2024-01")
            XCTAssertFalse(owedAfter, "the submission between two reads changes the second")
            let liaisonAfter = try await owes("ganzhou", "2024-01", as: "ganzhou-li")
            XCTAssertFalse(liaisonAfter)
            let cellAfter = try await cell("ganzhou", "2024-01")
            XCTAssertNotEqual(cellAfter, "missing")
            let gridAfter = try await page("/ledgers")
            XCTAssertTrue(gridAfter.contains("#1<"), "the grid names the new submission")

            // Another process's write (`duban ledger submit` beside the server).
            let linzeBefore = try await owes("linze", "2024-01")
            XCTAssertTrue(linzeBefore)
            let overduePage = try await page("/overdue")
            XCTAssertTrue(overduePage.contains("临泽县"))
            let submitted = try cli.run(["ledger", "submit", samples + "linze-2024-01.yaml"])
            XCTAssertEqual(submitted.code, 0, submitted.stderr)
            let linzeAfter = try await owes("linze", "2024-01")
            XCTAssertFalse(linzeAfter, "another process's submission is seen by the next read")
            let overduePageAfter = try await page("/overdue")
            XCTAssertNotEqual(overduePage, overduePageAfter, "the overdue page too")
        }
    }

    func testAValueIsKeptUnderItsStampOnlyAndPerConnection() throws {
        let cache = ReadCache()
        let day = try XCTUnwrap(LocalDate(iso: "2024-04-10"))
        let a = DatabaseStamp(connection: "duban.reader.1", dataVersion: 3, totalChanges: 0)
        XCTAssertEqual(cache.value(.overdueTable(day), stamp: a) { "first" }, "first")
        XCTAssertEqual(cache.value(.overdueTable(day), stamp: a) { "second" }, "first", "the same stamp: kept")
        XCTAssertEqual(cache.value(.overdueTable(day.adding(days: 1)), stamp: a) { "other day" }, "other day")
        let b = DatabaseStamp(connection: "duban.reader.1", dataVersion: 4, totalChanges: 0)
        XCTAssertEqual(cache.value(.overdueTable(day), stamp: b) { "after a commit" }, "after a commit")
        let c = DatabaseStamp(connection: "duban", dataVersion: 4, totalChanges: 1)
        XCTAssertEqual(cache.value(.overdueTable(day), stamp: c) { "own write" }, "own write")
        let d = DatabaseStamp(connection: "duban.reader.2", dataVersion: 4, totalChanges: 0)
        XCTAssertEqual(cache.value(.overdueTable(day), stamp: d) { "another reader" }, "another reader", "stamps are per connection")
        XCTAssertEqual(cache.computedCount, 5)
    }

    /// Requests that miss under the same stamp compute the value once: the second waits for the first's.
    func testAValueBeingComputedIsWaitedForNotComputedAgain() throws {
        let cache = ReadCache()
        let day = try XCTUnwrap(LocalDate(iso: "2024-04-10"))
        let stamp = DatabaseStamp(connection: "duban.stamps", dataVersion: 7, totalChanges: 0)
        let started = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0), done = DispatchSemaphore(value: 0)
        final class Box: @unchecked Sendable { var first = "", second = "" }
        let box = Box()
        Thread {
            box.first = cache.value(.overdueTable(day), stamp: stamp) { started.signal(); release.wait(); return "first" }
            done.signal()
        }.start()
        started.wait()
        Thread {
            box.second = cache.value(.overdueTable(day), stamp: stamp) { "second" }
            done.signal()
        }.start()
        Thread.sleep(forTimeInterval: 0.3) // the second is waiting by now (without the wait it has its own value already)
        release.signal()
        XCTAssertEqual(done.wait(timeout: .now() + 30), .success)
        XCTAssertEqual(done.wait(timeout: .now() + 30), .success)
        XCTAssertEqual([box.first, box.second], ["first", "first"])
        XCTAssertEqual(cache.computedCount, 1)
    }

    /// Stamps are read on a connection of their own: the same while nothing is committed, and
    /// another after a commit of the database's own connection, of a pool's writer, or of
    /// another process.
    func testAStampChangesWithEveryCommitAndOnlyThen() throws {
        let cli = try CLIRunner()
        XCTAssertEqual(try cli.run(["plan", "load", CLIRunner.zhangye]).code, 0)
        let queue = try DubanDatabase(path: cli.db, access: .write)
        let stamps = DatabaseStamper(queue)
        let first = try stamps.stamp()
        XCTAssertEqual(first.connection, "duban.stamps")
        XCTAssertEqual(try stamps.stamp(), first, "nothing committed")
        try AccountStore(queue).audit(account: nil, actor: "test", address: "-", action: "test", detail: "own write")
        let afterOwn = try stamps.stamp()
        XCTAssertNotEqual(afterOwn, first, "the database's own connection's commit")
        XCTAssertEqual(try cli.run(["ledger", "submit", CLIRunner.zhangye + "/samples/linze-2024-01.yaml"]).code, 0)
        let afterOther = try stamps.stamp()
        XCTAssertNotEqual(afterOther, afterOwn, "another process's commit")

        let pool = try DubanDatabase(path: cli.db, access: .serve)
        let poolStamps = DatabaseStamper(pool)
        let read = try poolStamps.stamp()
        XCTAssertEqual(try poolStamps.stamp(), read)
        try AccountStore(pool).audit(account: nil, actor: "test", address: "-", action: "test", detail: "the pool's writer")
        XCTAssertNotEqual(try poolStamps.stamp(), read, "the pool's writer's commit")
    }

    /// An in-memory database has one connection, which writes: its own changes tell.
    func testAnInMemoryDatabaseIsStampedOnItsOwnConnection() throws {
        let database = try DubanDatabase.inMemory()
        let stamps = DatabaseStamper(database)
        let first = try stamps.stamp()
        XCTAssertEqual(try stamps.stamp(), first)
        try AccountStore(database).audit(account: nil, actor: "test", address: "-", action: "test", detail: "own write")
        XCTAssertNotEqual(try stamps.stamp(), first)
    }
}
