import GRDB

extension Schema {
    /// Migration "v20-owed-states": every open (not done) owed item's state as versions, each valid
    /// from one day until another (`OwedStateVersions`), kept up to date by every write
    /// (`OwedStates.fold`), so the lists that show open items read the rows valid on their date
    /// instead of computing every item's state from the records.
    ///
    /// - `owed_state`: one version per (plan, unit, place, valid_from): the item's place in the
    ///   rules' order (`ItemPlace`: milestone rank, owner rank, slot; a ledger's milestone rank is
    ///   the number of milestones), its original and current due dates, whether extended, and the
    ///   last status shown on it. `valid_until` 9999-12-31: still valid. Keyed by `valid_until`
    ///   first: the versions valid on a day are among those ending after it, one range of the
    ///   table (`owed_state_unit` finds a unit's, to derive them again).
    /// - `owed_state_plan`: per plan, the SHA-256 of the canonical JSON of the plan the rows were
    ///   derived from; rows of another plan are not read.
    /// - `owed_state_mark`: the last record, submission, review and extension folded in. The lists
    ///   read the table only when these are the database's last ids.
    ///
    /// Created empty, the mark at zero: readers find the table behind and compute from the
    /// records; the next write (or `duban db migrate`/`db rebuild`) derives it.
    static func createOwedStates(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE owed_state (
                plan_id TEXT NOT NULL REFERENCES plan(id),
                unit_id TEXT NOT NULL,
                milestone_rank INTEGER NOT NULL CHECK (milestone_rank >= 0),
                owner_rank INTEGER NOT NULL CHECK (owner_rank >= 0),
                slot INTEGER NOT NULL CHECK (slot >= 0),
                valid_from TEXT NOT NULL CHECK (date(valid_from) IS valid_from),
                valid_until TEXT NOT NULL CHECK (date(valid_until) IS valid_until AND valid_until > valid_from),
                kind TEXT NOT NULL CHECK (kind IN ('milestone', 'ledger')),
                milestone_id TEXT CHECK ((kind = 'milestone') = (milestone_id IS NOT NULL)),
                item_due TEXT NOT NULL CHECK (date(item_due) IS item_due),
                due TEXT NOT NULL CHECK (date(due) IS due),
                extended INTEGER NOT NULL CHECK (extended IN (0, 1)),
                last_status TEXT CHECK (last_status IN ('not_started', 'in_progress', 'done')),
                last_percent INTEGER CHECK (last_percent BETWEEN 0 AND 100),
                last_reported_on TEXT CHECK (last_reported_on IS NULL OR date(last_reported_on) IS last_reported_on),
                PRIMARY KEY (plan_id, valid_until, unit_id, milestone_rank, owner_rank, slot),
                FOREIGN KEY (plan_id, unit_id) REFERENCES unit(plan_id, id),
                FOREIGN KEY (plan_id, milestone_id) REFERENCES milestone(plan_id, id)
            ) WITHOUT ROWID;
            CREATE INDEX owed_state_unit ON owed_state(plan_id, unit_id);
            CREATE TABLE owed_state_plan (
                plan_id TEXT PRIMARY KEY NOT NULL REFERENCES plan(id),
                plan_sha256 TEXT NOT NULL CHECK (length(plan_sha256) = 64)
            );
            CREATE TABLE owed_state_mark (
                only INTEGER PRIMARY KEY CHECK (only = 1),
                records_through INTEGER NOT NULL,
                submissions_through INTEGER NOT NULL,
                reviews_through INTEGER NOT NULL,
                extensions_through INTEGER NOT NULL
            );
            INSERT INTO owed_state_mark VALUES (1, 0, 0, 0, 0);
            """)
    }
}

extension Schema {
    /// Migration "v21-owed-state-status": `owed_state` made again with `last_status` checked by
    /// comparisons (`= 'not_started' OR …`, the same rows allowed) instead of an `IN` list of three:
    /// SQLite evaluates a CHECK's `IN` list of more than two values through an ephemeral table it
    /// opens and closes for every row written, about 2.5 µs a row here (BENCHMARKS.md, "Figures
    /// the code's choices rest on"). The table is derived, so it is made empty, its plans and
    /// mark cleared: readers compute from the records until the next write derives it again (as
    /// after v20). Its index by unit is named anew (`owed_state_by_unit`), the object that tells
    /// this migration applied.
    static func rebuildOwedStateStatusCheck(_ db: Database) throws {
        try db.execute(sql: """
            DROP TABLE owed_state;
            CREATE TABLE owed_state (
                plan_id TEXT NOT NULL REFERENCES plan(id),
                unit_id TEXT NOT NULL,
                milestone_rank INTEGER NOT NULL CHECK (milestone_rank >= 0),
                owner_rank INTEGER NOT NULL CHECK (owner_rank >= 0),
                slot INTEGER NOT NULL CHECK (slot >= 0),
                valid_from TEXT NOT NULL CHECK (date(valid_from) IS valid_from),
                valid_until TEXT NOT NULL CHECK (date(valid_until) IS valid_until AND valid_until > valid_from),
                kind TEXT NOT NULL CHECK (kind IN ('milestone', 'ledger')),
                milestone_id TEXT CHECK ((kind = 'milestone') = (milestone_id IS NOT NULL)),
                item_due TEXT NOT NULL CHECK (date(item_due) IS item_due),
                due TEXT NOT NULL CHECK (date(due) IS due),
                extended INTEGER NOT NULL CHECK (extended IN (0, 1)),
                last_status TEXT CHECK (last_status = 'not_started' OR last_status = 'in_progress' OR last_status = 'done'),
                last_percent INTEGER CHECK (last_percent BETWEEN 0 AND 100),
                last_reported_on TEXT CHECK (last_reported_on IS NULL OR date(last_reported_on) IS last_reported_on),
                PRIMARY KEY (plan_id, valid_until, unit_id, milestone_rank, owner_rank, slot),
                FOREIGN KEY (plan_id, unit_id) REFERENCES unit(plan_id, id),
                FOREIGN KEY (plan_id, milestone_id) REFERENCES milestone(plan_id, id)
            ) WITHOUT ROWID;
            CREATE INDEX owed_state_by_unit ON owed_state(plan_id, unit_id);
            DELETE FROM owed_state_plan;
            UPDATE owed_state_mark SET records_through = 0, submissions_through = 0, reviews_through = 0, extensions_through = 0;
            """)
    }
}
