import Dispatch
import Foundation

/// At most `limit` ledger submissions checked and recorded at once, each on a thread of its own.
///
/// A submission's check takes a core and its write waits for SQLite's one writer; both are
/// synchronous. Run in the request's task, they would hold the threads Swift concurrency has per
/// core, which every other request needs too: with 200 submissions arriving at once, both of a
/// 2-core machine's threads sat waiting for the writer and the pages waited behind them. Here a
/// submission over the limit waits without a thread (suspended), and the work runs on a
/// dispatch thread, so pages keep the request threads. The limit leaves readers a core:
/// `defaultLimit` is the cores less one (at least one).
final class SubmissionGate: @unchecked Sendable {
    let limit: Int
    private let lock = NSLock()
    private var running = 0
    /// Submissions waiting for a place, in the order they came.
    private var waiting: [@Sendable () -> Void] = []
    private var waitingStart = 0
    private var peak = 0
    private let queue = DispatchQueue(label: "duban.submissions", attributes: .concurrent)

    static var defaultLimit: Int { max(1, ProcessInfo.processInfo.activeProcessorCount - 1) }

    init(limit: Int = SubmissionGate.defaultLimit) {
        self.limit = max(1, limit)
    }

    /// The most submissions that were ever inside at once: for tests.
    var peakRunning: Int { lock.withLock { peak } }

    /// Runs `work` on a dispatch thread once there is a place, and returns its result. A place
    /// freed goes to the next waiting submission on that same thread: the hand-over never waits
    /// for a request thread.
    func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let job: @Sendable () -> Void = { continuation.resume(with: Result { try work() }) }
            let admitted = lock.withLock { () -> Bool in
                guard running < limit else {
                    waiting.append(job)
                    return false
                }
                running += 1
                peak = max(peak, running)
                return true
            }
            if admitted { start(job) }
        }
    }

    private func start(_ job: @escaping @Sendable () -> Void) {
        queue.async {
            job()
            self.finished()
        }
    }

    /// Hands the place to the first waiting submission, or frees it.
    private func finished() {
        let next = lock.withLock { () -> (@Sendable () -> Void)? in
            guard waitingStart < waiting.count else {
                running -= 1
                waiting.removeAll(keepingCapacity: true)
                waitingStart = 0
                return nil
            }
            defer { waitingStart += 1 }
            return waiting[waitingStart]
        }
        next.map(start)
    }
}
