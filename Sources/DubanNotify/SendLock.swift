import DubanKit
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One sending run at a time per database: `notify --send` and the server's daily schedule
/// hold an exclusive `flock` on the file beside the database (`DB.notify-lock`) while they
/// send. A second run waits for the first and then finds its deliveries in the log (`already
/// sent`), so the same day's message never goes out twice and robots are paced by one process.
/// The lock dies with its process, so a crashed run leaves nothing to clean up. It is a lock of
/// this machine: a database shared by several machines would need the database's own lock.
final class SendLock {
    /// The longest a run waits for another before giving up (exit 75, busy).
    static let maxWaitSeconds = 1800

    private let fd: Int32

    private init(fd: Int32) { self.fd = fd }

    /// Takes the lock of `databasePath` (none for an in-memory database), telling `write` once
    /// when another run holds it and the wait begins.
    static func acquire(databasePath: String, write: @Sendable (String) -> Void) async throws -> SendLock? {
        guard databasePath != ":memory:", !databasePath.isEmpty else { return nil }
        let path = databasePath + ".notify-lock"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            let code = errno
            if code == EACCES || code == EROFS || code == EPERM { throw StoreError.readOnly(path: path) }
            throw StoreError.io(path: path, detail: "cannot open it: \(String(cString: strerror(code)))")
        }
        var waited = 0.0
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            guard code == EWOULDBLOCK || code == EINTR else {
                close(fd)
                throw StoreError.io(path: path, detail: "cannot lock it: \(String(cString: strerror(code)))")
            }
            if code == EINTR { continue }
            if waited == 0 {
                write("another notify --send run on \(databasePath) is under way (a command or the server's schedule): waiting for it to end\n")
            }
            guard waited < Double(maxWaitSeconds) else {
                close(fd)
                throw StoreError.busy(path: path)
            }
            try? await Task.sleep(nanoseconds: 200_000_000)
            waited += 0.2
        }
        return SendLock(fd: fd)
    }

    func release() {
        _ = flock(fd, LOCK_UN)
        close(fd)
    }
}
