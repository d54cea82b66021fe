import DubanKit
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
}
