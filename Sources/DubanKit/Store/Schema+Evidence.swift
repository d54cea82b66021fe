import GRDB

extension Schema {
    /// Migration "v12-evidence-files": evidence files (佐证材料) attached to ledger entries, stored
    /// in the database, content-addressed. `evidence_blob` holds each distinct file once, keyed
    /// by its SHA-256; `evidence_file` attaches one to one progress record (the entry) of one
    /// submission, under the name it is shown and downloaded with. Both append-only. A trigger
    /// refuses an attachment whose record is not of its submission.
    static func createEvidenceTables(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE evidence_blob (
                sha256 TEXT PRIMARY KEY NOT NULL CHECK (length(sha256) = 64 AND sha256 NOT GLOB '*[^0-9a-f]*'),
                media_type TEXT NOT NULL CHECK (media_type IN ('application/pdf', 'image/png', 'image/jpeg',
                    'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
                    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')),
                size INTEGER NOT NULL CHECK (size BETWEEN 1 AND 67108864),
                content BLOB NOT NULL,
                CHECK (length(content) = size)
            );
            CREATE TABLE evidence_file (
                id INTEGER PRIMARY KEY,
                submission_id INTEGER NOT NULL REFERENCES ledger_submission(id),
                record_id INTEGER NOT NULL REFERENCES progress_record(id),
                sha256 TEXT NOT NULL REFERENCES evidence_blob(sha256),
                name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
                uploaded_by TEXT NOT NULL CHECK (uploaded_by <> ''),
                recorded_at TEXT NOT NULL,
                UNIQUE (record_id, sha256)
            );
            CREATE INDEX evidence_file_by_submission ON evidence_file(submission_id, id);
            CREATE INDEX evidence_file_by_blob ON evidence_file(sha256);

            CREATE TRIGGER evidence_file_of_its_submission BEFORE INSERT ON evidence_file
            WHEN (SELECT submission_id FROM progress_record WHERE id = NEW.record_id) IS NOT NEW.submission_id
            BEGIN SELECT RAISE(ABORT, 'evidence_file: the record is not of the submission'); END;
            CREATE TRIGGER evidence_blob_no_update BEFORE UPDATE ON evidence_blob
            BEGIN SELECT RAISE(ABORT, 'evidence_blob is append-only'); END;
            CREATE TRIGGER evidence_blob_no_delete BEFORE DELETE ON evidence_blob
            BEGIN SELECT RAISE(ABORT, 'evidence_blob is append-only'); END;
            CREATE TRIGGER evidence_file_no_update BEFORE UPDATE ON evidence_file
            BEGIN SELECT RAISE(ABORT, 'evidence_file is append-only'); END;
            CREATE TRIGGER evidence_file_no_delete BEFORE DELETE ON evidence_file
            BEGIN SELECT RAISE(ABORT, 'evidence_file is append-only'); END;
            """)
    }
}
