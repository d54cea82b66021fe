import DubanKit
import GRDB
import Foundation
import XCTest

/// Paths and helpers shared by the library tests.
enum TestPaths {
    /// The repository's root, found from this file's path.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let zhangye = root.appendingPathComponent("Plans/zhangye-2023-2025").path
    static let planText = root.appendingPathComponent("Plans/zhangye-2023-2025/source.txt").path

    static func fixture(_ name: String) -> String {
        guard let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
            return root.appendingPathComponent("Tests/DubanKitTests/Fixtures/\(name)").path
        }
        return url.appendingPathComponent(name).path
    }

    /// A fresh empty directory under the system's temporary directory, removed when the test that
    /// made it passes (or, for a `.run` folder several tests share, when the run ends): `TemporaryFolders`.
    static func tempDirectory(lifetime: TemporaryFolders.Lifetime = .test) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("duban-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        TemporaryFolders.shared.add(url, lifetime)
        return url
    }

    /// Copies a plan folder to a temporary place, applying text replacements to its files,
    /// so that each test can break one thing.
    static func copyPlan(_ source: String, edits: [String: [(String, String)]] = [:]) throws -> String {
        let base = try tempDirectory()
        let dir = base.appendingPathComponent("plan")
        try FileManager.default.copyItem(atPath: source, toPath: dir.path)
        // Plans name their holiday calendar relative to themselves (../calendars/…).
        try FileManager.default.copyItem(atPath: root.appendingPathComponent("Plans/calendars").path,
                                         toPath: base.appendingPathComponent("calendars").path)
        for (file, replacements) in edits {
            let path = dir.appendingPathComponent(file).path
            var text = try String(contentsOfFile: path, encoding: .utf8)
            for (old, new) in replacements {
                precondition(text.contains(old), "fixture edit: \(file) has no \(old)")
                text = text.replacingOccurrences(of: old, with: new)
            }
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }
        return dir.path
    }
}

/// Loads a plan folder, returning the plan and the findings.
func loadPlan(_ directory: String) -> (Plan?, DiagnosticCollector) {
    let diagnostics = DiagnosticCollector()
    let plan = PlanLoader.load(directory: directory, diagnostics: diagnostics)
    return (plan, diagnostics)
}

/// The bundled Zhangye plan, loaded without errors (a finding fails the calling test).
func loadZhangye(file: StaticString = #filePath, line: UInt = #line) throws -> Plan {
    let (loaded, diagnostics) = loadPlan(TestPaths.zhangye)
    XCTAssertFalse(diagnostics.hasErrors, diagnostics.renderAll(), file: file, line: line)
    return try XCTUnwrap(loaded, file: file, line: line)
}

/// Data made by `Scripts/generate-scale` for the scale tests (python3 is on every machine this
/// project runs on, see .ci/run: a generator failure fails the test, it does not skip it).
enum GeneratedScale {
    struct GeneratorFailed: Error, CustomStringConvertible {
        var description: String
    }

    /// Runs the generator with `arguments` (size first) into a fresh directory and returns it
    /// (`lifetime`: `.run` for a dataset kept in a `static let`).
    static func generate(_ size: String, _ arguments: [String] = [], lifetime: TemporaryFolders.Lifetime = .test) throws -> URL {
        let out = try TestPaths.tempDirectory(lifetime: lifetime).appendingPathComponent("scale")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", TestPaths.root.appendingPathComponent("Scripts/generate-scale").path, size, out.path] + arguments
        process.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw GeneratorFailed(description: "Scripts/generate-scale \(size) failed (\(process.terminationStatus)): \(message)")
        }
        return out
    }

    /// The ledger files of one format (`csv` or `yaml`), period by period, and the corrections.
    static func ledgerFiles(_ out: URL, format: String = "csv") throws -> (main: [String], corrections: [String]) {
        let fm = FileManager.default
        func files(_ dir: URL) throws -> [String] {
            guard fm.fileExists(atPath: dir.path) else { return [] }
            return try fm.contentsOfDirectory(atPath: dir.path).filter { $0 != "corrections" }.sorted().flatMap { period in
                try fm.contentsOfDirectory(atPath: dir.appendingPathComponent(period).path).sorted()
                    .map { dir.appendingPathComponent(period).appendingPathComponent($0).path }
            }
        }
        let base = out.appendingPathComponent(format)
        return (try files(base), try files(base.appendingPathComponent("corrections")))
    }
}

extension XCTestCase {
    /// A database for a test that writes (in memory, or at `path`), checked when the test ends:
    /// `PRAGMA foreign_key_check` must find nothing.
    func checkedDatabase(path: String? = nil, file: StaticString = #filePath, line: UInt = #line) throws -> DubanDatabase {
        let database = try path.map { try DubanDatabase(path: $0) } ?? DubanDatabase.inMemory()
        addTeardownBlock {
            do {
                let broken = try database.writer.read { db in try Row.fetchAll(db, sql: "PRAGMA foreign_key_check") }
                XCTAssertEqual(broken.map(\.description), [], "PRAGMA foreign_key_check", file: file, line: line)
            } catch {
                XCTFail("PRAGMA foreign_key_check: \(error)", file: file, line: line)
            }
        }
        return database
    }

    /// The Zhangye plan loaded into a checked in-memory database, and a ledger store on it.
    func zhangyeLedgerStore() throws -> (Plan, LedgerStore) {
        let plan = try XCTUnwrap(loadPlan(TestPaths.zhangye).0)
        let database = try checkedDatabase()
        _ = try PlanStore(database).load(plan, sourceDirectory: "Plans/zhangye-2023-2025")
        return (plan, LedgerStore(database))
    }

    /// The 3-county shard of the generated data (`Scripts/generate-scale shard:3`, 8 months), its
    /// plan loaded into a checked in-memory database; its ledgers are for the test to submit.
    func generatedShard() throws -> (plan: Plan, database: DubanDatabase, ledgers: (main: [String], corrections: [String])) {
        let out = try GeneratedScale.generate("shard:3", ["--months", "8"])
        let (loaded, diagnostics) = loadPlan(out.appendingPathComponent("plan").path)
        let plan = try XCTUnwrap(loaded, diagnostics.renderAll())
        let database = try checkedDatabase()
        _ = try PlanStore(database).load(plan, sourceDirectory: out.path)
        return (plan, database, try GeneratedScale.ledgerFiles(out))
    }

    /// A record written as an older duban or a hand-made INSERT would: no derived table folds it in.
    func insertRecordWithoutFold(_ database: DubanDatabase, plan: Plan) throws {
        try database.writer.write { db in
            try db.execute(sql: """
                INSERT INTO progress_record (plan_id, unit_id, task_number, status, percent, reported_on, origin, source, recorded_at)
                VALUES (?, 'c0001', 1, 'not_started', 0, '2024-12-30', 'command', 'test', '2024-12-30T00:00:00Z')
                """, arguments: [plan.id])
        }
    }

    /// Submits ledger files as `ledger submit` does (`LedgerIngest`: read, checked and recorded
    /// in one transaction); the test fails on any finding. Returns each ledger's report.
    @discardableResult
    func ingest(_ paths: [String], into database: DubanDatabase, dryRun: Bool = false,
                file: StaticString = #filePath, line: UInt = #line) throws -> [SubmissionReport] {
        let diagnostics = DiagnosticCollector()
        let outcome = try LedgerIngest(database).submit(paths: paths, loader: LedgerLoader(diagnostics: diagnostics), dryRun: dryRun)
        XCTAssertTrue(outcome.succeeded, diagnostics.renderAll(), file: file, line: line)
        return outcome.reports.map(\.report)
    }
}
