import DubanKit
import Dispatch
import Foundation

/// The portal's one writer of ledgers, with group commit: checked submissions that wait for
/// the writer together are written in ONE transaction (`LedgerStore.recording(group:plan:)`),
/// each in a savepoint of its own with its own `recorded_at` and audit lines; one that fails
/// there rolls back alone and gets its own error, the others commit. Each submission's answer
/// comes once its group has committed.
///
/// Why: SQLite has one writer, and each commit costs a transaction and a fold of the kept facts
/// (`CurrentFacts.fold`), and makes every reader compute the whole plan's items again under the
/// new `DatabaseStamp`. With 200 liaisons submitting at once, one transaction each meant a
/// commit every ~10 ms. The writer takes every submission waiting when it starts a group (at
/// most `maxGroup`), so under load groups grow and commits become fewer; alone, a submission is
/// written at once, in a group of one.
final class LedgerWriterQueue: @unchecked Sendable {
    /// At most this many submissions in one transaction (the first waits for all of them).
    static let maxGroup = 64

    private struct Job {
        let now: Date
        let plan: (plan: Plan, version: Int)?
        let body: (LedgerRecorder) throws -> Void
        let done: @Sendable (Result<Void, any Error>) -> Void
        let queued = ContinuousClock.now
    }

    private let store: LedgerStore
    private let lock = NSLock()
    private var pending: [Job] = []
    private var writing = false
    private let queue = DispatchQueue(label: "duban.ledger-writer")
    private var groups = 0
    private var largest = 0
    /// Where a line per group goes (`serve --log-timings`), if anywhere.
    private let timings: (@Sendable (String) -> Void)?

    init(_ database: DubanDatabase, timings: (@Sendable (String) -> Void)? = nil) {
        store = LedgerStore(database)
        self.timings = timings
    }

    /// How many groups were committed (or failed) and the largest: for tests.
    var groupStatistics: (groups: Int, largest: Int) { lock.withLock { (groups, largest) } }

    /// How many submissions wait for the next group: for tests.
    var waitingCount: Int { lock.withLock { pending.count } }

    /// Writes through `body` in the next group, received at `now` (its `recorded_at`), and returns
    /// its result once the group has committed; `body`'s own error if it failed (its savepoint
    /// rolled back), or the group's if the transaction failed (nothing written).
    func record<T: Sendable>(now: Date, plan: (plan: Plan, version: Int)?,
                             _ body: @escaping @Sendable (LedgerRecorder) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let made = Made<T>()
            let job = Job(now: now, plan: plan, body: { made.value = try body($0) }, done: { result in
                continuation.resume(with: result.flatMap { made.value.map { .success($0) } ?? .failure(Unanswered()) })
            })
            let start = lock.withLock { () -> Bool in
                pending.append(job)
                guard !writing else { return false }
                writing = true
                return true
            }
            if start { queue.async { self.drain() } }
        }
    }

    /// Writes groups until nothing waits.
    private func drain() {
        while true {
            let jobs = lock.withLock { () -> [Job] in
                let taken = Array(pending.prefix(Self.maxGroup))
                pending.removeFirst(taken.count)
                if taken.isEmpty { writing = false }
                return taken
            }
            guard !jobs.isEmpty else { return }
            let group = jobs.map { job in LedgerStore.Grouped(now: job.now, job.body) }
            let plan = jobs.last(where: { $0.plan != nil })?.plan
            let started = ContinuousClock.now
            let results: [Result<Void, any Error>]
            do {
                results = try store.recording(group: group, plan: plan)
            } catch {
                results = Array(repeating: .failure(error), count: jobs.count)
            }
            lock.withLock {
                groups += 1
                largest = max(largest, jobs.count)
            }
            if let timings, let first = jobs.first {
                let failed = results.filter { if case .failure = $0 { true } else { false } }.count
                timings("\(Timestamp.now()) - ledger group of \(jobs.count) (\(failed) failed), the first waited \(ReadCache.milliseconds(between: first.queued, started)) ms"
                        + " for the writer, written in \(ReadCache.milliseconds(since: started)) ms, \(lock.withLock { pending.count }) waiting\n")
            }
            for (job, result) in zip(jobs, results) { job.done(result) }
        }
    }

    /// A job's group ended well but its body left no value (cannot happen: a body that returns made one).
    private struct Unanswered: Error {}

    /// The value a job's body made, handed from the writer's thread to the waiting request.
    private final class Made<T>: @unchecked Sendable {
        var value: T?
    }
}
