@testable import DubanKit
import XCTest

final class LocalDateTests: XCTestCase {
    /// `description` writes its ten bytes itself: every day from year 1 to 9999 (a day in each
    /// month of every year, and every day of a few years) reads back as the same date.
    func testDescriptionIsTheZeroPaddedISODate() {
        var checked = 0
        for year in 1...9999 {
            for month in 1...12 {
                for day in (year % 997 == 1 || year == 2024) ? Array(1...31) : [1 + (year + month) % 28] {
                    guard let date = LocalDate(year: year, month: month, day: day) else { continue }
                    let expected = String(repeating: "0", count: 4 - String(year).count) + String(year) + "-"
                        + (month < 10 ? "0" : "") + String(month) + "-" + (day < 10 ? "0" : "") + String(day)
                    XCTAssertEqual(date.description, expected)
                    XCTAssertEqual(LocalDate(iso: date.description), date)
                    checked += 1
                }
            }
        }
        XCTAssertGreaterThan(checked, 120_000)
    }

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
