/// When reminders go out and to whom: the rules of `duban notify --send` and of the server's
/// daily run, in one place. The sending itself (HTTP, SMTP, retries) is `DubanNotify`'s.
public enum NotificationRules {
    /// Why nothing is sent on `day`, or nil when it is a working day of the plan's calendar (or
    /// the configuration sends on rest days too). A day outside the calendar's years is counted
    /// as Monday to Friday.
    public static func restDay(_ day: LocalDate, calendar: WorkCalendar?, config: NotificationConfig) -> String? {
        guard !config.sendOnRestDays else { return nil }
        let cal = calendar ?? .weekdays
        guard !cal.isWorkingDay(day) else { return nil }
        if let h = cal.holiday(on: day) { return "\(day) is a holiday (\(h.name)) of the calendar \(cal.name)" }
        return "\(day) is a weekend day of the calendar \(cal.name)"
    }

    /// The days whose decisions (on extension requests, returned ledgers, steps of the ladder) a
    /// run on `day` sends: from the day after the last working day before it, so a decision made
    /// on a weekend or holiday goes out with the next working day's run (at most 31 days back).
    public static func decisionDays(before day: LocalDate, calendar: WorkCalendar?) -> ClosedRange<LocalDate> {
        let cal = calendar ?? .weekdays
        var from = day
        for _ in 0..<31 {
            let previous = from.adding(days: -1)
            if cal.isWorkingDay(previous) { break }
            from = previous
        }
        return from...day
    }

    /// One message to one recipient of one channel: the unit of the delivery log.
    public struct Delivery: Sendable {
        public var channel: NotificationChannel
        /// The e-mail address; for robots and webhooks the channel's id.
        public var recipient: String
        public var message: NotificationMessage
    }

    /// Every delivery of the day: each message to each channel serving its unit and kind (an e-mail
    /// channel once per address of the unit), in the messages' order, then the channels'.
    public static func deliveries(_ messages: [NotificationMessage], config: NotificationConfig) -> [Delivery] {
        var out: [Delivery] = []
        for m in messages {
            for c in config.channels where c.serves(m.unitID, kind: m.kind) {
                let recipients = c.kind == .email ? (c.addresses[m.unitID] ?? []) : [c.id]
                for r in recipients { out.append(Delivery(channel: c, recipient: r, message: m)) }
            }
        }
        return out
    }
}
