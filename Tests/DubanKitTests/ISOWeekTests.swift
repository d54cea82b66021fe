import DubanKit
import XCTest

final class ISOWeekTests: XCTestCase {
    func day(_ s: String) throws -> LocalDate { try XCTUnwrap(LocalDate(iso: s)) }

    func testWeekOneOf2024StartsOnNewYearsDay() throws {
        let w = try XCTUnwrap(ISOWeek("2024-W01"))
        XCTAssertEqual(w.monday, try day("2024-01-01"))
        XCTAssertEqual(w.sunday, try day("2024-01-07"))
        XCTAssertEqual(try XCTUnwrap(ISOWeek("2024-W15")).sunday, try day("2024-04-14"))
        XCTAssertEqual(ISOWeek(containing: try day("2024-04-10")).description, "2024-W15")
    }

    func testWeek53AndYearBoundaries() throws {
        let w = try XCTUnwrap(ISOWeek("2020-W53"), "2020 has 53 weeks")
        XCTAssertEqual(w.monday, try day("2020-12-28"))
        XCTAssertEqual(w.sunday, try day("2021-01-03"))
        XCTAssertEqual(ISOWeek(containing: try day("2021-01-03")).description, "2020-W53")
        XCTAssertEqual(ISOWeek(containing: try day("2021-01-04")).description, "2021-W01")
        XCTAssertEqual(ISOWeek(containing: try day("2019-12-30")).description, "2020-W01", "ISO year differs from calendar year")
        XCTAssertEqual(ISOWeek(containing: try day("2023-12-18")).description, "2023-W51")
        XCTAssertEqual(ISOWeek.weeks(in: 2020), 53)
        XCTAssertEqual(ISOWeek.weeks(in: 2026), 53)
        XCTAssertEqual(ISOWeek.weeks(in: 2024), 52)
        XCTAssertEqual(w.next.description, "2021-W01")
    }

    func testEveryDayRoundTripsThroughItsWeek() throws {
        var d = try day("2019-12-01")
        while d < (try day("2027-01-31")) {
            let w = ISOWeek(containing: d)
            XCTAssertTrue(w.monday <= d && d <= w.sunday, "\(d) in \(w)")
            XCTAssertEqual(ISOWeek(w.description), w)
            d = d.adding(days: 1)
        }
    }

    func testParsingAcceptsOnlyRealWeeks() {
        XCTAssertEqual(ISOWeek("2024w5")?.description, "2024-W05")
        XCTAssertEqual(ISOWeek(" 2024-W05 ")?.description, "2024-W05")
        for bad in ["2024-W00", "2024-W53", "2021-W53", "2024-15", "2024-W", "24-W15", "2024-W1a", "2024-W015", "", "W15",
                    "２０２４-W15", "2024-W-1"] {
            XCTAssertNil(ISOWeek(bad), bad)
        }
    }

    func testRangeCrossesTheYear() throws {
        let weeks = ISOWeek.range(try XCTUnwrap(ISOWeek("2020-W52")), try XCTUnwrap(ISOWeek("2021-W02")))
        XCTAssertEqual(weeks.map(\.description), ["2020-W52", "2020-W53", "2021-W01", "2021-W02"])
    }
}
