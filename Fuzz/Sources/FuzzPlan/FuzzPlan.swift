import DubanKit
import Foundation
import FuzzSupport

/// A plan folder: the input's first byte chooses which of plan.yaml, units.yaml and tasks.yaml
/// the rest of it is; the other two are the mini plan's (Tests/DubanKitTests/Fixtures/plans/mini).
/// The folder is read and validated as `plan check` does, and every finding rendered.
let files = ["plan.yaml", "units.yaml", "tasks.yaml"]
let mini = files.map { FileManager.default.contents(atPath: repositoryRoot + "/Tests/DubanKitTests/Fixtures/plans/mini/" + $0).map { [UInt8]($0) } ?? [] }
let folder = scratch + "/plan"
nonisolated(unsafe) var last = 0

@_cdecl("FuzzPlan_main")
public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
    try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    for (i, name) in files.enumerated() { put(mini[i], at: folder + "/" + name) }
    guard mini.allSatisfy({ !$0.isEmpty }) else { fatalError("the plan fuzzer needs the mini plan under \(repositoryRoot) (set DUBAN_ROOT)") }
    return runFuzzer(argc, argv) { data, size in
        let input = bytes(data, size)
        let which = Int(input.first ?? 2) % 3
        // Only the file the input is, and the one it was last time (back to the mini plan's).
        for i in Set([which, last]) {
            put(i == which ? Array(input.dropFirst()) : mini[i], at: folder + "/" + files[i])
        }
        last = which
        let diagnostics = DiagnosticCollector()
        _ = PlanLoader.load(directory: folder, diagnostics: diagnostics)
        _ = diagnostics.renderAll()
        return 0
    }
}
