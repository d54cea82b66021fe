/// One worksheet of a workbook Duban writes: a header row, typed cells, and what a person
/// filling it in needs (drop-downs, limits, protection, print setup).
public struct XLSXSheet: Sendable {
    /// A cell's value. Text is always written as a string cell (shared string), never as a
    /// formula: "=1+1" in a unit name stays the text "=1+1" (see docs/ledger-format.md).
    public enum Cell: Sendable, Equatable {
        case empty
        case text(String)
        case number(Double)
        case date(LocalDate)
        /// A fraction shown as a percent (0.45 → 45%).
        case percent(Double)
        /// No value, formatted as a date (an input cell for one).
        case emptyDate
    }

    /// A rule on a range of one column's cells (rows 2…), checked by Excel, WPS and LibreOffice as it is typed.
    public enum Validation: Sendable, Equatable {
        /// One of the values listed in `range` (e.g. `'选项'!$A$1:$A$3`).
        case list(range: String, prompt: String)
        case wholeNumber(min: Int, max: Int, prompt: String)
        case date(min: LocalDate, max: LocalDate, prompt: String)
    }

    public var name: String
    /// Rows above the header (a title, `key,value` rows of a ledger); empty for a listing.
    public var preamble: [[Cell]] = []
    /// Preamble cells a person fills in when the sheet is protected: (row, column), 0-based.
    public var unlockedPreamble: Set<[Int]> = []
    public var header: [String]
    public var rows: [[Cell]]
    /// Column widths in characters; computed from the text when nil.
    public var widths: [Double]?
    public var freezeHeader = true
    public var hidden = false
    /// Columns a person may edit when the sheet is protected (0-based); nil: not protected.
    public var unlockedColumns: Set<Int>?
    /// Per column (0-based), a rule for its data rows.
    public var validations: [Int: Validation] = [:]
    /// A4 landscape, fitted to the page width, the header row repeated on every printed page.
    public var printLandscape = false
    /// Long text wraps (template input columns); otherwise it runs on in one line.
    public var wrapColumns: Set<Int> = []
    /// Columns whose empty cells are formatted as dates, so that what is typed there is one.
    public var dateColumns: Set<Int> = []

    public init(name: String, header: [String], rows: [[Cell]]) {
        self.name = name
        self.header = header
        self.rows = rows
    }

    /// Excel's limits: 1,048,576 rows and 16,384 columns a sheet, 32,767 characters a cell.
    public static let maxRows = 1_048_576
    public static let maxColumns = 16_384
    public static let maxCellCharacters = 32_767

    /// A valid, unique-looking sheet name: at most 31 characters, none of `[]:*?/\`, not empty.
    public static func safeName(_ name: String) -> String {
        let forbidden: Set<Character> = ["[", "]", ":", "*", "?", "/", "\\"]
        var cleaned = String(name.filter { !forbidden.contains($0) && !($0.asciiValue.map { $0 < 32 } ?? false) })
        while cleaned.hasPrefix("'") { cleaned.removeFirst() }
        while cleaned.hasSuffix("'") { cleaned.removeLast() }
        let cut = String(cleaned.prefix(31))
        return cut.isEmpty ? "Sheet" : cut
    }

    /// The 1-based row of the header.
    var headerRow: Int { preamble.count + 1 }

    /// Widths that show each column's widest text (CJK counted double), between 6 and 60.
    func columnWidths() -> [Double] {
        if let widths { return widths }
        var best = header.map { DisplayWidth.of($0) }
        for row in rows.prefix(5000) {
            for (i, cell) in row.enumerated() {
                let w: Int
                switch cell {
                case .empty, .emptyDate: w = 0
                case .text(let t): w = t.split(separator: "\n").map { DisplayWidth.of($0) }.max() ?? 0
                case .number(let n): w = XLSXWriter.numberText(n).count
                case .date: w = 10
                case .percent: w = 5
                }
                if i < best.count { best[i] = max(best[i], w) } else { best.append(w) }
            }
        }
        return best.map { Double(min(60, max(6, $0 + 2))) }
    }
}
