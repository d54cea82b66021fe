import GRDB

extension Schema {
    /// Migration "v16-ledger-review": the coordinator's review of submitted ledgers (审核), and
    /// one view of when a submission stopped counting.
    ///
    /// `ledger_review` holds at most one decision per submission, `accept` or `return` (退回,
    /// with a reason that is not blank); append-only. A decision is dated (`decided_on`) no
    /// earlier than the ledger's own date, and a returned ledger's resubmission (a correction
    /// superseding it) no earlier than the return: triggers refuse the others.
    ///
    /// `ledger_submission_end` is every submission that stopped counting and the day it did: the
    /// day a correction superseding it was submitted, or the day it was returned. Every query that
    /// asks "does this ledger's record still count on day D" reads it, so a return and a
    /// correction are one fact to them. `current_fact_mark.reviews_through` is the last review
    /// folded into `current_fact` (a return changes which records count).
    static func createReviewTables(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE ledger_review (
                id INTEGER PRIMARY KEY,
                submission_id INTEGER NOT NULL UNIQUE REFERENCES ledger_submission(id),
                decision TEXT NOT NULL CHECK (decision IN ('accept', 'return')),
                reason TEXT NOT NULL DEFAULT '' CHECK (length(reason) <= 2000),
                decided_on TEXT NOT NULL CHECK (decided_on GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
                decided_by TEXT NOT NULL CHECK (decided_by <> '' AND length(decided_by) <= 200),
                recorded_at TEXT NOT NULL,
                CHECK (decision <> 'return' OR trim(reason) <> '')
            );
            CREATE INDEX ledger_review_returns ON ledger_review(submission_id, decided_on) WHERE decision = 'return';

            CREATE TRIGGER ledger_review_not_before_submission BEFORE INSERT ON ledger_review
            WHEN NEW.decided_on < (SELECT submitted_on FROM ledger_submission WHERE id = NEW.submission_id)
            BEGIN SELECT RAISE(ABORT, 'ledger_review: decided before the ledger was submitted'); END;
            CREATE TRIGGER ledger_review_of_current_only BEFORE INSERT ON ledger_review
            WHEN EXISTS (SELECT 1 FROM ledger_submission WHERE supersedes_id = NEW.submission_id)
            BEGIN SELECT RAISE(ABORT, 'ledger_review: the ledger was superseded by a correction'); END;
            CREATE TRIGGER ledger_resubmission_not_before_return BEFORE INSERT ON ledger_submission
            WHEN NEW.supersedes_id IS NOT NULL AND NEW.submitted_on < (
                SELECT decided_on FROM ledger_review WHERE submission_id = NEW.supersedes_id AND decision = 'return')
            BEGIN SELECT RAISE(ABORT, 'ledger_submission: a resubmission is dated before the return'); END;
            CREATE TRIGGER ledger_review_no_update BEFORE UPDATE ON ledger_review
            BEGIN SELECT RAISE(ABORT, 'ledger_review is append-only'); END;
            CREATE TRIGGER ledger_review_no_delete BEFORE DELETE ON ledger_review
            BEGIN SELECT RAISE(ABORT, 'ledger_review is append-only'); END;

            CREATE VIEW ledger_submission_end (submission_id, ended_on) AS
                SELECT supersedes_id, submitted_on FROM ledger_submission WHERE supersedes_id IS NOT NULL
                UNION ALL
                SELECT submission_id, decided_on FROM ledger_review WHERE decision = 'return';

            ALTER TABLE current_fact_mark ADD COLUMN reviews_through INTEGER NOT NULL DEFAULT 0;
            """)
    }
}
