import GRDB

extension Schema {
    /// Migration "v11-unit-kinds": unit kinds for a county's plan, `county_department` (县直部门),
    /// `township` (乡镇) and `subdistrict` (街道). The v1 CHECK on `unit.kind` cannot be changed
    /// without rebuilding a table that nine others reference (and migrations run with foreign keys
    /// on), so such a unit keeps `kind = 'other'` and its kind goes in `finer_kind`, under a CHECK
    /// of its own; NULL for every other unit. The index makes the migration recognisable.
    static func addUnitKinds(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE unit ADD COLUMN finer_kind TEXT
                CHECK (finer_kind IS NULL OR (kind = 'other' AND finer_kind IN ('county_department', 'township', 'subdistrict')));
            CREATE INDEX unit_finer_kind ON unit(plan_id, finer_kind) WHERE finer_kind IS NOT NULL;
            """)
    }
}
