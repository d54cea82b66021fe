import GRDB

extension Schema {
    /// Migration "v18-extension-deadlines": the deadline of an extension is the date due when it
    /// is asked for, not the plan's. v3 made `due_extension` CHECK `granted_on <= original_due`
    /// and v13 `extension_request` CHECK `requested_on <= original_due`, so a second extension
    /// (asked for before the first one runs out) and the approval of a request made in time but
    /// decided after the date could not be stored. Now:
    /// - `extension_request`: `requested_on <= current_due` (the date due when asked: the plan's
    ///   or the latest extension's);
    /// - `due_extension`: `granted_on <= new_due` (an extension is granted before the date it
    ///   gives), instead of `granted_on <= original_due`;
    /// - `extension_decision`: the trigger `extension_decision_not_before_request`.
    ///
    /// A CHECK cannot be changed in place, so the three tables are made again with every row
    /// and id kept, foreign keys enforced throughout: the child (`extension_decision`) is copied
    /// aside and dropped first, so dropping its parents deletes no referenced row; then each
    /// table is created, refilled, and its indexes and append-only triggers made again (after
    /// the copy, so the copy is not refused by them). Frozen SQL.
    static func rebuildExtensionDeadlines(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE v18_saved_decision AS SELECT * FROM extension_decision;
            CREATE TABLE v18_saved_request AS SELECT * FROM extension_request;
            CREATE TABLE v18_saved_extension AS SELECT * FROM due_extension;
            DROP TABLE extension_decision;
            DROP TABLE extension_request;
            DROP TABLE due_extension;

            CREATE TABLE due_extension (
                id INTEGER PRIMARY KEY,
                plan_id TEXT NOT NULL REFERENCES plan(id),
                unit_id TEXT NOT NULL,
                milestone_id TEXT NOT NULL,
                original_due TEXT NOT NULL,
                new_due TEXT NOT NULL,
                reason TEXT NOT NULL CHECK (reason <> ''),
                granted_on TEXT NOT NULL,
                recorded_at TEXT NOT NULL,
                CHECK (new_due > original_due),
                CHECK (granted_on <= new_due),
                FOREIGN KEY (plan_id, unit_id) REFERENCES unit(plan_id, id),
                FOREIGN KEY (plan_id, milestone_id) REFERENCES milestone(plan_id, id)
            );
            INSERT INTO due_extension (id, plan_id, unit_id, milestone_id, original_due, new_due, reason, granted_on, recorded_at)
                SELECT id, plan_id, unit_id, milestone_id, original_due, new_due, reason, granted_on, recorded_at
                FROM v18_saved_extension ORDER BY id;
            CREATE INDEX due_extension_by_unit ON due_extension(plan_id, unit_id, milestone_id, original_due);

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
                CHECK (requested_on <= current_due),
                FOREIGN KEY (plan_id, unit_id) REFERENCES unit(plan_id, id),
                FOREIGN KEY (plan_id, task_number) REFERENCES plan_task(plan_id, number),
                FOREIGN KEY (plan_id, milestone_id) REFERENCES milestone(plan_id, id)
            );
            INSERT INTO extension_request (id, plan_id, unit_id, task_number, milestone_id, original_due, current_due, new_due, reason,
                                           requested_on, requested_by, address, recorded_at)
                SELECT id, plan_id, unit_id, task_number, milestone_id, original_due, current_due, new_due, reason,
                       requested_on, requested_by, address, recorded_at
                FROM v18_saved_request ORDER BY id;
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
            INSERT INTO extension_decision (id, request_id, decision, reason, decided_on, decided_by, address, extension_id, recorded_at)
                SELECT id, request_id, decision, reason, decided_on, decided_by, address, extension_id, recorded_at
                FROM v18_saved_decision ORDER BY id;

            DROP TABLE v18_saved_decision;
            DROP TABLE v18_saved_request;
            DROP TABLE v18_saved_extension;

            CREATE TRIGGER due_extension_no_update BEFORE UPDATE ON due_extension
            BEGIN SELECT RAISE(ABORT, 'due_extension is append-only'); END;
            CREATE TRIGGER due_extension_no_delete BEFORE DELETE ON due_extension
            BEGIN SELECT RAISE(ABORT, 'due_extension is append-only'); END;
            CREATE TRIGGER extension_request_no_update BEFORE UPDATE ON extension_request
            BEGIN SELECT RAISE(ABORT, 'extension_request is append-only'); END;
            CREATE TRIGGER extension_request_no_delete BEFORE DELETE ON extension_request
            BEGIN SELECT RAISE(ABORT, 'extension_request is append-only'); END;
            CREATE TRIGGER extension_decision_no_update BEFORE UPDATE ON extension_decision
            BEGIN SELECT RAISE(ABORT, 'extension_decision is append-only'); END;
            CREATE TRIGGER extension_decision_no_delete BEFORE DELETE ON extension_decision
            BEGIN SELECT RAISE(ABORT, 'extension_decision is append-only'); END;
            CREATE TRIGGER extension_decision_not_before_request BEFORE INSERT ON extension_decision
            WHEN NEW.decided_on < (SELECT requested_on FROM extension_request WHERE id = NEW.request_id)
            BEGIN SELECT RAISE(ABORT, 'extension_decision: decided before the request was made'); END;
            """)
    }
}
