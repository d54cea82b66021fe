import Foundation

/// Reads and checks a submit's files on a thread of its own, a few files ahead of the thread
/// that records them: reading, decoding and validating a ledger (a third of a submit's time)
/// then overlaps with writing the previous ones. A ledger checked without errors is measured
/// there too (its canonical JSON's length and fingerprint, `FileCheck.measured`), which the
/// recording thread would otherwise do before writing it. At most `depth` checked files wait, so memory
/// stays that of a few ledgers. Results come out in the order of the files; the recording thread
/// decides everything that depends on order (`LedgerLoader.Session.accept`).
///
/// The checking thread has its own `Checker` (its own collectors and indexes) and shares only
/// sendable values: the paths, the options, the stored plans' JSON (decoded there, once each).
final class CheckAhead: @unchecked Sendable {
    static let depth = 4
    private let condition = NSCondition()
    private var ready: [LedgerLoader.FileCheck] = []
    private var finished = false
    private var stopped = false
    private let exited = DispatchSemaphore(value: 0)

    /// Starts checking `paths` with the checker `makeChecker` makes on the checking thread.
    init(paths: [String], makeChecker: @escaping @Sendable () -> LedgerLoader.Checker) {
        let thread = Thread { [self] in
            let checker = makeChecker()
            for path in paths {
                var check = checker.check(path: path)
                if let ledger = check.ledger, !check.findings.contains(where: { $0.severity == .error }) {
                    check.measured = LedgerEncoding.measure(ledger)
                }
                condition.lock()
                while ready.count >= Self.depth && !stopped { condition.wait() }
                let stop = stopped
                if !stop {
                    ready.append(check)
                    condition.broadcast()
                }
                condition.unlock()
                if stop { break }
            }
            condition.lock()
            finished = true
            condition.broadcast()
            condition.unlock()
            exited.signal()
        }
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// The next file's check, in order; nil when every file has been given.
    func next() -> LedgerLoader.FileCheck? {
        condition.lock()
        defer { condition.unlock() }
        while ready.isEmpty && !finished { condition.wait() }
        guard !ready.isEmpty else { return nil }
        let check = ready.removeFirst()
        condition.broadcast()
        return check
    }

    /// Stops the checking thread (after the file it is on) and waits until it has ended. Call
    /// once, when done with it (also after an error).
    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
        exited.wait()
    }
}
