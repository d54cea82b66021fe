import ArgumentParser
import DubanKit
import Foundation

/// The documented exit codes (BSD sysexits where one fits).
enum Exit {
    static let ok: Int32 = 0
    static let usage: Int32 = 64
    static let dataError: Int32 = 65
    static let inputMissing: Int32 = 66
    static let internalError: Int32 = 70
    static let databaseError: Int32 = 74
    /// An I/O error other than the database's: standard output cannot be written (disk full, closed).
    static let ioError: Int32 = 74
    static let busy: Int32 = 75
    /// A program duban needs for this output is missing (LibreOffice for `letter --format pdf`).
    static let unavailable: Int32 = 69
    /// `notify --send`: a delivery failed after its attempts (EX_PROTOCOL: the remote end refused or did not answer).
    static let deliveryFailed: Int32 = 76
    /// `notify --send`: a secret the channels need cannot be read (EX_CONFIG); nothing was sent.
    static let config: Int32 = 78
    /// Standard output's reader went away (EPIPE): 128 + SIGPIPE, what a shell reports for `cat`.
    static let closedPipe: Int32 = 141
}

/// An error the command line reports in one line (plus a hint) and maps to an exit code.
enum CLIError: Error {
    case usage(String, hint: String? = nil)
    case invalidData(String, hint: String? = nil)
    case inputMissing(String, hint: String? = nil)
    /// A file or standard output cannot be written (not the database: `StoreError` says that).
    case io(String, hint: String? = nil)
    /// A program duban needs is not installed or failed (exit 69).
    case unavailable(String, hint: String? = nil)
    /// A setting outside the plan cannot be used: a secret not set (exit 78).
    case config(String, hint: String? = nil)
    /// Diagnostics already printed; only the exit code remains.
    case reported(Int32)
    /// Several problems found at once: all are reported (the others, then the first), and the
    /// command exits with the first's code.
    indirect case several(first: CLIError, others: [CLIError])

    /// The problems `errors` (nil when there is none), all reported, the first's code the exit code.
    static func all(_ errors: [CLIError]) -> CLIError? {
        errors.first.map { errors.count == 1 ? $0 : .several(first: $0, others: Array(errors.dropFirst())) }
    }

    var code: Int32 {
        switch self {
        case .usage: return Exit.usage
        case .invalidData: return Exit.dataError
        case .inputMissing: return Exit.inputMissing
        case .io: return Exit.ioError
        case .unavailable: return Exit.unavailable
        case .config: return Exit.config
        case .reported(let code): return code
        case .several(let first, _): return first.code
        }
    }

    var text: String? {
        switch self {
        case .usage(let m, let h), .invalidData(let m, let h), .inputMissing(let m, let h), .io(let m, let h),
             .unavailable(let m, let h), .config(let m, let h):
            return "duban: error: \(m)\n" + (h.map { "  hint: \($0)\n" } ?? "")
        case .reported:
            return nil
        case .several(let first, let others):
            return (others + [first]).compactMap(\.text).joined()
        }
    }
}

/// What the command line says about a failure, and the exit code it ends with: the one place
/// where every error a command can throw is worded for stderr and mapped to its documented code.
struct ErrorReport {
    /// The message for stderr, nil when it was already printed (`CLIError.reported`).
    var text: String?
    var code: Int32

    init(_ error: Error) {
        switch error {
        case let error as CLIError:
            (text, code) = (error.text, error.code)
        case let error as StoreError:
            // Every failure of the database comes as one of these (`DubanDatabase` maps SQLite's).
            text = "duban: error: \(error.message)\n  hint: \(error.hint)\n"
            switch error {
            case .notFound: code = Exit.inputMissing
            case .busy: code = Exit.busy
            default: code = Exit.databaseError
            }
        case let error as LedgerRefusal:
            text = "duban: error: \(error.text)\n" + (error.hint.map { "  hint: \($0)\n" } ?? "") + "  nothing was written\n"
            code = Exit.dataError
        default:
            text = "duban: internal error: \(error)\n  hint: this is a bug in duban; please report it with the command you ran\n"
            code = Exit.internalError
        }
    }
}
