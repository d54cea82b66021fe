@testable import DubanKit
import Foundation
import GRDB
import XCTest

/// A workbook's ledger recorded as its rows are read and checked (`WorkbookRecording`,
/// `LedgerRecording`'s staged records and spooled content): the same rows and reports as its
/// CSV twin recorded whole, across parts of 256 entries; an error anywhere, the last row too,
/// writes nothing and is named by its cell; a second entry for a task or milestone hundreds of
/// rows after the first is found.
final class LedgerWorkbookRecordingTests: XCTestCase {
    /// A plan of 20 tasks × 49 milestones and a ledger of 1,000 rows as .xlsx and CSV twins
    /// (Scripts/generate-xlsx-ledger), and its task rows alone (a smaller ledger, same unit and period).
    static let generated: Result<URL, Error> = Result {
        let out = try TestPaths.tempDirectory(lifetime: .run).appendingPathComponent("xlsx-1000")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", TestPaths.root.appendingPathComponent("Scripts/generate-xlsx-ledger").path, "1000", out.path]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw GeneratedScale.GeneratorFailed(description: "generate-xlsx-ledger failed") }
        return out
    }

    func setUpData() throws -> (dir: URL, plan: Plan) {
        let dir = try Self.generated.get()
        let (loaded, diagnostics) = loadPlan(dir.appendingPathComponent("plan").path)
        return (dir, try XCTUnwrap(loaded, diagnostics.renderAll()))
    }

    func database(_ plan: Plan) throws -> DubanDatabase {
        let database = try checkedDatabase()
        _ = try PlanStore(database).load(plan, sourceDirectory: "xlsx")
        return database
    }

    func submit(_ database: DubanDatabase, _ paths: [String], dryRun: Bool = false) throws -> (LedgerIngest.Outcome, DiagnosticCollector) {
        let diagnostics = DiagnosticCollector()
        let outcome = try LedgerIngest(database).submit(paths: paths, loader: LedgerLoader(diagnostics: diagnostics), dryRun: dryRun)
        return (outcome, diagnostics)
    }

    /// Everything recorded but the file's name and format and the time of recording.
    func dump(_ database: DubanDatabase) throws -> [String] {
        try database.writer.read { db in
            try String.fetchAll(db, sql: """
                SELECT id || '|' || unit_id || '|' || ifnull(task_number, '-') || '|' || ifnull(milestone_id, '-')
                    || '|' || status || '|' || ifnull(percent, '-') || '|' || ifnull(completed_on, '-') || '|' || reported_on
                    || '|' || progress || '|' || problems || '|' || next_steps || '|' || figures_json || '|' || evidence_json
                    || '|' || ifnull(submission_id, '-') || '|' || ifnull(source_line, '-')
                FROM progress_record ORDER BY id
                """) + String.fetchAll(db, sql: """
                SELECT id || '|' || unit_id || '|' || period || '|' || submitted_on || '|' || liaison_name || '|' || liaison_phone
                    || '|' || content_hash || '|' || CAST(c.content_json AS TEXT) || '|' || entry_count || '|' || ifnull(supersedes_id, '-')
                FROM ledger_submission JOIN ledger_content c ON c.submission_id = id ORDER BY id
                """)
        }
    }

    func count(_ database: DubanDatabase, _ table: String) throws -> Int {
        try database.writer.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM \(table)") ?? -1 }
    }

    func testAWorkbookRecordedAsReadRecordsWhatItsCSVTwinRecords() throws {
        let (dir, plan) = try setUpData()
        let workbookDB = try database(plan), twinDB = try database(plan)
        let tasks = dir.appendingPathComponent("ledger-tasks.csv").path
        let xlsx = dir.appendingPathComponent("ledger.xlsx").path, csv = dir.appendingPathComponent("ledger.csv").path
        // New (task rows only), then the whole ledger as a correction, then again (unchanged),
        // then its twin the other way round (the same content: unchanged).
        var reports: [SubmissionReport] = []
        for (mine, twin) in [(tasks, tasks), (xlsx, csv), (xlsx, csv), (csv, xlsx)] {
            let (a, da) = try submit(workbookDB, [mine]), (b, db) = try submit(twinDB, [twin])
            reports += a.reports.map(\.report)
            XCTAssertTrue(a.succeeded, da.renderAll())
            XCTAssertTrue(b.succeeded, db.renderAll())
            func unnamed(_ o: LedgerIngest.Outcome) -> [SubmissionReport] {
                o.reports.map { var r = $0.report; r.sourceFile = ""; return r }
            }
            XCTAssertEqual(unnamed(a), unnamed(b), mine)
        }
        XCTAssertEqual(try dump(workbookDB), try dump(twinDB))
        XCTAssertEqual(try count(workbookDB, "progress_record"), 20 + 1000)
        XCTAssertEqual(try count(workbookDB, "ledger_submission"), 2)
        XCTAssertEqual(reports.map(\.kind), [.new, .correction(supersedes: 1), .unchanged(existing: 2), .unchanged(existing: 2)])
        XCTAssertEqual(reports.map(\.entries), [20, 1000, 0, 0])
        XCTAssertEqual(reports[1].changes.count, 1000, "no record before the period: every entry is a change")
    }

    /// Rows of a ledger for the generated plan, as its CSV has them (no quoting needed).
    func rows(_ plan: Plan) -> [[String]] {
        var rows: [[String]] = []
        for task in plan.tasks {
            rows.append([String(rows.count + 1), String(task.number), "", "推进中", "50", "", "任务\(task.number)推进中", "", "", "", ""])
            for m in task.milestones {
                rows.append([String(rows.count + 1), String(task.number), m.id, "推进中", "40", "", "节点\(m.id)推进中", "", "", "", ""])
            }
        }
        return rows
    }

    func workbook(_ rows: [[String]], plan: Plan, name: String) throws -> String {
        let header = ["序号", "任务", "节点", "状态", "完成比例", "完成日期", "进展情况", "存在问题", "下步打算", "数据指标", "佐证材料"]
        let top = [["方案", plan.id], ["单位", "基准县"], ["期间", "2024-06"], ["联络员", "李某某"], ["联系电话", "0936-0000001"],
                   ["报送日期", "2024-07-03"]]
        var sheet = XLSXSheet(name: "台账", header: header, rows: rows.map { $0.map { $0.isEmpty ? .empty : .text($0) } })
        sheet.preamble = top.map { $0.map { .text($0) } }
        let path = try TestPaths.tempDirectory().appendingPathComponent(name)
        try XLSXWriter.data(XLSXWorkbook(sheets: [sheet])).write(to: path)
        return path.path
    }

    func testAnErrorInTheLastRowWritesNothingAndNamesItsCell() throws {
        let (_, plan) = try setUpData()
        var rows = rows(plan)
        XCTAssertEqual(rows.count, 1000)
        let good = try workbook(rows, plan: plan, name: "good.xlsx")
        rows[rows.count - 1][3] = "完成了"
        let bad = try workbook(rows, plan: plan, name: "bad.xlsx")
        for dryRun in [false, true] {
            let database = try database(plan)
            let (outcome, diagnostics) = try submit(database, [bad], dryRun: dryRun)
            XCTAssertFalse(outcome.succeeded)
            XCTAssertEqual(diagnostics.errors.map(\.location.cell), ["台账!D1007"], diagnostics.renderAll())
            XCTAssertEqual(try count(database, "progress_record"), 0)
            XCTAssertEqual(try count(database, "ledger_submission"), 0)
            XCTAssertEqual(try count(database, "ledger_content"), 0)
            // The good file before the bad one: nothing of it either.
            let (both, _) = try submit(database, [good, bad], dryRun: dryRun)
            XCTAssertFalse(both.succeeded)
            XCTAssertEqual(try count(database, "progress_record"), 0)
            let (alone, d) = try submit(database, [good], dryRun: dryRun)
            XCTAssertTrue(alone.succeeded, d.renderAll())
            XCTAssertEqual(try count(database, "progress_record"), dryRun ? 0 : 1000, "the connection writes afterwards")
        }
    }

    func testASecondEntryFarFromTheFirstIsFound() throws {
        let (_, plan) = try setUpData()
        var rows = rows(plan)
        // Row 990 repeats row 3's milestone (1.2), 987 rows and three parts later.
        rows[989][1] = rows[2][1]
        rows[989][2] = rows[2][2]
        let path = try workbook(rows, plan: plan, name: "twice.xlsx")
        let database = try database(plan)
        let (outcome, diagnostics) = try submit(database, [path])
        XCTAssertFalse(outcome.succeeded)
        let errors = diagnostics.errors
        XCTAssertTrue(errors.contains { $0.location.cell == "台账!A997" && $0.message.contains("a second entry for milestone 1.2 of task 1") },
                      diagnostics.renderAll())
        XCTAssertEqual(try count(database, "progress_record"), 0)
    }
}
