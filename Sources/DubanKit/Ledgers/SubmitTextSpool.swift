import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The text `ledger submit` prints, written report by report as a streamed submit records its
/// ledgers, so that a submit of thousands of files does not hold thousands of reports (one line
/// per changed entry) until the end. Each plan's text goes to an anonymous temporary file
/// (`tmpfile`, gone when closed) in chunks; `write(to:)` then gives it plan by plan, in order
/// of plan id, each with its summary line: byte for byte `LedgerReports.submitText` of the same
/// reports (tested against it, report kind by kind, dry run or not).
public final class SubmitTextSpool {
    public let dryRun: Bool
    /// Where the recorder puts each ledger's changes (`LedgerIngest.submit(changes:)`); `add`
    /// copies them into the report of the ledger they are of, the one it is given next.
    public let changes = ProgressChangeSpool()
    private var parts: [String: Part] = [:]

    private final class Part {
        let plan: Plan
        /// Nil if no temporary file could be made: the text then stays in `pending`.
        let file: UnsafeMutablePointer<FILE>?
        /// UTF-8 text not yet in the file.
        var pending: [UInt8] = []
        /// Set when a write to the file failed: nothing more goes there, and `write(to:)` throws.
        var broken = false
        var written = 0
        var total = 0

        init(plan: Plan) {
            self.plan = plan
            file = tmpfile()
        }

        deinit {
            if let file { fclose(file) }
        }

        func flush() {
            guard let file, !broken, !pending.isEmpty else { return }
            let count = pending.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count, file) }
            if count == pending.count { pending.removeAll(keepingCapacity: true) } else { broken = true }
        }
    }

    public init(dryRun: Bool) {
        self.dryRun = dryRun
    }

    /// Adds what one ledger did (its plan: the one it was checked against); its changes are
    /// `r.changes`, then the `r.changesSpooled` ones in `changes`. Written as bytes,
    /// piece by piece (string interpolation cost more than recording the ledger).
    public func add(_ r: SubmissionReport, plan: Plan) {
        let part = parts[plan.id] ?? Part(plan: plan)
        parts[plan.id] = part
        part.total += 1
        func lit(_ s: StaticString) { JSONBytes.literal(s, into: &part.pending) }
        func put(_ s: String) { JSONBytes.raw(s, into: &part.pending) }
        func put(_ n: Int) { JSONBytes.int(n, into: &part.pending) }
        put(r.sourceFile)
        lit(": ")
        put(plan.unit(id: r.unitID)?.name ?? r.unitID)
        lit(" ")
        put(r.period.description)
        lit(": ")
        switch r.kind {
        case .unchanged(let id):
            lit("unchanged: identical to submission #")
            put(Int(id))
            lit(" already recorded; nothing written\n")
            return
        case .new, .correction:
            lit(dryRun ? "would record " : "recorded ")
            put(r.entries)
            lit(r.entries == 1 ? " entry" : " entries")
            if case .correction(let old) = r.kind {
                lit(" as a correction superseding submission #")
                put(Int(old))
                lit(" (kept in history)")
            }
        }
        part.written += 1
        if let id = r.submissionID, !dryRun {
            lit(" as submission #")
            put(Int(id))
        }
        lit("\n")
        if !r.newlyCompleted.isEmpty {
            lit("  milestones newly completed: ")
            for (i, m) in r.newlyCompleted.enumerated() {
                if i > 0 { lit(", ") }
                put(m)
            }
            lit("\n")
        }
        if r.changes.isEmpty && r.changesSpooled == 0 {
            lit("  no change from the previous period\n")
        } else {
            lit("  changes from the previous period:\n")
            for c in r.changes {
                ProgressChangeSpool.line(c, into: &part.pending)
                if part.pending.count >= 1 << 16 { part.flush() }
            }
            if r.changesSpooled > 0 {
                do {
                    try changes.copy { piece in
                        part.pending.append(contentsOf: piece)
                        if part.pending.count >= 1 << 16 { part.flush() }
                    }
                } catch {
                    part.broken = true
                }
            }
        }
        if part.pending.count >= 1 << 16 { part.flush() }
    }

    public struct SpoolError: Error, CustomStringConvertible {
        public var description: String
    }

    /// The whole text, in chunks, plan by plan in order of plan id. Throws if the temporary
    /// file could not be written (a full disk), before giving anything.
    public func write(to out: (String) -> Void) throws {
        for part in parts.values { part.flush() }
        if parts.values.contains(where: \.broken) {
            throw SpoolError(description: "could not write the report to a temporary file (\(String(cString: strerror(errno))))")
        }
        for id in parts.keys.sorted() {
            guard let part = parts[id] else { continue }
            if let file = part.file {
                rewind(file)
                var buffer = [UInt8](repeating: 0, count: 1 << 16)
                var carry: [UInt8] = []
                while true {
                    let n = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
                    if n == 0 { break }
                    // Cut at the last line end, so no character is split between chunks.
                    carry.append(contentsOf: buffer[0..<n])
                    guard let cut = carry.lastIndex(of: UInt8(ascii: "\n")) else { continue }
                    out(String(decoding: carry[...cut], as: UTF8.self))
                    carry.removeFirst(cut + 1)
                }
                if !carry.isEmpty { out(String(decoding: carry, as: UTF8.self)) }
            }
            var tail = String(decoding: part.pending, as: UTF8.self)
            let s = part.total == 1 ? "" : "s"
            if dryRun {
                tail += "dry run: \(part.written) of \(part.total) ledger\(s) would be recorded; nothing written\n"
            } else {
                tail += "\(part.written) of \(part.total) ledger\(s) recorded (one transaction)\n"
            }
            out(tail)
        }
    }

    /// The whole text as one string (for tests and small submits).
    public func text() throws -> String {
        var all = ""
        try write { all += $0 }
        return all
    }
}
