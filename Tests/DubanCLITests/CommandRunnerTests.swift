import Foundation
import XCTest

/// `CommandRunner` and `ErrorReport`: each kind of failure reaches the user as its message and
/// documented exit code, on the built binary.
final class CommandRunnerTests: CLITestCase {
    /// A command that writes while another process holds the write lock waits the busy timeout
    /// (10 s), then exits 75 (EX_TEMPFAIL) saying the database is busy, and writes nothing.
    func testAWriteWhileAnotherProcessHoldsTheWriteLockIsExit75() throws {
        let cli = try CLIRunner()
        XCTAssertEqual(try cli.run(["plan", "load", CLIRunner.zhangye]).code, 0)
        let before = try cli.dump()
        // sqlite3 holds the write lock (BEGIN IMMEDIATE) while it runs duban, then commits.
        let script = """
            { echo 'BEGIN IMMEDIATE;'
              echo ".shell '$1' action record --unit 甘州区 --level letter --date 2024-04-15 >out 2>err; echo \\$? >code"
              echo 'COMMIT;'; } | sqlite3 "$DUBAN_DB" && cat code && cat err >&2
            """
        let r = try cli.run([], shell: script)
        XCTAssertEqual(r.stdout, "75\n", r.stderr)
        XCTAssertTrue(r.stderr.hasPrefix("duban: error: ") && r.stderr.contains("the database is busy"), r.stderr)
        XCTAssertEqual(try cli.dump(), before)
    }
}
