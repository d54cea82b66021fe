import Foundation
import GRDB

/// The secret calendar URLs' tokens (`v17-calendar-tokens`): stored by hash, one live per unit
/// and one for the whole plan (`unitID` nil); `replace` revokes the old one in the same
/// transaction as it stores the new, and audits it.
public struct CalendarTokenStore: Sendable {
    public let database: DubanDatabase

    public init(_ database: DubanDatabase) {
        self.database = database
    }

    /// Stores `tokenHash` as the live token of `unitID` (nil: the whole plan's), revoking the one before.
    public func replace(planID: String, unitID: String?, tokenHash: String, by actor: AuditActor, now: Date = Date()) throws {
        try database.write { db in
            let at = Timestamp.iso(now)
            try db.execute(sql: """
                UPDATE calendar_token SET revoked_at = ? WHERE plan_id = ? AND unit_id IS ? AND revoked_at IS NULL
                """, arguments: [at, planID, unitID])
            try db.execute(sql: "INSERT INTO calendar_token (token_hash, plan_id, unit_id, created_at) VALUES (?, ?, ?, ?)",
                           arguments: [tokenHash, planID, unitID, at])
            try AccountStore.audit(db, accountID: actor.accountID, actor: actor.login, address: actor.address, action: "calendar.token",
                                   detail: unitID ?? "(whole plan)", at: at)
        }
    }

    /// Whose feed a live token opens: `.some(unitID)`, `.some(nil)` for the whole plan, nil for no live token.
    public func scope(planID: String, tokenHash: String) throws -> String?? {
        try database.read { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT unit_id FROM calendar_token WHERE token_hash = ? AND plan_id = ? AND revoked_at IS NULL
                """, arguments: [tokenHash, planID]) else { return nil }
            return .some(row["unit_id"] as String?)
        }
    }

    /// When the live token of `unitID` (nil: the whole plan) was made, if there is one.
    public func created(planID: String, unitID: String?) throws -> String? {
        try database.read { db in
            try String.fetchOne(db, sql: """
                SELECT created_at FROM calendar_token WHERE plan_id = ? AND unit_id IS ? AND revoked_at IS NULL
                """, arguments: [planID, unitID])
        }
    }
}
