/// The status of a task or milestone as a unit reports it: 未启动 / 推进中 / 已完成.
/// Stored as the English keyword; shown in Chinese.
public enum ProgressStatus: String, Codable, CaseIterable, Sendable {
    case notStarted = "not_started"
    case inProgress = "in_progress"
    case done

    /// The Chinese word used in ledgers and reports.
    public var label: String {
        switch self {
        case .notStarted: return "未启动"
        case .inProgress: return "推进中"
        case .done: return "已完成"
        }
    }

    /// Reads a status as written in a ledger: the Chinese word or the English keyword.
    public init?(written text: String) {
        let t = text.trimmedFast(newlines: false)
        if let s = ProgressStatus(rawValue: t) { self = s; return }
        guard let s = ProgressStatus.allCases.first(where: { $0.label == t }) else { return nil }
        self = s
    }

    /// Every accepted spelling, for hints: 未启动, 推进中, 已完成, not_started, in_progress, done.
    public static var spellings: [String] { allCases.map(\.label) + allCases.map(\.rawValue) }
}
