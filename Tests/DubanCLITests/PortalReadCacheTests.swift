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

    /// Zhangye's plan loaded, a liaison of 甘州区 (`ganzhou-li`) and a coordinator (`sfj-wang`):
    /// their API tokens and passwords by login.
    func planAndAccounts(_ cli: CLIRunner) throws -> (tokens: [String: String], passwords: [String: String]) {
        XCTAssertEqual(try cli.run(["plan", "load", CLIRunner.zhangye]).code, 0)
        var tokenOf: [String: String] = [:], passwordOf: [String: String] = [:]
        for (login, extra) in [("ganzhou-li", ["--unit", "甘州区", "--role", "liaison"]), ("sfj-wang", ["--role", "coordinator"])] {
            let added = try cli.run(["account", "add", "--login", login, "--name", "某某"] + extra)
            XCTAssertEqual(added.code, 0, added.stderr)
            passwordOf[login] = String(try XCTUnwrap(added.stdout.split(separator: " ").last).trimmingCharacters(in: .whitespacesAndNewlines))
            tokenOf[login] = try cli.run(["account", "token", login]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return (tokenOf, passwordOf)
    }

    /// After an account's request that may write is answered, the stamp read then is kept as
    /// the state its reads must include (`WriteStampRecorder`, `WriteStamps`); a read keeps
    /// none, and another account's write is not its own.
    func testAWriteKeepsTheStateItsAccountsReadsMustInclude() async throws {
        let cli = try CLIRunner()
        let (tokens, _) = try planAndAccounts(cli)
        let database = try DubanDatabase(path: cli.db, access: .serve)
        let accounts = AccountStore(database)
        let liaison = try XCTUnwrap(try accounts.credentials(login: "ganzhou-li")?.account.id)
        let coordinator = try XCTUnwrap(try accounts.credentials(login: "sfj-wang")?.account.id)
        let timings = Statements()
        let configuration = PortalConfiguration(host: "127.0.0.1", port: 0, database: database, planID: "zhangye-2023-2025",
                                                secureCookies: false, today: LocalDate(iso: "2024-04-10"), log: { _ in },
                                                timings: { timings.add($0) })
        let routes = PortalRoutes(configuration: configuration, accounts: accounts)
        let sample = try Data(contentsOf: URL(fileURLWithPath: CLIRunner.zhangye + "/samples/ganzhou-2024-01.yaml"))
        try await PortalServer.makeApplication(configuration, routes: routes).test(.router) { client in
            let read = try await client.execute(uri: "/api/v1/overdue", method: .get, headers: [.authorization: "Bearer \(tokens["ganzhou-li"] ?? "")"])
            XCTAssertEqual(read.status, .ok)
            XCTAssertNil(routes.writes.needs(liaison), "a read keeps no state")
            let posted = try await client.execute(uri: "/api/v1/ledgers?name=ganzhou-2024-01.yaml", method: .post,
                                                  headers: [.contentType: "application/yaml", .authorization: "Bearer \(tokens["ganzhou-li"] ?? "")"],
                                                  body: ByteBuffer(bytes: sample))
            XCTAssertEqual(posted.status, .created, String(buffer: posted.body))
            let after = try routes.stamps.stamp()
            XCTAssertEqual(routes.writes.needs(liaison), after, "the state read once the submission was answered")
            XCTAssertNil(routes.writes.needs(coordinator), "another account's write is not the coordinator's")
            // `serve --log-timings`: a line per whole-plan read computed, per submission and per group commit.
            let lines = timings.take().joined()
            for expected in [#"- read overdue\(2024-04-10\) computed in \d+ ms under duban\.stamps@\d+\+0\n"#,
                             #"- ledger submission by ganzhou-li: waited \d+ ms for the gate, checked in \d+ ms, \d+ ms to resume, \d+ ms to be written\n"#,
                             #"- ledger group of 1 \(0 failed\), the first waited \d+ ms for the writer, written in \d+ ms, 0 waiting\n"#] {
                XCTAssertNotNil(lines.range(of: expected, options: .regularExpression), "\(expected) in:\n\(lines)")
            }
        }
    }

    func checkEveryWriteIsSeen(access: DubanDatabase.Access) async throws {
        let cli = try CLIRunner()
        let (tokens, passwords) = try planAndAccounts(cli)
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

    /// A settable stamp and a computation held until released, for `ReadCache` tests.
    final class Held: @unchecked Sendable {
        private let lock = NSLock()
        private var current: DatabaseStamp
        private var started = 0
        let release = DispatchSemaphore(value: 0)
        init(_ stamp: DatabaseStamp) { current = stamp }
        var stamp: DatabaseStamp {
            get { lock.withLock { current } }
            set { lock.withLock { current = newValue } }
        }
        var starts: Int { lock.withLock { started } }
        private var freed = false
        /// Lets the held computation go (and says so).
        func free() {
            lock.withLock { freed = true }
            release.signal()
        }
        var isFreed: Bool { lock.withLock { freed } }
        /// A computation that says it started and waits to be released.
        func held(_ value: String) -> @Sendable () -> String {
            { [self] in
                lock.withLock { started += 1 }
                release.wait()
                return value
            }
        }
        func waitForStarts(_ n: Int) async throws {
            let deadline = Date().addingTimeInterval(30)
            while starts < n, Date() < deadline { try await Task.sleep(nanoseconds: 5_000_000) }
            XCTAssertEqual(starts, n, "computations started")
        }
    }

    static func stamp(_ version: Int64, _ connection: String = "duban.stamps") -> DatabaseStamp {
        DatabaseStamp(connection: connection, dataVersion: version, totalChanges: 0)
    }

    /// What an operation left running gave, once it ended.
    final class Outcome<T: Sendable>: @unchecked Sendable {
        private let lock = NSLock()
        private var value: T?
        private var done = false
        func end(_ value: T?) { lock.withLock { (self.value, done) = (value, true) } }
        var ended: (done: Bool, value: T?) { lock.withLock { (done, value) } }
    }

    /// `operation` in a task of its own.
    static func spawn<T: Sendable>(_ operation: @escaping @Sendable () async throws -> T) -> Task<T, any Error> {
        Task { try await operation() }
    }

    /// `operation`'s value, or nil when it has not answered within `seconds` (it is left running).
    static func within<T: Sendable>(_ seconds: Double, _ operation: @escaping @Sendable () async throws -> T) async -> T? {
        let outcome = Outcome<T>()
        Task { outcome.end(try? await operation()) }
        let deadline = Date().addingTimeInterval(seconds)
        while !outcome.ended.done, Date() < deadline { try? await Task.sleep(nanoseconds: 5_000_000) }
        return outcome.ended.value
    }

    func testAValueIsKeptUnderItsStampAndComputedAgainAfterACommit() async throws {
        let day = try XCTUnwrap(LocalDate(iso: "2024-04-10"))
        let held = Held(Self.stamp(3))
        let cache = ReadCache(stamper: { held.stamp })
        let first = try await cache.value(.overdueTable(day), current: held.stamp, needs: nil) { "first" }
        XCTAssertEqual(first.value, "first")
        XCTAssertEqual(first.stamp, Self.stamp(3), "kept under the stamp read before it was computed")
        let again = try await cache.value(.overdueTable(day), current: held.stamp, needs: nil) { "second" }
        XCTAssertEqual(again.value, "first", "the same stamp: kept")
        let otherDay = try await cache.value(.overdueTable(day.adding(days: 1)), current: held.stamp, needs: nil) { "other day" }
        XCTAssertEqual(otherDay.value, "other day")
        held.stamp = Self.stamp(4)
        let after = try await cache.value(.overdueTable(day), current: held.stamp, needs: nil) { "after a commit" }
        XCTAssertEqual(after.value, "after a commit", "nothing running: a quiet server computes again and shows the commit")
        held.stamp = Self.stamp(4, "duban.reader.2")
        let other = try await cache.value(.overdueTable(day), current: held.stamp, needs: nil) { "another connection" }
        XCTAssertEqual(other.value, "another connection", "stamps of two connections are not compared")
        XCTAssertEqual(cache.computedCount, 4)
    }

    /// While one computation runs, a request is served the last value at once, and a request of
    /// an account that wrote after that value waits for the new one.
    func testWhileOneComputesOthersGetTheLastValueButAWriterWaitsForItsWrite() async throws {
        let day = try XCTUnwrap(LocalDate(iso: "2024-04-10"))
        let held = Held(Self.stamp(1))
        let cache = ReadCache(stamper: { held.stamp })
        _ = try await cache.value(.overdue(day), current: held.stamp, needs: nil) { "old" }
        held.stamp = Self.stamp(2) // a commit
        let make = held.held("new")
        let computing = Self.spawn { try await cache.value(.overdue(day), current: Self.stamp(2), needs: nil, make) }
        try await held.waitForStarts(1)

        let reader = await Self.within(10) { try await cache.value(.overdue(day), current: Self.stamp(2), needs: nil) { "a second run" } }
        XCTAssertEqual(reader?.value, "old", "served the last value without waiting for the run")
        XCTAssertEqual(reader?.stamp, Self.stamp(1))
        let olderWrite = await Self.within(10) { try await cache.value(.overdue(day), current: Self.stamp(2), needs: Self.stamp(1)) { "a second run" } }
        XCTAssertEqual(olderWrite?.value, "old", "an account whose last write the old value includes is served it too")

        let writer = Self.spawn { try await cache.value(.overdue(day), current: Self.stamp(2), needs: Self.stamp(2)) { "a second run" } }
        try await Task.sleep(nanoseconds: 300_000_000)
        XCTAssertEqual(cache.servedOlderCount, 2)
        held.release.signal()
        let computed = try await computing.value
        let written = try await writer.value
        XCTAssertEqual(computed.value, "new")
        XCTAssertEqual(written.value, "new", "the account that wrote after the old value waited for the new one")
        XCTAssertEqual(written.stamp, Self.stamp(2))
        XCTAssertEqual(held.starts, 1, "one computation")
        XCTAssertEqual(cache.servedOlderCount, 2, "the writer was not served the old value")
    }

    /// A request served the last value while the run was older than the stamp it read starts the
    /// next run when this one ends, with no request waiting for it; without such a request, none follows.
    func testARunBehindTheReadersIsFollowedByAnother() async throws {
        let day = try XCTUnwrap(LocalDate(iso: "2024-04-10"))
        let held = Held(Self.stamp(1))
        let cache = ReadCache(stamper: { held.stamp })
        _ = try await cache.value(.ledgerGrid(day), current: held.stamp, needs: nil) { "at 1" }
        held.stamp = Self.stamp(2)
        let make = held.held("later")
        let computing = Self.spawn { try await cache.value(.ledgerGrid(day), current: Self.stamp(2), needs: nil, make) }
        try await held.waitForStarts(1)
        held.stamp = Self.stamp(3) // a commit while it runs
        let reader = await Self.within(10) { try await cache.value(.ledgerGrid(day), current: Self.stamp(3), needs: nil) { "not this" } }
        XCTAssertEqual(reader?.value, "at 1")
        held.release.signal()
        let computed = try await computing.value
        XCTAssertEqual(computed.stamp, Self.stamp(2))
        try await held.waitForStarts(2)
        held.release.signal()
        let deadline = Date().addingTimeInterval(30)
        while cache.computedCount < 3, Date() < deadline { try await Task.sleep(nanoseconds: 5_000_000) }
        let fresh = try await cache.value(.ledgerGrid(day), current: Self.stamp(3), needs: nil) { "not this either" }
        XCTAssertEqual(fresh.stamp, Self.stamp(3), "the next run followed by itself, under the newer stamp")
        XCTAssertEqual(fresh.value, "later")
        XCTAssertEqual(cache.computedCount, 3)
        try await Task.sleep(nanoseconds: 200_000_000)
        XCTAssertEqual(held.starts, 2, "nobody was behind the second run: no third")
    }

    /// Requests waiting for a computation suspend: they hold none of the threads that run
    /// requests, however many there are (the computation runs on a queue of its own).
    func testWaitingHoldsNoThread() async throws {
        let day = try XCTUnwrap(LocalDate(iso: "2024-04-10"))
        let held = Held(Self.stamp(1))
        let cache = ReadCache(stamper: { held.stamp })
        let make = held.held("value")
        let waiters = ProcessInfo.processInfo.activeProcessorCount * 2 + 2
        // Were the waiting requests holding the threads, nothing else (this test included) would run
        // until the computation ended: it is let go after 10 s if nothing else does.
        let fallback = DispatchWorkItem { held.free() }
        DispatchQueue.global().asyncAfter(deadline: .now() + 10, execute: fallback)
        let all = Self.spawn {
            try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<waiters {
                    group.addTask { try await cache.value(.overdue(day), current: Self.stamp(1), needs: nil, make).value }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
        }
        try await held.waitForStarts(1)
        try await Task.sleep(nanoseconds: 200_000_000) // the others are waiting by now
        let ranWhileHeld = await Task.detached { !held.isFreed }.value
        fallback.cancel()
        XCTAssertTrue(ranWhileHeld, "other work ran while \(waiters) requests waited")
        held.free()
        let values = try await all.value
        XCTAssertEqual(values, Array(repeating: "value", count: waiters))
        XCTAssertEqual(held.starts, 1, "computed once")
    }

    /// What is rendered from a value is kept under that value's stamp exactly.
    func testARenderingIsKeptUnderItsValuesStamp() async throws {
        let day = try XCTUnwrap(LocalDate(iso: "2024-04-10"))
        let cache = ReadCache(stamper: { Self.stamp(1) })
        let first = try await cache.rendered(.overdueJSON(day), stamp: Self.stamp(1)) { "json 1" }
        let kept = try await cache.rendered(.overdueJSON(day), stamp: Self.stamp(1)) { "json again" }
        let next = try await cache.rendered(.overdueJSON(day), stamp: Self.stamp(2)) { "json 2" }
        let older = try await cache.rendered(.overdueJSON(day), stamp: Self.stamp(1)) { "json 1 again" }
        let newest = try await cache.rendered(.overdueJSON(day), stamp: Self.stamp(2)) { "not kept" }
        XCTAssertEqual([first, kept, next, older, newest], ["json 1", "json 1", "json 2", "json 1 again", "json 2"],
                       "an older value's rendering is made for it, and does not replace the newer one's")
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
