@testable import DubanKit
import XCTest

final class LocalDateTests: XCTestCase {
    func testParsesStrictISODates() {
        XCTAssertEqual(LocalDate(iso: "2024-02-29")?.description, "2024-02-29")
        XCTAssertNil(LocalDate(iso: "2023-02-29"), "2023 is not a leap year")
        XCTAssertNil(LocalDate(iso: "2024-13-45"))
        XCTAssertNil(LocalDate(iso: "2024-1-5"))
        XCTAssertNil(LocalDate(iso: "2024/01/05"))
        XCTAssertNil(LocalDate(iso: "２０２４-01-05"))
        XCTAssertNil(LocalDate(iso: ""))
    }

    func testDayArithmeticRoundTrips() throws {
        let d = try XCTUnwrap(LocalDate(iso: "2023-12-18"))
        XCTAssertEqual(d.adding(days: 14).description, "2024-01-01")
        XCTAssertEqual(d.days(to: try XCTUnwrap(LocalDate(iso: "2025-12-31"))), 744)
        XCTAssertEqual(LocalDate(dayNumber: 0).description, "1970-01-01")
        for n in stride(from: -800_000, to: 800_000, by: 997) {
            XCTAssertEqual(LocalDate(dayNumber: n).dayNumber, n)
        }
    }

    func testWeekday() throws {
        XCTAssertEqual(try XCTUnwrap(LocalDate(iso: "2024-09-27")).weekday, 5, "a Friday")
        XCTAssertEqual(try XCTUnwrap(LocalDate(iso: "2024-09-29")).weekday, 7, "a Sunday")
    }
}

final class ReportingPeriodTests: XCTestCase {
    func testLabelsRoundTrip() {
        for (label, f) in [("2024-05", Frequency.month), ("2024-Q2", .quarter), ("2024-H1", .halfYear), ("2024", .year)] {
            XCTAssertEqual(ReportingPeriod(label: label, frequency: f)?.description, label)
        }
        XCTAssertNil(ReportingPeriod(label: "2024-13", frequency: .month))
        XCTAssertNil(ReportingPeriod(label: "2024-Q5", frequency: .quarter))
        XCTAssertNil(ReportingPeriod(label: "2024-05", frequency: .quarter))
    }

    func testRecurrenceDueDates() throws {
        let start = try XCTUnwrap(LocalDate(iso: "2023-12-18")), end = try XCTUnwrap(LocalDate(iso: "2025-12-31"))
        XCTAssertEqual(Recurrence(every: .year, onMonth: 1, onDay: 31).dueDates(planStart: start, planEnd: end).map(\.description),
                       ["2024-01-31", "2025-01-31"])
        XCTAssertEqual(Recurrence(every: .month, afterDays: 5, until: try XCTUnwrap(LocalDate(iso: "2024-03-31")))
                        .dueDates(planStart: start, planEnd: end).map(\.description),
                       ["2024-02-05", "2024-03-05"], "the March ledger falls due after `until`")
    }
}
