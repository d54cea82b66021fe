import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The content (canonical JSON) of a ledger whose entries come a part at a time (a workbook's,
/// `LedgerRecording`), written as they come to an anonymous temporary file (`tmpfile`, gone when
/// closed) in pieces of 64 KB, and measured (length, fingerprint) on the way: once the last entry
/// is in, it is compared with the current submission's and copied into `ledger_content` piece by
/// piece, never whole. Without a temporary file (none can be made) it stays in memory.
final class LedgerContentSpool {
    private let file: UnsafeMutablePointer<FILE>? = tmpfile()
    private var pending: [UInt8] = []
    private var inFile = 0
    /// The content written, when there is no temporary file.
    private var kept: [UInt8] = []
    private var fingerprint = LedgerEncoding.ContentFingerprint()
    private var entries = 0
    private(set) var finished = false

    init() {
        JSONBytes.literal(LedgerEncoding.head, into: &pending)
    }

    deinit {
        if let file { fclose(file) }
    }

    /// Appends the entries of `part` (the next ones of the ledger).
    func add(_ part: [LedgerEntry]) throws {
        for i in part.indices {
            LedgerEncoding.entry(part, i, first: entries == 0, into: &pending)
            entries += 1
            if pending.count >= LedgerEncoding.chunk { try flush() }
        }
    }

    /// Ends the content with `header`'s fields; its length and fingerprint.
    func finish(_ header: Ledger) throws -> (size: Int, fingerprint: String) {
        LedgerEncoding.tail(header, into: &pending)
        try flush()
        finished = true
        return (fingerprint.size, fingerprint.hex)
    }

    private func flush() throws {
        pending.withUnsafeBufferPointer { fingerprint.add($0) }
        if let file {
            let n = pending.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count, file) }
            guard n == pending.count else {
                throw SpoolError(description: "could not write a ledger's content to a temporary file (\(String(cString: strerror(errno))))")
            }
            inFile += n
        } else {
            kept.append(contentsOf: pending)
        }
        pending.removeAll(keepingCapacity: true)
    }

    struct SpoolError: Error, CustomStringConvertible {
        var description: String
    }

    /// Gives the content (once finished) to `piece` in order, in pieces of 64 KB; `piece`
    /// returns false to stop.
    func read(_ piece: (UnsafeBufferPointer<UInt8>) throws -> Bool) throws {
        if let file, inFile > 0 {
            guard fflush(file) == 0 else { throw SpoolError(description: "could not write a ledger's content to a temporary file") }
            rewind(file)
            defer { fseek(file, inFile, SEEK_SET) }
            var buffer = [UInt8](repeating: 0, count: LedgerEncoding.chunk)
            var left = inFile
            while left > 0 {
                let n = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, min($0.count, left), file) }
                guard n > 0 else { throw SpoolError(description: "could not read a ledger's content back from a temporary file") }
                left -= n
                guard try buffer.withUnsafeBufferPointer({ try piece(UnsafeBufferPointer(rebasing: $0[0..<n])) }) else { return }
            }
        }
        if !kept.isEmpty { _ = try kept.withUnsafeBufferPointer(piece) }
    }
}
