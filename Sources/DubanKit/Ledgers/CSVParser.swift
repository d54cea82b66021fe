/// An RFC 4180 CSV parser working on the UTF-8 bytes of already-decoded text: quoted fields,
/// `""` inside quotes, line breaks inside quotes, CRLF, LF or CR line ends; a cell `'=…` that a
/// writer neutralised (`CSVFormula`) reads as `=…`. Every field keeps
/// the line and column where it starts, so errors point into the file.
///
/// It is lenient where Excel and WPS are: a `"` inside an unquoted field is kept as text. It is
/// strict where data would be lost: text after a closing quote, or a quote never closed.
public enum CSVParser {
    public struct Field: Equatable, Sendable {
        public var value: String
        public var line: Int
        /// 1-based, in Unicode scalars, like YAML columns.
        public var column: Int
    }

    public struct Record: Equatable, Sendable {
        public var fields: [Field]
        /// The line the record starts on.
        public var line: Int

        /// Whether every field is empty (Excel writes `,,,,` for an empty row).
        public var isBlank: Bool { fields.allSatisfy { $0.value.trimmedFast(newlines: false).isEmpty } }
    }

    public struct ParseError: Error, Equatable, Sendable {
        public var message: String
        public var hint: String
        public var line: Int
        public var column: Int
    }

    /// The records of `text`, or the first error that makes the rest unreadable.
    public static func parse(_ text: String) -> Result<[Record], ParseError> {
        scan(text).map { table in (0..<table.recordCount).map(table.record) }
    }

    /// The fields of `text` as byte ranges (see `CSVTable`), or the first error that makes the
    /// rest unreadable. No string is made for a field until one is asked for.
    static func scan(_ text: String) -> Result<CSVTable, ParseError> {
        var table = CSVTable(bytes: Array(text.utf8))
        if let error = table.scan() { return .failure(error) }
        return .success(table)
    }
}

/// A CSV text split into records and fields without copying them out: each field is a byte range
/// of `bytes` (quotes excluded) with the line and column it starts at. A quoted field holding
/// `""` or a line break differs from its bytes; its value is kept aside in `unescaped`.
struct CSVTable {
    let bytes: [UInt8]
    /// Per field: value start and end offsets, and the line and column where the field starts
    /// (at its opening quote, if any). 32-bit (half the memory of a table of 20,000 rows): the
    /// scan refuses a text of 2 GiB or more, far beyond any ledger (`InputLimits.ledgerFileBytes`).
    private(set) var starts: [Int32] = []
    private(set) var ends: [Int32] = []
    private(set) var lines: [Int32] = []
    private(set) var columns: [Int32] = []
    /// Per record: its first field (with one more entry past the last record), and its line.
    private(set) var recordStarts: [Int] = []
    private(set) var recordLines: [Int] = []
    /// The value of each field whose bytes are not its value.
    private(set) var unescaped: [Int: [UInt8]] = [:]

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// One record with its values as strings.
    func record(_ r: Int) -> CSVParser.Record {
        CSVParser.Record(fields: fields(of: r).map { CSVParser.Field(value: string($0), line: line(of: $0), column: column(of: $0)) },
                         line: recordLine(r))
    }

    var recordCount: Int { recordLines.count }
    func fields(of record: Int) -> Range<Int> { recordStarts[record]..<recordStarts[record + 1] }
    func recordLine(_ record: Int) -> Int { recordLines[record] }
    func line(of field: Int) -> Int { Int(lines[field]) }

    /// The field's column: 1-based, in Unicode scalars from the start of its line.
    func column(of field: Int) -> Int { Int(columns[field]) }

    /// Calls `body` with the field's value bytes.
    @inline(__always)
    func withValue<R>(_ field: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if !unescaped.isEmpty, let own = unescaped[field] { return own.withUnsafeBufferPointer(body) }
        return bytes.withUnsafeBufferPointer { all in
            body(UnsafeBufferPointer(rebasing: all[Int(starts[field])..<Int(ends[field])]))
        }
    }

    /// The field's value.
    func string(_ field: Int) -> String {
        withValue(field) { String(decoding: $0, as: UTF8.self) }
    }

    func isEmpty(_ field: Int) -> Bool {
        if !unescaped.isEmpty, let own = unescaped[field] { return own.isEmpty }
        return starts[field] == ends[field]
    }

    /// The field's value trimmed as `trimmedFast(newlines:)` trims it.
    func trimmed(_ field: Int, newlines: Bool = true) -> String {
        withValue(field) { v in
            guard let first = v.first else { return "" }
            // Trimming is needed only when the first or last scalar is white space; an ASCII byte
            // or the lead byte of a CJK ideograph (E4–E9) decides it without decoding.
            if CSVTable.startsClean(first) && CSVTable.endsClean(v) { return String(decoding: v, as: UTF8.self) }
            return String(decoding: v, as: UTF8.self).trimmedFast(newlines: newlines)
        }
    }

    /// Whether the value, trimmed, is empty (the test `Record.isBlank` makes, without a string).
    func isBlank(_ field: Int) -> Bool {
        withValue(field) { v in
            for b in v where b != 0x20 && b != 0x09 {
                if b < 0x80 && !(0x0A...0x0D).contains(b) { return false }
                return String(decoding: v, as: UTF8.self).trimmedFast(newlines: false).isEmpty
            }
            return true
        }
    }

    /// Whether a value starting with this byte starts with a scalar that is not white space.
    @inline(__always)
    static func startsClean(_ b: UInt8) -> Bool {
        if b < 0x80 { return !(b == 0x20 || (0x09...0x0D).contains(b)) }
        return (0xE4...0xE9).contains(b) // U+4E00–U+9FFF
    }

    /// Whether the value ends with a scalar that is not white space (false when unsure).
    @inline(__always)
    static func endsClean(_ v: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = v.count
        let b = v[n - 1]
        if b < 0x80 { return !(b == 0x20 || (0x09...0x0D).contains(b)) }
        // A three-byte scalar E4–E9 xx xx is a CJK ideograph, never white space.
        return n >= 3 && (0xE4...0xE9).contains(v[n - 3]) && v[n - 2] & 0xC0 == 0x80 && b & 0xC0 == 0x80
    }

    /// Splits `bytes` into records and fields; nil, or the first error.
    mutating func scan() -> CSVParser.ParseError? {
        let result = bytes.withUnsafeBufferPointer(Self.scan)
        switch result {
        case .failure(let error):
            return error
        case .success(let s):
            (starts, ends, lines, columns) = (s.starts, s.ends, s.lines, s.columns)
            (recordStarts, recordLines, unescaped) = (s.recordStarts, s.recordLines, s.unescaped)
            return nil
        }
    }

    private struct Split {
        var starts: [Int32] = [], ends: [Int32] = [], lines: [Int32] = [], columns: [Int32] = []
        var recordStarts: [Int] = [], recordLines: [Int] = []
        var unescaped: [Int: [UInt8]] = [:]
    }

    /// The scan itself, on locals only (no captured state, so no run-time exclusivity checks).
    private static func scan(_ b: UnsafeBufferPointer<UInt8>) -> Result<Split, CSVParser.ParseError> {
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
        let count = b.count
        var out = Split()
        if count == 0 { out.recordStarts = [0]; return .success(out) }
        guard count < Int(Int32.max) else {
            return .failure(CSVParser.ParseError(message: "the text is 2 GiB or more",
                                                 hint: "a ledger is at most \(InputLimits.ledgerFileBytes) bytes", line: 1, column: 1))
        }
        // Ledgers run to a few dozen rows of about a dozen fields, many of them empty: about one
        // field per 8 bytes (too few makes the arrays grow and copy).
        let estimate = count / 8 + 16
        out.starts.reserveCapacity(estimate); out.ends.reserveCapacity(estimate)
        out.lines.reserveCapacity(estimate); out.columns.reserveCapacity(estimate)
        var i = 0
        var line = 1
        var lineStart = 0
        var fieldsInRecord = 0
        // Columns are counted from the last position asked for, so a long line costs linear time.
        var memoOffset = 0, memoColumn = 1
        @inline(__always) func column(at offset: Int) -> Int {
            if memoOffset < lineStart || memoOffset > offset { memoOffset = lineStart; memoColumn = 1 }
            while memoOffset < offset {
                if b[memoOffset] & 0xC0 != 0x80 { memoColumn += 1 }
                memoOffset += 1
            }
            return memoColumn
        }
        // Consumes the line end at i (CRLF, LF or CR).
        @inline(__always) func lineEnd() {
            i += (b[i] == cr && i + 1 < count && b[i + 1] == lf) ? 2 : 1
            line += 1
            lineStart = i
        }
        while true {
            let fieldLine = line, fieldColumn = column(at: i)
            if fieldsInRecord == 0 {
                out.recordStarts.append(out.starts.count)
                out.recordLines.append(line)
            }
            var start = i, end = i
            if i < count && b[i] == quote {
                i += 1
                start = i
                // Fast path: a quoted field without `""` or line breaks is a slice of the bytes.
                while i < count && b[i] != quote && b[i] != cr && b[i] != lf { i += 1 }
                var closed = false
                if i < count && b[i] == quote && !(i + 1 < count && b[i + 1] == quote) {
                    end = i
                    i += 1
                    closed = true
                } else {
                    var buffer = Array(b[start..<i])
                    while i < count {
                        let c = b[i]
                        if c == quote {
                            if i + 1 < count && b[i + 1] == quote {
                                buffer.append(quote)
                                i += 2
                            } else {
                                i += 1
                                closed = true
                                break
                            }
                        } else if c == cr || c == lf {
                            lineEnd()
                            buffer.append(lf)
                        } else {
                            buffer.append(c)
                            i += 1
                        }
                    }
                    end = i
                    out.unescaped[out.starts.count] = buffer
                }
                if !closed {
                    return .failure(CSVParser.ParseError(message: "a quoted field is never closed: the file ends inside it",
                                                         hint: "add the closing `\"`; a `\"` inside a field is written `\"\"`; the file may be truncated",
                                                         line: fieldLine, column: fieldColumn))
                }
                if i < count && b[i] != comma && b[i] != cr && b[i] != lf {
                    return .failure(CSVParser.ParseError(message: "text after the closing quote of a field",
                                                         hint: "quote the whole field, and write a `\"` inside it as `\"\"`",
                                                         line: line, column: column(at: i)))
                }
            } else {
                while i < count && b[i] != comma && b[i] != cr && b[i] != lf { i += 1 }
                end = i
            }
            // A cell a writer neutralised ('=…): its value is what follows the quote mark.
            if let own = out.unescaped[out.starts.count] {
                if own.withUnsafeBufferPointer(CSVFormula.restoredStart) == 1 { out.unescaped[out.starts.count] = Array(own.dropFirst()) }
            } else if end - start >= 2, b[start] == UInt8(ascii: "'") {
                start += CSVFormula.restoredStart(UnsafeBufferPointer(rebasing: b[start..<end]))
            }
            // All below `count` (checked above), so they fit.
            out.starts.append(Int32(truncatingIfNeeded: start))
            out.ends.append(Int32(truncatingIfNeeded: end))
            out.lines.append(Int32(truncatingIfNeeded: fieldLine))
            out.columns.append(Int32(truncatingIfNeeded: fieldColumn))
            fieldsInRecord += 1
            if i >= count { break }
            if b[i] == comma {
                i += 1
                continue
            }
            lineEnd()
            fieldsInRecord = 0
            if i >= count { break }
        }
        out.recordStarts.append(out.starts.count)
        return .success(out)
    }
}
