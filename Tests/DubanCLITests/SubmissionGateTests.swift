@testable import DubanServer
import Foundation
import XCTest

/// `SubmissionGate`: no more than its limit of submissions run at once, the others wait their
/// turn, and each gets its own result.
final class SubmissionGateTests: CLITestCase {
    final class Inside: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        let release = DispatchSemaphore(value: 0)
        func enter() { lock.withLock { count += 1 } }
        func leave() { lock.withLock { count -= 1 } }
        var now: Int { lock.withLock { count } }
    }

    func testNoMoreThanTheLimitRunAtOnce() async throws {
        let gate = SubmissionGate(limit: 2)
        let inside = Inside()
        let results = Task {
            try await withThrowingTaskGroup(of: Int.self) { group in
                for n in 0..<8 {
                    group.addTask {
                        try await gate.run {
                            inside.enter()
                            defer { inside.leave() }
                            inside.release.wait()
                            return n
                        }
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
        }
        // Two get in and are held there; the six others must wait however long they are given.
        let deadline = Date().addingTimeInterval(30)
        while inside.now < 2, Date() < deadline { try await Task.sleep(nanoseconds: 10_000_000) }
        try await Task.sleep(nanoseconds: 300_000_000)
        XCTAssertEqual(inside.now, 2, "the limit holds while two are inside")
        for _ in 0..<8 { inside.release.signal() }
        let done = try await results.value
        XCTAssertEqual(done.sorted(), Array(0..<8), "each submission got its own result")
        XCTAssertEqual(gate.peakRunning, 2)
        XCTAssertEqual(inside.now, 0)
    }

    func testAFailureFreesItsPlace() async throws {
        struct Refused: Error {}
        let gate = SubmissionGate(limit: 1)
        do {
            _ = try await gate.run { () throws -> Int in throw Refused() }
            XCTFail("the error comes back")
        } catch is Refused {}
        let next = try await gate.run { 7 }
        XCTAssertEqual(next, 7, "the place was freed")
    }

    func testTheDefaultLeavesACoreToReaders() {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        XCTAssertEqual(SubmissionGate.defaultLimit, max(1, cores - 1))
    }
}
