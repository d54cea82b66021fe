import GRDB

extension Schema {
    /// Migration "v6-current-facts": the records that decide every rule's answer today, kept up
    /// to date by every write (`CurrentFacts.fold`), so the supervision lists read a few hundred
    /// thousand rows at country size instead of seeking through ten million.
    ///
    /// - `current_fact`: per (plan, unit, task, milestone) key, the few effective (not
    ///   superseded) records that decide the rules on any date from the unit's floor on
    ///   (`CurrentFacts.keep` says which), with the date each became known.
    /// - `current_fact_unit`: per unit, the last date anything about it became known (a ledger
    ///   submitted, an update recorded) and its floor (six weeks before, or its last correction).
    ///   On an as-of date before the floor, the unit's facts are read from the records as before.
    /// - `current_fact_plan`: per plan, the occurrence counts the kept done records were capped
    ///   at (`CurrentFacts.caps`); a plan whose counts changed is rebuilt.
    /// - `current_fact_mark`: the last record and submission folded in. The lists trust the
    ///   tables only when these are the database's last ids, so a row written by anything that
    ///   does not fold (an older duban, a hand-made INSERT) makes them read the records instead.
    ///
    /// The migration creates the tables empty, the mark at (0, 0): readers find them behind the
    /// records and read the records; the next write folds every record in (`CurrentFacts.fold`:
    /// ~1 minute at country size). It once called the fold itself; a migration runs no
    /// application code, so that call was taken out (its SQL is as shipped).
    static func createCurrentFacts(_ db: Database) throws {
        try db.execute(sql: """
            -- One B-tree in the order the rules read facts (key, then reported_on, id): the lists
            -- read the whole plan's kept records in one scan with no sort, and a fold writes each
            -- row once (no separate index). A task as a whole has milestone_key '', a plan-wide
            -- milestone task_key -9223372036854775808 (so both sort first, as NULL did).
            CREATE TABLE current_fact (
                plan_id TEXT NOT NULL,
                unit_id TEXT NOT NULL,
                task_key INTEGER NOT NULL,
                milestone_key TEXT NOT NULL,
                reported_on TEXT NOT NULL,
                record_id INTEGER NOT NULL,
                status TEXT NOT NULL,
                percent INTEGER,
                completed_on TEXT,
                known_on TEXT NOT NULL,
                PRIMARY KEY (plan_id, unit_id, task_key, milestone_key, reported_on, record_id)
            ) WITHOUT ROWID;
            CREATE TABLE current_fact_unit (
                plan_id TEXT NOT NULL,
                unit_id TEXT NOT NULL,
                known_through TEXT NOT NULL,
                floor TEXT NOT NULL,
                PRIMARY KEY (plan_id, unit_id)
            ) WITHOUT ROWID;
            CREATE TABLE current_fact_plan (
                plan_id TEXT PRIMARY KEY,
                caps TEXT NOT NULL
            );
            CREATE TABLE current_fact_mark (
                only INTEGER PRIMARY KEY CHECK (only = 1),
                records_through INTEGER NOT NULL,
                submissions_through INTEGER NOT NULL
            );
            INSERT INTO current_fact_mark VALUES (1, 0, 0);
            """)
    }

    /// Migration "v7-derived-version": per derived table, the version of the code that derived
    /// it (`CurrentFacts.version` for `current_fact`). A table whose row is missing or holds
    /// another version is not read (the lists read the records), and the next write rebuilds it.
    static func createDerivedVersion(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE derived_version (
                name TEXT PRIMARY KEY NOT NULL,
                version INTEGER NOT NULL
            );
            """)
    }
}
