import Foundation
import XCTest

/// The test cases that run the built `duban`: when each test ends, every SQLite database in the
/// folders of the `CLIRunner`s it made must pass `PRAGMA foreign_key_check` (run by the `sqlite3`
/// shell, read-only). Foreign keys are on for every write Duban makes; this holds the tests'
/// own writes through the shell to the same, and catches a schema whose keys do not hold.
/// Then a passing test's folders are removed; a failing test's are kept to be looked at, and
/// every test's with `DUBAN_KEEP_TEST_FILES=1`.
///
/// The runners a test makes in `setUpWithError` count too: XCTest calls `setUpWithError` before
/// `setUp`, so nothing here empties the list when a test starts (`CLITestCaseSetUpTests`).
class CLITestCase: XCTestCase {
    /// The folders made by `CLIRunner`s since the last check.
    final class Made: @unchecked Sendable {
        private let lock = NSLock()
        private var folders: [URL] = []

        func add(_ folder: URL) { lock.withLock { folders.append(folder) } }

        func take() -> [URL] {
            lock.withLock {
                defer { folders = [] }
                return folders
            }
        }
    }

    static let made = Made()

    static let keepFiles = ProcessInfo.processInfo.environment["DUBAN_KEEP_TEST_FILES"] == "1"

    /// The folders checked by the last `tearDown` (for `CLITestCaseSetUpTests`).
    static let checked = Made()

    override func tearDown() {
        let folders = Self.made.take()
        for folder in folders {
            Self.checked.add(folder)
            for path in Self.databases(in: folder) {
                let (code, out) = Self.sqlite(path, "PRAGMA foreign_key_check")
                // A file that is not a database, or one a test damaged on purpose, is not read.
                guard code == 0 else { continue }
                XCTAssertEqual(out, "", "PRAGMA foreign_key_check of \(path)")
            }
        }
        // Not `hasSucceeded`: swift-corelibs-xctest answers false until the run has stopped.
        if let run = testRun, run.totalFailureCount == 0, !Self.keepFiles {
            for folder in folders { try? FileManager.default.removeItem(at: folder) }
        }
        super.tearDown()
    }

    /// SQLite files (by their header) directly in `folder`. Only regular files are opened: a test
    /// may leave a FIFO there (`HostileInputTests`), whose opening would wait for a writer forever.
    static func databases(in folder: URL) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.sorted().map { folder.appendingPathComponent($0).path }.filter { path in
            let type = (try? FileManager.default.attributesOfItem(atPath: path))?[.type] as? FileAttributeType
            guard type == .typeRegular, let handle = FileHandle(forReadingAtPath: path) else { return false }
            defer { try? handle.close() }
            let header = (try? handle.read(upToCount: 16)) ?? Data()
            return header == Data("SQLite format 3\0".utf8)
        }
    }

    static func sqlite(_ path: String, _ sql: String) -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sqlite3", "-readonly", path, sql]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return (-1, "") }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

/// The check itself: it finds a row whose foreign key has no parent; and every test case of
/// the built binary has it.
final class CLITestCaseTests: XCTestCase {
    func testEveryTestCaseHereIsACLITestCase() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".swift") && $0 != "CLITestCase.swift" }
        XCTAssertFalse(files.isEmpty)
        for name in files.sorted() {
            let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            XCTAssertFalse(text.contains(": XCTestCase {"), "\(name): derive from CLITestCase, whose tearDown checks the databases' foreign keys")
        }
    }

    func testTheForeignKeyCheckFindsAnOrphan() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fk-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("orphan.sqlite").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sqlite3", path, "CREATE TABLE p (id INTEGER PRIMARY KEY); CREATE TABLE c (p INTEGER REFERENCES p(id)); INSERT INTO c VALUES (7);"]
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        XCTAssertEqual(mkfifo(folder.appendingPathComponent("pipe.sqlite").path, 0o600), 0)
        XCTAssertEqual(CLITestCase.databases(in: folder), [path], "a FIFO is not opened (it would block)")
        let (code, out) = CLITestCase.sqlite(path, "PRAGMA foreign_key_check")
        XCTAssertEqual(code, 0)
        XCTAssertEqual(out, "c|1|p|0\n")
    }
}

/// A runner made in `setUpWithError` is among those whose databases `tearDown` checks (once it was
/// not: `setUp`, which XCTest calls after `setUpWithError`, emptied the list).
final class CLITestCaseSetUpTests: CLITestCase {
    private var runner: CLIRunner?

    override func setUpWithError() throws {
        try super.setUpWithError()
        runner = try CLIRunner()
    }

    func testARunnerMadeInSetUpWithErrorIsChecked() throws {
        let folder = try XCTUnwrap(runner?.directory)
        _ = Self.checked.take()
        tearDown()
        XCTAssertTrue(Self.checked.take().contains(folder), "the folder of a runner made in setUpWithError is checked when the test ends")
        if !Self.keepFiles {
            XCTAssertFalse(FileManager.default.fileExists(atPath: folder.path), "a passing test's folder is removed")
        }
        Self.made.add(folder)  // checked (and removed) again by the real tearDown
    }
}
