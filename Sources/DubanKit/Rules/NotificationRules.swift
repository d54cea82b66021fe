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

    /// One message to one recipient of one channel: the unit of the delivery log.
    public struct Delivery: Sendable, Equatable {
        public var unitID: String
        public var unitName: String
        public var channel: NotificationChannel
        /// The e-mail address; for robots and webhooks the channel's id.
        public var recipient: String
        public var notice: SupervisionJSON.Notice
        public var text: String
    }

    /// Every delivery of the day: each notice to each channel serving its unit (an e-mail
    /// channel once per address of the unit), in the notices' order, then the channels'.
    public static func deliveries(notices: [SupervisionJSON.Notice], texts: [String],
                                  config: NotificationConfig) -> [Delivery] {
        var out: [Delivery] = []
        for (n, text) in zip(notices, texts) {
            for c in config.channels where c.serves(n.unit) {
                let recipients = c.kind == .email ? (c.addresses[n.unit] ?? []) : [c.id]
                for r in recipients {
                    out.append(Delivery(unitID: n.unit, unitName: n.unit_name, channel: c, recipient: r, notice: n, text: text))
                }
            }
        }
        return out
    }
}
