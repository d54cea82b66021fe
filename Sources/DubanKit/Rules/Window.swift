/// A look-ahead window: calendar days (`7`, `7d`) or working days (`5wd`, 工作日).
public struct Window: Equatable, Sendable, CustomStringConvertible {
    public var count: Int
    public var workingDays: Bool

    public init(count: Int, workingDays: Bool) {
        self.count = count
        self.workingDays = workingDays
    }

    /// Parses `7`, `7d` or `5wd`.
    public init?(_ text: String) {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        if t.hasSuffix("wd"), let n = Int(t.dropLast(2)), n >= 0 {
            self.init(count: n, workingDays: true)
        } else if t.hasSuffix("d"), let n = Int(t.dropLast()), n >= 0 {
            self.init(count: n, workingDays: false)
        } else if let n = Int(t), n >= 0 {
            self.init(count: n, workingDays: false)
        } else {
            return nil
        }
    }

    public var description: String { workingDays ? "\(count) 个工作日" : "\(count) 天" }

    /// The last day of the window starting at `date`, and the years counted on plain weekdays.
    public func end(from date: LocalDate, calendar: WorkCalendar?) -> WorkCalendar.Count {
        guard workingDays else { return WorkCalendar.Count(date: date.adding(days: count), unknownYears: []) }
        return (calendar ?? .weekdays).adding(workingDays: count, to: date)
    }
}
