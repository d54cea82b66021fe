import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Bytes kept on disk instead of in memory, as `ProgressChangeSpool` keeps a report's changes:
/// an anonymous temporary file (`tmpfile`: it has no name, and is gone when closed or however
/// the process ends), appended to in pieces of 64 KB and read back at any offset (`pread`).
final class SpoolFile {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    private let file: UnsafeMutablePointer<FILE>
    private var pending: [UInt8] = []
    /// Bytes appended: those in the file, then those pending.
    private(set) var size = 0
    private var inFile = 0
    private var window: [UInt8] = []
    private var windowStart = 0

    /// Nil if no temporary file can be made.
    init?() {
        guard let file = tmpfile() else { return nil }
        self.file = file
    }

    deinit {
        fclose(file)
    }

    func append(_ bytes: some Collection<UInt8>) throws {
        pending.append(contentsOf: bytes)
        size += bytes.count
        if pending.count >= 1 << 16 { try flush() }
    }

    /// Writes what is pending, so that `read` can see it.
    func flush() throws {
        guard !pending.isEmpty else { return }
        let written = pending.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count, file) }
        guard written == pending.count, fflush(file) == 0 else {
            throw Failure(description: "could not write to a temporary file (\(String(cString: strerror(errno))))")
        }
        inFile += written
        pending.removeAll(keepingCapacity: true)
    }

    /// `count` bytes from `offset`, read through a window of 4 KB: bytes near those read last
    /// cost no call. Longer pieces are read alone.
    func bytes(at offset: Int, count: Int) throws -> ArraySlice<UInt8> {
        if offset < windowStart || offset + count > windowStart + window.count {
            try read(at: offset, count: max(count, min(1 << 12, size - offset)), into: &window)
            windowStart = offset
        }
        return window[(offset - windowStart)..<(offset - windowStart + count)]
    }

    /// `count` bytes from `offset` into `buffer` (replaced; not zeroed first).
    func read(at offset: Int, count: Int, into buffer: inout [UInt8]) throws {
        guard offset >= 0, count >= 0, offset + count <= size else {
            throw Failure(description: "bytes \(offset)..<\(offset + count) are past the \(size) bytes of a temporary file")
        }
        if offset + count > inFile { try flush() }
        let fd = fileno(file)
        buffer = try [UInt8](unsafeUninitializedCapacity: count) { raw, initialized in
            while initialized < count {
                let n = raw.baseAddress.map { pread(fd, $0 + initialized, count - initialized, off_t(offset + initialized)) } ?? -1
                guard n > 0 else {
                    throw Failure(description: "could not read back a temporary file (\(n < 0 ? String(cString: strerror(errno)) : "it ended early"))")
                }
                initialized += n
            }
        }
    }
}
