import Foundation

/// China Standard Time (UTC+8, no daylight saving): the day and hour the reminders are sent
/// by, whatever the machine's time zone.
public enum BeijingTime {
    public static let offsetSeconds = 8 * 3600

    public static func today(_ now: Date = Date()) -> LocalDate {
        LocalDate(dayNumber: Int(((now.timeIntervalSince1970 + Double(offsetSeconds)) / 86_400).rounded(.down)))
    }

    /// Seconds from `now` until the next `hour:minute` Beijing time (0 < result ≤ 24 h).
    public static func secondsUntil(hour: Int, minute: Int, from now: Date = Date()) -> Double {
        let local = now.timeIntervalSince1970 + Double(offsetSeconds)
        let intoDay = local.truncatingRemainder(dividingBy: 86_400)
        var wait = Double(hour * 3600 + minute * 60) - intoDay
        if wait <= 0 { wait += 86_400 }
        return wait
    }

    /// Whether `hour:minute` Beijing time has come today.
    public static func hasPassed(hour: Int, minute: Int, now: Date = Date()) -> Bool {
        let intoDay = (now.timeIntervalSince1970 + Double(offsetSeconds)).truncatingRemainder(dividingBy: 86_400)
        return intoDay >= Double(hour * 3600 + minute * 60)
    }
}
