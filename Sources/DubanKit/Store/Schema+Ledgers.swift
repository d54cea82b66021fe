import GRDB

extension Schema {
    /// Migration "v2-ledgers": ledger submissions and progress records, both append-only.
    ///
    /// Nothing is ever updated or deleted (triggers refuse it). A corrected ledger is a new
    /// `ledger_submission` row whose `supersedes_id` names the one it replaces; the replaced
    /// one stays, with its records, in history. `supersedes_id` is UNIQUE, so corrections form
    /// one chain per unit and period and a submission is superseded at most once.
    ///
    /// `progress_record_latest` serves "the latest record of (unit, task, milestone) on or
    /// before a date" as one index seek: equality on (plan, unit, task, milestone), a range on
    /// `reported_on`, read backwards; `id` breaks ties so a later correction wins.
    static func createLedgerTables(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE ledger_submission (
                id INTEGER PRIMARY KEY,
                plan_id TEXT NOT NULL REFERENCES plan(id),
                unit_id TEXT NOT NULL,
                period TEXT NOT NULL CHECK (period <> ''),
                period_start TEXT NOT NULL,
                period_end TEXT NOT NULL,
                submitted_on TEXT NOT NULL,
                liaison_name TEXT NOT NULL CHECK (liaison_name <> ''),
                liaison_phone TEXT NOT NULL,
                source_file TEXT NOT NULL,
                source_format TEXT NOT NULL CHECK (source_format IN ('yaml', 'csv')),
                content_hash TEXT NOT NULL,
                content_json TEXT NOT NULL,
                entry_count INTEGER NOT NULL CHECK (entry_count >= 0),
                supersedes_id INTEGER UNIQUE REFERENCES ledger_submission(id),
                recorded_at TEXT NOT NULL,
                CHECK (period_end >= period_start),
                CHECK (submitted_on >= period_start),
                FOREIGN KEY (plan_id, unit_id) REFERENCES unit(plan_id, id)
            );
            CREATE INDEX ledger_submission_by_unit_period ON ledger_submission(plan_id, unit_id, period, id);
            CREATE INDEX ledger_submission_by_period ON ledger_submission(plan_id, period, unit_id);

            CREATE TABLE progress_record (
                id INTEGER PRIMARY KEY,
                plan_id TEXT NOT NULL REFERENCES plan(id),
                unit_id TEXT NOT NULL,
                task_number INTEGER,
                milestone_id TEXT,
                status TEXT NOT NULL CHECK (status IN ('not_started', 'in_progress', 'done')),
                percent INTEGER CHECK (percent BETWEEN 0 AND 100),
                completed_on TEXT,
                reported_on TEXT NOT NULL,
                progress TEXT NOT NULL DEFAULT '',
                problems TEXT NOT NULL DEFAULT '',
                next_steps TEXT NOT NULL DEFAULT '',
                figures_json TEXT NOT NULL DEFAULT '[]',
                evidence_json TEXT NOT NULL DEFAULT '[]',
                origin TEXT NOT NULL CHECK (origin IN ('ledger', 'command')),
                submission_id INTEGER REFERENCES ledger_submission(id),
                source TEXT NOT NULL,
                source_line INTEGER,
                note TEXT,
                recorded_at TEXT NOT NULL,
                CHECK ((origin = 'ledger') = (submission_id IS NOT NULL)),
                -- A plan-wide obligation (e.g. 三(二)) has no task: the milestone names it.
                CHECK (task_number IS NOT NULL OR milestone_id IS NOT NULL),
                CHECK (completed_on IS NULL OR status = 'done'),
                CHECK (status <> 'done' OR completed_on IS NOT NULL),
                FOREIGN KEY (plan_id, unit_id) REFERENCES unit(plan_id, id),
                FOREIGN KEY (plan_id, task_number) REFERENCES plan_task(plan_id, number),
                FOREIGN KEY (plan_id, milestone_id) REFERENCES milestone(plan_id, id)
            );
            CREATE INDEX progress_record_latest
                ON progress_record(plan_id, unit_id, task_number, milestone_id, reported_on, id);
            CREATE INDEX progress_record_by_submission ON progress_record(submission_id);

            CREATE TRIGGER ledger_submission_no_update BEFORE UPDATE ON ledger_submission
            BEGIN SELECT RAISE(ABORT, 'ledger_submission is append-only'); END;
            CREATE TRIGGER ledger_submission_no_delete BEFORE DELETE ON ledger_submission
            BEGIN SELECT RAISE(ABORT, 'ledger_submission is append-only'); END;
            CREATE TRIGGER progress_record_no_update BEFORE UPDATE ON progress_record
            BEGIN SELECT RAISE(ABORT, 'progress_record is append-only'); END;
            CREATE TRIGGER progress_record_no_delete BEFORE DELETE ON progress_record
            BEGIN SELECT RAISE(ABORT, 'progress_record is append-only'); END;
            """)
    }
}
