import GRDB

extension Schema {
    /// Migration "v19-ledger-content": a submission's content (the ledger's canonical JSON, which
    /// `content_hash` fingerprints) moves from `ledger_submission.content_json` into a table of its
    /// own, `ledger_content`, one row per submission, the content its last and only stored column.
    ///
    /// Why: SQLite takes a column value whole, so the content of a 20,000-row ledger (5.8 MB) was
    /// built whole in memory for the INSERT and copied once more by SQLite into the row. In a row
    /// whose last column is a `zeroblob(n)`, SQLite writes the zeros without holding them, and the
    /// incremental blob API (`sqlite3_blob_write`) then writes the content in pieces as it is
    /// produced (`LedgerWriter`). The blob API cannot change a value's length and fires no
    /// trigger: the row is inserted at its final length and written once, in the submit's
    /// transaction; the triggers refuse any later UPDATE or DELETE, as for `ledger_submission`.
    ///
    /// Every existing content is copied, as a BLOB of the same bytes (the new rows are BLOBs:
    /// `zeroblob`), then the old column is dropped (`ALTER TABLE … DROP COLUMN` rewrites the
    /// rows without firing `ledger_submission`'s triggers; no index, view, trigger or constraint
    /// names the column). Frozen SQL.
    static func createLedgerContent(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE ledger_content (
                submission_id INTEGER PRIMARY KEY REFERENCES ledger_submission(id),
                content_json BLOB NOT NULL
            );
            INSERT INTO ledger_content (submission_id, content_json)
                SELECT id, CAST(content_json AS BLOB) FROM ledger_submission ORDER BY id;
            ALTER TABLE ledger_submission DROP COLUMN content_json;

            CREATE TRIGGER ledger_content_no_update BEFORE UPDATE ON ledger_content
            BEGIN SELECT RAISE(ABORT, 'ledger_content is append-only'); END;
            CREATE TRIGGER ledger_content_no_delete BEFORE DELETE ON ledger_content
            BEGIN SELECT RAISE(ABORT, 'ledger_content is append-only'); END;
            """)
    }
}
