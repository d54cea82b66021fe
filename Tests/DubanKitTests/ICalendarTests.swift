@testable import DubanKit
import XCTest

/// RFC 5545's text escaping and line folding as `ICalendar` writes them.
final class ICalendarTests: XCTestCase {
    func testTextIsEscapedAndControlCharactersDropped() {
        XCTAssertEqual(ICalendar.text("a,b;c\\d\ne\r\u{7}f"), "a\\,b\\;c\\\\d\\ne" + "f")
    }

    func testLongLinesFoldAt75OctetsBetweenCharactersAndUnfoldToTheOriginal() {
        let line = "SUMMARY:" + String(repeating: "督办提醒,", count: 40)
        let folded = ICalendar.fold(line)
        let parts = folded.components(separatedBy: "\r\n")
        XCTAssertGreaterThan(parts.count, 1)
        XCTAssertTrue(parts.allSatisfy { $0.utf8.count <= 75 }, folded)
        XCTAssertTrue(parts.dropFirst().allSatisfy { $0.hasPrefix(" ") })
        XCTAssertEqual(folded.replacingOccurrences(of: "\r\n ", with: ""), line)
        XCTAssertEqual(ICalendar.fold("SHORT:x"), "SHORT:x")
    }

    func testTheSameItemKeepsItsUID() {
        XCTAssertEqual(ICalendar.uid("p/u/ledger/-/-/2024-03"), ICalendar.uid("p/u/ledger/-/-/2024-03"))
        XCTAssertNotEqual(ICalendar.uid("p/u/ledger/-/-/2024-03"), ICalendar.uid("p/u/ledger/-/-/2024-04"))
        XCTAssertEqual(ICalendar.uid("x").count, 16 + "@duban".count)
    }
}
