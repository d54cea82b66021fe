@testable import DubanKit
import Foundation
import XCTest

/// Broken copies of real ledgers (YAML and GB18030 CSV): rejected or accepted, never a crash,
/// and every error about the file names a line.
final class LedgerMutationTests: XCTestCase {
    func testMutatedLedgersNeverCrashAndErrorsHavePlaces() throws {
        let (loaded, planDiagnostics) = loadPlan(TestPaths.zhangye)
        let plan = try XCTUnwrap(loaded, planDiagnostics.renderAll())
        var g = PlanMutationTests.Generator(state: 20_240_205)
        let dir = try TestPaths.tempDirectory()
        for name in ["ledgers/good/ganzhou-2024-02.yaml", "ledgers/good/ganzhou-2024-02.gb18030.csv"] {
            let original = [UInt8](try Data(contentsOf: URL(fileURLWithPath: TestPaths.fixture(name))))
            let path = dir.appendingPathComponent((name as NSString).lastPathComponent).path
            for round in 0..<150 {
                try Data(PlanMutationTests.mutate(original, &g)).write(to: URL(fileURLWithPath: path))
                let diagnostics = DiagnosticCollector()
                let ledgers = LedgerLoader(diagnostics: diagnostics, encoding: .auto, defaults: LedgerHeaderDefaults())
                    .load(paths: [path], plans: [plan.id: plan], only: nil)
                XCTAssertEqual(ledgers == nil, diagnostics.hasErrors, "\(name) round \(round)")
                for e in diagnostics.errors where e.location.file == path {
                    XCTAssertNotNil(e.location.line, "\(name) round \(round): \(e.message) has a line")
                }
                _ = diagnostics.renderAll()
            }
        }
    }
}
