import Foundation
import DubanKit
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Standard output and standard error, written with `write(2)` (no buffering, no `try!` inside
/// Foundation's `FileHandle.write`, which crashed on a full disk or a closed descriptor).
///
/// A failed write to standard output is kept, as C's `ferror` keeps it: later writes are
/// dropped, the command finishes (a record already committed stays committed), and
/// `Duban.start` ends with exit 74 and a message, or, for a reader that closed its pipe
/// (EPIPE), quietly with 141, what a shell reports for `cat` ended by SIGPIPE. A failed write to
/// standard error has nowhere to be reported and is ignored.
enum Console {
    private static let state = ConsoleState()

    /// Called once at start: SIGPIPE is ignored (a closed pipe becomes EPIPE, handled here), and
    /// a closed descriptor 0, 1 or 2 is held by /dev/null, so that no file duban opens (the
    /// database, a ledger, a temporary file) takes its number and receives the output. A closed
    /// standard output is then reported at the first write, as a failed write would be.
    static func start() {
        signal(SIGPIPE, SIG_IGN)
        for fd in [STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO] where fcntl(fd, F_GETFD) == -1 {
            let held = open("/dev/null", fd == STDIN_FILENO ? O_RDONLY : O_WRONLY)
            if held >= 0, held != fd { close(held) }
            if fd == STDOUT_FILENO { state.closedStdout = true }
        }
    }

    static func out(_ text: String) {
        var text = text
        text.withUTF8 { out(UnsafeRawBufferPointer($0)) }
    }

    /// A list as JSON (`JSONOutput.stream`), written a part at a time.
    static func json<T: Encodable & Sendable>(_ values: [T]) {
        JSONOutput.stream(values, to: out(bytes:))
    }

    /// Bytes of a document written a part at a time.
    static func out(bytes: [UInt8]) {
        bytes.withUnsafeBytes { out($0) }
    }

    private static func out(_ bytes: UnsafeRawBufferPointer) {
        guard state.failure == nil else { return }
        if state.closedStdout {
            state.failure = EBADF
            return
        }
        if let error = writeAll(STDOUT_FILENO, bytes) { state.failure = error }
    }

    static func err(_ text: String) {
        var text = text
        _ = text.withUTF8 { writeAll(STDERR_FILENO, UnsafeRawBufferPointer($0)) }
    }

    /// The `errno` of the first failed write to standard output, if any.
    static var outputFailure: Int32? { state.failure }

    /// Thrown by `stopIfOutputFailed`.
    struct OutputFailed: Error {}

    /// Throws `OutputFailed` once a write to standard output has failed: a long listing then stops
    /// reading (what it would write is dropped anyway), and `Duban.finish` reports the failure.
    static func stopIfOutputFailed() throws {
        if state.failure != nil { throw OutputFailed() }
    }

    /// What a command has already committed, said if its output then cannot be written, so that a
    /// script that sees exit 74 knows the data is in (e.g. "the ledgers were recorded").
    static func committed(_ what: String) {
        state.committed = what
    }

    static var committedNote: String? { state.committed }

    /// Writes all of `bytes`, looping over partial writes and EINTR; the `errno` of a failure.
    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Int32? {
        guard let base = bytes.baseAddress else { return nil }
        var done = 0
        while done < bytes.count {
            let n = systemWrite(fd, base + done, bytes.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                return errno
            }
            if n == 0 { return EIO }
            done += n
        }
        return nil
    }
}

/// The console's state, behind a lock (Swift 6 checks that statics are safe to share).
private final class ConsoleState: @unchecked Sendable {
    private let lock = NSLock()
    private var _failure: Int32?
    private var _closedStdout = false
    private var _committed: String?

    var failure: Int32? {
        get { lock.withLock { _failure } }
        set { lock.withLock { if _failure == nil { _failure = newValue } } }
    }

    var closedStdout: Bool {
        get { lock.withLock { _closedStdout } }
        set { lock.withLock { _closedStdout = newValue } }
    }

    var committed: String? {
        get { lock.withLock { _committed } }
        set { lock.withLock { _committed = newValue } }
    }
}

/// `write(2)`, named apart from `Console`'s own functions.
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    return Glibc.write(fd, buffer, count)
    #else
    return Darwin.write(fd, buffer, count)
    #endif
}
