import Foundation

/// Header fields of a CSV ledger given outside the file (on the command line). A field the
/// file also writes must agree with it.
public struct LedgerHeaderDefaults: Sendable, Equatable {
    public var plan: String?
    public var unit: String?
    public var period: String?
    public var liaison: String?
    public var phone: String?
    public var submitted: LocalDate?

    public init(plan: String? = nil, unit: String? = nil, period: String? = nil, liaison: String? = nil,
                phone: String? = nil, submitted: LocalDate? = nil) {
        self.plan = plan
        self.unit = unit
        self.period = period
        self.liaison = liaison
        self.phone = phone
        self.submitted = submitted
    }

    public var isEmpty: Bool { self == LedgerHeaderDefaults() }
}

/// Reads a spreadsheet ledger saved as CSV: optional `key,value` header rows (单位,甘州区 …),
/// then a table with Chinese column headers (序号, 任务, 节点, 状态, …). Problems are reported
/// at the line and column of the cell, naming the spreadsheet column (列 D「状态」).
public struct LedgerCSVReader {
    let diagnostics: DiagnosticCollector

    public init(diagnostics: DiagnosticCollector) {
        self.diagnostics = diagnostics
    }

    /// The header rows: each accepted name (Chinese first) for each header field.
    public static let headerKeys: [(field: String, names: [String])] = [
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
    public static let columns: [(field: String, names: [String])] = [
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

    /// The field each column name names (the first column naming it, as a search in order finds).
    static let fieldByName: [String: String] = Dictionary(
        columns.flatMap { column in column.names.map { ($0, column.field) } }, uniquingKeysWith: { first, _ in first })

    /// Reads already-decoded text (see `LedgerText`). The table is read from the bytes: no
    /// string is made for a cell until its value is kept.
    public func read(text: String, path: String, defaults: LedgerHeaderDefaults = LedgerHeaderDefaults()) -> LedgerFileSpec? {
        diagnostics.register(file: path, text: text)
        guard let table = scan(text, path: path), let head = readHead(table, path: path, defaults: defaults) else { return nil }
        var spec = head.spec
        guard let columns = head.columns else { return spec }
        spec.entries.reserveCapacity(table.recordCount - head.headerIndex - 1)
        var cells = [Int](repeating: -1, count: Self.columns.count)
        let any = readRows(table, from: head.headerIndex + 1, columns: columns, cells: &cells, path: path) { spec.entries.append($0) }
        if !any { noRows(at: head.headerLine, path: path) }
        return spec
    }

    /// The text as a table, or nil (its error reported).
    func scan(_ text: String, path: String) -> CSVTable? {
        switch CSVParser.scan(text) {
        case .success(let t): return t
        case .failure(let e):
            diagnostics.error(SourceLocation(file: path, line: e.line, column: e.column), "not valid CSV: \(e.message)", hint: e.hint)
            return nil
        }
    }

    /// The names a table header row gives the task column.
    static let taskNames = columns.first { $0.field == "task" }?.names ?? []

    /// The record holding the table's header row (a cell named 任务), if any.
    static func headerIndex(_ table: CSVTable) -> Int? {
        (0..<table.recordCount).first { r in table.fields(of: r).contains { taskNames.contains(table.trimmed($0)) } }
    }

    /// What a table's header row tells: the field of each column and the slot it fills.
    struct Columns {
        var fields: [String?]
        var slots: [Int?]
    }

    /// The rows above the table and its header row: the spec without entries, where the header
    /// row is, and its columns (nil when they are wrong: reported, and no row is read). Nil when
    /// there is no header row (reported).
    func readHead(_ table: CSVTable, path: String, defaults: LedgerHeaderDefaults) -> (spec: LedgerFileSpec, headerIndex: Int, headerLine: Int, columns: Columns?)? {
        var spec = LedgerFileSpec(path: path, format: .csv, location: SourceLocation(file: path, line: 1, column: 1))
        guard let headerIndex = Self.headerIndex(table) else {
            diagnostics.error(SourceLocation(file: path, line: 1, column: 1),
                              table.recordCount == 0 ? "the file is empty" : "no table header: no row has a column named 任务",
                              hint: "a CSV ledger has a header row such as 序号,任务,节点,状态,完成比例,完成日期,进展情况,存在问题,下步打算,数据指标,佐证材料; `duban ledger template --format csv` prints one")
            return nil
        }
        let written = readHeaderRows(ArraySlice((0..<headerIndex).map(table.record)), into: &spec)
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
            // A header row written empty or wrong has its own error already.
            if !present && !written.contains(field) {
                diagnostics.error(spec.location, "the ledger has no \(what)",
                                  hint: "add a row `\(Self.headerKeys.first { $0.field == field }?.names[0] ?? field),…` above the table, or give --\(field) on the command line")
            }
        }
        let header = table.record(headerIndex)
        let columns = mapColumns(header, path: path).map { Columns(fields: $0, slots: $0.map { $0.flatMap { Self.slot[$0] } }) }
        return (spec, headerIndex, header.line, columns)
    }

    /// Reads the table's rows from record `first` on, each not blank to `each`; whether there was
    /// one. `cells`: one per slot, reused from row to row.
    func readRows(_ table: CSVTable, from first: Int, columns: Columns, cells: inout [Int], path: String,
                  each: (LedgerEntrySpec) -> Void) -> Bool {
        var any = false
        for r in first..<max(first, table.recordCount) where !table.fields(of: r).allSatisfy(table.isBlank) {
            any = true
            each(entry(table, record: r, columns: columns.fields, slots: columns.slots, cells: &cells, path: path))
        }
        return any
    }

    /// The error of a table without rows, at its header row's line.
    func noRows(at line: Int, path: String) {
        diagnostics.error(SourceLocation(file: path, line: line, column: 1), "the table has no rows",
                          hint: "write one row per task the unit owes: `duban ledger template --format csv` prints them")
    }

    func clean(_ s: String) -> String { s.trimmedFast() }

    func location(_ path: String, _ f: CSVParser.Field) -> SourceLocation {
        SourceLocation(file: path, line: f.line, column: f.column)
    }

    // MARK: Header rows

    /// Reports each cell of a row longer than its column's limit (`InputLimits`, by the field the
    /// column holds), from its bytes: a scalar count only for a cell over the limit in bytes.
    func checkLengths(_ table: CSVTable, cells: [Int], path: String) {
        for (slot, f) in cells.enumerated() where f >= 0 {
            let field = Self.columns[slot].field
            let limit = InputLimits.maxCharacters(forKey: field.hasPrefix("-") ? "title" : field == "evidence" ? "figures" : field)
            let count = table.withValue(f) { v -> Int? in
                if v.count <= limit { return nil }
                let scalars = v.reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }
                return scalars > limit ? scalars : nil
            }
            if let count {
                let name = Self.columns[slot].names[0]
                InputLimits.report("the cell 「\(name)」", characters: count, limit: limit, at: location(path, table, f), into: diagnostics)
            }
        }
    }

    /// Reads the rows above the table; returns the fields they name (read or not).
    @discardableResult
    func readHeaderRows(_ rows: ArraySlice<CSVParser.Record>, into spec: inout LedgerFileSpec) -> Set<String> {
        let path = spec.path
        var written: Set<String> = []
        for row in rows where !row.isBlank {
            let key = clean(row.fields[0].value)
            let valueField = row.fields.count > 1 ? row.fields[1] : nil
            let value = valueField.map { clean($0.value) } ?? ""
            let rest = row.fields.dropFirst(2).filter { !clean($0.value).isEmpty }
            guard let field = Self.headerKeys.first(where: { $0.names.contains(key) })?.field else {
                if value.isEmpty && rest.isEmpty { continue } // a title row
                let near = Suggest.nearest(key, among: Self.headerKeys.flatMap(\.names)).map { "did you mean `\($0)`? " } ?? ""
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
            if value.isEmpty, field == "phone" { continue } // no telephone: the plan says whether one is required
            if value.isEmpty {
                diagnostics.error(at, "header row `\(key)` is empty", hint: "write the value in the cell next to `\(key)`")
                continue
            }
            let text = Located(value, at: at)
            InputLimits.check(value, key: field, what: "header row `\(key)`", at: at, into: diagnostics)
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
    func mapColumns(_ header: CSVParser.Record, path: String) -> [String?]? {
        var out: [String?] = []
        var seen: [String: Int] = [:]
        var ok = true
        for (i, f) in header.fields.enumerated() {
            let name = clean(f.value)
            if name.isEmpty { out.append(nil); continue }
            guard let field = Self.fieldByName[name] else {
                let near = Suggest.nearest(name, among: Self.columns.flatMap(\.names)).map { "did you mean `\($0)`? " } ?? ""
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

    /// The slots a row's reading asks for (-1 if a field were missing from `columns`).
    enum Slots {
        static let task = slot["task"] ?? -1
        static let milestone = slot["milestone"] ?? -1
        static let status = slot["status"] ?? -1
        static let percent = slot["percent"] ?? -1
        static let completed = slot["completed"] ?? -1
        static let progress = slot["progress"] ?? -1
        static let problems = slot["problems"] ?? -1
        static let nextSteps = slot["next_steps"] ?? -1
        static let figures = slot["figures"] ?? -1
        static let evidence = slot["evidence"] ?? -1
    }

    /// One table row: `cells` (one per slot, reused from row to row) gets the row's field for
    /// each slot, and values become strings only when kept.
    func entry(_ table: CSVTable, record r: Int, columns: [String?], slots: [Int?], cells: inout [Int], path: String) -> LedgerEntrySpec {
        let fields = table.fields(of: r)
        let rowLocation = SourceLocation(file: path, line: table.recordLine(r), column: 1)
        var e = LedgerEntrySpec(location: rowLocation)
        for k in cells.indices { cells[k] = -1 }
        for f in fields {
            let i = f - fields.lowerBound
            if i < columns.count {
                if let slot = slots[i] { cells[slot] = f }
            } else if !table.trimmed(f).isEmpty {
                diagnostics.error(location(path, table, f), "a cell beyond the last column (列 \(Self.letter(i)))",
                                  hint: "the header row has \(columns.count) columns; a `,` inside a cell must be quoted")
            }
        }
        let cellsNow = cells
        checkLengths(table, cells: cellsNow, path: path)
        func cell(_ slot: Int) -> Int? { slot >= 0 && cellsNow[slot] >= 0 ? cellsNow[slot] : nil }
        func header(_ field: String, _ slot: Int) -> String {
            let i = cell(slot).map { $0 - fields.lowerBound } ?? 0
            return "列 \(Self.letter(i))「\(Self.columns.first { $0.field == field }?.names[0] ?? field)」"
        }
        func text(_ slot: Int) -> Located<String>? {
            guard let f = cell(slot) else { return nil }
            let v = table.trimmed(f)
            return v.isEmpty ? nil : Located(v, at: location(path, table, f))
        }
        func required(_ field: String, _ slot: Int) -> Located<String>? {
            if let t = text(slot) { return t }
            let at = cell(slot).map { location(path, table, $0) } ?? rowLocation
            let where_ = cell(slot) != nil ? header(field, slot) : "「\(Self.columns.first { $0.field == field }?.names[0] ?? field)」"
            diagnostics.error(at, "the row has no \(field.replacingOccurrences(of: "_", with: " ")) (\(where_) is empty)",
                              hint: "fill in \(where_)")
            return nil
        }
        // Cells written plainly are read from their bytes (no string made): a number of ASCII
        // digits alone, a date YYYY-MM-DD, a status spelled exactly, a list or figures cell with
        // nothing to trim at its ends. Anything else takes the string path below, which gives the
        // same value for those and reports what is wrong with the rest.
        func digits(_ slot: Int, upTo count: Int) -> (value: Int, field: Int)? {
            guard let f = cell(slot) else { return nil }
            return table.withValue(f) { v -> (Int, Int)? in
                guard (1...count).contains(v.count) else { return nil }
                var n = 0
                for c in v {
                    guard (0x30...0x39).contains(c) else { return nil }
                    n = n * 10 + Int(c - 0x30)
                }
                return (n, f)
            }
        }
        func plainList(_ slot: Int) -> (items: [String], field: Int)? {
            guard let f = cell(slot) else { return nil }
            return table.withValue(f) { v -> ([String], Int)? in
                guard !v.isEmpty, PlainBytes.untrimmed(v, 0..<v.count), let items = PlainBytes.split(v) else { return nil }
                return (items, f)
            }
        }
        // A plan-wide obligation has no task: the row names it in 节点 alone.
        let milestone = text(Slots.milestone)
        if let (n, f) = digits(Slots.task, upTo: 4), (1...9999).contains(n) {
            e.task = Located(n, at: location(path, table, f))
        } else if let t = milestone == nil ? required("task", Slots.task) : text(Slots.task) {
            if let n = Self.wholeNumber(t.value) ?? Int(t.value), (1...9999).contains(n) {
                e.task = Located(n, at: t.location)
            } else {
                diagnostics.error(t.location, "\(header("task", Slots.task)) must be a task number, found \"\(t.value)\"",
                                  hint: "write the number of the task (1, 2, …) as `duban tasks` lists it")
            }
        }
        e.milestone = milestone
        if let f = cell(Slots.status), let spelled = table.withValue(f, { v in Self.statusSpellings.first { $0.bytes.elementsEqual(v) }?.text }) {
            e.status = Located(spelled, at: location(path, table, f))
        } else {
            e.status = required("status", Slots.status)
        }
        if let (n, f) = digits(Slots.percent, upTo: 3), n <= 100 {
            e.percent = Located(n, at: location(path, table, f))
        } else if let p = text(Slots.percent) {
            if let n = Self.wholeNumber(p.value) ?? Self.percent(p.value) {
                if (0...100).contains(n) {
                    e.percent = Located(n, at: p.location)
                } else {
                    diagnostics.error(p.location, "\(header("percent", Slots.percent)) must be from 0 to 100, found \(n)",
                                      hint: "the share of the task done, as a whole percent")
                }
            } else {
                diagnostics.error(p.location, "\(header("percent", Slots.percent)) must be a whole number from 0 to 100, found \"\(p.value)\"",
                                  hint: "write 60 or 60%")
            }
        }
        if let f = cell(Slots.completed), let d = table.withValue(f, Self.isoDate) {
            e.completed = Located(d, at: location(path, table, f))
        } else if let c = text(Slots.completed) {
            if let d = Self.date(c.value) {
                e.completed = Located(d, at: c.location)
            } else {
                diagnostics.error(c.location, "\(header("completed", Slots.completed)) must be a date YYYY-MM-DD, found \"\(c.value)\"",
                                  hint: "write dates as 2024-01-15 (2024/1/15 is also read)")
            }
        }
        e.progress = required("progress", Slots.progress)
        e.problems = text(Slots.problems)
        e.nextSteps = text(Slots.nextSteps)
        let figures = plainList(Slots.figures).map { ($0.items, location(path, table, $0.field)) }
            ?? text(Slots.figures).map { (Self.split($0.value), $0.location) }
        if let (items, at) = figures {
            for item in items {
                if let figure = Self.figure(item) {
                    e.append(figure: Located(figure, at: at))
                } else {
                    diagnostics.error(at, "\(header("figures", Slots.figures)): \"\(item)\" is not `名称=数值单位`",
                                      hint: "write figures as 案卷评查比例=12%;培训学时=60学时, separated by ;")
                }
            }
        }
        let evidence = plainList(Slots.evidence).map { ($0.items, location(path, table, $0.field)) }
            ?? text(Slots.evidence).map { (Self.split($0.value), $0.location) }
        if let (items, at) = evidence {
            e.evidence = items.map { Located($0, at: at) }
        }
        return e
    }

    func location(_ path: String, _ table: CSVTable, _ f: Int) -> SourceLocation {
        SourceLocation(file: path, line: table.line(of: f), column: table.column(of: f))
    }

    /// Each status as written exactly (raw value or label), with its bytes.
    static let statusSpellings: [(bytes: [UInt8], text: String)] =
        ProgressStatus.allCases.flatMap { [(Array($0.rawValue.utf8), $0.rawValue), (Array($0.label.utf8), $0.label)] }

    /// `LocalDate(iso:)` on bytes: YYYY-MM-DD exactly, a real day.
    static func isoDate(_ v: UnsafeBufferPointer<UInt8>) -> LocalDate? {
        guard v.count == 10, v[4] == UInt8(ascii: "-"), v[7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var n = 0
            for i in range {
                guard (0x30...0x39).contains(v[i]) else { return nil }
                n = n * 10 + Int(v[i] - 0x30)
            }
            return n
        }
        guard let y = number(0..<4), let m = number(5..<7), let d = number(8..<10) else { return nil }
        return LocalDate(year: y, month: m, day: d)
    }

    /// A percent cell the slow way: `60%` or `60％`, a whole number.
    static func percent(_ value: String) -> Int? {
        let digits = value.hasSuffix("%") || value.hasSuffix("％") ? String(value.dropLast()) : value
        return Int(digits.trimmedFast(newlines: false))
    }

    /// `Int(text)` for one to four ASCII digits (nearly every number cell), without parsing.
    @inline(__always)
    static func wholeNumber(_ text: String) -> Int? {
        text.utf8.withContiguousStorageIfAvailable { b -> Int? in
            guard (1...4).contains(b.count) else { return nil }
            var n = 0
            for c in b {
                guard (0x30...0x39).contains(c) else { return nil }
                n = n * 10 + Int(c - 0x30)
            }
            return n
        } ?? nil
    }

    /// Items of a list cell, separated by `;`, `；` or line breaks.
    static func split(_ text: String) -> [String] {
        // The byte-level split (`PlainBytes.split`) when every separator is certainly a whole
        // character; else character by character (a combining mark after a separator, U+037E).
        if let items = text.utf8.withContiguousStorageIfAvailable(PlainBytes.split) ?? nil { return items }
        return text.split(whereSeparator: { $0 == ";" || $0 == "；" || $0 == "\n" })
            .map { $0.trimmedFast(newlines: false) }.filter { !$0.isEmpty }
    }

    /// 3 when the bytes at `i` are EF `second` and one of `thirds` (a full-width sign), else nil.
    static func separatorWidth(_ utf8: String.UTF8View, at i: String.Index, second: UInt8, thirds: [UInt8]) -> Int? {
        guard utf8.distance(from: i, to: utf8.endIndex) >= 3 else { return nil }
        let j = utf8.index(after: i), k = utf8.index(after: j)
        return utf8[j] == second && thirds.contains(utf8[k]) ? 3 : nil
    }

    static func isCharacterBoundary(_ i: String.Index, in text: String) -> Bool {
        if i == text.endIndex || i == text.startIndex { return true }
        if let certain = plainBoundary(i, in: text.utf8) { return certain }
        return i.samePosition(in: text) != nil
    }

    /// True when `i` is certainly a Character boundary, judged from the bytes next to it; nil
    /// when in doubt. A boundary needs grapheme rules only around marks, joiners, Hangul, emoji,
    /// regional indicators, prepended marks and CR LF; between two "plain" scalars (ASCII, a CJK
    /// ideograph U+4000–U+9FFF, or one of the full-width separators `；＝：`), none of which
    /// those rules name, there is always one, except CR then LF.
    static func plainBoundary(_ i: String.Index, in utf8: String.UTF8View) -> Bool? {
        let next = utf8[i]
        if next >= 0x80 {
            guard (0xE4...0xE9).contains(next) || isFullWidthSeparator(utf8, at: i) else { return nil }
        }
        // The scalar before `i`: one to four bytes back to its lead byte.
        var start = utf8.index(before: i)
        var back = 0
        while utf8[start] & 0xC0 == 0x80 {
            back += 1
            guard back < 4, start != utf8.startIndex else { return nil }
            start = utf8.index(before: start)
        }
        let lead = utf8[start]
        if lead < 0x80 { return lead == 0x0D && next == 0x0A ? nil : true }
        guard back == 2, (0xE4...0xE9).contains(lead) || isFullWidthSeparator(utf8, at: start) else { return nil }
        return true
    }

    /// Whether the three bytes at `i` are U+FF1B `；`, U+FF1D `＝` or U+FF1A `：`.
    static func isFullWidthSeparator(_ utf8: String.UTF8View, at i: String.Index) -> Bool {
        guard utf8[i] == 0xEF, utf8.distance(from: i, to: utf8.endIndex) >= 3 else { return false }
        let j = utf8.index(after: i), k = utf8.index(after: j)
        return utf8[j] == 0xBC && (utf8[k] == 0x9B || utf8[k] == 0x9D || utf8[k] == 0x9A)
    }

    /// `案卷评查比例=12%` → (案卷评查比例, 12, %). `=`, `＝`, `:` and `：` separate name and value.
    static func figure(_ item: String) -> Figure? {
        if let fast = item.utf8.withContiguousStorageIfAvailable(PlainBytes.figure) ?? nil { return fast }
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

/// `LedgerCSVReader.split` and `figure` on a cell's bytes, for the plain case: where every
/// separator and number end found lies between two plain scalars (ASCII, a CJK ideograph, a
/// full-width separator), so it is a Character boundary, and the pieces are trimmed exactly as
/// `trimmedFast(newlines: false)` trims. Anything else returns nil, and the string-wise readings
/// decide (the answer is theirs either way; `CSVReaderEquivalenceTests` compares).
enum PlainBytes {
    typealias Bytes = UnsafeBufferPointer<UInt8>

    /// Whether the scalar starting at `i` is plain.
    static func plainScalar(_ b: Bytes, at i: Int) -> Bool {
        let lead = b[i]
        if lead < 0x80 { return true }
        if (0xE4...0xE9).contains(lead) { return true }
        return lead == 0xEF && i + 2 < b.count && b[i + 1] == 0xBC && (b[i + 2] == 0x9B || b[i + 2] == 0x9D || b[i + 2] == 0x9A)
    }

    /// Whether offset `i` is certainly a Character boundary (false: maybe not).
    static func certainBoundary(_ b: Bytes, _ i: Int) -> Bool {
        if i == 0 || i == b.count { return true }
        guard plainScalar(b, at: i) else { return false }
        var start = i - 1
        while start > 0 && b[start] & 0xC0 == 0x80 && i - start < 4 { start -= 1 }
        guard plainScalar(b, at: start) else { return false }
        return !(b[start] == 0x0D && b[i] == 0x0A)
    }

    /// The scalar starting at `i` (valid UTF-8 assumed, as in a Swift string).
    static func scalar(_ b: Bytes, at i: Int) -> UInt32 {
        let lead = UInt32(b[i])
        if lead < 0x80 { return lead }
        if lead < 0xE0 { return (lead & 0x1F) << 6 | UInt32(b[i + 1] & 0x3F) }
        if lead < 0xF0 { return (lead & 0x0F) << 12 | UInt32(b[i + 1] & 0x3F) << 6 | UInt32(b[i + 2] & 0x3F) }
        return (lead & 0x07) << 18 | UInt32(b[i + 1] & 0x3F) << 12 | UInt32(b[i + 2] & 0x3F) << 6 | UInt32(b[i + 3] & 0x3F)
    }

    /// The scalar ending just before `end`.
    static func scalar(_ b: Bytes, before end: Int) -> UInt32 {
        var start = end - 1
        while start > 0 && b[start] & 0xC0 == 0x80 { start -= 1 }
        return scalar(b, at: start)
    }

    /// `String.neverTrimmed` on a scalar value.
    static func neverTrimmed(_ v: UInt32) -> Bool { (0x21...0x7E).contains(v) || v >= 0x3001 }

    /// Whether the bytes need no trimming (none, or their first and last scalars are never trimmed).
    static func untrimmed(_ b: Bytes, _ range: Range<Int>) -> Bool {
        range.isEmpty || (neverTrimmed(scalar(b, at: range.lowerBound)) && neverTrimmed(scalar(b, before: range.upperBound)))
    }

    /// The bytes as a string, trimmed as `trimmedFast(newlines: false)` trims.
    static func trimmed(_ b: Bytes, _ range: Range<Int>) -> String {
        let text = String(decoding: UnsafeBufferPointer(rebasing: b[range]), as: UTF8.self)
        return untrimmed(b, range) ? text : text.trimmedFast(newlines: false)
    }

    /// The items of a list cell, separated by `;`, `；` or line breaks.
    static func split(_ b: Bytes) -> [String]? {
        var items: [String] = []
        var start = 0
        var i = 0
        while i < b.count {
            let c = b[i]
            var width = 0
            if c == 0x3B || c == 0x0A {
                width = 1
            } else if c == 0xCD {
                return nil // U+037E and others: a Character equal to `;` is not always the byte `;`
            } else if c == 0xEF, i + 2 < b.count, b[i + 1] == 0xBC, b[i + 2] == 0x9B {
                width = 3
            }
            if width == 0 {
                i += 1
                continue
            }
            guard certainBoundary(b, i), certainBoundary(b, i + width) else { return nil }
            let item = trimmed(b, start..<i)
            if !item.isEmpty { items.append(item) }
            start = i + width
            i = start
        }
        let item = trimmed(b, start..<b.count)
        if !item.isEmpty { items.append(item) }
        return items
    }

    /// `案卷评查比例=12%` → (案卷评查比例, 12, %): `.some(nil)` when it is not a figure.
    static func figure(_ b: Bytes) -> Figure?? {
        var i = 0
        var sepEnd = -1
        while i < b.count {
            let c = b[i]
            var width = 0
            if c == 0x3D || c == 0x3A {
                width = 1
            } else if c == 0xEF, i + 2 < b.count, b[i + 1] == 0xBC, b[i + 2] == 0x9D || b[i + 2] == 0x9A {
                width = 3
            }
            if width > 0 {
                guard certainBoundary(b, i), certainBoundary(b, i + width) else { return nil }
                sepEnd = i + width
                break
            }
            i += 1
        }
        guard sepEnd >= 0 else { return .some(nil) }
        let name = trimmed(b, 0..<i)
        // The value and unit, when nothing at their ends needs trimming.
        let rest = sepEnd..<b.count
        guard untrimmed(b, rest) else { return nil }
        var numberEnd = rest.lowerBound
        var digitsOnly = true
        while numberEnd < rest.upperBound {
            let c = b[numberEnd]
            guard (0x30...0x39).contains(c) || c == 0x2E || c == 0x2D || c == 0x2B else { break }
            if !(0x30...0x39).contains(c) { digitsOnly = false }
            numberEnd += 1
        }
        guard certainBoundary(b, numberEnd) else { return nil }
        let digits = numberEnd - rest.lowerBound
        let value: Double?
        if digitsOnly && (1...15).contains(digits) {
            var n = 0
            for k in rest.lowerBound..<numberEnd { n = n * 10 + Int(b[k] - 0x30) }
            value = Double(n)
        } else {
            value = Double(String(decoding: UnsafeBufferPointer(rebasing: b[rest.lowerBound..<numberEnd]), as: UTF8.self))
        }
        guard !name.isEmpty, let value, value.isFinite else { return .some(nil) }
        let unit = trimmed(b, numberEnd..<rest.upperBound)
        return .some(Figure(name: name, value: value, unit: unit.isEmpty ? nil : unit))
    }
}
