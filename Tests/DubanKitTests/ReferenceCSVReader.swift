@testable import DubanKit
import Foundation

// The CSV parser and reader as they were before they read cells from the bytes (a string and a
// location per field), kept unchanged but renamed as the reference `CSVReaderEquivalenceTests`
// holds the current ones to: the same spec and the same findings, at the same places.

/// An RFC 4180 CSV parser working on the UTF-8 bytes of already-decoded text: quoted fields,
/// `""` inside quotes, line breaks inside quotes, CRLF, LF or CR line ends. Every field keeps
/// the line and column where it starts, so errors point into the file.
///
/// It is lenient where Excel and WPS are: a `"` inside an unquoted field is kept as text. It is
/// strict where data would be lost: text after a closing quote, or a quote never closed.
enum ReferenceCSVParser {
    struct Field: Equatable, Sendable {
        var value: String
        var line: Int
        /// 1-based, in Unicode scalars, like YAML columns.
        var column: Int
    }

    struct Record: Equatable, Sendable {
        var fields: [Field]
        /// The line the record starts on.
        var line: Int

        /// Whether every field is empty (Excel writes `,,,,` for an empty row).
        var isBlank: Bool { fields.allSatisfy { $0.value.trimmedFast(newlines: false).isEmpty } }
    }

    struct ParseError: Error, Equatable, Sendable {
        var message: String
        var hint: String
        var line: Int
        var column: Int
    }

    /// The records of `text`, or the first error that makes the rest unreadable.
    static func parse(_ text: String) -> Result<[Record], ParseError> {
        let bytes = Array(text.utf8)
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
        var records: [Record] = []
        var fields: [Field] = []
        var i = 0
        var line = 1
        var lineStart = 0
        var recordLine = 1

        // Columns are counted from the last position asked for, so a long line costs linear time.
        var memo = (offset: 0, column: 1)
        func column(at offset: Int) -> Int {
            if memo.offset < lineStart || memo.offset > offset { memo = (lineStart, 1) }
            var n = memo.column
            var j = memo.offset
            defer { memo = (offset, n) }
            while j < offset {
                if bytes[j] & 0xC0 != 0x80 { n += 1 }
                j += 1
            }
            return n
        }

        func endRecord() {
            records.append(Record(fields: fields, line: recordLine))
            fields = []
        }

        // Consumes a line end at i (CRLF, LF or CR); returns whether there was one.
        func lineEnd() -> Bool {
            guard i < bytes.count else { return false }
            if bytes[i] == cr {
                i += (i + 1 < bytes.count && bytes[i + 1] == lf) ? 2 : 1
            } else if bytes[i] == lf {
                i += 1
            } else {
                return false
            }
            line += 1
            lineStart = i
            return true
        }

        if bytes.isEmpty { return .success([]) }
        while true {
            let fieldLine = line, fieldColumn = column(at: i)
            if fields.isEmpty { recordLine = line }
            var value: String
            if i < bytes.count && bytes[i] == quote {
                i += 1
                let start = i
                // Fast path: a quoted field without `""` or line breaks is a slice of the bytes.
                while i < bytes.count && bytes[i] != quote && bytes[i] != cr && bytes[i] != lf { i += 1 }
                var closed = false
                if i < bytes.count && bytes[i] == quote && !(i + 1 < bytes.count && bytes[i + 1] == quote) {
                    value = String(decoding: bytes[start..<i], as: UTF8.self)
                    i += 1
                    closed = true
                } else {
                    var buffer = Array(bytes[start..<i])
                    while i < bytes.count {
                        let b = bytes[i]
                        if b == quote {
                            if i + 1 < bytes.count && bytes[i + 1] == quote {
                                buffer.append(quote)
                                i += 2
                            } else {
                                i += 1
                                closed = true
                                break
                            }
                        } else if b == cr || b == lf {
                            _ = lineEnd()
                            buffer.append(lf)
                        } else {
                            buffer.append(b)
                            i += 1
                        }
                    }
                    value = String(decoding: buffer, as: UTF8.self)
                }
                if !closed {
                    return .failure(ParseError(message: "a quoted field is never closed: the file ends inside it",
                                               hint: "add the closing `\"`; a `\"` inside a field is written `\"\"`; the file may be truncated",
                                               line: fieldLine, column: fieldColumn))
                }
                if i < bytes.count && bytes[i] != comma && bytes[i] != cr && bytes[i] != lf {
                    return .failure(ParseError(message: "text after the closing quote of a field",
                                               hint: "quote the whole field, and write a `\"` inside it as `\"\"`",
                                               line: line, column: column(at: i)))
                }
            } else {
                let start = i
                while i < bytes.count && bytes[i] != comma && bytes[i] != cr && bytes[i] != lf { i += 1 }
                value = String(decoding: bytes[start..<i], as: UTF8.self)
            }
            // A cell a writer neutralised: `'` then one of = + - @ tab CR ＝ ＋ － ＠.
            if value.hasPrefix("'"), let second = value.unicodeScalars.dropFirst().first,
               "=+-@\t\r＝＋－＠".unicodeScalars.contains(second) {
                value = String(value.unicodeScalars.dropFirst())
            }
            fields.append(Field(value: value, line: fieldLine, column: fieldColumn))
            if i >= bytes.count {
                endRecord()
                break
            }
            if bytes[i] == comma {
                i += 1
                continue
            }
            _ = lineEnd()
            endRecord()
            if i >= bytes.count { break }
        }
        return .success(records)
    }
}


/// Reads a spreadsheet ledger saved as CSV: optional `key,value` header rows (单位,甘州区 …),
/// then a table with Chinese column headers (序号, 任务, 节点, 状态, …). Problems are reported
/// at the line and column of the cell, naming the spreadsheet column (列 D「状态」).
struct ReferenceLedgerCSVReader {
    let diagnostics: DiagnosticCollector

    init(diagnostics: DiagnosticCollector) {
        self.diagnostics = diagnostics
    }

    /// The header rows: each accepted name (Chinese first) for each header field.
    static let headerKeys: [(field: String, names: [String])] = [
        ("version", ["版本", "version"]),
        ("plan", ["方案", "方案编号", "plan"]),
        ("unit", ["单位", "填报单位", "unit"]),
        ("period", ["期间", "报送期间", "台账期间", "period"]),
        ("liaison", ["联络员", "liaison"]),
        ("phone", ["联系电话", "电话", "phone"]),
        ("submitted", ["报送日期", "submitted"]),
    ]

    /// The table's columns: the field each header names. Fields starting with `-` are for
    /// the reader's eyes only (the template fills them) and are not recorded.
    static let columns: [(field: String, names: [String])] = [
        ("-number", ["序号", "no"]),
        ("task", ["任务", "任务序号", "task"]),
        ("-task-title", ["任务名称", "task_title"]),
        ("milestone", ["节点", "完成节点", "milestone"]),
        ("-milestone-title", ["节点名称", "milestone_title"]),
        ("-due", ["到期日", "due"]),
        ("-previous", ["上期状态", "previous"]),
        ("status", ["状态", "完成状态", "status"]),
        ("percent", ["完成比例", "进度", "percent"]),
        ("completed", ["完成日期", "completed"]),
        ("progress", ["进展情况", "progress"]),
        ("problems", ["存在问题", "problems"]),
        ("next_steps", ["下步打算", "下步工作打算", "next_steps"]),
        ("figures", ["数据指标", "figures"]),
        ("evidence", ["佐证材料", "evidence"]),
    ]

    static let requiredColumns = ["task", "status", "progress"]

    /// Reads already-decoded text (see `LedgerText`).
    func read(text: String, path: String, defaults: LedgerHeaderDefaults = LedgerHeaderDefaults()) -> LedgerFileSpec? {
        diagnostics.register(file: path, text: text)
        let records: [ReferenceCSVParser.Record]
        switch ReferenceCSVParser.parse(text) {
        case .success(let r): records = r
        case .failure(let e):
            diagnostics.error(SourceLocation(file: path, line: e.line, column: e.column), "not valid CSV: \(e.message)", hint: e.hint)
            return nil
        }
        var spec = LedgerFileSpec(path: path, format: .csv, location: SourceLocation(file: path, line: 1, column: 1))
        guard let headerIndex = records.firstIndex(where: { r in
            r.fields.contains { f in Self.columns.first { $0.field == "task" }?.names.contains(clean(f.value)) ?? false }
        }) else {
            diagnostics.error(SourceLocation(file: path, line: 1, column: 1),
                              records.isEmpty ? "the file is empty" : "no table header: no row has a column named 任务",
                              hint: "a CSV ledger has a header row such as 序号,任务,节点,状态,完成比例,完成日期,进展情况,存在问题,下步打算,数据指标,佐证材料; `duban ledger template --format csv` prints one")
            return nil
        }
        let written = readHeaderRows(records[..<headerIndex], into: &spec)
        applyDefaults(defaults, to: &spec)
        for (field, what) in [("plan", "方案 (plan)"), ("unit", "单位 (unit)"), ("period", "期间 (period)"),
                              ("liaison", "联络员 (liaison)"), ("submitted", "报送日期 (submitted)")] {
            let present: Bool
            switch field {
            case "plan": present = spec.plan != nil
            case "unit": present = spec.unit != nil
            case "period": present = spec.period != nil
            case "liaison": present = spec.liaisonName != nil
            default: present = spec.submitted != nil
            }
            if !present && !written.contains(field) {
                diagnostics.error(spec.location, "the ledger has no \(what)",
                                  hint: "add a row `\(Self.headerKeys.first { $0.field == field }?.names[0] ?? field),…` above the table, or give --\(field) on the command line")
            }
        }
        let header = records[headerIndex]
        guard let columns = mapColumns(header, path: path) else { return spec }
        var any = false
        let slots = columns.map { $0.flatMap { Self.slot[$0] } }
        for record in records[(headerIndex + 1)...] where !record.isBlank {
            any = true
            spec.entries.append(entry(record, columns: columns, slots: slots, path: path))
        }
        if !any {
            diagnostics.error(SourceLocation(file: path, line: header.line, column: 1), "the table has no rows",
                              hint: "write one row per task the unit owes: `duban ledger template --format csv` prints them")
        }
        return spec
    }

    func clean(_ s: String) -> String { s.trimmedFast() }

    func location(_ path: String, _ f: ReferenceCSVParser.Field) -> SourceLocation {
        SourceLocation(file: path, line: f.line, column: f.column)
    }

    // MARK: Header rows

    func readHeaderRows(_ rows: ArraySlice<ReferenceCSVParser.Record>, into spec: inout LedgerFileSpec) -> Set<String> {
        let path = spec.path
        var written: Set<String> = []
        let allNames = Self.headerKeys.flatMap(\.names)
        for row in rows where !row.isBlank {
            let key = clean(row.fields[0].value)
            let valueField = row.fields.count > 1 ? row.fields[1] : nil
            let value = valueField.map { clean($0.value) } ?? ""
            let rest = row.fields.dropFirst(2).filter { !clean($0.value).isEmpty }
            guard let field = Self.headerKeys.first(where: { $0.names.contains(key) })?.field else {
                if value.isEmpty && rest.isEmpty { continue } // a title row
                let near = Suggest.nearest(key, among: allNames).map { "did you mean `\($0)`? " } ?? ""
                diagnostics.error(location(path, row.fields[0]), "unknown header row `\(key)` above the table",
                                  hint: near + "header rows: " + Self.headerKeys.map { $0.names[0] }.joined(separator: ", "))
                continue
            }
            written.insert(field)
            if let extra = rest.first {
                diagnostics.error(location(path, extra), "header row `\(key)` has more than one value",
                                  hint: "write `\(key),VALUE` and leave the other cells of the row empty")
            }
            let at = valueField.map { location(path, $0) } ?? location(path, row.fields[0])
            if value.isEmpty, field == "phone" { continue } // optional unless the plan requires one (LedgerValidator)
            if value.isEmpty {
                diagnostics.error(at, "header row `\(key)` is empty", hint: "write the value in the cell next to `\(key)`")
                continue
            }
            let text = Located(value, at: at)
            switch field {
            case "version":
                if value != "1" {
                    diagnostics.error(at, "unsupported ledger format version \(value)", hint: "this duban reads version 1")
                }
            case "plan": spec.plan = text
            case "unit": spec.unit = text
            case "period": spec.period = text
            case "liaison": spec.liaisonName = text
            case "phone": spec.liaisonPhone = text
            default:
                if let date = Self.date(value) {
                    spec.submitted = Located(date, at: at)
                } else {
                    diagnostics.error(at, "报送日期 (submitted) must be a date YYYY-MM-DD, found \"\(value)\"",
                                      hint: "write dates as 2024-02-05 (2024/2/5 is also read)")
                }
            }
        }
        return written
    }

    func applyDefaults(_ d: LedgerHeaderDefaults, to spec: inout LedgerFileSpec) {
        let here = SourceLocation(file: spec.path)
        func merge(_ current: inout Located<String>?, _ option: String?, _ name: String) {
            guard let option else { return }
            if let current, current.value != option {
                diagnostics.error(current.location, "the file says \(name) \"\(current.value)\" but --\(name) says \"\(option)\"",
                                  hint: "drop --\(name), or correct the file")
            } else if current == nil {
                current = Located(option, at: here)
            }
        }
        merge(&spec.plan, d.plan, "plan")
        merge(&spec.unit, d.unit, "unit")
        merge(&spec.period, d.period, "period")
        merge(&spec.liaisonName, d.liaison, "liaison")
        merge(&spec.liaisonPhone, d.phone, "phone")
        if let s = d.submitted {
            if let current = spec.submitted, current.value != s {
                diagnostics.error(current.location, "the file says submitted \(current.value) but --submitted says \(s)",
                                  hint: "drop --submitted, or correct the file")
            } else if spec.submitted == nil {
                spec.submitted = Located(s, at: here)
            }
        }
    }

    // MARK: Table

    /// Spreadsheet column letters: 1 → A, 27 → AA.
    static func letter(_ index: Int) -> String {
        var n = index + 1
        var out = ""
        while n > 0 {
            let r = (n - 1) % 26
            out = String(UnicodeScalar(UInt8(65 + r))) + out
            n = (n - 1) / 26
        }
        return out
    }

    /// Field name by column index, or nil after reporting unknown, duplicate or missing columns.
    func mapColumns(_ header: ReferenceCSVParser.Record, path: String) -> [String?]? {
        var out: [String?] = []
        var seen: [String: Int] = [:]
        var ok = true
        let allNames = Self.columns.flatMap(\.names)
        for (i, f) in header.fields.enumerated() {
            let name = clean(f.value)
            if name.isEmpty { out.append(nil); continue }
            guard let field = Self.columns.first(where: { $0.names.contains(name) })?.field else {
                let near = Suggest.nearest(name, among: allNames).map { "did you mean `\($0)`? " } ?? ""
                diagnostics.error(location(path, f), "unknown column `\(name)` (列 \(Self.letter(i)))",
                                  hint: near + "columns: " + Self.columns.map { $0.names[0] }.joined(separator: ", "))
                ok = false
                out.append(nil)
                continue
            }
            if let first = seen[field] {
                diagnostics.error(location(path, f), "column `\(name)` (列 \(Self.letter(i))) repeats 列 \(Self.letter(first))",
                                  hint: "keep one column per field")
                ok = false
            }
            seen[field] = i
            out.append(field)
        }
        for field in Self.requiredColumns where seen[field] == nil {
            let name = Self.columns.first { $0.field == field }?.names[0] ?? field
            diagnostics.error(SourceLocation(file: path, line: header.line, column: 1), "the table has no column `\(name)`",
                              hint: "add a column headed \(name)")
            ok = false
        }
        return ok ? out : nil
    }

    /// Each table field's position in `columns`.
    static let slot: [String: Int] = Dictionary(uniqueKeysWithValues: columns.enumerated().map { ($1.field, $0) })

    /// The cells of one row by field: the record's field and its column index. An array by slot,
    /// not a dictionary built per row.
    struct Cells {
        let fields: [ReferenceCSVParser.Field]
        var index: [Int]

        subscript(field: String) -> (ReferenceCSVParser.Field, Int)? {
            guard let slot = ReferenceLedgerCSVReader.slot[field] else { return nil }
            let i = index[slot]
            return i < 0 ? nil : (fields[i], i)
        }
    }

    func entry(_ record: ReferenceCSVParser.Record, columns: [String?], path: String) -> LedgerEntrySpec {
        entry(record, columns: columns, slots: columns.map { $0.flatMap { Self.slot[$0] } }, path: path)
    }

    func entry(_ record: ReferenceCSVParser.Record, columns: [String?], slots: [Int?], path: String) -> LedgerEntrySpec {
        var e = LedgerEntrySpec(location: SourceLocation(file: path, line: record.line, column: 1))
        var cells = Cells(fields: record.fields, index: [Int](repeating: -1, count: Self.columns.count))
        for (i, f) in record.fields.enumerated() {
            if i < columns.count {
                if let slot = slots[i] { cells.index[slot] = i }
            } else if !clean(f.value).isEmpty {
                diagnostics.error(location(path, f), "a cell beyond the last column (列 \(Self.letter(i)))",
                                  hint: "the header row has \(columns.count) columns; a `,` inside a cell must be quoted")
            }
        }
        func header(_ field: String, _ i: Int) -> String {
            "列 \(Self.letter(i))「\(Self.columns.first { $0.field == field }?.names[0] ?? field)」"
        }
        func text(_ field: String) -> Located<String>? {
            guard let (f, _) = cells[field] else { return nil }
            let v = clean(f.value)
            return v.isEmpty ? nil : Located(v, at: location(path, f))
        }
        func required(_ field: String) -> Located<String>? {
            if let t = text(field) { return t }
            let at = cells[field].map { location(path, $0.0) } ?? e.location
            let where_ = cells[field].map { header(field, $0.1) } ?? "「\(Self.columns.first { $0.field == field }?.names[0] ?? field)」"
            diagnostics.error(at, "the row has no \(field.replacingOccurrences(of: "_", with: " ")) (\(where_) is empty)",
                              hint: "fill in \(where_)")
            return nil
        }
        // A plan-wide obligation has no task: the row names it in 节点 alone.
        if let t = text("milestone") == nil ? required("task") : text("task") {
            if let n = Int(t.value), (1...9999).contains(n) {
                e.task = Located(n, at: t.location)
            } else {
                diagnostics.error(t.location, "\(header("task", cells["task"]?.1 ?? 0)) must be a task number, found \"\(t.value)\"",
                                  hint: "write the number of the task (1, 2, …) as `duban tasks` lists it")
            }
        }
        e.milestone = text("milestone")
        e.status = required("status")
        if let p = text("percent") {
            let digits = p.value.hasSuffix("%") || p.value.hasSuffix("％") ? String(p.value.dropLast()) : p.value
            if let n = Int(digits.trimmedFast(newlines: false)) {
                if (0...100).contains(n) {
                    e.percent = Located(n, at: p.location)
                } else {
                    diagnostics.error(p.location, "\(header("percent", cells["percent"]?.1 ?? 0)) must be from 0 to 100, found \(n)",
                                      hint: "the share of the task done, as a whole percent")
                }
            } else {
                diagnostics.error(p.location, "\(header("percent", cells["percent"]?.1 ?? 0)) must be a whole number from 0 to 100, found \"\(p.value)\"",
                                  hint: "write 60 or 60%")
            }
        }
        if let c = text("completed") {
            if let d = Self.date(c.value) {
                e.completed = Located(d, at: c.location)
            } else {
                diagnostics.error(c.location, "\(header("completed", cells["completed"]?.1 ?? 0)) must be a date YYYY-MM-DD, found \"\(c.value)\"",
                                  hint: "write dates as 2024-01-15 (2024/1/15 is also read)")
            }
        }
        e.progress = required("progress")
        e.problems = text("problems")
        e.nextSteps = text("next_steps")
        if let f = text("figures") {
            for item in Self.split(f.value) {
                if let figure = Self.figure(item) {
                    e.figures.append(Located(figure, at: f.location))
                } else {
                    diagnostics.error(f.location, "\(header("figures", cells["figures"]?.1 ?? 0)): \"\(item)\" is not `名称=数值单位`",
                                      hint: "write figures as 案卷评查比例=12%;培训学时=60学时, separated by ;")
                }
            }
        }
        if let ev = text("evidence") {
            e.evidence = Self.split(ev.value).map { Located($0, at: ev.location) }
        }
        return e
    }

    /// Items of a list cell, separated by `;`, `；` or line breaks.
    static func split(_ text: String) -> [String] {
        if let items = splitFast(text) { return items }
        return text.split(whereSeparator: { $0 == ";" || $0 == "；" || $0 == "\n" })
            .map { $0.trimmedFast(newlines: false) }.filter { !$0.isEmpty }
    }

    /// `split` on the UTF-8 bytes; nil when a separator is not a whole character (a combining
    /// mark after it), where only the character-wise split gives the same answer.
    static func splitFast(_ text: String) -> [String]? {
        var items: [String] = []
        let utf8 = text.utf8
        var start = utf8.startIndex
        var i = start
        func piece(_ end: String.Index) {
            let item = text[start..<end].trimmedFast(newlines: false)
            if !item.isEmpty { items.append(item) }
        }
        while i != utf8.endIndex {
            let b = utf8[i]
            var width = 0
            if b == 0x3B || b == 0x0A {
                width = 1
            } else if b == 0xCD {
                return nil // U+037E and others: a Character equal to `;` is not always the byte `;`
            } else if b == 0xEF, let sep = separatorWidth(utf8, at: i, second: 0xBC, thirds: [0x9B]) {
                width = sep
            }
            if width == 0 {
                i = utf8.index(after: i)
                continue
            }
            let end = utf8.index(i, offsetBy: width)
            guard isCharacterBoundary(end, in: text), isCharacterBoundary(i, in: text) else { return nil }
            piece(i)
            start = end
            i = end
        }
        piece(utf8.endIndex)
        return items
    }

    /// 3 when the bytes at `i` are EF `second` and one of `thirds` (a full-width sign), else nil.
    static func separatorWidth(_ utf8: String.UTF8View, at i: String.Index, second: UInt8, thirds: [UInt8]) -> Int? {
        guard utf8.distance(from: i, to: utf8.endIndex) >= 3 else { return nil }
        let j = utf8.index(after: i), k = utf8.index(after: j)
        return utf8[j] == second && thirds.contains(utf8[k]) ? 3 : nil
    }

    static func isCharacterBoundary(_ i: String.Index, in text: String) -> Bool {
        i == text.endIndex || i.samePosition(in: text) != nil
    }

    /// `案卷评查比例=12%` → (案卷评查比例, 12, %). `=`, `＝`, `:` and `：` separate name and value.
    static func figure(_ item: String) -> Figure? {
        if let fast = figureFast(item) { return fast }
        guard let sep = item.firstIndex(where: { "=＝:：".contains($0) }) else { return nil }
        let name = item[..<sep].trimmedFast(newlines: false)
        let rest = item[item.index(after: sep)...].trimmedFast(newlines: false)
        let numberEnd = rest.firstIndex { !("0123456789.-+".contains($0)) } ?? rest.endIndex
        guard !name.isEmpty, let value = Double(rest[..<numberEnd]), value.isFinite else { return nil }
        let unit = rest[numberEnd...].trimmedFast(newlines: false)
        return Figure(name: name, value: value, unit: unit.isEmpty ? nil : unit)
    }

    /// `figure` on the UTF-8 bytes; nil (not decided) when a character boundary is in doubt.
    static func figureFast(_ item: String) -> Figure?? {
        let utf8 = item.utf8
        var i = utf8.startIndex
        var sepEnd: String.Index?
        while i != utf8.endIndex {
            let b = utf8[i]
            var width = 0
            if b == 0x3D || b == 0x3A {
                width = 1
            } else if b == 0xEF, let w = separatorWidth(utf8, at: i, second: 0xBC, thirds: [0x9D, 0x9A]) {
                width = w
            }
            if width > 0 {
                let end = utf8.index(i, offsetBy: width)
                // A separator followed by a combining mark is not the character `=`: leave it to
                // the character-wise reading.
                guard isCharacterBoundary(end, in: item), isCharacterBoundary(i, in: item) else { return nil }
                sepEnd = end
                break
            }
            i = utf8.index(after: i)
        }
        guard let sepEnd else { return .some(nil) }
        let name = item[..<i].trimmedFast(newlines: false)
        let rest = item[sepEnd...].trimmedFast(newlines: false)
        let r = rest.utf8
        var numberEnd = r.startIndex
        while numberEnd != r.endIndex {
            let c = r[numberEnd]
            guard (0x30...0x39).contains(c) || c == 0x2E || c == 0x2D || c == 0x2B else { break }
            numberEnd = r.index(after: numberEnd)
        }
        guard isCharacterBoundary(numberEnd, in: rest) else { return nil }
        guard !name.isEmpty, let value = Double(rest[..<numberEnd]), value.isFinite else { return .some(nil) }
        let unit = rest[numberEnd...].trimmedFast(newlines: false)
        return .some(Figure(name: name, value: value, unit: unit.isEmpty ? nil : unit))
    }

    /// A date as spreadsheets write it: 2024-01-05, 2024/1/5, 2024-1-5 or 2024年1月5日.
    static func date(_ text: String) -> LocalDate? {
        if let d = LocalDate(iso: text) { return d }
        let parts = text.replacingOccurrences(of: "日", with: "")
            .split(whereSeparator: { $0 == "/" || $0 == "-" || $0 == "年" || $0 == "月" || $0 == "." })
        guard parts.count == 3, parts[0].count == 4, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
              parts[1].count <= 2, parts[2].count <= 2 else { return nil }
        return LocalDate(year: y, month: m, day: d)
    }
}
