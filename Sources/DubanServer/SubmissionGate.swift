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
    private var waiting: [CheckedContinuation<Void, Never>] = []
    private var peak = 0
    private let queue = DispatchQueue(label: "duban.submissions", attributes: .concurrent)

    static var defaultLimit: Int { max(1, ProcessInfo.processInfo.activeProcessorCount - 1) }

    init(limit: Int = SubmissionGate.defaultLimit) {
        self.limit = max(1, limit)
    }

    /// The most submissions that were ever inside at once: for tests.
    var peakRunning: Int { lock.withLock { peak } }

    /// Waits for a place, then runs `work` on a dispatch thread and returns its result.
    func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        await enter()
        defer { leave() }
        return try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try work() }) }
        }
    }

    private func enter() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let admitted = lock.withLock { () -> Bool in
                guard running < limit else {
                    waiting.append(continuation)
                    return false
                }
                running += 1
                peak = max(peak, running)
                return true
            }
            if admitted { continuation.resume() }
        }
    }

    /// Hands the place to the first waiting submission, or frees it.
    private func leave() {
        let next = lock.withLock { () -> CheckedContinuation<Void, Never>? in
            guard !waiting.isEmpty else {
                running -= 1
                return nil
            }
            return waiting.removeFirst()
        }
        next?.resume()
    }
}
