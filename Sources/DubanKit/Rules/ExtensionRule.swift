import Foundation

/// When an extension (延期) may be asked for and granted, and which due date it moves: the one
/// place this is decided, for `duban extension record|request|decide`, the portal and the API.
///
/// An extension moves one occurrence of a milestone for one unit. It is asked for (and, when
/// the coordinator records it directly, granted) on or before the date due then: the plan's, or
/// the latest extension's, so a second extension is asked for before the first one runs out
/// (`extension_request` holds the same CHECK). Its new date is later than the date due then. A
/// request made in time may be approved after that date (the coordinator was late, not the
/// unit), but not after the new date it asked for; the extension counts from the day it is
/// granted, so the days before it stay as they were reported (`due_extension` holds
/// `granted_on <= new_due`).
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

    /// Whether an occurrence due `currentDue` (after any extension) is still open on `date`:
    /// an extension of it may be asked for then.
    public static func isOpen(currentDue: LocalDate, on date: LocalDate) -> Bool { currentDue >= date }

    /// The occurrence of `unitID`'s milestone that an extension granted `on` moves: with `due`,
    /// the occurrence the plan sets due then; without, the first one still open (one milestone
    /// of the task, or `milestone` when it has several). `askedOn` is when it was asked for (a
    /// request decided later; default `on`): the occurrence must be open then, by the
    /// extensions granted by then. Refused when the unit owes no such milestone, the deadline
    /// had passed when it was asked for, several milestones fall due that day, the new date is
    /// not later than the one due on `on`, or has passed by `on`. `extensions` are those
    /// already granted.
    public static func target(plan: Plan, extensions: [ExtensionFact], unitID: String, task: Int, milestone: String?,
                              due: LocalDate? = nil, newDue: LocalDate, askedOn: LocalDate? = nil,
                              on date: LocalDate) -> Result<Target, Refusal> {
        let asked = askedOn ?? date
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
        /// The date due on `day`: the latest extension granted by then, else the plan's.
        func currentDue(_ item: OwedItem, on day: LocalDate) -> LocalDate {
            extensions.filter { $0.unitID == unitID && $0.milestoneID == item.milestoneID && $0.originalDue == item.due && $0.grantedOn <= day }
                .max { $0.grantedOn < $1.grantedOn }?.newDue ?? item.due
        }
        let open = owed.filter { isOpen(currentDue: currentDue($0, on: asked), on: asked) }
        let firstDue = open.map(\.due).min()
        let candidates = open.filter { $0.due == firstDue }
        guard let item = candidates.first, let milestoneID = item.milestoneID else {
            let last = owed.map { currentDue($0, on: asked) }.max().map(\.description) ?? ""
            return .failure(Refusal(field: .due,
                                    message: "the deadline has passed: \(unitName)'s task \(task) was due \(last), the extension is dated \(asked)",
                                    hint: "an extension is asked for on or before the date due then (the plan's, or the last extension's)"))
        }
        guard candidates.count == 1 else {
            return .failure(Refusal(field: .milestone,
                                    message: "task \(task) has several milestones due \(item.due): \(candidates.compactMap(\.milestoneID).joined(separator: ", "))",
                                    hint: "name one with --milestone", usage: true))
        }
        let current = currentDue(item, on: date)
        guard newDue > current else {
            return .failure(Refusal(field: .newDue, message: "the new due date \(newDue) is not after the current one (\(current))",
                                    hint: "give a later date"))
        }
        guard newDue >= date else {
            return .failure(Refusal(field: .newDue, message: "the new due date \(newDue) has passed on \(date)",
                                    hint: "refuse the request; the item stays due \(current)"))
        }
        return .success(Target(unitID: unitID, task: task, milestoneID: milestoneID, originalDue: item.due, currentDue: current))
    }

    /// Why a decision dated `date` cannot be taken on a request made `requestedOn`: it is earlier.
    public static func decisionRefusal(requestedOn: LocalDate, on date: LocalDate) -> Refusal? {
        guard date < requestedOn else { return nil }
        return Refusal(field: .date, message: "the decision is dated \(date), before the request (\(requestedOn))",
                       hint: "date it on or after the request")
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
