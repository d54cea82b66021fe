import GRDB

extension Schema {
    /// Migration "v10-record-occurrence": `progress_record.occurrence`, the earlier occurrence of a
    /// recurring milestone that a done record catches up on (`progress record --occurrence
    /// 2024-Q1`); NULL for every other record, which is about the occurrence of the period it
    /// reports on (`Rules/OccurrenceRule.swift`). Adding a column updates no row, so the
    /// append-only triggers are not involved. The partial index reads the few such rows.
    static func addRecordOccurrence(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE progress_record ADD COLUMN occurrence TEXT
                CHECK (occurrence IS NULL OR (occurrence <> '' AND status = 'done' AND milestone_id IS NOT NULL));
            CREATE INDEX progress_record_occurrence ON progress_record(plan_id, id) WHERE occurrence IS NOT NULL;
            """)
    }
}
