@testable import DubanCLI
import DubanKit
import Foundation
import XCTest

/// `ErrorReport`, the one place where an error becomes a message and an exit code: an error of no
/// known kind is a bug (70, and says so); every error a command is meant to throw has its own
/// documented code, never 70, and a message.
final class ErrorReportTests: CLITestCase {
    private struct Unexpected: Error {}

    /// The codes of README's "Exit codes" table.
    static func documentedCodes() throws -> Set<Int32> {
        let readme = try String(contentsOfFile: CLIRunner.root.appendingPathComponent("README.md").path, encoding: .utf8)
        let section = try XCTUnwrap(readme.components(separatedBy: "## Exit codes").dropFirst().first)
        let table = section.components(separatedBy: "\n## ").first ?? section
        return Set(table.split(separator: "\n").compactMap { line -> Int32? in
            let cells = line.split(separator: "|", omittingEmptySubsequences: true)
            return cells.first.flatMap { Int32($0.trimmingCharacters(in: .whitespaces)) }
        })
    }

    func testAnErrorOfNoKnownKindIsReportedAsABug() {
        let report = ErrorReport(Unexpected())
        XCTAssertEqual(report.code, Exit.internalError)
        XCTAssertEqual(report.code, 70)
        XCTAssertTrue(report.text?.contains("this is a bug in duban") == true, report.text ?? "")
    }

    /// One of each `StoreError`; the switch has no `default`, so a new case does not compile
    /// until it is listed here.
    static func storeErrors(path p: String) -> [StoreError] {
        let all: [StoreError] = [
            .notFound(path: p), .empty(path: p), .notSQLite(path: p), .foreign(path: p),
            .newer(path: p, unknown: ["v99"]), .older(path: p, missing: ["v18"]),
            .migrationsTampered(path: p, detail: "d"), .busy(path: p), .readOnly(path: p),
            .corrupt(path: p, detail: "d"), .refused(path: p, detail: "d"), .io(path: p, detail: "d"),
        ]
        for error in all {
            switch error {
            case .notFound, .empty, .notSQLite, .foreign, .newer, .older, .migrationsTampered, .busy, .readOnly,
                 .corrupt, .refused, .io:
                break
            }
        }
        return all
    }

    /// One of each `CLIError`, listed the same way.
    static let cliErrors: [CLIError] = {
        let all: [CLIError] = [
            .usage("u"), .invalidData("d", hint: "h"), .inputMissing("m"), .io("i"), .unavailable("n"), .config("c"),
            .several(first: .inputMissing("first"), others: [.usage("second")]),
        ]
        for error in all + [.reported(65)] {
            switch error {
            case .usage, .invalidData, .inputMissing, .io, .unavailable, .config, .reported, .several: break
            }
        }
        return all
    }()

    func testEveryKnownErrorHasItsDocumentedCodeAndAMessage() throws {
        let documented = try Self.documentedCodes()
        XCTAssertTrue(documented.isSuperset(of: [0, 64, 65, 66, 69, 70, 74, 75, 76, 78, 141]), "\(documented.sorted())")
        let errors: [any Error] = Self.cliErrors + Self.storeErrors(path: "/tmp/x.sqlite")
            + [LedgerRefusal(file: "a.yaml", message: "m", hint: "h")]
        for error in errors {
            let report = ErrorReport(error)
            XCTAssertNotEqual(report.code, Exit.internalError, "\(error)")
            XCTAssertTrue(documented.contains(report.code), "\(error): exit \(report.code) is not in README's table")
            let text = try XCTUnwrap(report.text, "\(error)")
            XCTAssertTrue(text.hasPrefix("duban: error: "), text)
        }
        XCTAssertEqual(ErrorReport(CLIError.several(first: .inputMissing("a"), others: [.usage("b")])).code, Exit.inputMissing)
        XCTAssertEqual(ErrorReport(StoreError.busy(path: "x")).code, Exit.busy)
        XCTAssertEqual(ErrorReport(StoreError.notFound(path: "x")).code, Exit.inputMissing)
        XCTAssertEqual(ErrorReport(LedgerRefusal(message: "m")).code, Exit.dataError)
        XCTAssertNil(ErrorReport(CLIError.reported(65)).text, "already printed")
        XCTAssertEqual(ErrorReport(CLIError.reported(65)).code, 65)
    }
}
