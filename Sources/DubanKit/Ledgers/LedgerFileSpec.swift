/// The two forms a ledger file takes.
public enum LedgerFormat: String, Codable, Sendable { case yaml, csv }

/// How a ledger came in (`ledger_submission.received_as`): a YAML or a CSV file, an Excel
/// workbook (read as its CSV layout, so its `format` is `csv`), or the portal's online form (read
/// as a CSV ledger is). Not part of its content: a workbook and its CSV twin have one content hash.
public enum LedgerReceivedAs: String, Codable, Sendable, CaseIterable {
    case yaml, csv, xlsx, form

    /// The usual way in for a file of `format`.
    public init(_ format: LedgerFormat) {
        switch format {
        case .yaml: self = .yaml
        case .csv: self = .csv
        }
    }

    public var label: String {
        switch self {
        case .yaml: return "YAML"
        case .csv: return "CSV"
        case .xlsx: return "Excel"
        case .form: return "在线填报"
        }
    }
}

/// A ledger file as written (YAML or CSV), before it is checked against the plan. Values keep
/// their positions so that validation can point at them; a field that could not be read is nil
/// (its error is already reported).
public struct LedgerFileSpec {

    public var path: String
    public var format: LedgerFormat
    /// How it came in; `format`'s own unless a workbook or the form was read.
    public var receivedAs: LedgerReceivedAs
    /// Where the header as a whole is (the top of the file), for "missing field" errors.
    public var location: SourceLocation
    public var plan: Located<String>?
    public var unit: Located<String>?
    public var period: Located<String>?
    public var liaisonName: Located<String>?
    public var liaisonPhone: Located<String>?
    public var submitted: Located<LocalDate>?
    public var entries: [LedgerEntrySpec] = []

    public init(path: String, format: LedgerFormat, location: SourceLocation) {
        self.path = path
        self.format = format
        self.receivedAs = LedgerReceivedAs(format)
        self.location = location
    }
}

/// One row of a ledger as written. Each field's value is kept with where it was written; the
/// positions are packed (`Packed`: a line and a column, 8 bytes, against the 80 of a
/// `SourceLocation`), because a ledger of 20,000 rows holds 200,000 of them at once. A position
/// in the entry's own file, with a line and a column, is packed; in a workbook (`sheet`) also
/// the cell, named from them as `LedgerXLSXReader` names it (`台账!F7`). Any other position (a
/// form's field, a file's whole) is kept whole in `unpacked`. The properties give and take
/// `Located` values exactly as stored: packing is not seen from outside.
public struct LedgerEntrySpec {
    public var location: SourceLocation

    /// The file whose lines and columns the packed positions are (`location`'s when made).
    private var file: String
    /// In a workbook, the sheet whose cells the packed positions are: each names its cell as
    /// `LedgerXLSXReader.cellName` does. Nil in a text file.
    private var sheet: String?
    /// A line and a column (1-based) in `file`; `line` -1: the position is in `unpacked`.
    struct Packed {
        var line: Int32 = -1
        var column: Int32 = -1
    }
    /// The positions that do not pack, by `Key.of`.
    private var unpacked: [Int: SourceLocation] = [:]

    /// The values, for the checks (which need a position only for an error).
    private(set) var taskValue: Int?
    private(set) var milestoneValue: String?
    private(set) var statusValue: String?
    private(set) var percentValue: Int?
    private(set) var completedValue: LocalDate?
    private(set) var progressValue: String?
    private(set) var problemsValue: String?
    private(set) var nextStepsValue: String?
    private(set) var figureValues: [Figure] = []
    private(set) var evidenceValues: [String] = []
    private var figuresAt: [Packed] = []
    private var evidenceAt: [Packed] = []
    private var taskAt = Packed(), milestoneAt = Packed(), statusAt = Packed(), percentAt = Packed()
    private var completedAt = Packed(), progressAt = Packed(), problemsAt = Packed(), nextStepsAt = Packed()

    public init(location: SourceLocation) {
        self.location = location
        self.file = location.file
    }

    /// The key of a field's position in `unpacked` (item: the place in a list).
    private enum Key: Int {
        case task, milestone, status, percent, completed, progress, problems, nextSteps, figure, evidence
        func of(_ item: Int = 0) -> Int { rawValue << 32 | item }
    }

    public var task: Located<Int>? {
        get { taskValue.map { Located($0, at: unpack(taskAt, .task)) } }
        set { taskValue = newValue?.value; taskAt = pack(newValue?.location, .task) }
    }
    public var milestone: Located<String>? {
        get { milestoneValue.map { Located($0, at: unpack(milestoneAt, .milestone)) } }
        set { milestoneValue = newValue?.value; milestoneAt = pack(newValue?.location, .milestone) }
    }
    public var status: Located<String>? {
        get { statusValue.map { Located($0, at: unpack(statusAt, .status)) } }
        set { statusValue = newValue?.value; statusAt = pack(newValue?.location, .status) }
    }
    public var percent: Located<Int>? {
        get { percentValue.map { Located($0, at: unpack(percentAt, .percent)) } }
        set { percentValue = newValue?.value; percentAt = pack(newValue?.location, .percent) }
    }
    public var completed: Located<LocalDate>? {
        get { completedValue.map { Located($0, at: unpack(completedAt, .completed)) } }
        set { completedValue = newValue?.value; completedAt = pack(newValue?.location, .completed) }
    }
    public var progress: Located<String>? {
        get { progressValue.map { Located($0, at: unpack(progressAt, .progress)) } }
        set { progressValue = newValue?.value; progressAt = pack(newValue?.location, .progress) }
    }
    public var problems: Located<String>? {
        get { problemsValue.map { Located($0, at: unpack(problemsAt, .problems)) } }
        set { problemsValue = newValue?.value; problemsAt = pack(newValue?.location, .problems) }
    }
    public var nextSteps: Located<String>? {
        get { nextStepsValue.map { Located($0, at: unpack(nextStepsAt, .nextSteps)) } }
        set { nextStepsValue = newValue?.value; nextStepsAt = pack(newValue?.location, .nextSteps) }
    }
    public var figures: [Located<Figure>] {
        get { figureValues.indices.map { Located(figureValues[$0], at: unpack(figuresAt[$0], .figure, $0)) } }
        set {
            for i in figureValues.indices { unpacked[Key.figure.of(i)] = nil }
            figureValues = []
            figuresAt = []
            for figure in newValue { append(figure: figure) }
        }
    }
    public var evidence: [Located<String>] {
        get { evidenceValues.indices.map { Located(evidenceValues[$0], at: unpack(evidenceAt[$0], .evidence, $0)) } }
        set {
            for i in evidenceValues.indices { unpacked[Key.evidence.of(i)] = nil }
            evidenceValues = []
            evidenceAt = []
            for item in newValue { append(evidence: item) }
        }
    }

    /// `figures.append(figure)`, without unpacking the others.
    public mutating func append(figure: Located<Figure>) {
        figuresAt.append(pack(figure.location, .figure, figureValues.count))
        figureValues.append(figure.value)
    }

    /// `evidence.append(item)`, without unpacking the others.
    public mutating func append(evidence item: Located<String>) {
        evidenceAt.append(pack(item.location, .evidence, evidenceValues.count))
        evidenceValues.append(item.value)
    }

    private mutating func pack(_ location: SourceLocation?, _ key: Key, _ item: Int = 0) -> Packed {
        if !unpacked.isEmpty { unpacked[key.of(item)] = nil }
        guard let location else { return Packed() }
        if location.field == nil, let line = location.line, let column = location.column,
           (1...Int(Int32.max)).contains(line), (1...Int(Int32.max)).contains(column), location.file == file,
           location.cell == sheet.map({ LedgerXLSXReader.cellName(sheet: $0, row: line, column: column - 1) }) {
            return Packed(line: Int32(line), column: Int32(column))
        }
        unpacked[key.of(item)] = location
        return Packed()
    }

    private func unpack(_ p: Packed, _ key: Key, _ item: Int = 0) -> SourceLocation {
        guard p.line >= 0 else { return unpacked[key.of(item)] ?? location }
        let line = Int(p.line), column = Int(p.column)
        return SourceLocation(file: file, line: line, column: column,
                              cell: sheet.map { LedgerXLSXReader.cellName(sheet: $0, row: line, column: column - 1) })
    }

    /// Every position moved from a text (this entry's packed lines and columns) to a sheet's
    /// cells: `cell` gives the sheet row and (0-based) column of a line and column, or nil when
    /// the position is no cell (then `move` places it, as it places `location`).
    mutating func relocate(toSheet name: String, cell: (Int, Int) -> (row: Int, column: Int)?,
                           move: (SourceLocation) -> SourceLocation) {
        let text = self
        location = move(location)
        file = location.file
        sheet = name
        if !unpacked.isEmpty { unpacked = unpacked.mapValues(move) }
        func moved(_ p: Packed, _ key: Key, _ item: Int = 0) -> Packed {
            guard p.line >= 0 else { return p }
            if let (row, column) = cell(Int(p.line), Int(p.column)), (1...Int(Int32.max)).contains(row) {
                return Packed(line: Int32(row), column: Int32(column + 1))
            }
            unpacked[key.of(item)] = move(text.unpack(p, key, item))
            return Packed()
        }
        taskAt = moved(taskAt, .task)
        milestoneAt = moved(milestoneAt, .milestone)
        statusAt = moved(statusAt, .status)
        percentAt = moved(percentAt, .percent)
        completedAt = moved(completedAt, .completed)
        progressAt = moved(progressAt, .progress)
        problemsAt = moved(problemsAt, .problems)
        nextStepsAt = moved(nextStepsAt, .nextSteps)
        for i in figuresAt.indices { figuresAt[i] = moved(figuresAt[i], .figure, i) }
        for i in evidenceAt.indices { evidenceAt[i] = moved(evidenceAt[i], .evidence, i) }
    }
}

/// A number a ledger row reports: 案卷评查比例 12 %, 培训学时 60 学时, 专项监督检查 4 次.
public struct Figure: Codable, Equatable, Sendable {
    public var name: String
    public var value: Double
    public var unit: String?

    public init(name: String, value: Double, unit: String?) {
        self.name = name
        self.value = value
        self.unit = unit
    }

    /// `12%`, `60学时`, `4次`: the value without a needless `.0`, then the unit.
    public var valueText: String { numberText + (unit ?? "") }

    /// The value without a needless `.0`: 12, 12.5.
    public var numberText: String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}
