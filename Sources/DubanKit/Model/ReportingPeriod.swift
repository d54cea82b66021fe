/// A calendar period of a recurrence or a ledger schedule: 2024 (year), 2024-H1, 2024-Q2, 2024-05.
public struct ReportingPeriod: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let frequency: Frequency
    public let year: Int
    /// 1-based index of the period within its year (1…12 for months, 1…4 quarters, 1…2 halves).
    public let index: Int

    public init?(frequency: Frequency, year: Int, index: Int) {
        guard (1...9999).contains(year), (1...(12 / frequency.months)).contains(index) else { return nil }
        self.frequency = frequency
        self.year = year
        self.index = index
    }

    /// The period that contains `date`.
    public init(containing date: LocalDate, frequency: Frequency) {
        self.frequency = frequency
        self.year = date.year
        self.index = (date.month - 1) / frequency.months + 1
    }

    /// Parses the label of a period of `frequency`: `2024`, `2024-H1`, `2024-Q2` or `2024-05`.
    public init?(label: String, frequency: Frequency) {
        let parts = label.split(separator: "-", omittingEmptySubsequences: false)
        guard let first = parts.first, first.count == 4, let year = Int(first) else { return nil }
        switch (frequency, parts.count) {
        case (.year, 1):
            self.init(frequency: .year, year: year, index: 1)
        case (.halfYear, 2) where parts[1].hasPrefix("H"):
            guard let i = Int(parts[1].dropFirst()) else { return nil }
            self.init(frequency: .halfYear, year: year, index: i)
        case (.quarter, 2) where parts[1].hasPrefix("Q"):
            guard let i = Int(parts[1].dropFirst()) else { return nil }
            self.init(frequency: .quarter, year: year, index: i)
        case (.month, 2) where parts[1].count == 2:
            guard let i = Int(parts[1]) else { return nil }
            self.init(frequency: .month, year: year, index: i)
        default:
            return nil
        }
    }

    public var start: LocalDate {
        LocalDate(uncheckedYear: year, month: (index - 1) * frequency.months + 1, day: 1)
    }

    public var end: LocalDate {
        LocalDate(uncheckedYear: year, month: index * frequency.months, day: 1).endOfMonth
    }

    public var next: ReportingPeriod {
        let count = 12 / frequency.months
        return index == count
            ? ReportingPeriod(uncheckedFrequency: frequency, year: year + 1, index: 1)
            : ReportingPeriod(uncheckedFrequency: frequency, year: year, index: index + 1)
    }

    public var previous: ReportingPeriod {
        let count = 12 / frequency.months
        return index == 1
            ? ReportingPeriod(uncheckedFrequency: frequency, year: year - 1, index: count)
            : ReportingPeriod(uncheckedFrequency: frequency, year: year, index: index - 1)
    }

    public var description: String {
        switch frequency {
        case .year: return "\(year)"
        case .halfYear: return "\(year)-H\(index)"
        case .quarter: return "\(year)-Q\(index)"
        case .month: return "\(year)-\(index < 10 ? "0" : "")\(index)"
        }
    }

    public static func < (lhs: ReportingPeriod, rhs: ReportingPeriod) -> Bool {
        (lhs.year, lhs.index) < (rhs.year, rhs.index)
    }

    private init(uncheckedFrequency: Frequency, year: Int, index: Int) {
        self.frequency = uncheckedFrequency
        self.year = year
        self.index = index
    }
}

extension Recurrence {
    /// The due date of every occurrence within `planStart … planEnd` (narrowed by `from`/`until`).
    ///
    /// A period counts when at least half of its days lie within that range and its due date
    /// does too: a plan starting 2023-12-18 has no 2023 occurrence, one starting 2024-01-10
    /// keeps its 2024 one.
    public func dueDates(planStart: LocalDate, planEnd: LocalDate) -> [LocalDate] {
        let lower = max(from ?? planStart, planStart)
        let upper = min(until ?? planEnd, planEnd)
        guard lower <= upper else { return [] }
        var out: [LocalDate] = []
        var period = ReportingPeriod(containing: lower, frequency: every)
        while period.start <= upper {
            let length = period.start.days(to: period.end) + 1
            let covered = max(period.start, lower).days(to: min(period.end, upper)) + 1
            let due: LocalDate?
            if let m = onMonth, let d = onDay {
                due = LocalDate(year: period.year, month: m, day: min(d, LocalDate.daysIn(month: m, year: period.year)))
            } else {
                due = period.end.adding(days: afterDays)
            }
            if covered * 2 >= length, let due, due >= lower, due <= upper { out.append(due) }
            period = period.next
        }
        return out
    }
}

extension DueRule {
    public func dueDates(planStart: LocalDate, planEnd: LocalDate) -> [LocalDate] {
        switch self {
        case .date(let d): return [d]
        case .planEnd: return [planEnd]
        case .recurring(let r): return r.dueDates(planStart: planStart, planEnd: planEnd)
        }
    }

    /// A short Chinese description of the rule.
    public var label: String {
        switch self {
        case .date(let d): return d.description
        case .planEnd: return "方案期末"
        case .recurring(let r): return r.label
        }
    }
}
