/// One message about one unit, as every channel sends it: the daily reminder (`reminder`) or
/// the decisions on the unit's extension requests (`extension_decision`). `text` is what a
/// person reads (a robot's text, an e-mail's body); `details` what the JSON webhook adds.
public struct NotificationMessage: Sendable {
    public var kind: String
    public var unitID: String
    public var unitName: String
    public var title: String
    public var text: String
    public var details: NotificationDetails

    public static let reminder = "reminder"
    public static let extensionDecision = "extension_decision"
    /// Every kind, in the order a run sends them (a channel's `kinds:` names some of them).
    public static let kinds = [reminder, extensionDecision, ledgerReturn, escalationStep]

    /// The reminder `notify --format text` prints for the notice's unit.
    public static func reminder(_ n: SupervisionJSON.Notice, text: String, asOf: LocalDate) -> NotificationMessage {
        NotificationMessage(kind: reminder, unitID: n.unit, unitName: n.unit_name,
                            title: (n.own ? "【本单位待办】" : "【督办提醒】") + "\(n.unit_name) \(asOf)", text: text,
                            details: NotificationDetails(notice: n))
    }

    /// Per unit (in the plan's order), the decisions on its extension requests made in `days`.
    public static func extensionDecisions(_ requests: [ExtensionRequestRecord], plan: Plan, days: ClosedRange<LocalDate>,
                                          asOf: LocalDate) -> [NotificationMessage] {
        let decided = requests.filter { r in r.decision.map { days.contains($0.decidedOn) } ?? false }
        let byUnit = Dictionary(grouping: decided, by: \.unitID)
        let coordinator = plan.unit(id: plan.coordinator)?.name ?? plan.coordinator
        return plan.units.compactMap { u -> NotificationMessage? in
            guard let mine = byUnit[u.id]?.sorted(by: { $0.id < $1.id }), !mine.isEmpty else { return nil }
            var text = "【延期申请审批结果】\(u.name):\n截至 \(asOf),贵单位的延期申请审批结果如下:\n"
            var items: [NotificationDetails.ExtensionDecision] = []
            for (i, r) in mine.enumerated() {
                guard let d = r.decision else { continue }
                let title = plan.milestones.first { $0.id == r.milestoneID }?.title ?? r.milestoneID
                text += "  \(i + 1). 任务\(r.task) [\(r.milestoneID)] \(title),原期限 \(r.currentDue),申请延期至 \(r.newDue):"
                text += d.approved ? "已批准,新期限 \(r.newDue)。\n"
                                   : "未予批准(\(d.reason ?? "")),期限仍为 \(r.currentDue),请按期完成。\n"
                items.append(.init(request: r.id, task: r.task, milestone: r.milestoneID, current_due: r.currentDue.description,
                                   new_due: r.newDue.description, decision: d.approved ? "approved" : "refused", reason: d.reason,
                                   decided_on: d.decidedOn.description))
            }
            text += "\(coordinator)\n\(asOf)\n"
            return NotificationMessage(kind: extensionDecision, unitID: u.id, unitName: u.name,
                                       title: "【延期申请审批结果】\(u.name) \(asOf)", text: text, details: NotificationDetails(decisions: items))
        }
    }
}
