import XCTest

/// Issue 14, "crashes": a failed write to standard output ends with exit 74 and a message (not a
/// `try!` crash inside FileHandle, exit 132); a reader that closes its pipe ends duban quietly.
final class OutputFailureTests: CLITestCase {
    var cli: CLIRunner!

    override func setUpWithError() throws {
        cli = try CLIRunner()
        XCTAssertEqual(try cli.run(["plan", "load", CLIRunner.zhangye]).code, 0)
    }

    func assertNoCrash(_ r: CLIRunner.Result, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertFalse(r.stderr.contains("Fatal error"), r.stderr, file: file, line: line)
        XCTAssertFalse(r.stderr.contains("crashed"), r.stderr, file: file, line: line)
        XCTAssertNotEqual(r.code, 132, file: file, line: line)
    }

    func testAFullDiskExits74WithAMessage() throws {
        for args in [["units"], ["digest", "--as-of", "2024-04-10", "--format", "html"], ["plan", "--help"]] {
            let r = try cli.run(args, shell: #""$@" >/dev/full"#)
            assertNoCrash(r)
            XCTAssertEqual(r.code, 74, "\(args): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains("duban: error: cannot write the output (No space left on device)"), r.stderr)
        }
    }

    func testAClosedStandardOutputExits74WithAMessage() throws {
        let r = try cli.run(["units"], shell: #""$@" >&-"#)
        assertNoCrash(r)
        XCTAssertEqual(r.code, 74, r.stderr)
        XCTAssertTrue(r.stderr.contains("standard output is closed"), r.stderr)
    }

    func testAClosedPipeEndsQuietly() throws {
        let closed = try cli.runIntoClosedPipe(["units"])
        assertNoCrash(closed)
        XCTAssertEqual(closed.code, 141, closed.stderr)
        XCTAssertEqual(closed.stderr, "")
        let head = try cli.run(["units"], shell: #""$@" | head -c1 >/dev/null; exit ${PIPESTATUS[0]}"#)
        assertNoCrash(head)
        XCTAssertTrue([0, 141].contains(head.code), "\(head.code): \(head.stderr)")
        XCTAssertEqual(head.stderr, "")
    }

    func testASubmitWhoseReportCannotBeWrittenSaysTheLedgersWereRecorded() throws {
        let sample = CLIRunner.zhangye + "/samples/ganzhou-2024-01.yaml"
        let r = try cli.run(["ledger", "submit", sample], shell: #""$@" >/dev/full"#)
        assertNoCrash(r)
        XCTAssertEqual(r.code, 74, r.stderr)
        XCTAssertTrue(r.stderr.contains("the ledgers WERE recorded"), r.stderr)
        XCTAssertTrue(try cli.run(["history", "--unit", "甘州区", "--format", "csv"]).stdout.contains("ganzhou-2024-01.yaml"))
        let closed = try cli.runIntoClosedPipe(["ledger", "submit", CLIRunner.zhangye + "/samples/ganzhou-2024-02.yaml"])
        assertNoCrash(closed)
        XCTAssertEqual(closed.code, 141)
        XCTAssertTrue(closed.stderr.contains("the ledgers WERE recorded"), closed.stderr)
    }

    /// `history` writes as it reads (country size does not fit in memory): when its output fails,
    /// it stops reading and ends as every command does, 74 with the message on a full disk, 141
    /// quietly into a closed pipe, in every form. The samples' history is larger than a part
    /// (64 KiB), so the failure comes while records are still being read.
    func testHistoryWhoseOutputFailsStopsWithTheDocumentedExit() throws {
        let samples = try FileManager.default.contentsOfDirectory(atPath: CLIRunner.zhangye + "/samples").sorted()
            .map { CLIRunner.zhangye + "/samples/" + $0 }
        XCTAssertEqual(try cli.run(["ledger", "submit"] + samples).code, 0)
        for format in ["table", "json", "csv", "markdown"] {
            let args = ["history", "--format", format]
            XCTAssertGreaterThan(try cli.run(args).stdout.utf8.count, 1 << 16, format)
            let full = try cli.run(args, shell: #""$@" >/dev/full"#)
            assertNoCrash(full)
            XCTAssertEqual(full.code, 74, "\(format): \(full.stderr)")
            XCTAssertTrue(full.stderr.hasPrefix("duban: error: cannot write the output (No space left on device)"), full.stderr)
            let closed = try cli.runIntoClosedPipe(args)
            assertNoCrash(closed)
            XCTAssertEqual(closed.code, 141, "\(format): \(closed.stderr)")
            XCTAssertEqual(closed.stderr, "", format)
        }
    }
}
