/// An extension request as `duban extension list --format json` and `/api/v1/extension-requests`
/// write it (README: JSON schemas).
public enum ExtensionRequestJSON {
    public static func value(_ r: ExtensionRequestRecord, plan: Plan) -> JSONValue {
        let decision: JSONValue = r.decision.map { d in
            .object([("decision", .string(d.approved ? "approved" : "refused")), ("reason", .string(d.reason)),
                     ("decided_on", .string(d.decidedOn.description)), ("decided_by", .string(d.decidedBy)),
                     ("extension", .int(d.extensionID.map(Int.init))), ("recorded_at", .string(d.recordedAt))])
        } ?? .null
        return .object([("id", .int(Int(r.id))), ("unit", .string(r.unitID)), ("unit_name", .string(plan.unit(id: r.unitID)?.name ?? r.unitID)),
                        ("task", .int(r.task)), ("milestone", .string(r.milestoneID)),
                        ("original_due", .string(r.originalDue.description)), ("current_due", .string(r.currentDue.description)),
                        ("new_due", .string(r.newDue.description)), ("reason", .string(r.reason)),
                        ("requested_on", .string(r.requestedOn.description)), ("requested_by", .string(r.requestedBy)),
                        ("recorded_at", .string(r.recordedAt)), ("state", .string(r.state.rawValue)), ("decision", decision)])
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
