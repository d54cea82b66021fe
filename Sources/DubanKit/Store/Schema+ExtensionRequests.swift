import GRDB

extension Schema {
    /// Migration "v13-extension-requests": a unit's requests for a later due date (延期申请) and
    /// the coordinator's decisions on them. A request names one occurrence of a milestone (the
    /// plan's due date, as `due_extension.original_due`), is made on or before it, and asks for a
    /// date later than the one due then; a decision is made once per request, an approval with
    /// the `due_extension` row written in the same transaction, a refusal with its reason. Both
    /// append-only. Frozen SQL.
    static func createExtensionRequestTables(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE extension_request (
                id INTEGER PRIMARY KEY,
                plan_id TEXT NOT NULL REFERENCES plan(id),
                unit_id TEXT NOT NULL,
                task_number INTEGER NOT NULL,
                milestone_id TEXT NOT NULL,
                original_due TEXT NOT NULL,
                current_due TEXT NOT NULL,
                new_due TEXT NOT NULL,
                reason TEXT NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
                requested_on TEXT NOT NULL,
                requested_by TEXT NOT NULL CHECK (requested_by <> ''),
                address TEXT NOT NULL,
                recorded_at TEXT NOT NULL,
                CHECK (current_due >= original_due),
                CHECK (new_due > current_due),
                CHECK (requested_on <= original_due),
                FOREIGN KEY (plan_id, unit_id) REFERENCES unit(plan_id, id),
                FOREIGN KEY (plan_id, task_number) REFERENCES plan_task(plan_id, number),
                FOREIGN KEY (plan_id, milestone_id) REFERENCES milestone(plan_id, id)
            );
            CREATE INDEX extension_request_by_unit ON extension_request(plan_id, unit_id, milestone_id, original_due);

            CREATE TABLE extension_decision (
                id INTEGER PRIMARY KEY,
                request_id INTEGER NOT NULL UNIQUE REFERENCES extension_request(id),
                decision TEXT NOT NULL CHECK (decision IN ('approved', 'refused')),
                reason TEXT CHECK (reason IS NULL OR length(reason) BETWEEN 1 AND 500),
                decided_on TEXT NOT NULL,
                decided_by TEXT NOT NULL CHECK (decided_by <> ''),
                address TEXT NOT NULL,
                extension_id INTEGER UNIQUE REFERENCES due_extension(id),
                recorded_at TEXT NOT NULL,
                CHECK ((decision = 'approved') = (extension_id IS NOT NULL)),
                CHECK (decision = 'approved' OR reason IS NOT NULL)
            );

            CREATE TRIGGER extension_request_no_update BEFORE UPDATE ON extension_request
            BEGIN SELECT RAISE(ABORT, 'extension_request is append-only'); END;
            CREATE TRIGGER extension_request_no_delete BEFORE DELETE ON extension_request
            BEGIN SELECT RAISE(ABORT, 'extension_request is append-only'); END;
            CREATE TRIGGER extension_decision_no_update BEFORE UPDATE ON extension_decision
            BEGIN SELECT RAISE(ABORT, 'extension_decision is append-only'); END;
            CREATE TRIGGER extension_decision_no_delete BEFORE DELETE ON extension_decision
            BEGIN SELECT RAISE(ABORT, 'extension_decision is append-only'); END;
            """)
    }
}
