import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reading an input file (a plan file, the plan's text or calendar, a ledger) whole and safely:
/// opened without waiting (`O_NONBLOCK`: a FIFO or a device is refused, never waited on), checked
/// on the open descriptor itself (`fstat`: nothing can be swapped in between a check and the
/// open), and never read past its limit (the count is checked while reading, so a 12 MB file
/// costs one read of the limit, not its whole size in memory).
public enum InputFile {
    public enum Contents: Equatable {
        case bytes([UInt8])
        /// More than the limit: `size` is the file's size (`exact`), or the bytes read before
        /// stopping when the file grew while being read.
        case tooBig(size: Int, exact: Bool)
        /// A FIFO, device, socket or folder: named.
        case notRegular(String)
        /// No such file, or no permission: the system's reason.
        case unreadable(String)
    }

    /// The bytes of `path`, at most `limit` of them.
    public static func contents(of path: String, limit: Int) -> Contents {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)
        guard fd >= 0 else { return .unreadable(String(cString: strerror(errno))) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return .unreadable(String(cString: strerror(errno))) }
        let type = info.st_mode & S_IFMT
        guard type == S_IFREG else { return .notRegular(kind(type)) }
        let size = Int(info.st_size)
        if size > limit { return .tooBig(size: size, exact: true) }
        // Read to the end, whatever the size said (a file may grow while read), up to the limit.
        var bytes = [UInt8](repeating: 0, count: size + 1)
        var count = 0
        while true {
            if count == bytes.count {
                if count > limit { return .tooBig(size: count, exact: false) }
                bytes.append(contentsOf: repeatElement(0, count: min(max(4096, count), limit + 1 - count)))
            }
            let n = bytes.withUnsafeMutableBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return -1 }
                return systemRead(fd, base + count, buffer.count - count)
            }
            if n < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                return .unreadable(String(cString: strerror(errno)))
            }
            if n == 0 { break }
            count += n
        }
        if count > limit { return .tooBig(size: count, exact: false) }
        bytes.removeLast(bytes.count - count)
        return .bytes(bytes)
    }

    /// The bytes of `path`, or nil after an error at the file (its line 1 for a size) saying
    /// what is wrong: `what` names the kind of file ("a ledger file"), `hint` how to fix a size.
    public static func read(_ path: String, limit: Int, what: String, sizeHint: String,
                            into diagnostics: DiagnosticCollector) -> [UInt8]? {
        accept(contents(of: path, limit: limit), path: path, limit: limit, what: what, sizeHint: sizeHint, into: diagnostics)
    }

    /// The bytes of a file received whole (an upload, named `name`), checked against `limit` as
    /// `read` checks a file on disk.
    public static func received(_ bytes: [UInt8], name: String, limit: Int, what: String, sizeHint: String,
                                into diagnostics: DiagnosticCollector) -> [UInt8]? {
        accept(bytes.count > limit ? .tooBig(size: bytes.count, exact: true) : .bytes(bytes), path: name, limit: limit, what: what,
               sizeHint: sizeHint, into: diagnostics)
    }

    /// The bytes, or nil after the error `read` describes.
    static func accept(_ contents: Contents, path: String, limit: Int, what: String, sizeHint: String,
                       into diagnostics: DiagnosticCollector) -> [UInt8]? {
        switch contents {
        case .bytes(let bytes):
            return bytes
        case .tooBig(let size, let exact):
            diagnostics.error(SourceLocation(file: path, line: 1, column: 1),
                              "the file is \(exact ? "" : "over ")\(grouped(exact ? size : limit)) bytes; \(what) is at most \(grouped(limit)) bytes",
                              hint: sizeHint)
        case .notRegular(let kind):
            diagnostics.error(SourceLocation(file: path), "not a regular file but \(kind): not read",
                              hint: "give the path of a file saved on disk")
        case .unreadable(let reason):
            diagnostics.error(SourceLocation(file: path), "cannot read the file (\(reason))",
                              hint: "check that it exists and is readable")
        }
        return nil
    }

    /// A file opened once, without blocking, and known to be a regular file, for a reader that
    /// opens files by path itself (the zip reader under .xlsx): it reads `readPath`, the open
    /// descriptor's own name (`/dev/fd/N`), so what is swapped in at `path` after the check is
    /// never read. Where `/dev/fd` is missing, `readPath` is `path` and that window stays open.
    public final class CheckedFile {
        public let path: String
        public let readPath: String
        private let descriptor: Int32

        init(path: String, descriptor: Int32) {
            self.path = path
            self.descriptor = descriptor
            let own = "/dev/fd/\(descriptor)"
            self.readPath = descriptor >= 0 && access(own, R_OK) == 0 ? own : path
        }

        deinit { if descriptor >= 0 { close(descriptor) } }
    }

    /// Opens `path` as `read` does (non-blocking) and keeps it open if it is a regular file;
    /// if not, the same error as `read` gives and nil. A file that cannot be opened at all is
    /// handed on by name, for the reader's own error.
    public static func openRegular(_ path: String, into diagnostics: DiagnosticCollector) -> CheckedFile? {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)
        guard fd >= 0 else { return CheckedFile(path: path, descriptor: -1) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { close(fd); return CheckedFile(path: path, descriptor: -1) }
        let type = info.st_mode & S_IFMT
        guard type == S_IFREG else {
            close(fd)
            diagnostics.error(SourceLocation(file: path), "not a regular file but \(kind(type)): not read",
                              hint: "give the path of a file saved on disk")
            return nil
        }
        return CheckedFile(path: path, descriptor: fd)
    }

    static func kind(_ type: mode_t) -> String {
        switch type {
        case S_IFDIR: return "a folder"
        case S_IFIFO: return "a FIFO (named pipe)"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFSOCK: return "a socket"
        default: return "not a file"
        }
    }

    /// `4194305` as "4,194,305".
    public static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return n < 0 ? "-" + out : out
    }
}

/// `read(2)`, named apart from the `read` functions of the types above.
func systemRead(_ fd: CInt, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    return Glibc.read(fd, buffer, count)
    #else
    return Darwin.read(fd, buffer, count)
    #endif
}
