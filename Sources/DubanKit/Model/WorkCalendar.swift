/// Working days (工作日) under China's official holiday arrangements: weekends are rest days
/// except make-up working days (调休), weekdays are working days except holidays. Years that the
/// calendar does not list are counted on plain weekdays, and callers are told so.
public struct WorkCalendar: Equatable, Sendable, Codable {
    public struct Holiday: Equatable, Sendable, Codable {
        public var name: String
        public var from: LocalDate
        public var to: LocalDate
        public var workdays: [LocalDate]
    }

    public var id: String
    public var name: String
    /// The years whose notices are known.
    public var years: Set<Int>
    public var holidays: [Holiday]
    private var offDays: Set<LocalDate>
    private var makeUpDays: Set<LocalDate>

    public init(id: String, name: String, years: Set<Int>, holidays: [Holiday]) {
        self.id = id
        self.name = name
        self.years = years
        self.holidays = holidays
        var off = Set<LocalDate>()
        for h in holidays where h.from <= h.to {
            for n in h.from.dayNumber...h.to.dayNumber { off.insert(LocalDate(dayNumber: n)) }
        }
        offDays = off
        makeUpDays = Set(holidays.flatMap(\.workdays))
    }

    enum CodingKeys: String, CodingKey { case id, name, years, holidays }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(id: try c.decode(String.self, forKey: .id), name: try c.decode(String.self, forKey: .name),
                  years: Set(try c.decode([Int].self, forKey: .years)), holidays: try c.decode([Holiday].self, forKey: .holidays))
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(name, forKey: .name)
        try c.encode(years.sorted(), forKey: .years)
        try c.encode(holidays, forKey: .holidays)
    }

    /// A calendar of plain weekdays, knowing no holidays.
    public static let weekdays = WorkCalendar(id: "weekdays", name: "周一至周五", years: [], holidays: [])

    /// Whether the year of `date` is covered by a known notice.
    public func knows(_ date: LocalDate) -> Bool { years.contains(date.year) }

    public func isWorkingDay(_ date: LocalDate) -> Bool {
        if makeUpDays.contains(date) { return true }
        if offDays.contains(date) { return false }
        return date.weekday <= 5
    }

    /// The holiday `date` falls in, if any.
    public func holiday(on date: LocalDate) -> Holiday? {
        holidays.first { $0.from <= date && date <= $0.to }
    }

    /// The result of counting working days, with the years that had to be counted on plain weekdays.
    public struct Count: Equatable, Sendable {
        public var date: LocalDate
        public var unknownYears: [Int]
    }

    /// The `n`-th working day after `date` (n ≥ 1), or before it for negative `n`; `date` itself
    /// is not counted. `n == 0` gives `date`.
    public func adding(workingDays n: Int, to date: LocalDate) -> Count {
        var unknown = Set<Int>()
        var d = date
        var left = abs(n)
        let step = n >= 0 ? 1 : -1
        while left > 0 {
            d = d.adding(days: step)
            if !knows(d) { unknown.insert(d.year) }
            if isWorkingDay(d) { left -= 1 }
        }
        return Count(date: d, unknownYears: unknown.sorted())
    }

    /// Working days after `from` up to and including `to` (negative when `to` is earlier).
    public func workingDays(from: LocalDate, to: LocalDate) -> Int {
        guard from != to else { return 0 }
        let (a, b, sign) = from < to ? (from, to, 1) : (to, from, -1)
        var count = 0
        for n in (a.dayNumber + 1)...b.dayNumber where isWorkingDay(LocalDate(dayNumber: n)) { count += 1 }
        return sign * count
    }
}
