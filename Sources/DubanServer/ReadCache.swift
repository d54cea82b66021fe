import DubanKit
import Dispatch
import Foundation

/// What the read pages and API calls compute from the facts of the whole plan (every unit's
/// overdue items, the ledger grid) and the bytes they render for an account that reads every unit,
/// kept per database state: each value is kept with the `DatabaseStamp` read just before it was
/// computed, and each request reads the current stamp first. Callers that may read fewer units
/// filter the whole plan's values by their units afterwards (`Permissions.readableUnits`).
///
/// A whole-plan value (`value`) is served:
/// - when it was computed under the current stamp (nothing committed since);
/// - else, while ONE computation of it runs, the last one computed (a page shows the database as
///   it was at most one computation ago), unless the account asking wrote since that value's stamp
///   (`needs`: the stamp read after its last write, `WriteStamps`): then it waits for a value that
///   includes its write. A liaison who just submitted sees the submission on the next page.
/// - else (nothing runs: a quiet server) the request starts a computation and waits for it: on a
///   quiet server every read shows every commit, the portal's or another process's.
/// Under load the computations follow each other: one that ends after a request was served a
/// value older than the stamp the request read starts the next, so the values keep up with the
/// commits without every reader waiting for each.
///
/// Waiting never holds a thread: requests suspend (continuations), and computations run on a
/// dispatch queue of their own, one at a time, off the threads that serve requests.
///
/// What is rendered from a value (`rendered`) is kept under that value's stamp exactly, and made
/// once per stamp (others wait for it).
///
/// At most `maxValues` keys are kept, the oldest going first (the `as_of` dates asked vary).
final class ReadCache: @unchecked Sendable {
    /// What is kept: each value is computed for one `as_of` day.
    enum Key: Hashable, CustomStringConvertible {
        /// `[SupervisionJSON.Item]`: every unit's overdue items.
        case overdue(LocalDate)
        /// `[UInt8]`: their JSON (`GET /api/v1/overdue` without `unit=`, for an account reading every unit).
        case overdueJSON(LocalDate)
        /// `String`: their table on the overdue page, with the unit column.
        case overdueTable(LocalDate)
        /// `[LedgerCell]`: every unit's cells of the ledger grid.
        case ledgerGrid(LocalDate)
        /// `[UInt8]`: their JSON (`GET /api/v1/ledgers` without `unit=`, for an account reading every unit).
        case ledgersJSON(LocalDate)
        /// `String`: the grid's table on the ledgers page, every unit's row.
        case ledgerGridTable(LocalDate)

        var description: String {
            switch self {
            case .overdue(let d): "overdue(\(d))"
            case .overdueJSON(let d): "overdueJSON(\(d))"
            case .overdueTable(let d): "overdueTable(\(d))"
            case .ledgerGrid(let d): "ledgerGrid(\(d))"
            case .ledgersJSON(let d): "ledgersJSON(\(d))"
            case .ledgerGridTable(let d): "ledgerGridTable(\(d))"
            }
        }
    }

    /// A value and the stamp read just before it was computed.
    struct Kept<T: Sendable>: Sendable {
        let stamp: DatabaseStamp
        let value: T
    }

    /// At most this many keys are kept.
    static let maxValues = 48

    /// A computation of a key that runs: its stamp once read, the requests waiting for it, and
    /// whether a request was served an older value than its stamp while it ran (then the next
    /// computation follows it).
    private final class Run: @unchecked Sendable {
        var stamp: DatabaseStamp?
        var waiting: [CheckedContinuation<Void, Never>] = []
        var behind = false
    }

    /// What a request does next: take a value, wait for a run, or run.
    private enum Step<Value> {
        case served(Value)
        case wait(Run)
        case start(Run)
    }

    private let lock = NSLock()
    private var kept: [Key: Kept<any Sendable>] = [:]
    /// `kept`'s keys, oldest first (the first to go when there are too many).
    private var order: [Key] = []
    private var running: [Key: Run] = [:]
    private var computed = 0
    private var servedOlder = 0
    /// Where computations run: one at a time (a core at most), in the order started.
    private let queue = DispatchQueue(label: "duban.reads")
    /// Reads the current stamp: each computation reads it first.
    private let stamper: @Sendable () throws -> DatabaseStamp
    /// Where a line per computation goes (`serve --log-timings`), if anywhere.
    private let timings: (@Sendable (String) -> Void)?

    init(stamper: @escaping @Sendable () throws -> DatabaseStamp, timings: (@Sendable (String) -> Void)? = nil) {
        self.stamper = stamper
        self.timings = timings
    }

    /// The whole plan's value for `key`, as described above: `current` is the stamp the request
    /// read first; `needs`, the stamp read after the asking account's last write (nil: it wrote
    /// nothing since the server started, or its write is older than anything kept). `make`
    /// computes the value from the database as it is (it may run after later commits: the value
    /// is kept under the stamp read before it, so it is never taken for older than it is).
    func value<T: Sendable>(_ key: Key, current: DatabaseStamp, needs: DatabaseStamp?,
                            _ make: @escaping @Sendable () throws -> T) async throws -> Kept<T> {
        while true {
            let next = lock.withLock { () -> Step<Kept<T>> in
                let have = kept[key].flatMap { k in (k.value as? T).map { Kept(stamp: k.stamp, value: $0) } }
                if let have, have.stamp.covers(current) { return .served(have) }
                if let run = running[key] {
                    if let have, needs.map(have.stamp.covers) ?? true {
                        // The run's stamp is read after it started: one not read yet will be at least `current`.
                        if let stamp = run.stamp, !stamp.covers(current) { run.behind = true }
                        servedOlder += 1
                        return .served(have)
                    }
                    return .wait(run)
                }
                let run = Run()
                running[key] = run
                return .start(run)
            }
            switch next {
            case .served(let kept):
                return kept
            case .wait(let run):
                await wait(for: run, of: key)
            case .start(let run):
                return try await compute(key, run: run, make)
            }
        }
    }

    /// Suspends until `run` (of `key`) has ended; at once if it already has.
    private func wait(for run: Run, of key: Key) async {
        await withCheckedContinuation { continuation in
            let added = lock.withLock { () -> Bool in
                guard running[key] === run else { return false }
                run.waiting.append(continuation)
                return true
            }
            if !added { continuation.resume() }
        }
    }

    /// Runs `make` on the queue under a stamp read first, keeps the value, wakes the requests
    /// waiting, and starts the next computation if a request was served an older value meanwhile.
    private func compute<T: Sendable>(_ key: Key, run: Run, _ make: @escaping @Sendable () throws -> T) async throws -> Kept<T> {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Kept<T>, any Error>) in
            queue.async {
                continuation.resume(with: self.computeNow(key, run: run, make))
            }
        }
    }

    private func computeNow<T: Sendable>(_ key: Key, run: Run, _ make: @escaping @Sendable () throws -> T) -> Result<Kept<T>, any Error> {
        let started = ContinuousClock.now
        let result = Result { () throws -> Kept<T> in
            let stamp = try stamper()
            lock.withLock { run.stamp = stamp }
            return Kept(stamp: stamp, value: try make())
        }
        let (waiting, again) = lock.withLock { () -> ([CheckedContinuation<Void, Never>], Run?) in
            if case .success(let made) = result {
                computed += 1
                if kept.updateValue(Kept(stamp: made.stamp, value: made.value), forKey: key) == nil {
                    order.append(key)
                    if order.count > Self.maxValues { kept[order.removeFirst()] = nil }
                }
            }
            let waiting = run.waiting
            run.waiting = []
            guard case .success = result, run.behind else {
                running[key] = nil
                return (waiting, nil)
            }
            let next = Run()
            running[key] = next
            return (waiting, next)
        }
        timings?("\(Timestamp.now()) - read \(key) computed in \(Self.milliseconds(since: started)) ms"
                 + ((try? result.get().stamp).map { " under \($0)" } ?? " (failed)")
                 + (waiting.isEmpty ? "" : ", \(waiting.count) waiting") + (again == nil ? "" : ", the next follows") + "\n")
        for continuation in waiting { continuation.resume() }
        if let again { queue.async { _ = self.computeNow(key, run: again, make) } }
        return result
    }

    /// What is rendered from a value kept under `stamp` (`value`'s result): kept under that stamp
    /// exactly, made once (requests asking for it meanwhile wait); `make` runs in the request.
    func rendered<T: Sendable>(_ key: Key, stamp: DatabaseStamp, _ make: () throws -> T) async throws -> T {
        while true {
            let next = lock.withLock { () -> Step<T> in
                if let have = kept[key], have.stamp == stamp, let value = have.value as? T { return .served(value) }
                if let run = running[key] { return .wait(run) }
                let run = Run()
                run.stamp = stamp
                running[key] = run
                return .start(run)
            }
            switch next {
            case .served(let value):
                return value
            case .wait(let run):
                await wait(for: run, of: key)
            case .start(let run):
                let result = Result { try make() }
                let waiting = lock.withLock { () -> [CheckedContinuation<Void, Never>] in
                    if case .success(let value) = result {
                        computed += 1
                        // A rendering of an older value never replaces a newer one's.
                        let newer = kept[key].map { $0.stamp != stamp && $0.stamp.covers(stamp) } ?? false
                        if !newer, kept.updateValue(Kept(stamp: stamp, value: value), forKey: key) == nil {
                            order.append(key)
                            if order.count > Self.maxValues { kept[order.removeFirst()] = nil }
                        }
                    }
                    running[key] = nil
                    defer { run.waiting = [] }
                    return run.waiting
                }
                for continuation in waiting { continuation.resume() }
                return try result.get()
            }
        }
    }

    /// How many values were computed or rendered (misses): for tests.
    var computedCount: Int { lock.withLock { computed } }

    /// How many requests were served a value older than the stamp they read (while it was
    /// computed again): for tests.
    var servedOlderCount: Int { lock.withLock { servedOlder } }

    static func milliseconds(since start: ContinuousClock.Instant) -> Int {
        milliseconds(between: start, .now)
    }

    static func milliseconds(between start: ContinuousClock.Instant, _ end: ContinuousClock.Instant) -> Int {
        let elapsed = (end - start).components
        return Int(elapsed.seconds * 1000 + elapsed.attoseconds / 1_000_000_000_000_000)
    }
}

/// The stamp read after each account's last write (any request but GET and HEAD, once it is
/// answered: its transaction has committed), so that the account's next reads include it
/// (`ReadCache.value`'s `needs`). At most `maxAccounts` are kept; past that all are dropped and
/// the newest stamp becomes everyone's floor (every account then reads at least that state:
/// never less than its own writes).
final class WriteStamps: @unchecked Sendable {
    static let maxAccounts = 10_000

    private let lock = NSLock()
    private var stamps: [Int64: DatabaseStamp] = [:]
    private var floor: DatabaseStamp?

    /// The state `account`'s reads must include, if any.
    func needs(_ account: Int64) -> DatabaseStamp? {
        lock.withLock { stamps[account] ?? floor }
    }

    /// `account` wrote, and `stamp` was read after it.
    func wrote(_ account: Int64, stamp: DatabaseStamp) {
        lock.withLock {
            if stamps[account] == nil, stamps.count >= Self.maxAccounts {
                stamps.removeAll()
                floor = stamp
            }
            stamps[account] = stamp
        }
    }
}
