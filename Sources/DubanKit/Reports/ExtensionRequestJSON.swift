/// An extension request as `duban extension list --format json` and `/api/v1/extension-requests`
/// write it (README: JSON schemas).
public struct ExtensionRequestJSON: JSONObject {
    public struct Decision: JSONObject {
        var decision: String, reason: String?, decided_on: String, decided_by: String, `extension`: Int64?, recorded_at: String
    }

    var id: Int64, unit: String, unit_name: String, task: Int, milestone: String
    var original_due: String, current_due: String, new_due: String, reason: String
    var requested_on: String, requested_by: String, recorded_at: String, state: String
    var decision: Decision?

    public init(_ r: ExtensionRequestRecord, plan: Plan) {
        (id, unit, unit_name, task, milestone) = (r.id, r.unitID, plan.unit(id: r.unitID)?.name ?? r.unitID, r.task, r.milestoneID)
        (original_due, current_due, new_due) = (r.originalDue.description, r.currentDue.description, r.newDue.description)
        (reason, requested_on, requested_by) = (r.reason, r.requestedOn.description, r.requestedBy)
        (recorded_at, state) = (r.recordedAt, r.state.rawValue)
        decision = r.decision.map { d in
            Decision(decision: d.approved ? "approved" : "refused", reason: d.reason, decided_on: d.decidedOn.description,
                     decided_by: d.decidedBy, extension: d.extensionID, recorded_at: d.recordedAt)
        }
    }

    /// 待审批, 已批准, 未批准.
    public static func label(_ state: ExtensionRequestRecord.State) -> String {
        switch state {
        case .pending: "待审批"
        case .approved: "已批准"
        case .refused: "未批准"
        }
    }
}
