import GRDB

extension Schema {
    /// Migration "v14-received-as": how each ledger came in, `received_as`: 'yaml', 'csv', 'xlsx'
    /// (an Excel workbook, read as its CSV layout) or 'form' (the portal's online form). The v2
    /// CHECK on `source_format` allows only 'yaml' and 'csv' and cannot be changed without
    /// rebuilding a table others reference, so `source_format` keeps saying how the ledger was
    /// read ('csv' for a workbook and the form) and the new column says how it came in.
    ///
    /// Earlier rows are filled from what they recorded, which tells each case apart: a YAML
    /// ledger is 'yaml'; a workbook was read as CSV under its own name, `*.xlsx` (a CSV file is
    /// never read under that name); the form is recorded as `portal:LOGIN/form` (a file without
    /// an extension is refused). The table is append-only: its UPDATE trigger is dropped for that
    /// one statement and created again as v2 made it, in this migration's transaction. The
    /// trigger `ledger_submission_received_as` keeps the two columns agreeing for every new row.
    static func addReceivedAs(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE ledger_submission ADD COLUMN received_as TEXT NOT NULL DEFAULT 'csv'
                CHECK (received_as IN ('yaml', 'csv', 'xlsx', 'form'));
            DROP TRIGGER ledger_submission_no_update;
            UPDATE ledger_submission SET received_as = CASE
                WHEN source_format = 'yaml' THEN 'yaml'
                WHEN source_file LIKE '%.xlsx' THEN 'xlsx'
                WHEN source_file LIKE 'portal:%/form' THEN 'form'
                ELSE 'csv' END;
            CREATE TRIGGER ledger_submission_no_update BEFORE UPDATE ON ledger_submission
            BEGIN SELECT RAISE(ABORT, 'ledger_submission is append-only'); END;
            CREATE TRIGGER ledger_submission_received_as BEFORE INSERT ON ledger_submission
            WHEN (NEW.received_as = 'yaml') <> (NEW.source_format = 'yaml')
            BEGIN SELECT RAISE(ABORT, 'ledger_submission: received_as is yaml exactly when source_format is'); END;
            """)
    }
}
