import Foundation
import XCTest

/// `duban calendar`: a unit's due dates as an iCalendar feed, read back by a real iCalendar
/// library (Python's `icalendar`, from PyPI; CI installs it best effort).
final class CalendarFeedTests: CLITestCase {
    func testTheFeedHoldsTheUnitsDueDatesAndOnlyItsAndParses() throws {
        let cli = try CLIRunner()
        XCTAssertEqual(try cli.run(["demo", "--plans", CLIRunner.zhangye]).code, 0)
        let feed = try cli.run(["calendar", "--unit", "甘州区", "--as-of", "2024-06-30"])
        XCTAssertEqual(feed.code, 0, feed.stderr)
        XCTAssertEqual(try cli.run(["calendar", "--unit", "甘州区", "--as-of", "2024-06-30"]).stdout, feed.stdout, "deterministic")
        XCTAssertTrue(feed.stdout.hasPrefix("BEGIN:VCALENDAR\r\n") && feed.stdout.hasSuffix("END:VCALENDAR\r\n"))
        XCTAssertFalse(feed.stdout.contains("临泽县"), "another unit's items")
        for line in feed.stdout.components(separatedBy: "\r\n") {
            XCTAssertLessThanOrEqual(line.utf8.count, 75, "folded: \(line)")
        }
        // Every overdue item of the unit is an event on its due date.
        let overdue = try cli.run(["overdue", "--unit", "甘州区", "--as-of", "2024-06-30", "--format", "json"])
        let items = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(overdue.stdout.utf8)) as? [[String: Any]])
        XCTAssertFalse(items.isEmpty)

        guard try cli.run([], shell: "python3 -c 'import icalendar'").code == 0 else {
            throw XCTSkip("Python's icalendar is not installed (pip install icalendar): the feed was not parsed by a library")
        }
        let path = cli.directory.appendingPathComponent("ganzhou.ics").path
        try feed.stdout.write(toFile: path, atomically: true, encoding: .utf8)
        let parsed = try cli.run([], shell: """
            python3 -c '
            import icalendar, sys
            cal = icalendar.Calendar.from_ical(open(sys.argv[1], "rb").read())
            for e in cal.walk("VEVENT"):
                alarm = e.walk("VALARM")[0]
                print(e["DTSTART"].dt.isoformat(), str(e["SUMMARY"]).startswith("【甘州区】"), int(alarm["TRIGGER"].dt.days))
            ' "\(path)"
            """)
        XCTAssertEqual(parsed.code, 0, parsed.stderr)
        let events = parsed.stdout.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        XCTAssertGreaterThan(events.count, items.count, "the open items ahead too, not only the overdue ones")
        XCTAssertTrue(events.allSatisfy { $0.count == 3 && $0[1] == "True" && $0[2] == "-7" }, parsed.stdout)
        let days = Set(events.map { $0[0] })
        for item in items { XCTAssertTrue(days.contains(item["due"] as? String ?? "?"), "\(item["due"] ?? "") in the feed") }
    }

    func testAnUnknownUnitIsAUsageError() throws {
        let cli = try CLIRunner()
        XCTAssertEqual(try cli.run(["demo", "--plans", CLIRunner.zhangye]).code, 0)
        let r = try cli.run(["calendar", "--unit", "甘州", "--as-of", "2024-04-10"])
        XCTAssertEqual(r.code, 64)
        XCTAssertTrue(r.stderr.contains("no unit or group \"甘州\""), r.stderr)
        XCTAssertEqual(r.stdout, "")
    }
}
