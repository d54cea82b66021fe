import DubanKit
import Foundation
import XCTest

/// `InputFile.openRegular`: the check a reader that opens files by name (the .xlsx zip reader)
/// relies on, and the name it reads through.
final class InputFileTests: XCTestCase {
    func testTheCheckedFileIsReadEvenIfAnotherIsSwappedInAtItsPath() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("inputfile-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/ledger.xlsx", other = dir + "/other"
        try Data("checked".utf8).write(to: URL(fileURLWithPath: path))
        try Data("swapped in".utf8).write(to: URL(fileURLWithPath: other))
        let diagnostics = DiagnosticCollector()
        let file = try XCTUnwrap(InputFile.openRegular(path, into: diagnostics))
        XCTAssertNotEqual(file.readPath, path, "read through the open descriptor, not the name")
        XCTAssertEqual(rename(other, path), 0)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: file.readPath)), Data("checked".utf8))
        XCTAssertFalse(diagnostics.hasErrors)
    }

    func testAFIFOIsRefusedWithoutBlocking() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("fifo-\(UUID().uuidString).xlsx").path
        XCTAssertEqual(mkfifo(path, 0o600), 0)
        defer { unlink(path) }
        let diagnostics = DiagnosticCollector()
        XCTAssertNil(InputFile.openRegular(path, into: diagnostics))
        XCTAssertTrue(diagnostics.renderAll().contains("\(path): error: not a regular file but a FIFO (named pipe): not read"), diagnostics.renderAll())
    }
}
