@testable import DubanKit
import Foundation
import GRDB
import XCTest

/// `LedgerIngest.submit(paths:…)`: one transaction, one file at a time. It records what the
/// load-everything-then-submit path recorded, row for row; a file with an error anywhere (the
/// last one too) makes it write nothing while every file's errors are still reported; foreign
/// keys, off for the transaction, hold afterwards and are back on; a reference the stored plan
/// does not have cannot get in.
final class LedgerStreamingTests: XCTestCase {
    /// A small generated dataset (Scripts/generate-scale: 3 counties + 19 departments, 4 months).
    struct Dataset {
        let plan: Plan
        let planDirectory: String
        let files: [String]
        let corrections: [String]
    }

    static let dataset: Result<Dataset, Error> = Result {
        let out = try GeneratedScale.generate("shard:3", ["--months", "4"], lifetime: .run)
        let planDirectory = out.appendingPathComponent("plan").path
        guard let plan = loadPlan(planDirectory).0 else { throw CocoaError(.fileReadCorruptFile) }
        let ledgers = try GeneratedScale.ledgerFiles(out)
        return Dataset(plan: plan, planDirectory: planDirectory, files: ledgers.main, corrections: ledgers.corrections)
    }

    /// The lines of a text (the generator writes CRLF, one Character in Swift).
    static func lines(_ text: String) -> [String] {
        text.split(whereSeparator: \.isNewline).map(String.init)
    }

    func data() throws -> Dataset {
        let d = try Self.dataset.get()
        XCTAssertGreaterThan(d.files.count, 40)
        return d
    }

    func database(_ plan: Plan) throws -> DubanDatabase {
        let database = try checkedDatabase()
        _ = try PlanStore(database).load(plan, sourceDirectory: "scale")
        return database
    }

    func count(_ database: DubanDatabase, _ table: String) throws -> Int {
        try database.writer.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM \(table)") ?? -1 }
    }

    /// Everything recorded but the time of recording.
    func dump(_ database: DubanDatabase) throws -> [String] {
        try database.writer.read { db in
            try String.fetchAll(db, sql: """
                SELECT id || '|' || plan_id || '|' || unit_id || '|' || ifnull(task_number, '-') || '|' || ifnull(milestone_id, '-')
                    || '|' || status || '|' || ifnull(percent, '-') || '|' || ifnull(completed_on, '-') || '|' || reported_on
                    || '|' || progress || '|' || problems || '|' || next_steps || '|' || figures_json || '|' || evidence_json
                    || '|' || origin || '|' || ifnull(submission_id, '-') || '|' || source || '|' || ifnull(source_line, '-')
                FROM progress_record ORDER BY id
                """) + String.fetchAll(db, sql: """
                SELECT id || '|' || plan_id || '|' || unit_id || '|' || period || '|' || period_start || '|' || period_end
                    || '|' || submitted_on || '|' || liaison_name || '|' || liaison_phone || '|' || source_file || '|' || source_format
                    || '|' || content_hash || '|' || CAST(c.content_json AS TEXT) || '|' || entry_count || '|' || ifnull(supersedes_id, '-')
                FROM ledger_submission JOIN ledger_content c ON c.submission_id = id ORDER BY id
                """)
        }
    }

    func streamed(_ database: DubanDatabase, _ paths: [String], dryRun: Bool = false, only: String? = nil,
                  progress: ((Int, Int) -> Void)? = nil) throws -> (LedgerIngest.Outcome, DiagnosticCollector) {
        let diagnostics = DiagnosticCollector()
        let outcome = try LedgerIngest(database).submit(paths: paths, loader: LedgerLoader(diagnostics: diagnostics), only: only,
                                                       dryRun: dryRun, progress: progress)
        return (outcome, diagnostics)
    }

    func testStreamingRecordsWhatLoadingEverythingFirstRecorded() throws {
        let d = try data()
        let streamedDB = try database(d.plan), batchDB = try database(d.plan)
        var streamedReports: [SubmissionReport] = [], batchReports: [SubmissionReport] = []
        // Twice: the second time every ledger is an identical resubmission (nothing written).
        for batch in [d.files, d.corrections, d.corrections] {
            let (outcome, diagnostics) = try streamed(streamedDB, batch)
            XCTAssertTrue(outcome.succeeded, diagnostics.renderAll())
            streamedReports += outcome.reports.map(\.report)
            XCTAssertEqual(Set(outcome.reports.map(\.planID)), [d.plan.id])
            let collector = DiagnosticCollector()
            let ledgers = try XCTUnwrap(LedgerLoader(diagnostics: collector).load(paths: batch, plans: [d.plan.id: d.plan]))
            batchReports += try LedgerStore(batchDB).submit(ledgers)
        }
        XCTAssertEqual(streamedReports, batchReports)
        XCTAssertTrue(streamedReports.contains { if case .correction = $0.kind { return true } else { return false } })
        XCTAssertTrue(streamedReports.contains { if case .unchanged = $0.kind { return true } else { return false } })
        XCTAssertEqual(try dump(streamedDB), try dump(batchDB))
        XCTAssertGreaterThan(try count(streamedDB, "progress_record"), 1000)
    }

    /// Previous states taken from what the submit itself recorded (`RecentStates`) are the ones
    /// the database gives: files in any order, split over several submits, with records made by
    /// `progress record` in between (dated inside periods), and corrections last. The batch path
    /// always asks the database; both must give the same reports and the same rows.
    func testStatesAtHandAreTheDatabasesInAnyOrder() throws {
        let d = try data()
        let byFile = try XCTUnwrap(LedgerLoader(diagnostics: DiagnosticCollector()).load(paths: d.files, plans: [d.plan.id: d.plan]))
        var g = PlanMutationTests.Generator(state: 20_241_123)
        for round in 0..<4 {
            let streamedDB = try database(d.plan), batchDB = try database(d.plan)
            var files = d.files
            if round > 0 { files.shuffle(using: &g) }
            let cut1 = files.count / 3, cut2 = 2 * files.count / 3
            var batches = [Array(files[..<cut1]), Array(files[cut1..<cut2]), Array(files[cut2...].reversed()), d.corrections]
            if round == 3 { batches = [files] }
            for (n, batch) in batches.enumerated() {
                let (outcome, diagnostics) = try streamed(streamedDB, batch)
                XCTAssertTrue(outcome.succeeded, diagnostics.renderAll())
                let ledgers = try XCTUnwrap(LedgerLoader(diagnostics: DiagnosticCollector()).load(paths: batch, plans: [d.plan.id: d.plan]))
                let expected = try LedgerStore(batchDB).submit(ledgers)
                XCTAssertEqual(outcome.reports.map(\.report), expected, "round \(round), submit \(n)")
                // Between submits, a few records by command, dated inside a period.
                for _ in 0..<5 {
                    let ledger = byFile[g.next(byFile.count)]
                    let entry = ledger.entries[g.next(ledger.entries.count)]
                    let update = ProgressUpdate(planID: d.plan.id, unitID: ledger.unitID, task: entry.task, milestone: entry.milestone,
                                                status: .inProgress, percent: 1 + g.next(99), date: ledger.period.start.adding(days: 9),
                                                source: "test")
                    for db in [streamedDB, batchDB] { try LedgerStore(db).record(update) }
                }
            }
            XCTAssertEqual(try dump(streamedDB), try dump(batchDB), "round \(round)")
        }
    }

    func testAnErrorInTheLastFileWritesNothingAndEveryFilesErrorsAreReported() throws {
        let d = try data()
        let dir = try TestPaths.tempDirectory()
        // Written with LF line ends: `DiagnosticCollector` quotes lines split at "\n", and a CRLF
        // is one Character in Swift (a CRLF file gets its findings without the quoted line).
        func broken(_ source: String, _ name: String, _ edit: (String) -> String) throws -> String {
            let path = dir.appendingPathComponent(name).path
            let text = try String(contentsOfFile: source, encoding: .utf8).replacingOccurrences(of: "\r\n", with: "\n")
            try edit(text).write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
        // An early file with a bad status, and the last file naming a task the plan lacks.
        let early = try broken(d.files[3], "early.csv") { $0.replacingOccurrences(of: ",推进中,", with: ",做完了,") }
        let last = try broken(d.files[d.files.count - 1], "last.csv") { text in
            guard let row = Self.lines(text).first(where: { $0.hasPrefix("1,1,") }) else { return text }
            return text.replacingOccurrences(of: row, with: "1,99," + row.dropFirst(4))
        }
        for paths in [d.files.dropLast() + [last], Array(d.files.prefix(3)) + [early] + d.files.dropFirst(4).dropLast() + [last]] {
            let database = try database(d.plan)
            var told: [Int] = []
            let (outcome, diagnostics) = try streamed(database, Array(paths), progress: { done, total in
                XCTAssertEqual(total, paths.count)
                told.append(done)
            })
            XCTAssertFalse(outcome.succeeded)
            XCTAssertTrue(outcome.reports.isEmpty)
            XCTAssertEqual(told, Array(0...paths.count), "progress is told before each file and at the end")
            let files = Set(diagnostics.errors.map(\.location.file))
            XCTAssertEqual(files, paths.contains(early) ? [early, last] : [last], diagnostics.renderAll())
            XCTAssertTrue(diagnostics.errors.contains { $0.location.file == last && $0.message.contains("unknown task 99") && $0.location.line != nil })
            if paths.contains(early) {
                XCTAssertTrue(diagnostics.errors.contains { $0.location.file == early && $0.message.contains("做完了") && $0.location.column != nil })
            }
            XCTAssertTrue(diagnostics.renderAll().contains("\n 9 | 1,99,"), "findings quote their line: \(diagnostics.renderAll())")
            XCTAssertEqual(try count(database, "progress_record"), 0)
            XCTAssertEqual(try count(database, "ledger_submission"), 0)
        }
    }

    func testADryRunReportsWhatItWouldDoAndWritesNothing() throws {
        let d = try data()
        let database = try database(d.plan)
        let (outcome, diagnostics) = try streamed(database, d.files, dryRun: true)
        XCTAssertTrue(outcome.succeeded, diagnostics.renderAll())
        XCTAssertEqual(outcome.reports.count, d.files.count)
        XCTAssertTrue(outcome.reports.allSatisfy { $0.report.kind == .new && $0.report.submissionID != nil })
        XCTAssertEqual(try count(database, "progress_record"), 0)
        XCTAssertEqual(try count(database, "ledger_submission"), 0)
    }

    func testTwoFilesForOneUnitAndPeriodWriteNothing() throws {
        let d = try data()
        let database = try database(d.plan)
        let (outcome, diagnostics) = try streamed(database, [d.files[0], d.files[1], d.files[0]])
        XCTAssertFalse(outcome.succeeded)
        XCTAssertTrue(diagnostics.errors.contains { $0.message.contains("is also the ledger of") }, diagnostics.renderAll())
        XCTAssertEqual(try count(database, "ledger_submission"), 0)
    }

    func testForeignKeysHoldAfterwardsAndAreBackOn() throws {
        let d = try data()
        let database = try database(d.plan)
        let (outcome, _) = try streamed(database, d.files)
        XCTAssertTrue(outcome.succeeded)
        _ = try streamed(database, d.corrections)
        try database.writer.write { db in
            XCTAssertEqual(try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").count, 0)
            XCTAssertEqual(try Bool.fetchOne(db, sql: "PRAGMA foreign_keys"), true)
            XCTAssertEqual(try Int.fetchOne(db, sql: "PRAGMA cache_size"), -2000)
            XCTAssertEqual(try Int.fetchOne(db, sql: "PRAGMA temp_store"), 0, "temporary files as they were")
            XCTAssertEqual(try Bool.fetchOne(db, sql: "PRAGMA ignore_check_constraints"), false)
            XCTAssertThrowsError(try db.execute(sql: """
                INSERT INTO progress_record (plan_id, unit_id, task_number, status, percent, reported_on, origin, source, recorded_at)
                VALUES (?, ?, 1, 'in_progress', 120, '2024-03-01', 'command', 'x', 'now')
                """, arguments: [d.plan.id, d.plan.units[0].id]), "CHECKs are enforced again")
            XCTAssertThrowsError(try db.execute(sql: """
                INSERT INTO progress_record (plan_id, unit_id, task_number, status, reported_on, origin, source, recorded_at)
                VALUES (?, 'nowhere', 1, 'in_progress', '2024-03-01', 'command', 'x', 'now')
                """, arguments: [d.plan.id]), "the unit foreign key is enforced again")
        }
        // A failed streamed submit puts them back too.
        let (failed, _) = try streamed(database, ["/nonexistent/x.csv"])
        XCTAssertFalse(failed.succeeded)
        try database.writer.read { db in
            XCTAssertEqual(try Bool.fetchOne(db, sql: "PRAGMA foreign_keys"), true)
            XCTAssertEqual(try Bool.fetchOne(db, sql: "PRAGMA ignore_check_constraints"), false)
        }
    }

    /// Every ledger of a streamed submit is checked against the plan stored in the database, read
    /// in the same transaction: a unit, task or milestone that plan lacks, or a plan that is not
    /// stored (even one the caller knows), is refused and nothing is written; the batch path,
    /// which takes ledgers checked against any plan, is refused by the foreign keys.
    func testABadReferenceCannotGetIn() throws {
        let d = try data()
        let database = try database(d.plan)
        let dir = try TestPaths.tempDirectory()
        let source = try String(contentsOfFile: d.files[0], encoding: .utf8)
        let unitLine = try XCTUnwrap(Self.lines(source).first { $0.hasPrefix("单位,") })
        let rowLine = try XCTUnwrap(Self.lines(source).first { $0.hasPrefix("1,1,,") })
        let cases: [(String, String, String)] = [
            ("unit.csv", source.replacingOccurrences(of: unitLine, with: "单位,不存在的单位"), "unknown unit"),
            ("task.csv", source.replacingOccurrences(of: rowLine, with: "1,25," + rowLine.dropFirst(4)), "unknown task 25"),
            ("milestone.csv", source.replacingOccurrences(of: rowLine, with: "1,1,1.9," + rowLine.dropFirst(5)), "unknown milestone"),
            ("plan.csv", source.replacingOccurrences(of: "方案,\(d.plan.id)", with: "方案,other-plan"), "no plan \"other-plan\""),
        ]
        for (name, text, message) in cases {
            let path = dir.appendingPathComponent(name).path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            let (outcome, diagnostics) = try streamed(database, [d.files[1], path])
            XCTAssertFalse(outcome.succeeded, name)
            XCTAssertTrue(diagnostics.errors.contains { $0.message.contains(message) }, "\(name): \(diagnostics.renderAll())")
            XCTAssertEqual(try count(database, "progress_record"), 0, name)
        }
        // A plan with one more task, known to the caller but not stored: the streamed submit
        // checks against the stored plan and refuses; the batch path is refused by the database.
        let task = try XCTUnwrap(d.plan.tasks.last)
        var extra = task
        extra.number = task.number + 1
        extra.milestones = []
        let path = dir.appendingPathComponent("wider.csv").path
        try source.replacingOccurrences(of: rowLine, with: "1,\(extra.number)," + rowLine.dropFirst(4)).write(toFile: path, atomically: true, encoding: .utf8)
        let (outcome, diagnostics) = try streamed(database, [path])
        XCTAssertFalse(outcome.succeeded)
        XCTAssertTrue(diagnostics.errors.contains { $0.message.contains("unknown task \(extra.number)") }, diagnostics.renderAll())
        var ledger = try XCTUnwrap(LedgerLoader(diagnostics: DiagnosticCollector()).load(paths: [d.files[0]], plans: [d.plan.id: d.plan])?.first)
        ledger.entries[0].task = extra.number
        ledger.entries[0].milestone = nil
        XCTAssertThrowsError(try LedgerStore(database).submit([ledger])) { error in
            guard case .refused(_, let detail)? = error as? StoreError else { return XCTFail("\(error)") }
            XCTAssertTrue(detail.contains("FOREIGN KEY constraint failed"), detail)
        }
        XCTAssertEqual(try count(database, "progress_record"), 0)
        XCTAssertEqual(try count(database, "ledger_submission"), 0)
    }

    /// A ledger forged past validation with a bad row in its last chunk fails as a whole: SQLite's
    /// CHECK refuses the row, and nothing of the submit is left.
    func testAForgedRowInALaterChunkFailsTheWholeSubmit() throws {
        let d = try data()
        let database = try database(d.plan)
        var ledger = try XCTUnwrap(LedgerLoader(diagnostics: DiagnosticCollector()).load(paths: [d.files[0]], plans: [d.plan.id: d.plan])?.first)
        XCTAssertGreaterThan(ledger.entries.count, 40)
        ledger.entries[ledger.entries.count - 1].percent = 150
        let good = try XCTUnwrap(LedgerLoader(diagnostics: DiagnosticCollector()).load(paths: [d.files[1]], plans: [d.plan.id: d.plan])?.first)
        XCTAssertThrowsError(try LedgerStore(database).submit([good, ledger])) { error in
            XCTAssertTrue("\(error)".contains("CHECK constraint failed: percent BETWEEN 0 AND 100"), "\(error)")
        }
        XCTAssertEqual(try count(database, "progress_record"), 0)
        XCTAssertEqual(try count(database, "ledger_submission"), 0)
        XCTAssertTrue(try LedgerStore(database).submit([good]).allSatisfy { $0.kind == .new }, "the connection is usable afterwards")
    }

    /// The chunked previous-state lookup is still one backwards index seek per key (no scan, no
    /// sort); chunks cover every entry once, in order.
    func testTheChunkedLookupSeeksTheIndexPerKey() throws {
        let d = try data()
        let database = try database(d.plan)
        for size in LedgerWriter.chunkSizes {
            let plan = try database.writer.read { db in
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + LedgerWriter.lookupSQL(size),
                                 arguments: StatementArguments([String?](repeating: nil, count: 3 + 2 * size))).map { $0["detail"] as String }
            }
            let text = plan.joined(separator: "\n")
            XCTAssertTrue(plan.contains { $0.contains("SEARCH r2 USING INDEX progress_record_latest") && $0.contains("reported_on<?") }, text)
            XCTAssertTrue(plan.contains { $0.contains("SEARCH r USING INTEGER PRIMARY KEY") }, text)
            XCTAssertFalse(plan.contains { $0.contains("TEMP B-TREE") || $0.hasPrefix("SCAN r") }, text)
        }
        let latest = try database.writer.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + LedgerWriter.latestReportedOnSQL, arguments: ["p", "u", 1]).map { $0["detail"] as String }
        }
        XCTAssertTrue(latest.contains { $0.contains("progress_record_latest (plan_id=? AND unit_id=?)") }, latest.joined(separator: "\n"))
        for count in 0...100 {
            let chunks = LedgerWriter.chunks(count)
            XCTAssertEqual(chunks.map(\.size).reduce(0, +), count)
            XCTAssertEqual(chunks.map(\.start), chunks.indices.map { i in chunks[..<i].map(\.size).reduce(0, +) })
        }
    }

    /// The spool writes what `LedgerReports.submitText` writes, for every kind of report, dry run
    /// or not, one plan or several, small or big enough to go through its temporary file.
    func testTheSpooledReportIsSubmitText() throws {
        let d = try data()
        var other = d.plan
        other.id = "a-plan-before"
        let period = try XCTUnwrap(ReportingPeriod(label: "2024-02", frequency: .month))
        let unit = try XCTUnwrap(d.plan.units.first).id
        let changes = [ProgressChange(task: 3, milestone: nil, before: nil, after: ProgressState(status: .notStarted, percent: 0)),
                       ProgressChange(task: 3, milestone: "3.1", before: ProgressState(status: .inProgress, percent: 40),
                                      after: ProgressState(status: .done, percent: 100)),
                       ProgressChange(task: nil, milestone: "S1", before: ProgressState(status: .inProgress, percent: nil),
                                      after: ProgressState(status: .inProgress, percent: 5))]
        let kinds: [SubmissionReport] = [
            SubmissionReport(kind: .new, sourceFile: "a.csv", unitID: unit, period: period, submissionID: 7, entries: 1,
                             newlyCompleted: [], changes: []),
            SubmissionReport(kind: .new, sourceFile: "b.csv", unitID: "no-such-unit", period: period, submissionID: 8, entries: 3,
                             newlyCompleted: ["3.1", "4.2"], changes: changes),
            SubmissionReport(kind: .correction(supersedes: 2), sourceFile: "c.csv", unitID: unit, period: period, submissionID: 9,
                             entries: 2, newlyCompleted: ["3.1"], changes: changes),
            SubmissionReport(kind: .unchanged(existing: 4), sourceFile: "d.csv", unitID: unit, period: period, submissionID: nil,
                             entries: 0, newlyCompleted: [], changes: []),
            SubmissionReport(kind: .new, sourceFile: "e.csv", unitID: unit, period: period, submissionID: nil, entries: 1,
                             newlyCompleted: [], changes: changes),
        ]
        for dryRun in [false, true] {
            for reports in [[kinds[0]], [kinds[3]], kinds, Array(repeating: kinds, count: 400).flatMap { $0 }] {
                let spool = SubmitTextSpool(dryRun: dryRun)
                for (i, r) in reports.enumerated() { spool.add(r, plan: i % 3 == 1 ? other : d.plan) }
                let expected = [other, d.plan].map { plan in
                    let mine = reports.enumerated().filter { ($0.offset % 3 == 1) == (plan.id == other.id) }.map(\.element)
                    return mine.isEmpty ? "" : LedgerReports.submitText(mine, plan: plan, dryRun: dryRun)
                }.joined()
                XCTAssertEqual(try spool.text(), expected, "dry run \(dryRun), \(reports.count) reports")
                XCTAssertEqual(try spool.text(), expected, "written twice")
            }
        }
    }

    /// Changes given to the spool's `ProgressChangeSpool` as they are found, not kept in the
    /// report, print as `LedgerReports.submitText` prints the same reports with their lists:
    /// small lists and one of 6,000 changes (over 64 KB, so through the temporary file), among
    /// reports whose changes are in the list.
    func testSpooledChangesPrintAsTheReportsList() throws {
        let d = try data()
        let period = try XCTUnwrap(ReportingPeriod(label: "2024-02", frequency: .month))
        let unit = try XCTUnwrap(d.plan.units.first).id
        let few = [ProgressChange(task: 3, milestone: nil, before: nil, after: ProgressState(status: .notStarted, percent: 0)),
                   ProgressChange(task: nil, milestone: "S1", before: ProgressState(status: .inProgress, percent: 40),
                                  after: ProgressState(status: .done, percent: 100))]
        let many = (0..<6000).map { i in
            ProgressChange(task: i, milestone: "\(i).1 节点", before: i % 2 == 0 ? nil : ProgressState(status: .inProgress, percent: i % 100),
                           after: ProgressState(status: .inProgress, percent: (i + 1) % 100))
        }
        let reports = [few, many, [], few].enumerated().map { i, changes in
            SubmissionReport(kind: .new, sourceFile: "\(i).xlsx", unitID: unit, period: period, submissionID: Int64(i + 1),
                             entries: changes.count, newlyCompleted: [], changes: changes)
        }
        for dryRun in [false, true] {
            let spool = SubmitTextSpool(dryRun: dryRun)
            for (i, r) in reports.enumerated() {
                var spooled = r
                if i != 0 {
                    spool.changes.reset()
                    for c in r.changes { spool.changes.add(c) }
                    spooled.changes = []
                    spooled.changesSpooled = r.changes.count
                }
                spool.add(spooled, plan: d.plan)
            }
            XCTAssertEqual(try spool.text(), LedgerReports.submitText(reports, plan: d.plan, dryRun: dryRun))
        }
    }

    /// `ledger submit`'s way: the recorder gives each ledger's changes to the spool, its reports
    /// keep none, and the text printed is the one of the batch path's reports.
    func testASubmitsChangesGoToTheSpoolNotTheReports() throws {
        let d = try data()
        let streamedDB = try database(d.plan), batchDB = try database(d.plan)
        for batch in [d.files, d.corrections] {
            let spool = SubmitTextSpool(dryRun: false)
            var given: [SubmissionReport] = []
            let diagnostics = DiagnosticCollector()
            let outcome = try LedgerIngest(streamedDB).submit(paths: batch, loader: LedgerLoader(diagnostics: diagnostics),
                                                             each: { given.append($0); spool.add($0, plan: $1) }, changes: spool.changes)
            XCTAssertTrue(outcome.succeeded, diagnostics.renderAll())
            XCTAssertTrue(given.allSatisfy(\.changes.isEmpty))
            XCTAssertGreaterThan(given.map(\.changesSpooled).reduce(0, +), 100)
            let ledgers = try XCTUnwrap(LedgerLoader(diagnostics: DiagnosticCollector()).load(paths: batch, plans: [d.plan.id: d.plan]))
            let expected = try LedgerStore(batchDB).submit(ledgers)
            XCTAssertEqual(given.map(\.changesSpooled), expected.map(\.changes.count))
            XCTAssertEqual(try spool.text(), LedgerReports.submitText(expected, plan: d.plan, dryRun: false))
        }
    }
}
