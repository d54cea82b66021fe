import GRDB

extension Schema {
    /// Migration "v9-document-numbers": the 文号 taken by recorded steps, per plan, 机关代字 and
    /// year (张司函〔2024〕12号 is code 张司函, 2024, 12): the yearly counter `action record --ref
    /// next` continues, and a number cannot be taken twice. Append-only.
    static func createDocumentNumbers(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE document_number (
                plan_id TEXT NOT NULL REFERENCES plan(id),
                code TEXT NOT NULL CHECK (code <> ''),
                year INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 2999),
                number INTEGER NOT NULL CHECK (number BETWEEN 1 AND 999999),
                action_id INTEGER NOT NULL UNIQUE REFERENCES supervision_action(id),
                recorded_at TEXT NOT NULL,
                PRIMARY KEY (plan_id, code, year, number)
            ) WITHOUT ROWID;
            CREATE TRIGGER document_number_no_update BEFORE UPDATE ON document_number
            BEGIN SELECT RAISE(ABORT, 'document_number is append-only'); END;
            CREATE TRIGGER document_number_no_delete BEFORE DELETE ON document_number
            BEGIN SELECT RAISE(ABORT, 'document_number is append-only'); END;
            """)
    }
}
