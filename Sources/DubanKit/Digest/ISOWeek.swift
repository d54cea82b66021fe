/// An ISO 8601 week (`2024-W15`): Monday to Sunday, week 1 being the week that holds 4 January.
/// A week's digest speaks for its Sunday, the last day of the week.
public struct ISOWeek: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The ISO week-numbering year (may differ from the calendar year near 1 January).
    public let year: Int
    public let week: Int

    /// The week `week` of ISO year `year`, or nil when the year has no such week (W53 of a 52-week year).
    public init?(year: Int, week: Int) {
        guard (1...9998).contains(year), week >= 1, week <= ISOWeek.weeks(in: year) else { return nil }
        self.year = year
        self.week = week
    }

    /// The week that contains `date`.
    public init(containing date: LocalDate) {
        // The Thursday of the date's week decides the year.
        let thursday = date.adding(days: 4 - date.weekday)
        let firstMonday = ISOWeek.monday(ofWeekOneIn: thursday.year)
        year = thursday.year
        week = firstMonday.days(to: date) / 7 + 1
    }

    /// Parses `2024-W15` (also `2024W15`, lower-case `w`, and a one-digit week `2024-W5`).
    public init?(_ text: String) {
        let t = text.trimmingCharacters(in: .whitespaces).uppercased()
        let parts = t.split(separator: "W", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        var yearText = parts[0]
        if yearText.hasSuffix("-") { yearText = yearText.dropLast() }
        let weekText = parts[1]
        guard yearText.count == 4, (1...2).contains(weekText.count),
              yearText.allSatisfy(\.isASCII), weekText.allSatisfy(\.isASCII),
              let y = Int(yearText), let w = Int(weekText) else { return nil }
        self.init(year: y, week: w)
    }

    /// Monday, the first day of the week.
    public var monday: LocalDate { ISOWeek.monday(ofWeekOneIn: year).adding(days: (week - 1) * 7) }

    /// Sunday, the last day of the week: the day a week's digest speaks for.
    public var sunday: LocalDate { monday.adding(days: 6) }

    public var next: ISOWeek { ISOWeek(containing: sunday.adding(days: 1)) }

    /// `2024-W05`.
    public var description: String { "\(year)-W\(week < 10 ? "0" : "")\(week)" }

    public static func < (lhs: ISOWeek, rhs: ISOWeek) -> Bool { (lhs.year, lhs.week) < (rhs.year, rhs.week) }

    /// 52 or 53: a year has 53 weeks when 28 December falls in week 53.
    public static func weeks(in year: Int) -> Int {
        guard let dec28 = LocalDate(year: year, month: 12, day: 28) else { return 52 }
        return monday(ofWeekOneIn: year).days(to: dec28) / 7 + 1
    }

    static func monday(ofWeekOneIn year: Int) -> LocalDate {
        let jan4 = LocalDate(year: year, month: 1, day: 4) ?? LocalDate(dayNumber: 0)
        return jan4.adding(days: 1 - jan4.weekday)
    }

    /// Every week from `from` to `to`, both included.
    public static func range(_ from: ISOWeek, _ to: ISOWeek) -> [ISOWeek] {
        var out: [ISOWeek] = []
        var w = from
        while w <= to {
            out.append(w)
            w = w.next
        }
        return out
    }
}
