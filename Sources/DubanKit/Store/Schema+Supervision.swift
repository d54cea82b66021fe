import GRDB

extension Schema {
    /// Migration "v3-supervision": the coordinator's steps (函告提醒, 通报, 提请追责问责) and the
    /// extensions (延期) granted. Append-only, like progress.
    static func createSupervisionTables(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE supervision_action (
                id INTEGER PRIMARY KEY,
                plan_id TEXT NOT NULL REFERENCES plan(id),
                unit_id TEXT NOT NULL,
                level TEXT NOT NULL CHECK (level IN ('letter', 'circular', 'referral')),
                taken_on TEXT NOT NULL,
                task_number INTEGER,
                reference TEXT,
                note TEXT,
                recorded_at TEXT NOT NULL,
                FOREIGN KEY (plan_id, unit_id) REFERENCES unit(plan_id, id),
                FOREIGN KEY (plan_id, task_number) REFERENCES plan_task(plan_id, number)
            );
            CREATE INDEX supervision_action_by_unit ON supervision_action(plan_id, unit_id, taken_on);

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
                CHECK (granted_on <= original_due),
                FOREIGN KEY (plan_id, unit_id) REFERENCES unit(plan_id, id),
                FOREIGN KEY (plan_id, milestone_id) REFERENCES milestone(plan_id, id)
            );
            CREATE INDEX due_extension_by_unit ON due_extension(plan_id, unit_id, milestone_id, original_due);

            CREATE TRIGGER supervision_action_no_update BEFORE UPDATE ON supervision_action
            BEGIN SELECT RAISE(ABORT, 'supervision_action is append-only'); END;
            CREATE TRIGGER supervision_action_no_delete BEFORE DELETE ON supervision_action
            BEGIN SELECT RAISE(ABORT, 'supervision_action is append-only'); END;
            CREATE TRIGGER due_extension_no_update BEFORE UPDATE ON due_extension
            BEGIN SELECT RAISE(ABORT, 'due_extension is append-only'); END;
            CREATE TRIGGER due_extension_no_delete BEFORE DELETE ON due_extension
            BEGIN SELECT RAISE(ABORT, 'due_extension is append-only'); END;
            """)
    }
}
