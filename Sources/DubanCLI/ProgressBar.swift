import Foundation

/// A one-line progress bar on standard error, for long work (`ledger submit` of many files).
/// Drawn only when standard error is a terminal (never into a pipe or a log) and `TERM` is not
/// `dumb`; it has no colour, so NO_COLOR needs nothing. Redrawn at most every 100 ms.
final class ProgressBar {
    private let label: String
    private var lastDraw = Date.distantPast
    private var drawn = false

    /// Nil when there is no terminal to draw on.
    init?(label: String) {
        guard isatty(STDERR_FILENO) != 0, ProcessInfo.processInfo.environment["TERM"] != "dumb" else { return nil }
        self.label = label
    }

    func update(_ done: Int, _ total: Int) {
        let now = Date()
        guard total > 0, now.timeIntervalSince(lastDraw) >= 0.1 || done == total else { return }
        lastDraw = now
        let width = 30
        let filled = min(width, done * width / total)
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        Console.err("\r\(label) [\(bar)] \(done)/\(total)")
        drawn = true
    }

    /// Clears the line, so that what follows starts clean.
    func finish() {
        guard drawn else { return }
        Console.err("\r\u{1B}[2K")
    }
}
