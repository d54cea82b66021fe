import DubanKit
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

    /// A fresh empty directory under the system's temporary directory.
    static func tempDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("duban-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
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
