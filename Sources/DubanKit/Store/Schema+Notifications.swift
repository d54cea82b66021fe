import GRDB

extension Schema {
    /// Migration "v15-notifications": the delivery log of `duban notify --send` and the
    /// server's daily run. One row per attempt to deliver one message (kind, e.g. `reminder`)
    /// about one unit to one recipient of one channel on one day; a partial unique index lets
    /// at most one attempt per delivery succeed, so nothing is sent twice. No secret is
    /// stored: the channel's id, the recipient (an address, or the channel's id), the message's
    /// SHA-256 and the error with every secret masked. Append-only.
    static func createNotificationLog(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE notification_attempt (
                id INTEGER PRIMARY KEY,
                plan_id TEXT NOT NULL REFERENCES plan(id),
                day TEXT NOT NULL CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
                kind TEXT NOT NULL CHECK (kind <> '' AND kind NOT GLOB '*[^a-z_]*'),
                unit_id TEXT NOT NULL,
                channel_id TEXT NOT NULL CHECK (channel_id <> '' AND length(channel_id) <= 200),
                channel_kind TEXT NOT NULL CHECK (channel_kind IN ('dingtalk', 'wecom', 'webhook', 'email')),
                recipient TEXT NOT NULL CHECK (recipient <> '' AND length(recipient) <= 254),
                attempt INTEGER NOT NULL CHECK (attempt BETWEEN 1 AND 10),
                outcome TEXT NOT NULL CHECK (outcome IN ('sent', 'failed')),
                error TEXT CHECK (length(error) <= 1000),
                message_sha256 TEXT NOT NULL CHECK (length(message_sha256) = 64),
                attempted_at TEXT NOT NULL,
                CHECK ((outcome = 'failed') = (error IS NOT NULL)),
                FOREIGN KEY (plan_id, unit_id) REFERENCES unit(plan_id, id),
                UNIQUE (plan_id, day, kind, unit_id, channel_id, recipient, attempt)
            );
            CREATE UNIQUE INDEX notification_sent_once ON notification_attempt(plan_id, day, kind, unit_id, channel_id, recipient)
                WHERE outcome = 'sent';
            CREATE INDEX notification_attempt_by_day ON notification_attempt(plan_id, day);
            CREATE TRIGGER notification_attempt_no_update BEFORE UPDATE ON notification_attempt
            BEGIN SELECT RAISE(ABORT, 'notification_attempt is append-only'); END;
            CREATE TRIGGER notification_attempt_no_delete BEFORE DELETE ON notification_attempt
            BEGIN SELECT RAISE(ABORT, 'notification_attempt is append-only'); END;
            """)
    }
}
