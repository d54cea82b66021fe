import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the recorder puts a ledger's changes from the previous period when it is given one,
/// instead of `SubmissionReport.changes` (`SubmissionReport.changesSpooled` says how many went
/// there): the changes of a ledger of 20,000 entries are then not held until it is printed.
public protocol ProgressChangeSink: AnyObject {
    /// Drops what the previous ledger left: the recorder calls it before each ledger.
    func reset()
    func add(_ change: ProgressChange)
}

/// The change lines of one ledger as `ledger submit` prints them ("    task 3 milestone 3.1:
/// 推进中 40% → 已完成 100%"), written to an anonymous temporary file (`tmpfile`) in pieces of
/// 64 KB; `SubmitTextSpool` copies them into the report when it adds the ledger's report. If no
/// temporary file can be made, the lines stay in memory (as before this spool existed).
public final class ProgressChangeSpool: ProgressChangeSink {
    private let file: UnsafeMutablePointer<FILE>? = tmpfile()
    private var pending: [UInt8] = []
    private var inFile = 0
    /// Set when a write to the file failed: `copy` then throws.
    private(set) var broken = false
    public private(set) var count = 0

    public init() {}

    deinit {
        if let file { fclose(file) }
    }

    public func reset() {
        pending.removeAll(keepingCapacity: true)
        count = 0
        inFile = 0
        if let file { rewind(file) }
    }

    public func add(_ c: ProgressChange) {
        count += 1
        Self.line(c, into: &pending)
        if pending.count >= 1 << 16 { flush() }
    }

    /// The line `ledger submit` prints for a change (`LedgerReports.submitText`'s).
    static func line(_ c: ProgressChange, into out: inout [UInt8]) {
        func lit(_ s: StaticString) { JSONBytes.literal(s, into: &out) }
        func put(_ state: ProgressState) {
            JSONBytes.raw(state.status.label, into: &out)
            if let p = state.percent {
                lit(" ")
                JSONBytes.int(p, into: &out)
                lit("%")
            }
        }
        lit("    ")
        if let t = c.task {
            lit("task ")
            JSONBytes.int(t, into: &out)
        } else {
            lit("plan-wide")
        }
        if let m = c.milestone {
            lit(" milestone ")
            JSONBytes.raw(m, into: &out)
        }
        lit(": ")
        if let before = c.before { put(before) } else { lit("无记录") }
        lit(" → ")
        put(c.after)
        lit("\n")
    }

    private func flush() {
        guard let file, !broken, !pending.isEmpty else { return }
        let n = pending.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count, file) }
        if n == pending.count {
            inFile += n
            pending.removeAll(keepingCapacity: true)
        } else {
            broken = true
        }
    }

    /// Gives the lines written since the last `reset`, in pieces of at most 64 KB (each ends
    /// where a piece of the file does: `into` takes bytes, not characters).
    func copy(_ into: (ArraySlice<UInt8>) -> Void) throws {
        if broken { throw SubmitTextSpool.SpoolError(description: "could not write the report's changes to a temporary file (\(String(cString: strerror(errno))))") }
        if let file, inFile > 0 {
            fflush(file)
            rewind(file)
            var buffer = [UInt8](repeating: 0, count: 1 << 16)
            var left = inFile
            while left > 0 {
                let n = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, min($0.count, left), file) }
                if n == 0 { throw SubmitTextSpool.SpoolError(description: "could not read the report's changes back from a temporary file") }
                into(buffer[0..<n])
                left -= n
            }
            fseek(file, inFile, SEEK_SET)
        }
        into(pending[...])
    }
}
