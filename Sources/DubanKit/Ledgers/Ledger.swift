import Foundation

/// A ledger checked against its plan: the unit, the period and the entries are known to the
/// plan, and every rule of the format holds. This is what `LedgerStore` records.
public struct Ledger: Equatable, Sendable {
    public var planID: String
    public var unitID: String
    public var period: ReportingPeriod
    public var liaison: Liaison
    public var submitted: LocalDate
    public var entries: [LedgerEntry]
    /// The file it was read from, as named on the command line.
    public var sourceFile: String
    public var format: LedgerFormat
    /// How it came in (an .xlsx is read as CSV: `format` csv, `receivedAs` xlsx).
    public var receivedAs: LedgerReceivedAs

    /// The date the entries speak for: the last day of the period. A correction of a period
    /// speaks for the same day, so ordering records by (reported_on, id) lets it win.
    public var reportedOn: LocalDate { period.end }

    /// The content that identifies a submission: header and entries, without the file name,
    /// the format, how it came in or line numbers, so a CSV ledger, its YAML twin and its .xlsx
    /// twin are the same content (one `content_hash`; submitting the twin changes nothing).
    public var canonicalJSON: String { canonicalJSONWritten }

    /// `canonicalJSON` through `JSONEncoder`: the definition `canonicalJSONWritten` must match.
    var canonicalJSONEncoded: String {
        struct Content: Encodable {
            var plan: String
            var unit: String
            var period: String
            var liaison: Liaison
            var submitted: LocalDate
            var entries: [LedgerEntry.Content]
        }
        let content = Content(plan: planID, unit: unitID, period: period.description, liaison: liaison,
                              submitted: submitted, entries: entries.map(\.content))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(content)).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }
}

/// One entry of a checked ledger: a task, or a milestone of it, with its status and narrative.
public struct LedgerEntry: Equatable, Sendable {
    /// The task; nil for a plan-wide obligation, which `milestone` then names.
    public var task: Int?
    public var milestone: String?
    public var status: ProgressStatus
    public var percent: Int?
    public var completed: LocalDate?
    public var progress: String
    public var problems: String
    public var nextSteps: String
    public var figures: [Figure]
    public var evidence: [String]
    /// The line (YAML) or row (CSV) the entry starts on.
    public var line: Int?

    public init(task: Int?, milestone: String? = nil, status: ProgressStatus, percent: Int? = nil,
                completed: LocalDate? = nil, progress: String = "", problems: String = "", nextSteps: String = "",
                figures: [Figure] = [], evidence: [String] = [], line: Int? = nil) {
        self.task = task
        self.milestone = milestone
        self.status = status
        self.percent = percent
        self.completed = completed
        self.progress = progress
        self.problems = problems
        self.nextSteps = nextSteps
        self.figures = figures
        self.evidence = evidence
        self.line = line
    }

    struct Content: Encodable {
        var task: Int?
        var milestone: String?
        var status: ProgressStatus
        var percent: Int?
        var completed: LocalDate?
        var progress: String
        var problems: String
        var next_steps: String
        var figures: [Figure]
        var evidence: [String]
    }

    var content: Content {
        Content(task: task, milestone: milestone, status: status, percent: percent, completed: completed,
                progress: progress, problems: problems, next_steps: nextSteps, figures: figures, evidence: evidence)
    }
}
