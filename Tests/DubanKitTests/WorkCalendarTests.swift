@testable import DubanKit
import Foundation
import XCTest

final class WorkCalendarTests: XCTestCase {
    var calendar: WorkCalendar!

    override func setUpWithError() throws {
        let diagnostics = DiagnosticCollector()
        let path = TestPaths.root.appendingPathComponent("Plans/calendars/china-2023-2026.yaml").path
        calendar = CalendarReader.read(path: path, diagnostics: diagnostics)
        XCTAssertFalse(diagnostics.hasErrors, diagnostics.renderAll())
        XCTAssertNotNil(calendar)
    }

    func day(_ s: String) throws -> LocalDate { try XCTUnwrap(LocalDate(iso: s)) }

    func testFiveWorkingDaysFromFridayBeforeNationalDay2024() throws {
        let count = calendar.adding(workingDays: 5, to: try day("2024-09-27"))
        XCTAssertEqual(count.date, try day("2024-10-10"))
        XCTAssertEqual(count.date.weekday, 4, "a Thursday")
        XCTAssertEqual(count.unknownYears, [])
        XCTAssertTrue(calendar.isWorkingDay(try day("2024-09-29")), "Sunday 09-29 is a make-up working day")
        XCTAssertEqual(calendar.workingDays(from: try day("2024-09-27"), to: try day("2024-10-10")), 5)
    }

    /// The calendar against the official notices for 2024 and 2025, day by day: the rest days
    /// that fall on weekdays and the weekend days worked, as the notices list them.
    func testTwentyTwentyFourAndFiveMatchTheNoticesDayForDay() throws {
        let notices: [Int: (off: [String], work: [String])] = [
            2024: (off: ["01-01", "02-12", "02-13", "02-14", "02-15", "02-16", "04-04", "04-05", "05-01", "05-02", "05-03",
                         "06-10", "09-16", "09-17", "10-01", "10-02", "10-03", "10-04", "10-07"],
                   work: ["02-04", "02-18", "04-07", "04-28", "05-11", "09-14", "09-29", "10-12"]),
            2025: (off: ["01-01", "01-28", "01-29", "01-30", "01-31", "02-03", "02-04", "04-04", "05-01", "05-02", "05-05",
                         "06-02", "10-01", "10-02", "10-03", "10-06", "10-07", "10-08"],
                   work: ["01-26", "02-08", "04-27", "09-28", "10-11"]),
        ]
        for (year, expected) in notices {
            var weekdaysOff: [String] = [], weekendsWorked: [String] = []
            var d = try day("\(year)-01-01")
            while d.year == year {
                let working = calendar.isWorkingDay(d)
                let label = String(d.description.dropFirst(5))
                if d.weekday <= 5 && !working { weekdaysOff.append(label) }
                if d.weekday > 5 && working { weekendsWorked.append(label) }
                d = d.adding(days: 1)
            }
            XCTAssertEqual(weekdaysOff, expected.off, "\(year) weekdays off")
            XCTAssertEqual(weekendsWorked, expected.work, "\(year) weekends worked")
        }
    }

    func testYearsBeyondTheCalendarAreCountedOnWeekdaysAndSaidSo() throws {
        let count = calendar.adding(workingDays: 3, to: try day("2026-12-30"))
        XCTAssertEqual(count.date, try day("2027-01-04"), "Thu 12-31, Fri 01-01 (no notice for 2027 yet), Mon 01-04")
        XCTAssertEqual(count.unknownYears, [2027])
    }

    func testBadCalendarFileErrorsArePlaced() throws {
        let dir = try TestPaths.tempDirectory()
        let path = dir.appendingPathComponent("cal.yaml").path
        try """
        version: 1
        id: x
        name: 测试
        years:
          - year: 2024
            holidays:
              - {name: 春节, from: 2024-02-17, to: 2024-02-10, workdays: [2024-02-05]}
              - {name: 元旦, form: 2024-01-01, to: 2024-01-01}
        """.write(toFile: path, atomically: true, encoding: .utf8)
        let diagnostics = DiagnosticCollector()
        XCTAssertNil(CalendarReader.read(path: path, diagnostics: diagnostics))
        let messages = diagnostics.errors.map { "\($0.location.line ?? 0): \($0.message)" }
        XCTAssertTrue(messages.contains("7: make-up working day 2024-02-05 is a weekday, already a working day"), "\(messages)")
        XCTAssertTrue(messages.contains("7: holiday 春节 ends (2024-02-10) before it starts (2024-02-17)"), "\(messages)")
        XCTAssertTrue(messages.contains { $0.hasPrefix("8: ") && $0.contains("unknown key `form`") }, "\(messages)")
    }
}
