import Foundation
import XCTest

/// Runs the built `duban` binary as a user would, capturing its output and exit code.
struct CLIRunner {
    struct Result {
        var stdout: String
        var stderr: String
        var code: Int32
    }

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let zhangye = root.appendingPathComponent("Plans/zhangye-2023-2025").path
    static let fixtures = root.appendingPathComponent("Tests/DubanKitTests/Fixtures").path

    /// The `duban` next to the test bundle (whatever the build folder), or `$DUBAN_BIN`.
    static let binary: String? = {
        if let env = ProcessInfo.processInfo.environment["DUBAN_BIN"] { return env }
        var candidates = [Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent()]
        candidates += Bundle.allBundles.map { $0.bundleURL.deletingLastPathComponent() }
        return candidates.map { $0.appendingPathComponent("duban").path }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    let directory: URL
    var environment: [String: String] = [:]

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("duban-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        CLITestCase.made.add(directory)
    }

    var db: String { directory.appendingPathComponent("duban.sqlite").path }

    /// A copy of the Zhangye plan at `Plans/p` in the test's folder, beside a copy of
    /// `Plans/calendars`, with `edit` applied to the text of its file `file`; returns its path.
    func copyOfZhangye(editing file: String = "tasks.yaml", _ edit: (String) throws -> String = { $0 }) throws -> String {
        let plans = directory.appendingPathComponent("Plans")
        let plan = plans.appendingPathComponent("p").path
        try FileManager.default.createDirectory(at: plans, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Self.zhangye, toPath: plan)
        try FileManager.default.copyItem(atPath: Self.zhangye + "/../calendars", toPath: plans.appendingPathComponent("calendars").path)
        let path = plan + "/" + file
        try edit(try String(contentsOfFile: path, encoding: .utf8)).write(toFile: path, atomically: true, encoding: .utf8)
        return plan
    }

    /// Runs `duban ARGS` in the test's own directory with `DUBAN_DB` pointing into it.
    @discardableResult
    func run(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws -> Result {
        let binary = try XCTUnwrap(Self.binary, "the duban binary is built next to the tests", file: file, line: line)
        return try launch(binary, arguments, stdout: Pipe())
    }

    /// Runs `duban ARGS` by `bash -c`, its standard output sent where `shell` says, with `"$@"`
    /// standing for `duban ARGS`: `"$@" >/dev/full`, `"$@" >&-`, `"$@" | head -c1`. The script's
    /// exit status is the result's code (end it with `exit ${PIPESTATUS[0]}` for a pipeline).
    @discardableResult
    func run(_ arguments: [String], shell: String, file: StaticString = #filePath, line: UInt = #line) throws -> Result {
        let binary = try XCTUnwrap(Self.binary, "the duban binary is built next to the tests", file: file, line: line)
        return try launch("/bin/bash", ["-c", shell, "bash", binary] + arguments, stdout: Pipe())
    }

    /// Runs `duban ARGS` writing into a pipe whose reading end is already closed: every write
    /// to standard output fails with EPIPE.
    @discardableResult
    func runIntoClosedPipe(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws -> Result {
        let binary = try XCTUnwrap(Self.binary, "the duban binary is built next to the tests", file: file, line: line)
        let pipe = Pipe()
        try pipe.fileHandleForReading.close()
        return try launch(binary, arguments, stdout: pipe, readStdout: false)
    }

    private func launch(_ executable: String, _ arguments: [String], stdout out: Pipe, readStdout: Bool = true) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment
        env["DUBAN_DB"] = db
        env["NO_COLOR"] = "1"
        env.merge(environment) { _, new in new }
        process.environment = env
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = readStdout ? out.fileHandleForReading.readDataToEndOfFile() : Data()
        if !readStdout { try out.fileHandleForWriting.close() }
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self),
                      code: process.terminationStatus)
    }

    /// `plan load` of the Zhangye plan and `ledger submit` of all its samples: the usual start.
    func loadZhangyeWithSamples(file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(try run(["plan", "load", Self.zhangye]).code, 0, file: file, line: line)
        let samples = Self.zhangye + "/samples"
        let files = try FileManager.default.contentsOfDirectory(atPath: samples).sorted().map { samples + "/" + $0 }
        let r = try run(["ledger", "submit"] + files)
        XCTAssertEqual(r.code, 0, r.stderr, file: file, line: line)
    }

    /// `sqlite3 FILE .dump`: the database's whole content as text.
    func dump(_ path: String? = nil) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sqlite3", path ?? db, ".dump"]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "sqlite3 .dump")
        return String(decoding: data, as: UTF8.self)
    }
}
