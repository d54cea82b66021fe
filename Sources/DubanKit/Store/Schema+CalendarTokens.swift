import GRDB

extension Schema {
    /// Migration "v17-calendar-tokens": the secret calendar URLs (`/calendar/TOKEN.ics`), one
    /// live token per unit and one for the whole plan (`unit_id` NULL, the coordinator's). A
    /// token is stored as the SHA-256 of its text, shown once; a new one revokes the old at once.
    /// Frozen SQL.
    static func createCalendarTokens(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE calendar_token (
                token_hash TEXT PRIMARY KEY NOT NULL CHECK (length(token_hash) = 64 AND token_hash NOT GLOB '*[^0-9a-f]*'),
                plan_id TEXT NOT NULL REFERENCES plan(id),
                unit_id TEXT,
                created_at TEXT NOT NULL,
                revoked_at TEXT,
                CHECK (revoked_at IS NULL OR revoked_at >= created_at),
                FOREIGN KEY (plan_id, unit_id) REFERENCES unit(plan_id, id)
            ) WITHOUT ROWID;
            CREATE INDEX calendar_token_by_unit ON calendar_token(plan_id, unit_id);
            CREATE UNIQUE INDEX calendar_token_live ON calendar_token(plan_id, ifnull(unit_id, '')) WHERE revoked_at IS NULL;
            CREATE TRIGGER calendar_token_no_delete BEFORE DELETE ON calendar_token
            BEGIN SELECT RAISE(ABORT, 'calendar_token is kept: a token is revoked, not deleted'); END;
            CREATE TRIGGER calendar_token_revoke_only BEFORE UPDATE ON calendar_token
            WHEN OLD.revoked_at IS NOT NULL OR NEW.token_hash <> OLD.token_hash OR NEW.plan_id <> OLD.plan_id
                 OR NEW.unit_id IS NOT OLD.unit_id OR NEW.created_at <> OLD.created_at
            BEGIN SELECT RAISE(ABORT, 'calendar_token: only revoked_at is set, once'); END;
            """)
    }
}
