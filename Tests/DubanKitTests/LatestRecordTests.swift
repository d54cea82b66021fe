import XCTest
@testable import DubanKit

/// The one definition of "the latest record", as `ItemStates`, `TaskStatuses` and the
/// `current_fact` fold use it.
final class LatestRecordTests: XCTestCase {
    let d = { (s: String) -> LocalDate in LocalDate(iso: s)! }

    func testAnItemShowsTheLaterKnownThenTheLaterCompletedThenTheEarlierInRecordOrder() {
        XCTAssertTrue(LatestRecord.beatsForItem(knownOn: d("2024-03-02"), completedOn: d("2024-01-01"), order: 9,
                                                over: (d("2024-03-01"), d("2024-03-01"), 1)))
        XCTAssertTrue(LatestRecord.beatsForItem(knownOn: d("2024-03-01"), completedOn: d("2024-02-20"), order: 9,
                                                over: (d("2024-03-01"), d("2024-02-10"), 1)))
        XCTAssertTrue(LatestRecord.beatsForItem(knownOn: d("2024-03-01"), completedOn: d("2024-02-20"), order: 1,
                                                over: (d("2024-03-01"), d("2024-02-20"), 9)))
        XCTAssertFalse(LatestRecord.beatsForItem(knownOn: d("2024-03-01"), completedOn: d("2024-02-20"), order: 9,
                                                 over: (d("2024-03-01"), d("2024-02-20"), 1)))
    }

    func testATaskShowsTheLaterKnownThenTheLaterInRecordOrder() {
        XCTAssertTrue(LatestRecord.beatsForTask(knownOn: d("2024-03-02"), order: 1, over: (d("2024-03-01"), 9)))
        XCTAssertTrue(LatestRecord.beatsForTask(knownOn: d("2024-03-01"), order: 9, over: (d("2024-03-01"), 1)))
        XCTAssertFalse(LatestRecord.beatsForTask(knownOn: d("2024-03-01"), order: 1, over: (d("2024-03-01"), 9)))
    }

    func testTheStoredTextOfADateOrdersAsTheDate() {
        // The fold applies the rule to `YYYY-MM-DD` text: it must pick what the dates pick.
        let days = ["2023-12-31", "2024-01-01", "2024-02-29", "2024-10-01", "2025-01-09"]
        for a in days {
            for b in days {
                XCTAssertEqual(LatestRecord.beatsForTask(knownOn: a, order: 0, over: (b, 0)),
                               LatestRecord.beatsForTask(knownOn: d(a), order: 0, over: (d(b), 0)), "\(a) vs \(b)")
            }
        }
    }
}
