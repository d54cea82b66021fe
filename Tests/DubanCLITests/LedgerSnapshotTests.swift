import Foundation
import SnapshotTesting
import XCTest

/// What coordinators and liaisons read about ledgers, on the samples, as snapshots. The samples
/// are copied next to the database and submitted by relative path, so that sources read the same
/// on every machine; recording times and today's date are masked.
final class LedgerSnapshotTests: CLITestCase {
    var cli: CLIRunner!

    override func setUpWithError() throws {
        cli = try CLIRunner()
        XCTAssertEqual(try cli.run(["plan", "load", CLIRunner.zhangye]).code, 0)
        try FileManager.default.copyItem(atPath: CLIRunner.zhangye + "/samples", toPath: cli.directory.appendingPathComponent("samples").path)
        let files = try FileManager.default.contentsOfDirectory(atPath: cli.directory.appendingPathComponent("samples").path)
            .sorted().map { "samples/" + $0 }
        let r = try cli.run(["ledger", "submit"] + files)
        XCTAssertEqual(r.code, 0, r.stderr)
    }

    func masked(_ text: String) -> String {
        var out = text.replacingOccurrences(of: #"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z"#, with: "YYYY-MM-DDThh:mm:ssZ",
                                            options: .regularExpression)
        out = out.replacingOccurrences(of: #"submitted: \d{4}-\d{2}-\d{2}"#, with: "submitted: YYYY-MM-DD", options: .regularExpression)
        out = out.replacingOccurrences(of: #"报送日期,\d{4}-\d{2}-\d{2}"#, with: "报送日期,YYYY-MM-DD", options: .regularExpression)
        return out
    }

    func testLedgerListings() throws {
        assertSnapshot(of: try cli.run(["ledgers", "--as-of", "2024-04-10"]).stdout, as: .lines, named: "ledgers-grid")
        assertSnapshot(of: try cli.run(["ledgers", "--as-of", "2024-04-10", "--period", "2024-02"]).stdout, as: .lines, named: "ledgers-period")
        assertSnapshot(of: try cli.run(["status", "--as-of", "2024-04-10"]).stdout, as: .lines, named: "status-matrix")
        assertSnapshot(of: try cli.run(["status", "--as-of", "2024-04-10", "--unit", "甘州区"]).stdout, as: .lines, named: "status-unit")
        assertSnapshot(of: masked(try cli.run(["history", "--unit", "民乐县", "--task", "11"]).stdout), as: .lines, named: "history")
        assertSnapshot(of: masked(try cli.run(["ledger", "template", "--unit", "民乐县", "--period", "2024-03"]).stdout), as: .lines,
                       named: "template-yaml")
        assertSnapshot(of: masked(try cli.run(["ledger", "template", "--unit", "市生态环境局", "--period", "2024-04", "--format", "csv"]).stdout),
                       as: .lines, named: "template-csv")
    }

    /// `history` in every form and with each filter, over the samples, a correction (已被 #N 更正),
    /// a command's record with a note, and an extension (the table's 延期记录 section). The
    /// references were recorded by the code that built the whole list in memory (main at 72efd69):
    /// the streamed output must be the same bytes, rows, order and column widths included.
    func testHistoryInEveryForm() throws {
        let fix = cli.directory.appendingPathComponent("fix")
        try FileManager.default.createDirectory(at: fix, withIntermediateDirectories: true)
        let ledger = try String(contentsOfFile: CLIRunner.zhangye + "/samples/ganzhou-2024-03.yaml", encoding: .utf8)
        try ledger.replacingOccurrences(of: "percent: 45\n", with: "percent: 46\n")
            .write(to: fix.appendingPathComponent("ganzhou-2024-03.yaml"), atomically: true, encoding: .utf8)
        for args in [["ledger", "submit", "fix/ganzhou-2024-03.yaml"],
                     ["progress", "record", "--unit", "甘州区", "--task", "7", "--milestone", "7.1", "--status", "已完成",
                      "--date", "2024-03-20", "--note", "电话确认, \"已办结\""],
                     ["extension", "record", "--unit", "临泽县", "--task", "15", "--milestone", "15.1", "--new-due", "2025-03-31",
                      "--reason", "评估范围扩大", "--date", "2024-03-01"]] {
            let r = try cli.run(args)
            XCTAssertEqual(r.code, 0, "\(args): \(r.stderr)")
        }
        let cases: [(args: [String], name: String)] = [
            ([], "history-all"), (["--format", "csv"], "history-all-csv"), (["--format", "markdown"], "history-all-markdown"),
            (["--unit", "甘州区", "--format", "json"], "history-ganzhou-json"),
            (["--unit", "临泽县", "--task", "15"], "history-linze-15"), (["--task", "7", "--format", "csv"], "history-7-csv"),
            (["--since", "2000-01-01", "--unit", "市生态环境局", "--format", "markdown"], "history-ecology-since-markdown"),
            (["--since", "2999-01-01"], "history-none"), (["--since", "2999-01-01", "--format", "json"], "history-none-json"),
            (["--since", "2999-01-01", "--format", "csv"], "history-none-csv"),
        ]
        for (args, name) in cases {
            let r = try cli.run(["history"] + args)
            XCTAssertEqual(r.code, 0, "\(args): \(r.stderr)")
            assertSnapshot(of: masked(r.stdout), as: .lines, named: name)
        }
    }
}
