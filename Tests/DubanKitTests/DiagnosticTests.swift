import XCTest
@testable import DubanKit

final class DiagnosticTests: XCTestCase {
    /// A finding quotes its line and puts the caret under its column, in LF and CRLF files alike.
    func testTheOffendingLineIsQuotedWhateverTheLineEnds() {
        for ending in ["\n", "\r\n"] {
            let collector = DiagnosticCollector()
            let text = ["单位: 甘州区", "period: 2024-02", "status: 完成了", ""].joined(separator: ending)
            collector.register(file: "a.yaml", text: text)
            collector.error(SourceLocation(file: "a.yaml", line: 3, column: 9), "status \"完成了\" is not a status")
            let rendered = collector.renderAll()
            XCTAssertTrue(rendered.contains(" 3 | status: 完成了\n"), "\(ending.debugDescription): \(rendered)")
            XCTAssertTrue(rendered.contains("   |         ^\n"), "\(ending.debugDescription): \(rendered)")
            XCTAssertFalse(rendered.contains("\r"), ending.debugDescription)
        }
    }
}
