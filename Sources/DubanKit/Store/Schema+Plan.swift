import GRDB

/// Table definitions. Dates are `YYYY-MM-DD` text, so they sort and compare as dates.
enum Schema {
    static func createPlanTables(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE plan (
                id TEXT PRIMARY KEY NOT NULL,
                title TEXT NOT NULL CHECK (title <> ''),
                issuer TEXT NOT NULL,
                issued_on TEXT NOT NULL,
                starts_on TEXT NOT NULL,
                ends_on TEXT NOT NULL,
                coordinator_unit_id TEXT NOT NULL,
                current_version INTEGER NOT NULL CHECK (current_version >= 1),
                CHECK (ends_on >= starts_on)
            );
            -- One row per load that changed something; plan_json is the whole resolved plan.
            CREATE TABLE plan_version (
                plan_id TEXT NOT NULL REFERENCES plan(id),
                version INTEGER NOT NULL CHECK (version >= 1),
                loaded_at TEXT NOT NULL,
                source_dir TEXT NOT NULL,
                content_hash TEXT NOT NULL,
                plan_json TEXT NOT NULL,
                changes_json TEXT NOT NULL,
                PRIMARY KEY (plan_id, version)
            ) WITHOUT ROWID;
            CREATE TABLE category (
                plan_id TEXT NOT NULL REFERENCES plan(id),
                number INTEGER NOT NULL,
                numeral TEXT NOT NULL,
                title TEXT NOT NULL,
                retired_in_version INTEGER,
                PRIMARY KEY (plan_id, number)
            ) WITHOUT ROWID;
            -- Units, groups, tasks and milestones are never deleted: one that leaves the plan is
            -- marked retired, so progress recorded against it is never lost.
            CREATE TABLE unit (
                plan_id TEXT NOT NULL REFERENCES plan(id),
                id TEXT NOT NULL,
                name TEXT NOT NULL CHECK (name <> ''),
                kind TEXT NOT NULL CHECK (kind IN ('county_government', 'municipal_department', 'party_organ',
                    'discipline_inspection', 'court', 'procuratorate', 'public_institution', 'other')),
                aliases_json TEXT NOT NULL DEFAULT '[]',
                liaison_name TEXT,
                liaison_phone TEXT,
                retired_in_version INTEGER,
                PRIMARY KEY (plan_id, id)
            ) WITHOUT ROWID;
            CREATE TABLE unit_group (
                plan_id TEXT NOT NULL REFERENCES plan(id),
                id TEXT NOT NULL,
                name TEXT NOT NULL,
                aliases_json TEXT NOT NULL DEFAULT '[]',
                basis TEXT NOT NULL CHECK (basis IN ('text', 'local')),
                retired_in_version INTEGER,
                PRIMARY KEY (plan_id, id)
            ) WITHOUT ROWID;
            CREATE TABLE group_member (
                plan_id TEXT NOT NULL,
                group_id TEXT NOT NULL,
                unit_id TEXT NOT NULL,
                PRIMARY KEY (plan_id, group_id, unit_id),
                FOREIGN KEY (plan_id, group_id) REFERENCES unit_group(plan_id, id),
                FOREIGN KEY (plan_id, unit_id) REFERENCES unit(plan_id, id)
            ) WITHOUT ROWID;
            CREATE TABLE plan_task (
                plan_id TEXT NOT NULL REFERENCES plan(id),
                number INTEGER NOT NULL CHECK (number >= 1),
                category_number INTEGER NOT NULL,
                title TEXT NOT NULL,
                text TEXT NOT NULL,
                lead_json TEXT NOT NULL,
                responsible_json TEXT NOT NULL,
                retired_in_version INTEGER,
                PRIMARY KEY (plan_id, number),
                FOREIGN KEY (plan_id, category_number) REFERENCES category(plan_id, number)
            ) WITHOUT ROWID;
            -- The units a task is owed by, groups expanded.
            CREATE TABLE task_unit (
                plan_id TEXT NOT NULL,
                task_number INTEGER NOT NULL,
                unit_id TEXT NOT NULL,
                role TEXT NOT NULL CHECK (role IN ('lead', 'responsible')),
                PRIMARY KEY (plan_id, task_number, unit_id, role),
                FOREIGN KEY (plan_id, task_number) REFERENCES plan_task(plan_id, number),
                FOREIGN KEY (plan_id, unit_id) REFERENCES unit(plan_id, id)
            ) WITHOUT ROWID;
            CREATE INDEX task_unit_by_unit ON task_unit(plan_id, unit_id, task_number);
            CREATE TABLE milestone (
                plan_id TEXT NOT NULL REFERENCES plan(id),
                id TEXT NOT NULL,
                task_number INTEGER,
                position INTEGER NOT NULL,
                title TEXT NOT NULL,
                owners_json TEXT NOT NULL,
                due_json TEXT NOT NULL,
                source TEXT,
                note TEXT,
                retired_in_version INTEGER,
                PRIMARY KEY (plan_id, id),
                FOREIGN KEY (plan_id, task_number) REFERENCES plan_task(plan_id, number)
            ) WITHOUT ROWID;
            CREATE TABLE milestone_owner (
                plan_id TEXT NOT NULL,
                milestone_id TEXT NOT NULL,
                unit_id TEXT NOT NULL,
                PRIMARY KEY (plan_id, milestone_id, unit_id),
                FOREIGN KEY (plan_id, milestone_id) REFERENCES milestone(plan_id, id),
                FOREIGN KEY (plan_id, unit_id) REFERENCES unit(plan_id, id)
            ) WITHOUT ROWID;
            CREATE INDEX milestone_owner_by_unit ON milestone_owner(plan_id, unit_id);
            CREATE TABLE milestone_due (
                plan_id TEXT NOT NULL,
                milestone_id TEXT NOT NULL,
                due_on TEXT NOT NULL,
                PRIMARY KEY (plan_id, milestone_id, due_on),
                FOREIGN KEY (plan_id, milestone_id) REFERENCES milestone(plan_id, id)
            ) WITHOUT ROWID;
            CREATE INDEX milestone_due_by_date ON milestone_due(plan_id, due_on);
            """)
    }
}
