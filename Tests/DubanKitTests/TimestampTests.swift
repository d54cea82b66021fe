import Foundation
import XCTest
@testable import DubanKit

/// `Timestamp` writes what a new `ISO8601DateFormatter` (internet date-time, UTC) writes, from
/// any number of threads at once (one formatter is shared, under a lock); `isoSecond` writes the
/// start of the date's second, the same text for every date within it.
final class TimestampTests: XCTestCase {
    static func fresh(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        f.timeZone = TimeZone(identifier: "UTC")
        return f.string(from: date)
    }

    /// Dates to try: whole and fractional seconds, before 1970, the years 1 and 9999, and ones at random.
    static let dates: [Date] = {
        var rng = SystemRandomNumberGenerator()
        let fixed: [TimeInterval] = [0, 0.4, 0.6, 0.9999, 1.5, -0.5, -1.2, 1_733_500_000.999, 1_796_600_000, -62_135_596_800, 253_402_300_799]
        let random = (0..<500).map { _ in TimeInterval.random(in: -3e9...4e9, using: &rng) }
        return (fixed + random).map(Date.init(timeIntervalSince1970:))
    }()

    func testTheSharedFormatterWritesWhatANewOneWrites() {
        let expected = Self.dates.map(Self.fresh)
        XCTAssertEqual(Self.dates.map(Timestamp.iso), expected)
        XCTAssertEqual(Timestamp.iso(Date(timeIntervalSince1970: 1_796_600_000)), "2026-12-06T23:33:20Z")
        // From 8 threads at once, each date many times over.
        let mismatches = LockedCount()
        DispatchQueue.concurrentPerform(iterations: 8) { thread in
            for round in 0..<20 {
                for (i, date) in Self.dates.enumerated() where (i + round + thread) % 3 == 0 {
                    if Timestamp.iso(date) != expected[i] || Timestamp.isoSecond(date) != Self.fresh(Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))) {
                        mismatches.add()
                    }
                }
            }
        }
        XCTAssertEqual(mismatches.value, 0)
    }

    func testIsoSecondIsTheStartOfTheSecond() {
        let second = 1_796_600_000.0
        for offset in [0, 0.001, 0.5, 0.9994, 0.9999] {
            XCTAssertEqual(Timestamp.isoSecond(Date(timeIntervalSince1970: second + offset)), "2026-12-06T23:33:20Z", "+\(offset)")
        }
        XCTAssertEqual(Timestamp.isoSecond(Date(timeIntervalSince1970: second + 1)), "2026-12-06T23:33:21Z")
        XCTAssertEqual(Timestamp.isoSecond(Date(timeIntervalSince1970: -0.5)), "1969-12-31T23:59:59Z")
    }
}

private final class LockedCount: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func add() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}
