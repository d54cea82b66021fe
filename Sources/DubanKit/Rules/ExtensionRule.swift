import Foundation

/// When an extension (延期) may be asked for and granted, and which due date it moves: the one
/// place this is decided, for `duban extension record|request|decide`, the portal and the API.
///
/// An extension moves one occurrence of a milestone for one unit. It is asked for, and granted,
/// on or before that occurrence's due date as the plan sets it (the deadline; `due_extension`
/// holds the same CHECK), and its new date is later than the date due now (the plan's, or the
/// latest extension's).
public enum ExtensionRule {
    /// The occurrence an extension moves.
    public struct Target: Equatable, Sendable {
        public var unitID: String
        public var task: Int
        public var milestoneID: String
        /// The due date the plan sets (what `due_extension.original_due` keys on).
        public var originalDue: LocalDate
        /// The due date now: the latest extension's new date, else the original.
        public var currentDue: LocalDate
    }

    /// Why an extension cannot be asked for or granted; `field` names the input at fault.
    public struct Refusal: Error, Equatable, Sendable {
        public enum Field: String, Sendable { case unit, task, milestone, due, newDue = "new_due", reason, date }
        public var field: Field
        public var message: String
        public var hint: String
        /// Whether the input asks for what is not there (a usage error on the command line), not
        /// for what the rule refuses.
        public var usage = false

        public init(field: Field, message: String, hint: String, usage: Bool = false) {
            self.field = field
            self.message = message
            self.hint = hint
            self.usage = usage
        }
    }

    /// The longest reason taken, in characters.
    public static let maxReasonLength = 500

    /// The occurrence of `unitID`'s milestone that an extension dated `on` moves: with `due`,
    /// the occurrence the plan sets due then; without, the first one due on or after `on` (one
    /// milestone of the task, or `milestone` when it has several). Refused when the unit owes no
    /// such milestone, the deadline has passed, several milestones fall due that day, or the new
    /// date is not later than the one due now. `extensions` are those already granted.
    public static func target(plan: Plan, extensions: [ExtensionFact], unitID: String, task: Int, milestone: String?,
                              due: LocalDate? = nil, newDue: LocalDate, on date: LocalDate) -> Result<Target, Refusal> {
        let unitName = plan.unit(id: unitID)?.name ?? unitID
        guard plan.task(number: task) != nil else {
            return .failure(Refusal(field: .task, message: "no task \(task) in plan \(plan.id)", hint: "see `duban tasks`", usage: true))
        }
        let owed = Obligations.milestoneItems(plan, only: [unitID]).filter {
            $0.task == task && (milestone == nil || $0.milestoneID == milestone) && (due == nil || $0.due == due)
        }
        guard !owed.isEmpty else {
            let what = (milestone.map { " \($0)" } ?? "") + (due.map { " due \($0)" } ?? "")
            return .failure(Refusal(field: milestone == nil ? .task : .milestone,
                                    message: "\(unitName) owes no milestone\(what) of task \(task)", hint: "see `duban task \(task)`"))
        }
        let open = owed.filter { $0.due >= date }
        let firstDue = open.map(\.due).min()
        let candidates = open.filter { $0.due == firstDue }
        guard let item = candidates.first, let milestoneID = item.milestoneID else {
            let last = owed.map(\.due).max().map(\.description) ?? ""
            return .failure(Refusal(field: .due,
                                    message: "the deadline has passed: \(unitName)'s task \(task) was due \(last), the extension is dated \(date)",
                                    hint: "an extension is asked for and granted on or before the deadline it moves"))
        }
        guard candidates.count == 1 else {
            return .failure(Refusal(field: .milestone,
                                    message: "task \(task) has several milestones due \(item.due): \(candidates.compactMap(\.milestoneID).joined(separator: ", "))",
                                    hint: "name one with --milestone", usage: true))
        }
        let granted = extensions.filter { $0.unitID == unitID && $0.milestoneID == milestoneID && $0.originalDue == item.due && $0.grantedOn <= date }
        let current = granted.max { $0.grantedOn < $1.grantedOn }?.newDue ?? item.due
        guard newDue > current else {
            return .failure(Refusal(field: .newDue, message: "the new due date \(newDue) is not after the current one (\(current))",
                                    hint: "give a later date"))
        }
        return .success(Target(unitID: unitID, task: task, milestoneID: milestoneID, originalDue: item.due, currentDue: current))
    }

    /// A reason as stored: trimmed, not empty, at most `maxReasonLength` characters.
    public static func reason(_ text: String?) -> Result<String, Refusal> {
        let trimmed = (text ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else {
            return .failure(Refusal(field: .reason, message: "the reason is empty", hint: "say why (理由)"))
        }
        guard trimmed.count <= maxReasonLength else {
            return .failure(Refusal(field: .reason, message: "the reason is longer than \(maxReasonLength) characters (\(trimmed.count))",
                                    hint: "shorten it"))
        }
        return .success(trimmed)
    }
}
