/// Who may see and do what on the portal and the API: the one place this is decided.
///
/// - A liaison sees its own unit's items, ledgers and history, and submits its own unit's ledgers.
/// - A coordinator sees every unit and does every write.
/// - A leader sees every unit and writes nothing.
/// A disabled account may do nothing at all.
public struct Permissions: Sendable {
    public let account: Account

    public init(_ account: Account) {
        self.account = account
    }

    /// The units whose data this account may read: nil means every unit of the plan.
    public var readableUnits: Set<String>? {
        switch account.role {
        case .liaison: Set(account.unitID.map { [$0] } ?? [])
        case .coordinator, .leader: nil
        }
    }

    public func mayRead(unit: String) -> Bool {
        guard !account.disabled else { return false }
        return readableUnits?.contains(unit) ?? true
    }

    /// Whether the account may read what compares every unit (the digest, the scoreboard); the
    /// other lists (overdue, notices, escalation, ledger grid) are narrowed to `readableUnits`.
    public var mayReadEverything: Bool { !account.disabled && readableUnits == nil }

    /// Whether the account submits ledgers at all (for its unit, or for any unit).
    public var maySubmitLedgers: Bool { !account.disabled && account.role != .leader }

    /// Whether the account may submit a ledger for `unit`.
    public func maySubmitLedger(for unit: String) -> Bool {
        guard !account.disabled else { return false }
        switch account.role {
        case .liaison: return account.unitID == unit
        case .coordinator: return true
        case .leader: return false
        }
    }

    /// Whether the account may ask for an extension (延期申请) of `unit`'s items: its liaison, or
    /// the coordinator for any unit.
    public func mayRequestExtension(for unit: String) -> Bool { maySubmitLedger(for: unit) }

    /// Whether the account decides extension requests, records the ladder's steps (函告提醒,
    /// 通报, 提请追责问责) and rotates any unit's calendar feed: the coordinator.
    public var mayCoordinate: Bool { !account.disabled && account.role == .coordinator }

    /// Whether the account may read the audit log.
    public var mayReadAudit: Bool { !account.disabled && account.role == .coordinator }
}
