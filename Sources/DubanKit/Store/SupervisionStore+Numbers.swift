import Foundation
import GRDB

/// A 文号 already taken by another recorded step.
public struct DocumentNumberTaken: Error, Equatable {
    public var reference: String
    public var actionID: Int64
}

extension SupervisionStore {
    /// Records a step with its 文号 in one transaction. With `nextNumberCode`, the number is the
    /// next of that code's counter for the step's year; with a `reference` in the plan's own code
    /// (`planCode`), that number is taken in the counter. Throws `DocumentNumberTaken` for a
    /// number already taken. Returns the action's id and its reference.
    public func recordAction(planID: String, unitID: String, level: EscalationLevel, takenOn: LocalDate, task: Int?,
                             reference: String?, nextNumberCode: String?, planCode: String?, note: String?,
                             now: Date = Date()) throws -> (id: Int64, reference: String?) {
        let recorded = try recordActions(planID: planID, unitIDs: [unitID], level: level, takenOn: takenOn, task: task, reference: reference,
                                         nextNumberCode: nextNumberCode, planCode: planCode, note: note, actor: nil, now: now)
        return (recorded.ids.first ?? 0, recorded.reference)
    }

    /// One step naming several units (a 通报 names several): one action per unit, all under the
    /// same 文号 (taken in the counter once, by the first), in one transaction, with an audit
    /// line when `actor` is given: all or nothing.
    public func recordActions(planID: String, unitIDs: [String], level: EscalationLevel, takenOn: LocalDate, task: Int?,
                              reference: String?, nextNumberCode: String?, planCode: String?, note: String?,
                              actor: AuditActor?, now: Date = Date()) throws -> (ids: [Int64], reference: String?) {
        try database.write { db in
            var reference = reference
            var number: DocumentNumber?
            if let code = nextNumberCode {
                let last = try Int.fetchOne(db, sql: """
                    SELECT MAX(number) FROM document_number WHERE plan_id = ? AND code = ? AND year = ?
                    """, arguments: [planID, code, takenOn.year]) ?? 0
                number = DocumentNumber(code: code, year: takenOn.year, number: last + 1)
                reference = number?.description
            } else if let reference, let parsed = DocumentNumber(reference), parsed.code == planCode {
                number = parsed
            }
            if let number, let taken = try Int64.fetchOne(db, sql: """
                SELECT action_id FROM document_number WHERE plan_id = ? AND code = ? AND year = ? AND number = ?
                """, arguments: [planID, number.code, number.year, number.number]) {
                throw DocumentNumberTaken(reference: number.description, actionID: taken)
            }
            let at = Timestamp.iso(now)
            var ids: [Int64] = []
            for unitID in unitIDs {
                try db.execute(sql: """
                    INSERT INTO supervision_action (plan_id, unit_id, level, taken_on, task_number, reference, note, recorded_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [planID, unitID, level.keyword, takenOn.description, task, reference, note, at])
                ids.append(db.lastInsertedRowID)
            }
            try DerivedTables.fold(db) // a no-op unless the derived tables are behind (see `CurrentFacts.version`)
            if let number, let first = ids.first {
                try db.execute(sql: """
                    INSERT INTO document_number (plan_id, code, year, number, action_id, recorded_at) VALUES (?, ?, ?, ?, ?, ?)
                    """, arguments: [planID, number.code, number.year, number.number, first, at])
            }
            if let actor {
                try AccountStore.audit(db, accountID: actor.accountID, actor: actor.login, address: actor.address, action: "action.record",
                                       detail: "\(level.keyword) \(takenOn) → \(unitIDs.joined(separator: ", "))"
                                           + (task.map { " task \($0)" } ?? "") + (reference.map { " \($0)" } ?? "")
                                           + " (#\(ids.map(String.init).joined(separator: ", #")))", at: at)
            }
            return (ids, reference)
        }
    }
}
