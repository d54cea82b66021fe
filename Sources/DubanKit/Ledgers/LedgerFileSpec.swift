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

/// One row of a ledger as written.
public struct LedgerEntrySpec {
    public var location: SourceLocation
    public var task: Located<Int>?
    public var milestone: Located<String>?
    public var status: Located<String>?
    public var percent: Located<Int>?
    public var completed: Located<LocalDate>?
    public var progress: Located<String>?
    public var problems: Located<String>?
    public var nextSteps: Located<String>?
    public var figures: [Located<Figure>] = []
    public var evidence: [Located<String>] = []

    public init(location: SourceLocation) {
        self.location = location
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
