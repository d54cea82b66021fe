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
}
