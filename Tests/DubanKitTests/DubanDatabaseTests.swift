@testable import DubanKit
import Foundation
import GRDB
import XCTest

final class DubanDatabaseTests: XCTestCase {
    /// Foreign keys and CHECKs stay on for every write: no source under `Sources/` switches
    /// either off (`PRAGMA foreign_keys = OFF`, `PRAGMA ignore_check_constraints`, GRDB's
    /// `foreignKeysEnabled = false`).
    func testNoSourceRelaxesTheConstraints() throws {
        let sources = TestPaths.root.appendingPathComponent("Sources")
        let patterns = [
            #"foreign_keys\s*=\s*(off|0|false|no)\b"#,
            #"ignore_check_constraints"#,
            #"foreignKeysEnabled\s*=\s*false"#,
        ].map { try! NSRegularExpression(pattern: $0, options: [.caseInsensitive]) }
        let files = try XCTUnwrap(FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil))
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }
        XCTAssertGreaterThan(files.count, 20, "the sources are found")
        var found: [String] = []
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            for (n, line) in text.components(separatedBy: "\n").enumerated() {
                let range = NSRange(line.startIndex..., in: line)
                if patterns.contains(where: { $0.firstMatch(in: line, range: range) != nil }) {
                    found.append("\(file.lastPathComponent):\(n + 1): \(line.trimmingCharacters(in: .whitespaces))")
                }
            }
        }
        XCTAssertEqual(found, [])
    }

    /// Migrations keep foreign keys on: registered with `foreignKeyChecks: .immediate`, GRDB runs
    /// each in a transaction without the `PRAGMA foreign_keys = OFF` its default puts around it.
    func testMigrationsRunWithForeignKeysOn() throws {
        final class Statements: @unchecked Sendable {
            let lock = NSLock()
            var sql: [String] = []
            func add(_ s: String) { lock.lock(); sql.append(s); lock.unlock() }
        }
        let seen = Statements()
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.prepareDatabase { db in db.trace { seen.add("\($0)") } }
        let queue = try DatabaseQueue(configuration: config)
        try Migrations.migrator.migrate(queue)
        XCTAssertTrue(seen.sql.contains { $0.contains("CREATE TABLE current_fact") }, "the trace sees the migrations")
        let relaxing = seen.sql.filter { $0.replacingOccurrences(of: " ", with: "").lowercased().contains("foreign_keys=off") }
        XCTAssertEqual(relaxing, [])
        XCTAssertEqual(try queue.read { try Bool.fetchOne($0, sql: "PRAGMA foreign_keys") }, true)
    }
}
