@testable import DubanKit
import XCTest

/// `LedgerEntrySpec` packs its positions (a line and a column in the entry's file, or in a
/// workbook a cell named from them) and keeps any other whole: what is stored is what is read
/// back, whichever kind of position it is.
final class LedgerEntrySpecTests: XCTestCase {
    let file = "甘州区-2024-04.csv"

    func testEveryKindOfPositionReadsBackAsStored() throws {
        var e = LedgerEntrySpec(location: SourceLocation(file: file, line: 9, column: 1))
        let same = SourceLocation(file: file, line: 9, column: 14)
        let otherFile = SourceLocation(file: "other.csv", line: 9, column: 3)
        let form = LedgerForm.location("status", entry: 2, file: file)
        let cellWithoutSheet = SourceLocation(file: file, line: 9, column: 6, cell: "台账!F9")
        let noLine = SourceLocation(file: file)
        let noColumn = SourceLocation(file: file, line: 12)
        let date = try XCTUnwrap(LocalDate(iso: "2024-04-30"))
        e.task = Located(3, at: same)
        e.milestone = Located("3.1", at: otherFile)
        e.status = Located("推进中", at: form)
        e.percent = Located(60, at: cellWithoutSheet)
        e.completed = Located(date, at: noLine)
        e.progress = Located("进展", at: noColumn)
        e.problems = Located("问题", at: SourceLocation(file: file, line: 10, column: 2))
        e.nextSteps = nil
        let figures = [Located(Figure(name: "培训学时", value: 60, unit: "学时"), at: same),
                       Located(Figure(name: "检查", value: 4, unit: "次"), at: otherFile)]
        e.figures = figures
        e.append(figure: Located(Figure(name: "比例", value: 12, unit: "%"), at: form))
        e.evidence = [Located("报告.pdf", at: noLine), Located("照片.jpg", at: same)]

        XCTAssertEqual(e.task, Located(3, at: same))
        XCTAssertEqual(e.milestone, Located("3.1", at: otherFile))
        XCTAssertEqual(e.status, Located("推进中", at: form))
        XCTAssertEqual(e.percent, Located(60, at: cellWithoutSheet))
        XCTAssertEqual(e.completed, Located(date, at: noLine))
        XCTAssertEqual(e.progress, Located("进展", at: noColumn))
        XCTAssertEqual(e.problems, Located("问题", at: SourceLocation(file: file, line: 10, column: 2)))
        XCTAssertNil(e.nextSteps)
        XCTAssertEqual(e.figures, figures + [Located(Figure(name: "比例", value: 12, unit: "%"), at: form)])
        XCTAssertEqual(e.evidence, [Located("报告.pdf", at: noLine), Located("照片.jpg", at: same)])

        // A field written again, or cleared, forgets where it was.
        e.milestone = Located("3.2", at: same)
        e.status = nil
        e.figures = [Located(Figure(name: "检查", value: 5, unit: nil), at: same)]
        XCTAssertEqual(e.milestone, Located("3.2", at: same))
        XCTAssertNil(e.status)
        XCTAssertEqual(e.figures, [Located(Figure(name: "检查", value: 5, unit: nil), at: same)])
        // The entry's own location moved does not move its fields.
        e.location = SourceLocation(file: "elsewhere.csv", line: 1, column: 1)
        XCTAssertEqual(e.task, Located(3, at: same))
    }

    /// Moved to a sheet, a packed position names its cell as a finding does (`台账!F7`); one
    /// that is no cell, or was not packed, is moved as a whole.
    func testRelocatedToASheetEachPositionNamesItsCell() {
        var e = LedgerEntrySpec(location: SourceLocation(file: file, line: 7, column: 1))
        e.task = Located(1, at: SourceLocation(file: file, line: 7, column: 5))
        e.status = Located("已完成", at: SourceLocation(file: file, line: 8, column: 2))
        e.progress = Located("进展", at: SourceLocation(file: "other.csv", line: 7, column: 9))
        e.evidence = [Located("报告", at: SourceLocation(file: file, line: 7, column: 40))]
        let whole = SourceLocation(file: file, cell: "台账")
        e.relocate(toSheet: "台账", cell: { line, column in line == 7 && column < 30 ? (line + 10, column) : nil },
                   move: { $0.line == 7 && ($0.column ?? 1) < 30 ? SourceLocation(file: $0.file, line: 17, column: ($0.column ?? 1) + 1, cell: "moved") : whole })
        XCTAssertEqual(e.location, SourceLocation(file: file, line: 17, column: 2, cell: "moved"))
        XCTAssertEqual(e.task, Located(1, at: SourceLocation(file: file, line: 17, column: 6, cell: "台账!F17")))
        XCTAssertEqual(e.status, Located("已完成", at: whole))
        XCTAssertEqual(e.progress, Located("进展", at: SourceLocation(file: "other.csv", line: 17, column: 10, cell: "moved")))
        XCTAssertEqual(e.evidence, [Located("报告", at: whole)])
        // Written again after the move, a cell of the sheet packs and reads back.
        let cell = SourceLocation(file: file, line: 17, column: 3, cell: "台账!C17")
        e.percent = Located(100, at: cell)
        XCTAssertEqual(e.percent, Located(100, at: cell))
    }
}
