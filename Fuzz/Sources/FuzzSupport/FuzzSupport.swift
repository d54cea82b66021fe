import DubanKit
import Foundation

/// libFuzzer's driver (it brings its own `main`; SwiftPM's entry point `<module>_main` calls this).
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<Int32>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Int32

/// Runs libFuzzer with the process's arguments, giving each input to `callback`.
public func runFuzzer(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>,
                      _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Int32 {
    var count = argc
    var vector: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = argv
    return LLVMFuzzerRunDriver(&count, &vector, callback)
}

/// The input's bytes.
public func bytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
    guard let data, size > 0 else { return [] }
    return Array(UnsafeBufferPointer(start: data, count: size))
}

/// The repository's root: `$DUBAN_ROOT` (Scripts/fuzz sets it), else the working directory.
public let repositoryRoot = ProcessInfo.processInfo.environment["DUBAN_ROOT"] ?? FileManager.default.currentDirectoryPath

/// A folder of this process's own for the files an input becomes (the readers read files: the
/// harness goes through the same opening and size checks as `duban`).
public let scratch: String = {
    // In memory where there is a tmpfs: an input is written and read back on every run.
    let base = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm/" : NSTemporaryDirectory()
    let dir = base + "duban-fuzz-\(getpid())"
    try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
}()

/// Writes `bytes` to `path` (replacing it).
public func put(_ bytes: [UInt8], at path: String) {
    // open/write/close: FileManager.createFile writes atomically (a temporary file, a rename and a
    // sync), which made the disk, not the readers, the cost of a run.
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    guard fd >= 0 else { fatalError("cannot write \(path)") }
    defer { close(fd) }
    var done = 0
    while done < bytes.count {
        let n = bytes[done...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard n > 0 else { fatalError("cannot write \(path)") }
        done += n
    }
}

/// The Zhangye plan, which the sample ledgers (the seeds) are written against.
public let zhangye: Plan = {
    let diagnostics = DiagnosticCollector()
    guard let plan = PlanLoader.load(directory: repositoryRoot + "/Plans/zhangye-2023-2025", diagnostics: diagnostics) else {
        fatalError("the fuzzers need the Zhangye plan at \(repositoryRoot)/Plans (set DUBAN_ROOT): \(diagnostics.renderAll())")
    }
    return plan
}()

/// One checker for the whole run: it keeps nothing from file to file but the plan's owed-task
/// index (built once, not per input).
nonisolated(unsafe) let checker = LedgerLoader.Checker(encoding: .auto, defaults: LedgerHeaderDefaults(), planIDs: [zhangye.id],
                                   plan: { $0 == zhangye.id ? zhangye : nil })

/// Reads and checks one ledger file as `ledger submit` does (`LedgerLoader.Checker`: opened,
/// decoded, parsed, validated against the Zhangye plan), and renders every finding.
public func checkLedger(_ bytes: [UInt8], named name: String) {
    let path = scratch + "/" + name
    put(bytes, at: path)
    let check = checker.check(path: path)
    let diagnostics = DiagnosticCollector()
    if let text = check.text { diagnostics.register(file: path, text: text) }
    for d in check.findings { diagnostics.error(d.location, d.message, hint: d.hint) }
    _ = diagnostics.renderAll()
}
