/// The notices of the coordinator's decisions that reach a unit with the next working day's run
/// of `notify --send`: its returned ledgers (`ledger_return`) and the steps of the escalation
/// ladder taken against it (`escalation_step`). Each is one message per unit listing what was
/// decided in `days` (`NotificationRules.decisionDays`), in the plan's order of units.
extension NotificationMessage {
    public static let ledgerReturn = "ledger_return"
    public static let escalationStep = "escalation_step"

    /// Per unit, its ledgers returned (退回) in `days`, each with the reason, the period's due
    /// date (overdue days count from it again) and the resubmission if one came in since.
    public static func ledgerReturns(_ submissions: [LedgerSubmission], plan: Plan, days: ClosedRange<LocalDate>,
                                     asOf: LocalDate) -> [NotificationMessage] {
        let returned = submissions.filter { s in
            guard let r = s.review, r.decision == .return else { return false }
            return days.contains(r.decidedOn)
        }
        let byUnit = Dictionary(grouping: returned, by: \.unitID)
        let resubmissions = Dictionary(submissions.compactMap { s in s.supersedes.map { ($0, s) } }, uniquingKeysWith: { a, _ in a })
        let coordinator = coordinatorName(plan)
        return plan.units.compactMap { u -> NotificationMessage? in
            guard let mine = byUnit[u.id]?.sorted(by: { $0.id < $1.id }), !mine.isEmpty else { return nil }
            var text = "【台账退回】\(u.name):\n贵单位报送的工作台账经审核退回,视为未报送,请按退回原因修改后重新报送:\n"
            var items: [NotificationDetails.LedgerReturn] = []
            for (i, s) in mine.enumerated() {
                guard let review = s.review else { continue }
                let due = plan.ledgers.flatMap { ReportingPeriod(label: s.period, frequency: $0.every) }.map { LedgerCalendar.due($0, in: plan) }
                let again = resubmissions[s.id].flatMap { r in r.submittedOn <= asOf ? r : nil }
                text += "  \(i + 1). \(s.period) 期台账(第 \(s.id) 号,\(s.submittedOn) 报送)于 \(review.decidedOn) 退回,原因:\(review.reason)"
                if let again {
                    text += ";已于 \(again.submittedOn) 重新报送(第 \(again.id) 号)。\n"
                } else if let due {
                    text += ";报送期限 \(due)" + (due < asOf ? ",已逾期 \(due.days(to: asOf)) 天" : "") + "。\n"
                } else {
                    text += "。\n"
                }
                items.append(.init(submission: s.id, period: s.period, submitted_on: s.submittedOn.description,
                                   returned_on: review.decidedOn.description, reason: review.reason, decided_by: review.decidedBy,
                                   due: due?.description, resubmitted_as: again?.id))
            }
            text += "\(coordinator)\n\(asOf)\n"
            return NotificationMessage(kind: ledgerReturn, unitID: u.id, unitName: u.name, title: "【台账退回】\(u.name) \(asOf)",
                                       text: text, details: NotificationDetails(returns: items))
        }
    }

    /// Per unit, the steps of the ladder (函告提醒, 通报, 提请追责问责) taken against it in
    /// `days`, each with its 文号, task, the other units the same step names (a 通报 names
    /// several) and the day a written reply is due (`ActionRule.replyBy`).
    public static func escalationSteps(_ actions: [ActionRecord], plan: Plan, days: ClosedRange<LocalDate>,
                                       asOf: LocalDate) -> [NotificationMessage] {
        let taken = actions.filter { days.contains($0.takenOn) }
        let byUnit = Dictionary(grouping: taken, by: \.unitID)
        let coordinator = coordinatorName(plan)
        func name(_ id: String) -> String { plan.unit(id: id)?.name ?? id }
        return plan.units.compactMap { u -> NotificationMessage? in
            guard let mine = byUnit[u.id]?.sorted(by: { ($0.takenOn, $0.id) < ($1.takenOn, $1.id) }), !mine.isEmpty else { return nil }
            var text = "【督办通知】\(u.name):\n\(coordinator)已对贵单位采取以下督办措施:\n"
            var items: [NotificationDetails.EscalationStep] = []
            for (i, a) in mine.enumerated() {
                let named = a.reference.map { ref in
                    taken.filter { $0.reference == ref && $0.level == a.level && $0.takenOn == a.takenOn }.map(\.unitID)
                } ?? [a.unitID]
                let others = plan.units.map(\.id).filter { $0 != a.unitID && named.contains($0) }
                let replyBy = ActionRule.replyBy(a.takenOn)
                text += "  \(i + 1). \(a.takenOn) \(a.level.label)" + (a.reference.map { "(\($0))" } ?? "")
                if let task = a.task { text += ",涉及任务\(task)" }
                if !others.isEmpty { text += ",同时被\(a.level.label)的还有" + others.map(name).joined(separator: "、") }
                if let note = a.note, !note.isEmpty { text += ";\(note)" }
                text += "。请于 \(replyBy) 前将落实情况书面反馈\(coordinator)。\n"
                items.append(.init(action: a.id, level: a.level.keyword, level_label: a.level.label, taken_on: a.takenOn.description,
                                   reference: a.reference, task: a.task, note: a.note, also_named: others, reply_by: replyBy.description))
            }
            text += "\(coordinator)\n\(asOf)\n"
            return NotificationMessage(kind: escalationStep, unitID: u.id, unitName: u.name, title: "【督办通知】\(u.name) \(asOf)",
                                       text: text, details: NotificationDetails(steps: items))
        }
    }

    static func coordinatorName(_ plan: Plan) -> String { plan.unit(id: plan.coordinator)?.name ?? plan.coordinator }
}
