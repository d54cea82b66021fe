import Foundation
import GRDB

/// The delivery log (`notification_attempt`, migration v15-notifications): what was sent, what
/// failed and why, per day. The store records attempts and reads them back; whether to send is
/// `NotificationRules`' and the sending `DubanNotify`'s.
public struct NotificationStore {
    let database: DubanDatabase

    public init(_ database: DubanDatabase) { self.database = database }

    /// One delivery: a kind of message about a unit to a recipient of a channel on a day.
    public struct Key: Hashable, Sendable {
        public var day: LocalDate
        public var kind: String
        public var unitID: String
        public var channelID: String
        public var recipient: String

        public init(day: LocalDate, kind: String, unitID: String, channelID: String, recipient: String) {
            self.day = day
            self.kind = kind
            self.unitID = unitID
            self.channelID = channelID
            self.recipient = recipient
        }
    }

    /// What the log holds for the day's deliveries: which were sent, and how many attempts each made.
    public struct DayState: Sendable {
        public var sent: Set<Key> = []
        public var attempts: [Key: Int] = [:]
    }

    public func state(planID: String, day: LocalDate) throws -> DayState {
        try database.read { db in
            var state = DayState()
            let rows = try Row.fetchAll(db, sql: """
                SELECT kind, unit_id, channel_id, recipient, MAX(attempt) AS attempts, MAX(outcome = 'sent') AS sent
                FROM notification_attempt WHERE plan_id = ? AND day = ?
                GROUP BY kind, unit_id, channel_id, recipient
                """, arguments: [planID, day.description])
            for row in rows {
                let key = Key(day: day, kind: row["kind"], unitID: row["unit_id"], channelID: row["channel_id"], recipient: row["recipient"])
                state.attempts[key] = row["attempts"]
                if (row["sent"] as Int?) == 1 { state.sent.insert(key) }
            }
            return state
        }
    }

    /// Records one attempt in its own transaction (a crash later loses no record of it).
    public func record(planID: String, key: Key, channelKind: ChannelKind, attempt: Int, error: String?,
                       messageSHA256: String, at time: Date = Date()) throws {
        try database.write { db in
            try db.execute(sql: """
                INSERT INTO notification_attempt (plan_id, day, kind, unit_id, channel_id, channel_kind, recipient, attempt,
                                                  outcome, error, message_sha256, attempted_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [planID, key.day.description, key.kind, key.unitID, key.channelID, channelKind.rawValue,
                                 key.recipient, attempt, error == nil ? "sent" : "failed", error.map { String($0.prefix(1000)) },
                                 messageSHA256, Timestamp.iso(time)])
        }
    }

    /// One delivery as the log shows it: its last attempt's outcome.
    public struct Entry: Sendable, Equatable {
        public var key: Key
        public var unitName: String
        public var channelKind: String
        public var attempts: Int
        public var sent: Bool
        /// The last failure's error (masked), if the delivery failed at least once.
        public var lastError: String?
        public var firstAttemptAt: String
        public var lastAttemptAt: String
        public var messageSHA256: String
    }

    /// The deliveries from `since` on (every day without it), newest day first, then unit and channel.
    public func log(planID: String, since: LocalDate?, until: LocalDate?) throws -> [Entry] {
        try database.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT a.day, a.kind, a.unit_id, COALESCE(u.name, a.unit_id) AS unit_name, a.channel_id, a.recipient,
                       MAX(a.channel_kind) AS channel_kind, MAX(a.attempt) AS attempts, MAX(a.outcome = 'sent') AS sent,
                       MIN(a.attempted_at) AS first_at, MAX(a.attempted_at) AS last_at,
                       (SELECT e.error FROM notification_attempt e WHERE e.plan_id = a.plan_id AND e.day = a.day AND e.kind = a.kind
                          AND e.unit_id = a.unit_id AND e.channel_id = a.channel_id AND e.recipient = a.recipient
                          AND e.error IS NOT NULL ORDER BY e.attempt DESC LIMIT 1) AS last_error,
                       (SELECT e.message_sha256 FROM notification_attempt e WHERE e.plan_id = a.plan_id AND e.day = a.day AND e.kind = a.kind
                          AND e.unit_id = a.unit_id AND e.channel_id = a.channel_id AND e.recipient = a.recipient
                          ORDER BY e.attempt DESC LIMIT 1) AS sha
                FROM notification_attempt a LEFT JOIN unit u ON u.plan_id = a.plan_id AND u.id = a.unit_id
                WHERE a.plan_id = ? AND a.day >= ? AND a.day <= ?
                GROUP BY a.day, a.kind, a.unit_id, a.channel_id, a.recipient
                ORDER BY a.day DESC, MIN(a.id)
                """, arguments: [planID, since?.description ?? "0000-00-00", until?.description ?? "9999-99-99"])
            return rows.compactMap { row in
                guard let dayText: String = row["day"], let day = LocalDate(iso: dayText) else { return nil }
                return Entry(key: Key(day: day, kind: row["kind"], unitID: row["unit_id"], channelID: row["channel_id"], recipient: row["recipient"]),
                             unitName: row["unit_name"], channelKind: row["channel_kind"], attempts: row["attempts"],
                             sent: (row["sent"] as Int?) == 1, lastError: row["last_error"], firstAttemptAt: row["first_at"],
                             lastAttemptAt: row["last_at"], messageSHA256: row["sha"])
            }
        }
    }
}
