import Foundation
import XCTest

/// Issue 13, "reads never write": the commands that only read open the database read-only and
/// never migrate; files that are not Duban databases are refused and left as they are; writers
/// that refuse leave the file as it was; first loads in parallel all succeed.
final class DatabaseAccessTests: CLITestCase {
    var cli: CLIRunner!

    override func setUpWithError() throws {
        cli = try CLIRunner()
    }

    override func tearDownWithError() throws {
        _ = try? cli.run([], shell: "chmod -R u+w \"\(cli.directory.path)\"")
        try? FileManager.default.removeItem(at: cli.directory)
    }

    /// Every command that only reads, with arguments that make it read something.
    static let readCommands: [[String]] = [
        ["plan", "show"], ["plan", "versions"], ["tasks"], ["task", "7"], ["units"],
        ["ledger", "template", "--unit", "甘州区", "--period", "2024-04"],
        ["history", "--unit", "甘州区"], ["status", "--as-of", "2024-04-10"], ["ledgers", "--as-of", "2024-04-10"],
        ["overdue", "--as-of", "2024-04-10"], ["notify", "--as-of", "2024-04-10", "--format", "text"],
        ["escalate", "--as-of", "2024-04-10", "--format", "json"], ["actions"], ["extensions"], ["extension", "list"],
        ["digest", "--as-of", "2024-04-10", "--format", "json"], ["account", "list"], ["notify", "log", "--format", "json"],
    ]

    /// The SHA-256 of a file, by `sha256sum`.
    func sha256(_ path: String) throws -> String {
        let r = try cli.run([], shell: "sha256sum \"\(path)\" | cut -d' ' -f1")
        XCTAssertEqual(r.code, 0, r.stderr)
        return r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func path(_ name: String) -> String { cli.directory.appendingPathComponent(name).path }

    func loadSamples(into db: String? = nil) throws {
        let db = db ?? cli.db
        XCTAssertEqual(try cli.run(["plan", "load", CLIRunner.zhangye, "--db", db]).code, 0)
        let samples = try FileManager.default.contentsOfDirectory(atPath: CLIRunner.zhangye + "/samples").sorted()
            .map { CLIRunner.zhangye + "/samples/" + $0 }
        XCTAssertEqual(try cli.run(["ledger", "submit", "--db", db] + samples).code, 0)
    }

    func testEveryReadCommandWorksOnAReadOnlyFileAsAnotherUserAndLeavesItByteIdentical() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") else {
            throw XCTSkip("setpriv is not installed: cannot run duban as an unprivileged user")
        }
        try loadSamples()
        let folder = path("readonly")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        let copy = folder + "/duban.sqlite"
        try FileManager.default.copyItem(atPath: cli.db, toPath: copy)
        XCTAssertEqual(try cli.run([], shell: "chmod 0444 \"\(copy)\" && chmod 0555 \"\(folder)\"").code, 0)
        let before = try sha256(copy)
        for command in Self.readCommands {
            let expected = try cli.run(command)
            XCTAssertEqual(expected.code, 0, "\(command) as root on the writable original: \(expected.stderr)")
            let r = try cli.run(command + ["--db", copy],
                                shell: "setpriv --reuid=nobody --regid=nogroup --clear-groups \"$@\"")
            XCTAssertEqual(r.code, 0, "\(command) as nobody: \(r.stderr)")
            XCTAssertEqual(r.stdout, expected.stdout, "\(command): the same output as on the writable file")
            XCTAssertEqual(try sha256(copy), before, "\(command) left the file byte-identical")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder), ["duban.sqlite"], "no file was created beside it")
        let write = try cli.run(["progress", "record", "--unit", "甘州区", "--task", "7", "--milestone", "7.1", "--status", "已完成",
                                 "--date", "2024-04-12", "--db", copy],
                                shell: "setpriv --reuid=nobody --regid=nogroup --clear-groups \"$@\"")
        XCTAssertEqual(write.code, 74, write.stderr)
        XCTAssertEqual(try sha256(copy), before)
    }

    func testReadCommandsOnAWritableFileLeaveItByteIdentical() throws {
        try loadSamples()
        let before = try sha256(cli.db)
        for command in Self.readCommands {
            XCTAssertEqual(try cli.run(command).code, 0, "\(command)")
            XCTAssertEqual(try sha256(cli.db), before, "\(command) left the file byte-identical")
        }
    }

    func testARejectedSubmitAndADryRunLeaveTheFileByteIdentical() throws {
        try loadSamples()
        let sample = CLIRunner.zhangye + "/samples/" + (try XCTUnwrap(
            FileManager.default.contentsOfDirectory(atPath: CLIRunner.zhangye + "/samples").sorted().first { $0.hasSuffix(".yaml") }))
        let text = try String(contentsOfFile: sample, encoding: .utf8)
        let bad = path("bad.yaml")
        try text.replacingOccurrences(of: "status: 推进中", with: "status: 差不多").write(toFile: bad, atomically: true, encoding: .utf8)
        XCTAssertNotEqual(try String(contentsOfFile: bad, encoding: .utf8), text, "the fixture has a bad status")
        let before = try sha256(cli.db)
        let rejected = try cli.run(["ledger", "submit", bad])
        XCTAssertEqual(rejected.code, 65, rejected.stderr)
        XCTAssertEqual(try sha256(cli.db), before, "a rejected submit leaves the file byte-identical")
        let good = path("good.yaml")
        try text.replacingOccurrences(of: "percent: 11", with: "percent: 12").write(toFile: good, atomically: true, encoding: .utf8)
        let dry = try cli.run(["ledger", "submit", "--dry-run", good])
        XCTAssertEqual(dry.code, 0, dry.stderr)
        XCTAssertTrue(dry.stdout.contains("would record 24 entries as a correction"), "a correction, rehearsed: \(dry.stdout)")
        XCTAssertEqual(try sha256(cli.db), before, "a dry run leaves the file byte-identical")
    }

    /// Files that are not Duban databases: every command refuses them (74) and leaves them as they
    /// are, except that `plan load` and `demo` make an empty (0-byte) file a new database.
    func testAnEmptyAJunkAndAForeignFileAreRefusedAndLeftUnchanged() throws {
        let empty = path("empty.sqlite"), junk = path("junk.sqlite"), foreign = path("other.sqlite")
        XCTAssertTrue(FileManager.default.createFile(atPath: empty, contents: Data()))
        XCTAssertTrue(FileManager.default.createFile(atPath: junk, contents: Data("not a database, just text\n".utf8)))
        XCTAssertEqual(try cli.run([], shell: "sqlite3 \"\(foreign)\" 'CREATE TABLE note (id INTEGER PRIMARY KEY, text TEXT); INSERT INTO note VALUES (1, \"x\")'").code, 0)
        let sample = CLIRunner.zhangye + "/samples/" + (try XCTUnwrap(
            FileManager.default.contentsOfDirectory(atPath: CLIRunner.zhangye + "/samples").sorted().first))
        let writes: [[String]] = [
            ["plan", "load", CLIRunner.zhangye], ["ledger", "submit", sample], ["ledger", "submit", "--dry-run", sample],
            ["progress", "record", "--unit", "甘州区", "--task", "7", "--milestone", "7.1", "--status", "已完成", "--date", "2024-04-12"],
            ["action", "record", "--unit", "甘州区", "--level", "letter", "--date", "2024-04-12"],
            ["extension", "record", "--unit", "甘州区", "--task", "7", "--new-due", "2025-03-31", "--reason", "x", "--date", "2023-12-20"],
            ["db", "migrate"],
        ]
        let cases: [(file: String, says: String)] = [(empty, "is empty"), (junk, "not an SQLite file"), (foreign, "another application's SQLite database")]
        for (file, says) in cases {
            let before = try sha256(file)
            for command in Self.readCommands + writes {
                if file == empty, command.starts(with: ["plan", "load"]) { continue }
                let r = try cli.run(command + ["--db", file])
                XCTAssertEqual(r.code, 74, "\(command) on \(file): \(r.stderr)")
                XCTAssertTrue(r.stderr.contains(says) && r.stderr.contains("nothing was written"), "\(command): \(r.stderr)")
                XCTAssertEqual(try sha256(file), before, "\(command) left \(file) unchanged")
            }
        }
        let created = try cli.run(["plan", "load", CLIRunner.zhangye, "--db", empty])
        XCTAssertEqual(created.code, 0, "an empty file given to plan load is a new database: \(created.stderr)")
        XCTAssertEqual(try cli.run(["tasks", "--db", empty]).code, 0)
        XCTAssertEqual(try cli.run(["overdue", "--db", path("absent.sqlite")]).code, 66, "reads do not create a database")
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("absent.sqlite")))
    }

    /// A database made before `v6-current-facts`: the objects of v6 and later (v10's, v11's and v14's columns too) dropped and
    /// unrecorded; v19's content back in v2's column `ledger_submission.content_json` (TEXT).
    func makeOlderDatabase(_ db: String) throws {
        try loadSamples(into: db)
        let r = try cli.run([], shell: """
            sqlite3 "\(db)" "DROP TRIGGER ledger_submission_no_update; ALTER TABLE ledger_submission ADD COLUMN content_json TEXT NOT NULL DEFAULT ''; \
            UPDATE ledger_submission SET content_json = (SELECT CAST(c.content_json AS TEXT) FROM ledger_content c WHERE c.submission_id = ledger_submission.id); \
            CREATE TRIGGER ledger_submission_no_update BEFORE UPDATE ON ledger_submission BEGIN SELECT RAISE(ABORT, 'ledger_submission is append-only'); END; \
            DROP TABLE ledger_content; \
            DROP VIEW ledger_submission_end; DROP TABLE ledger_review; DROP TRIGGER ledger_resubmission_not_before_return; \
            DROP TABLE owed_state; DROP TABLE owed_state_plan; DROP TABLE owed_state_mark; \
            DROP TABLE current_fact; DROP TABLE current_fact_unit; DROP TABLE current_fact_plan; \
            DROP TABLE current_fact_mark; DROP TABLE derived_version; DROP TABLE calendar_token; DROP TABLE extension_decision; DROP TABLE extension_request; DROP TABLE evidence_file; DROP TABLE evidence_blob; DROP TABLE notification_attempt; \
            DROP TABLE audit_event; DROP TABLE login_attempt; DROP TABLE web_session; DROP TABLE api_token; DROP TABLE account; DROP TABLE document_number; \
            DROP INDEX progress_record_occurrence; ALTER TABLE progress_record DROP COLUMN occurrence; \
            DROP INDEX unit_finer_kind; ALTER TABLE unit DROP COLUMN finer_kind; \
            DROP TRIGGER ledger_submission_received_as; ALTER TABLE ledger_submission DROP COLUMN received_as; \
            DELETE FROM grdb_migrations WHERE identifier IN ('v6-current-facts', 'v7-derived-version', 'v8-accounts', 'v9-document-numbers', 'v10-record-occurrence', 'v11-unit-kinds', 'v12-evidence-files', 'v13-extension-requests', 'v14-received-as', 'v15-notifications', 'v16-ledger-review', 'v17-calendar-tokens', 'v18-extension-deadlines', 'v19-ledger-content', 'v20-owed-states', 'v21-owed-state-status')"
            """)
        XCTAssertEqual(r.code, 0, r.stderr)
    }

    func testAnOlderDatabaseIsRefusedByReadsAndUpgradedByDbMigrateOrAWrite() throws {
        let expected = try { () -> String in
            try loadSamples()
            return try cli.run(["overdue", "--as-of", "2024-04-10"]).stdout
        }()
        let old = path("old.sqlite")
        try makeOlderDatabase(old)
        // As an older duban recorded a workbook and the portal's form: source_format csv, told
        // apart by the name (copies of submission 1, no entries, so no list changes).
        for name in ["甘州区-2024-01.XLSX", "portal:ganzhou-li/form"] {
            _ = try sqlite(old, """
                INSERT INTO ledger_submission (plan_id, unit_id, period, period_start, period_end, submitted_on, liaison_name, \
                liaison_phone, source_file, source_format, content_hash, content_json, entry_count, recorded_at) \
                SELECT plan_id, unit_id, period, period_start, period_end, submitted_on, liaison_name, liaison_phone, \
                '\(name)', 'csv', content_hash, content_json, 0, recorded_at FROM ledger_submission WHERE id = 1
                """)
        }
        let contents = "SELECT group_concat(id || ':' || typeof(content_json) || ':' || hex(content_json), ' ') FROM (SELECT * FROM ledger_submission ORDER BY id)"
        let oldContents = try sqlite(old, contents)
        XCTAssertTrue(oldContents.hasPrefix("1:text:7B"), oldContents)
        let before = try sha256(old)
        for command in Self.readCommands + [["ledger", "submit", "--dry-run", CLIRunner.zhangye + "/samples/" + (try XCTUnwrap(
            FileManager.default.contentsOfDirectory(atPath: CLIRunner.zhangye + "/samples").sorted().first))]] {
            let r = try cli.run(command + ["--db", old])
            XCTAssertEqual(r.code, 74, "\(command): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains("older duban") && r.stderr.contains("duban db migrate --db \(old)"), r.stderr)
            XCTAssertEqual(try sha256(old), before, "\(command) did not upgrade it")
        }
        let migrate = try cli.run(["db", "migrate", "--db", old])
        XCTAssertEqual(migrate.code, 0, migrate.stderr)
        XCTAssertEqual(migrate.stdout, "\(old): upgraded: applied v6-current-facts, v7-derived-version, v8-accounts, v9-document-numbers, v10-record-occurrence, v11-unit-kinds, v12-evidence-files, v13-extension-requests, v14-received-as, v15-notifications, v16-ledger-review, v17-calendar-tokens, v18-extension-deadlines, v19-ledger-content, v20-owed-states, v21-owed-state-status; brought current_fact and owed_state up to date\n")
        XCTAssertEqual(try sqlite(old, "SELECT name || ' ' || version FROM derived_version ORDER BY name"), "current_fact 2\nowed_state 1")
        XCTAssertEqual(try sqlite(old, "SELECT group_concat(submission_id || ':' || typeof(content_json) || ':' || hex(content_json), ' ') FROM (SELECT * FROM ledger_content ORDER BY submission_id)"),
                       oldContents.replacingOccurrences(of: ":text:", with: ":blob:"), "v19 copied every content, byte for byte")
        XCTAssertEqual(try sqlite(old, "SELECT count(*) FROM pragma_table_info('ledger_submission') WHERE name = 'content_json'"), "0")
        let sample = CLIRunner.zhangye + "/samples/" + (try XCTUnwrap(FileManager.default.contentsOfDirectory(atPath: CLIRunner.zhangye + "/samples").sorted().first))
        let again = try cli.run(["ledger", "submit", sample, "--db", old])
        XCTAssertEqual(again.code, 0, again.stderr)
        XCTAssertTrue(again.stdout.contains("unchanged: identical to submission #27 already recorded; nothing written"),
                      "compared with the copy of #1 the form made, its content copied by v19: \(again.stdout)")
        XCTAssertEqual(try sqlite(old, "SELECT received_as, source_format, count(*) FROM ledger_submission GROUP BY 1, 2 ORDER BY 1"),
                       "csv|csv|1\nform|csv|1\nxlsx|csv|1\nyaml|yaml|24", "v13 fills received_as from what older rows recorded")
        let mismatch = try cli.run([], shell: "sqlite3 \"\(old)\" \"INSERT INTO ledger_submission (plan_id, unit_id, period, period_start, period_end, submitted_on, liaison_name, liaison_phone, source_file, source_format, content_hash, entry_count, recorded_at, received_as) SELECT plan_id, unit_id, period, period_start, period_end, submitted_on, liaison_name, liaison_phone, 'x.yaml', 'yaml', content_hash, 0, recorded_at, 'xlsx' FROM ledger_submission WHERE id = 1\"")
        XCTAssertNotEqual(mismatch.code, 0)
        XCTAssertTrue(mismatch.stderr.contains("received_as is yaml exactly when source_format is"), mismatch.stderr)
        XCTAssertTrue(try cli.run([], shell: "sqlite3 \"\(old)\" \"UPDATE ledger_submission SET received_as = 'csv' WHERE id = 1\"").stderr
            .contains("append-only"), "v13 made the UPDATE trigger again")
        XCTAssertEqual(try cli.run(["overdue", "--as-of", "2024-04-10", "--db", old]).stdout, expected)
        XCTAssertEqual(try cli.run(["db", "migrate", "--db", old]).stdout, "\(old): already current; nothing written\n")

        let other = path("old2.sqlite")
        try makeOlderDatabase(other)
        let write = try cli.run(["action", "record", "--unit", "甘州区", "--level", "letter", "--date", "2024-04-12", "--db", other])
        XCTAssertEqual(write.code, 0, "a command that writes upgrades it: \(write.stderr)")
        XCTAssertEqual(try cli.run(["overdue", "--as-of", "2024-04-10", "--db", other]).stdout, expected)
    }

    func sqlite(_ db: String, _ sql: String) throws -> String {
        let r = try cli.run([], shell: "sqlite3 \"\(db)\" \"\(sql)\"")
        XCTAssertEqual(r.code, 0, r.stderr)
        return r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A `current_fact` derived by another version of duban (its `derived_version` row differs)
    /// is not read, even where its rows would answer otherwise; `db rebuild` rebuilds it, and so
    /// does any write.
    func testATableDerivedByAnotherVersionIsNotReadAndIsRebuilt() throws {
        try loadSamples()
        let command = ["overdue", "--as-of", "2024-04-10", "--format", "json"]
        let expected = try cli.run(command).stdout
        let kept = try sqlite(cli.db, "SELECT count(*) FROM current_fact")
        let versions = try sqlite(cli.db, "SELECT count(*) FROM owed_state")
        // `owed_state` of another version: the open states are computed, from `current_fact`.
        _ = try sqlite(cli.db, "DELETE FROM current_fact WHERE status = 'done'; UPDATE derived_version SET version = version + 1 WHERE name = 'owed_state'")
        XCTAssertNotEqual(try cli.run(command).stdout, expected, "read as current, these rows answer otherwise")
        _ = try sqlite(cli.db, "UPDATE derived_version SET version = version + 1")
        XCTAssertEqual(try cli.run(command).stdout, expected, "another version's table is not read")
        let rebuild = try cli.run(["db", "rebuild"])
        XCTAssertEqual(rebuild.code, 0, rebuild.stderr)
        XCTAssertEqual(rebuild.stdout, "\(cli.db): current_fact rebuilt from the records: \(kept) kept; owed_state: \(versions) open states\n")
        XCTAssertEqual(try sqlite(cli.db, "SELECT count(*) FROM current_fact"), kept)
        XCTAssertEqual(try cli.run(command).stdout, expected)

        _ = try sqlite(cli.db, "DELETE FROM current_fact WHERE status = 'done'; UPDATE derived_version SET version = 0")
        let write = try cli.run(["action", "record", "--unit", "甘州区", "--level", "letter", "--date", "2024-04-12"])
        XCTAssertEqual(write.code, 0, write.stderr)
        XCTAssertEqual(try sqlite(cli.db, "SELECT count(*) FROM current_fact"), kept, "the next write rebuilt it")
        XCTAssertEqual(try sqlite(cli.db, "SELECT count(*) FROM owed_state"), versions, "and owed_state")
        XCTAssertEqual(try sqlite(cli.db, "SELECT name || ' ' || version FROM derived_version ORDER BY name"), "current_fact 2\nowed_state 1")
    }

    /// A damaged database (truncated, garbage in the middle, values its schema rules out) is
    /// exit 74 with a message naming the file, never 70 "this is a bug", nor a crash.
    func testADamagedDatabaseIsExit74WithAClearMessage() throws {
        try loadSamples()
        let size = try XCTUnwrap(try FileManager.default.attributesOfItem(atPath: cli.db)[.size] as? Int)
        XCTAssertGreaterThan(size, 8 * 4096)
        let cases: [(name: String, damage: (String) throws -> Void, failing: [[String]], says: String)] = [
            ("truncated to 50 bytes", { db in try FileHandle(forWritingTo: URL(fileURLWithPath: db)).truncate(atOffset: 50) },
             Self.readCommands, "it is truncated (50 bytes)"),
            ("truncated to half", { db in try FileHandle(forWritingTo: URL(fileURLWithPath: db)).truncate(atOffset: UInt64(size / 2)) },
             Self.readCommands, "it is truncated (\(size / 2) bytes, where its header says \(size))"),
            ("pages 3 to 5 overwritten", { db in
                let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: db))
                try handle.seek(toOffset: 3 * 4096)
                try handle.write(contentsOf: Data(repeating: 0x5A, count: 3 * 4096))
                try handle.close()
            }, [["overdue", "--as-of", "2024-04-10"], ["tasks"]], "is damaged: database disk image is malformed"),
            ("a stored plan that does not decode", { db in _ = try self.sqlite(db, "UPDATE plan_version SET plan_json = '{}'") },
             Self.readCommands, "is damaged: a stored value does not read back: \"id\" is missing"),
            ("a status the schema rules out", { db in
                _ = try self.sqlite(db, "DROP TRIGGER progress_record_no_update; PRAGMA ignore_check_constraints = ON; UPDATE progress_record SET status = 'weird'")
            }, [["status", "--as-of", "2024-04-10"], ["history"]], "is damaged: status \"weird\" is not a status"),
        ]
        for (n, damaged) in cases.enumerated() {
            let db = path("damaged\(n).sqlite")
            try FileManager.default.copyItem(atPath: cli.db, toPath: db)
            try damaged.damage(db)
            for command in Self.readCommands + [["progress", "record", "--unit", "甘州区", "--task", "7", "--milestone", "7.1",
                                                 "--status", "已完成", "--date", "2024-04-12"]] {
                let r = try cli.run(command + ["--db", db])
                XCTAssertTrue([0, 74].contains(r.code), "\(damaged.name): \(command): \(r.code) \(r.stderr)")
                if r.code != 0 { XCTAssertTrue(r.stderr.hasPrefix("duban: error: \(db) is damaged"), "\(damaged.name): \(command): \(r.stderr)") }
                if damaged.failing.contains(command) {
                    XCTAssertEqual(r.code, 74, "\(damaged.name): \(command)")
                    XCTAssertTrue(r.stderr.contains(damaged.says), "\(damaged.name): \(command): \(r.stderr)")
                }
            }
        }
    }

    func testAMissingOrEditedRecordOfMigrationsIsAClearError() throws {
        try loadSamples()
        let cases: [(sql: String, says: String)] = [
            ("DROP TABLE grdb_migrations", "the table grdb_migrations is missing"),
            ("DELETE FROM grdb_migrations", "plan_version exists but v1-plan is not recorded as applied"),
            ("INSERT INTO grdb_migrations VALUES ('v9-future')", "newer duban"),
        ]
        for (n, (sql, says)) in cases.enumerated() {
            let db = path("tampered\(n).sqlite")
            try FileManager.default.copyItem(atPath: cli.db, toPath: db)
            XCTAssertEqual(try cli.run([], shell: "sqlite3 \"\(db)\" \"\(sql)\"").code, 0)
            let before = try sha256(db)
            for command in [["overdue"], ["plan", "load", CLIRunner.zhangye], ["db", "migrate"]] {
                let r = try cli.run(command + ["--db", db])
                XCTAssertEqual(r.code, 74, "\(sql): \(command): \(r.stderr)")
                XCTAssertTrue(r.stderr.contains(says), "\(sql): \(command): \(r.stderr)")
                XCTAssertFalse(r.stderr.contains("already exists"), r.stderr)
                XCTAssertEqual(try sha256(db), before)
            }
        }
    }

    /// Three rounds (a race shows in about half the rounds when migrations are not serialised).
    func testTwentyConcurrentFirstLoadsIntoOneNewFileAllSucceed() throws {
        for round in 1...3 {
            let db = path("new\(round).sqlite")
            let r = try cli.run(["plan", "load", CLIRunner.zhangye, "--db", db], shell: """
                pids=()
                for i in $(seq 1 20); do "$@" > out.$i 2> err.$i & pids+=($!); done
                failed=0
                for p in "${pids[@]}"; do wait $p || failed=$((failed + 1)); done
                cat err.*
                exit $failed
                """)
            XCTAssertEqual(r.code, 0, "round \(round): failed loads: \(r.code); \(r.stdout)")
            let versions = try cli.run(["plan", "versions", "--format", "json", "--db", db])
            XCTAssertEqual(versions.code, 0, versions.stderr)
            let list = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(versions.stdout.utf8)) as? [[String: Any]])
            XCTAssertEqual(list.count, 1, versions.stdout)
        }
    }
}
