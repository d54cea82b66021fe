/// What the JSON webhook adds to a message's text (docs/notifications.md): one key, by the
/// message's kind; the others are left out.
public struct NotificationDetails: Encodable, Sendable {
    /// `reminder`: the unit's notice, as `notify --format json` gives it.
    @OmittedIfNil public var notice: SupervisionJSON.Notice?
    /// `extension_decision`: the decisions on the unit's extension requests.
    @OmittedIfNil public var decisions: [ExtensionDecision]?
    /// `ledger_return`: the unit's ledgers returned.
    @OmittedIfNil public var returns: [LedgerReturn]?
    /// `escalation_step`: the steps of the ladder taken against the unit.
    @OmittedIfNil public var steps: [EscalationStep]?

    public init(notice: SupervisionJSON.Notice? = nil, decisions: [ExtensionDecision]? = nil, returns: [LedgerReturn]? = nil,
                steps: [EscalationStep]? = nil) {
        (self.notice, self.decisions, self.returns, self.steps) = (notice, decisions, returns, steps)
    }

    public struct ExtensionDecision: JSONObject, Sendable {
        var request: Int64, task: Int, milestone: String, current_due: String, new_due: String
        var decision: String, reason: String?, decided_on: String
    }

    public struct LedgerReturn: JSONObject, Sendable {
        var submission: Int64, period: String, submitted_on: String, returned_on: String, reason: String, decided_by: String
        var due: String?, resubmitted_as: Int64?
    }

    public struct EscalationStep: JSONObject, Sendable {
        var action: Int64, level: String, level_label: String, taken_on: String, reference: String?, task: Int?, note: String?
        var also_named: [String], reply_by: String
    }
}
