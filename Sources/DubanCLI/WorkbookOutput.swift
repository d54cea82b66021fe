import ArgumentParser
import DubanKit
import Foundation

/// The forms of the listings that can also be written as a workbook.
enum SheetFormat: String, CaseIterable, ExpressibleByArgument {
    case table, json, csv, markdown, xlsx

    /// How a listing is written in this format: as its JSON objects, as a workbook (`--out`), or
    /// as a table in one of its forms.
    enum Rendering: Equatable {
        case json, xlsx
        case table(Table.Form)
    }

    var rendering: Rendering {
        switch self {
        case .json: .json
        case .xlsx: .xlsx
        case .table: .table(.text)
        case .csv: .table(.csv)
        case .markdown: .table(.markdown)
        }
    }
}

/// `--format … [--out FILE]` of `status`, `ledgers`, `units` and `tasks`.
struct SheetFormatOption: ParsableArguments {
    @Option(name: .long, help: "Output format: table, json, csv, markdown or xlsx (with --out).")
    var format: SheetFormat = .table
    @Option(name: .long, help: ArgumentHelp("With --format xlsx: the workbook to write.", valueName: "FILE"))
    var out: String?

    func validate() throws { try WorkbookOutput.validate(xlsx: format == .xlsx, out: out) }
}

/// Writing a workbook where a listing would be printed.
enum WorkbookOutput {
    /// A workbook is binary: it goes to a named file, never to a terminal or a pipe (exit 64).
    static func validate(xlsx: Bool, out: String?) throws {
        if xlsx && out == nil {
            throw ValidationError("--format xlsx writes a binary workbook: name the file with --out FILE.xlsx")
        }
        if !xlsx && out != nil { throw ValidationError("--out FILE goes with --format xlsx") }
    }

    /// Writes the sheets to `path` in one step and says so on standard output.
    static func write(_ sheets: [XLSXSheet], to path: String) throws {
        try write(XLSXWorkbook(sheets: sheets), to: path)
    }

    static func write(_ workbook: XLSXWorkbook, to path: String) throws {
        let data: Data
        do {
            data = try XLSXWriter.data(workbook)
        } catch let error as OfficeError {
            throw CLIError.usage(error.description, hint: "narrow the list (--unit, --task, --period)")
        }
        do {
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw CLIError.io("cannot write \(path): \(error.localizedDescription)")
        }
        let rows = workbook.sheets.map(\.rows.count).reduce(0, +)
        Console.out("wrote \(path): \(workbook.sheets.count) sheet\(workbook.sheets.count == 1 ? "" : "s"), \(rows) row\(rows == 1 ? "" : "s")\n")
    }
}
