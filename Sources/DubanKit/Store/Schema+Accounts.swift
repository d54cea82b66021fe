import GRDB

extension Schema {
    /// Migration "v8-accounts": the portal's accounts, API tokens, sessions, login attempts and the
    /// audit log. Frozen SQL: a later change comes as a new migration.
    static func createAccountTables(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE account (
                id INTEGER PRIMARY KEY,
                login TEXT NOT NULL UNIQUE
                    CHECK (length(login) BETWEEN 3 AND 64 AND login NOT GLOB '*[^a-z0-9._-]*'),
                name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
                role TEXT NOT NULL CHECK (role IN ('liaison', 'coordinator', 'leader')),
                plan_id TEXT NOT NULL REFERENCES plan(id),
                unit_id TEXT,
                password_hash TEXT NOT NULL CHECK (password_hash LIKE '$2%'),
                disabled_at TEXT,
                created_at TEXT NOT NULL,
                CHECK ((role = 'liaison') = (unit_id IS NOT NULL)),
                FOREIGN KEY (plan_id, unit_id) REFERENCES unit(plan_id, id)
            );
            CREATE INDEX account_by_unit ON account(plan_id, unit_id);

            -- An API token is stored as the SHA-256 of its text; the text is shown once.
            CREATE TABLE api_token (
                token_hash TEXT PRIMARY KEY NOT NULL CHECK (length(token_hash) = 64),
                account_id INTEGER NOT NULL REFERENCES account(id),
                created_at TEXT NOT NULL,
                revoked_at TEXT
            ) WITHOUT ROWID;
            CREATE INDEX api_token_by_account ON api_token(account_id);

            -- Browser sessions, keyed by the SHA-256 of the cookie's value; value is the session's JSON.
            CREATE TABLE web_session (
                key_hash TEXT PRIMARY KEY NOT NULL CHECK (length(key_hash) = 64),
                value TEXT NOT NULL,
                expires_at REAL
            ) WITHOUT ROWID;

            CREATE TABLE login_attempt (
                id INTEGER PRIMARY KEY,
                login TEXT NOT NULL,
                address TEXT NOT NULL,
                at REAL NOT NULL,
                succeeded INTEGER NOT NULL CHECK (succeeded IN (0, 1))
            );
            CREATE INDEX login_attempt_by_login ON login_attempt(login, at);
            CREATE INDEX login_attempt_by_address ON login_attempt(address, at);

            -- Every write through the portal, the API or the account commands: who, when, from where.
            CREATE TABLE audit_event (
                id INTEGER PRIMARY KEY,
                at TEXT NOT NULL,
                account_id INTEGER REFERENCES account(id),
                actor TEXT NOT NULL,
                address TEXT NOT NULL,
                action TEXT NOT NULL CHECK (action <> ''),
                detail TEXT NOT NULL
            );
            CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
            BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END;
            CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
            BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END;
            """)
    }
}
