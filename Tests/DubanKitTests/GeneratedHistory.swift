import Foundation
import GRDB
import XCTest
@testable import DubanKit

extension XCTestCase {
    /// A generated dataset (3 counties and departments, 8 months): ledgers in three batches,
    /// corrections last, command updates, an extension, returned ledgers (`OwedStatesTests`, the
    /// digest's tests).
    func generatedHistory() throws -> (Plan, DubanDatabase) {
        let (plan, database, ledgers) = try generatedShard()
        let third = (ledgers.main.count + 2) / 3
        for start in stride(from: 0, to: ledgers.main.count, by: third) {
            try ingest(Array(ledgers.main[start..<min(start + third, ledgers.main.count)]), into: database)
        }
        try ingest(ledgers.corrections, into: database)
        let store = LedgerStore(database)
        for (unit, task, status, date) in [("c0002", 3, ProgressStatus.done, "2024-05-02"), ("c0001", 1, .inProgress, "2024-08-30")] {
            try store.record(ProgressUpdate(planID: plan.id, unitID: unit, task: task, milestone: nil, status: status,
                                            percent: status == .done ? nil : 40, date: try XCTUnwrap(LocalDate(iso: date)),
                                            note: nil, source: "test"))
        }
        let (unit, milestone) = try XCTUnwrap(plan.milestones.lazy.compactMap { m in Owing.units(owing: m, in: plan).first.map { ($0, m) } }.first)
        let due = try XCTUnwrap(Occurrences(milestone).list.first).due
        try SupervisionStore(database).recordExtension(planID: plan.id, ExtensionFact(unitID: unit.id, milestoneID: milestone.id, originalDue: due,
                                                                                      newDue: due.adding(days: 40), grantedOn: due.adding(days: -3)),
                                                       reason: "test")
        let returnedOn = try XCTUnwrap(LocalDate(iso: "2024-07-20"))
        let returned = try database.writer.read { db in
            try Row.fetchAll(db, sql: """
                SELECT s.unit_id, s.period FROM ledger_submission s WHERE s.period = '2024-05' AND s.submitted_on <= ?
                  AND NOT EXISTS (SELECT 1 FROM ledger_submission n WHERE n.supersedes_id = s.id) ORDER BY s.unit_id LIMIT 2
                """, arguments: [returnedOn.description]).map { ($0[0] as String, $0[1] as String) }
        }
        XCTAssertEqual(returned.count, 2)
        var reviewing = plan
        reviewing.ledgers?.review = .required
        for (unit, period) in returned {
            try LedgerStore(database).review(plan: reviewing, .current(unitID: unit, period: period), decision: .return, reason: "缺少佐证材料",
                                             on: returnedOn, by: "test", actor: AuditActor(accountID: nil, login: "test", address: "local"))
        }
        return (plan, database)
    }
}
