import Foundation
import GRDB
import XCTest
@testable import DubanKit

/// `Digest.make` takes the week before's figures from that day's open states (`owed_state`) when
/// the table is up to date: the digest must be the one `DigestBuilder.build` makes from every fact,
/// on every date; with the table behind, it computes as before.
final class DigestOpenStatesTests: XCTestCase {
    /// Every 4th day from before the first ledger to after the last, and the extension's days.
    static let dates = stride(from: -10, through: 350, by: 4).map { LocalDate(dayNumber: LocalDate(iso: "2024-01-01")!.dayNumber + $0) }

    func truth(_ database: DubanDatabase, _ plan: Plan, _ asOf: LocalDate) throws -> Digest {
        let store = SupervisionStore(database)
        return DigestBuilder.build(plan: plan, facts: try store.facts(planID: plan.id), actions: try store.actions(planID: plan.id).map(\.fact),
                                   asOf: asOf)
    }

    func testTheDigestFromTheOpenStatesIsTheOneFromEveryFactOnEveryDate() throws {
        let (plan, database) = try generatedHistory()
        // Steps taken, so units climb the ladder from one week to the next.
        let store = SupervisionStore(database)
        for (unit, level, date) in [("c0001", EscalationLevel.letter, "2024-03-20"), ("c0002", .circular, "2024-06-10")] {
            try store.recordAction(planID: plan.id, unitID: unit, level: level, takenOn: try XCTUnwrap(LocalDate(iso: date)), task: nil,
                                   reference: nil, note: nil)
        }
        XCTAssertTrue(try database.read { db in try OwedStates.isCurrent(db, planID: plan.id, planSHA256: try OwedStates.sha256(plan)) },
                      "the digest reads the stored open states")
        let extensions = try store.extensions(planID: plan.id).map(\.fact)
        let extended = try XCTUnwrap(extensions.first)
        // The extended occurrence done between its two due dates: done, and due by the new date only.
        let task = try XCTUnwrap(plan.milestones.first { $0.id == extended.milestoneID }?.task)
        try LedgerStore(database).record(ProgressUpdate(planID: plan.id, unitID: extended.unitID, task: task, milestone: extended.milestoneID,
                                                        status: .done, percent: nil, date: extended.originalDue.adding(days: 5),
                                                        note: nil, source: "test"))
        var seen = (completed: 0, received: 0, climbed: 0, extended: 0)
        for asOf in Self.dates + extensions.flatMap({ [$0.grantedOn.adding(days: 7), $0.originalDue.adding(days: 8), $0.originalDue.adding(days: 20), $0.newDue.adding(days: 7)] }) {
            let digest = try Digest.make(database: database, plan: plan, asOf: asOf)
            XCTAssertEqual(digest, try truth(database, plan, asOf), "as of \(asOf)")
            seen.completed += digest.changes.newlyCompleted.count
            seen.received += digest.changes.ledgersReceived.count
            seen.climbed += digest.changes.newEscalations.count
            if extensions.contains(where: { $0.grantedOn <= asOf.adding(days: -7) }) { seen.extended += 1 }
        }
        XCTAssertGreaterThan(seen.completed, 0, "weeks with milestones completed")
        XCTAssertGreaterThan(seen.received, 0, "weeks with ledgers received")
        XCTAssertGreaterThan(seen.climbed, 0, "weeks with units climbing the ladder")
        XCTAssertGreaterThan(seen.extended, 0, "weeks after an extension")
    }

    /// The facts of `asOf` counted on a second thread in batches of units: with batches of one
    /// unit, or of a few units (the last one short), the digest is the one made from every fact.
    func testTheFactsCountedInBatchesGiveTheSameDigest() throws {
        let (plan, database) = try generatedHistory()
        XCTAssertTrue(try database.read { db in try OwedStates.isCurrent(db, planID: plan.id, planSHA256: try OwedStates.sha256(plan)) },
                      "the digest reads the stored open states")
        var done = 0
        for text in ["2024-03-10", "2024-06-30", "2024-12-31"] {
            let asOf = try XCTUnwrap(LocalDate(iso: text))
            let truth = try truth(database, plan, asOf)
            done += truth.headline.milestonesDone
            // Each unit's facts read, as `Digest.make` reads them: one unit a batch; batches of
            // two units or more; about half the facts a batch (the second one short).
            var perUnit: [Int] = []
            _ = try SupervisionStore(database).eachUnitFacts(planID: plan.id, asOf: asOf, plan: plan) { _, progress in
                perUnit.append(progress.count)
            }
            XCTAssertGreaterThan(perUnit.count, 3, "units to batch")
            let total = perUnit.reduce(0, +)
            for countedAtOnce in [1, (perUnit.max() ?? 0) + 1, total / 2 + 1] {
                XCTAssertEqual(try Digest.make(database: database, plan: plan, asOf: asOf, countedAtOnce: countedAtOnce), truth,
                               "\(text), batches of \(countedAtOnce)")
            }
        }
        XCTAssertGreaterThan(done, 0, "milestones done to count")
    }

    /// The hash given (`StoredPlan.planSHA256`, as `duban digest` and the portal pass it) names
    /// the plan whose stored open states are read, not the plan encoded again: with the table's
    /// rows taken away (so a digest read from it is not the facts'), the stored plan's hash reads
    /// them, and another content's hash has the digest computed from the facts.
    func testTheGivenHashNamesThePlanWhoseOpenStatesAreRead() throws {
        let (plan, database) = try generatedHistory()
        let stored = try XCTUnwrap(try PlanStore(database).plan(id: plan.id))
        XCTAssertEqual(stored.planSHA256, try OwedStates.sha256(plan))
        try database.writer.write { db in try db.execute(sql: "DELETE FROM owed_state") }
        var other = plan
        other.title += " (修订)"
        for text in ["2024-06-30", "2024-12-31"] {
            let asOf = try XCTUnwrap(LocalDate(iso: text))
            let truth = try truth(database, plan, asOf)
            XCTAssertNotEqual(try Digest.make(database: database, plan: stored.plan, planSHA256: stored.planSHA256, asOf: asOf), truth,
                              "\(text): the stored rows read (none left, every item done)")
            XCTAssertEqual(try Digest.make(database: database, plan: stored.plan, planSHA256: try OwedStates.sha256(other), asOf: asOf), truth,
                           "\(text): the hash given, not the plan's, says whose rows to read")
        }
    }

    /// A record no fold saw: the stored open states are not read, and the digest is computed from
    /// the facts of both days, as before.
    func testWithTheTableBehindTheDigestIsComputed() throws {
        let (plan, database) = try generatedHistory()
        try insertRecordWithoutFold(database, plan: plan)
        XCTAssertFalse(try database.read { db in try OwedStates.isCurrent(db, planID: plan.id, planSHA256: try OwedStates.sha256(plan)) })
        for text in ["2024-03-10", "2024-06-30", "2024-12-31"] {
            let asOf = try XCTUnwrap(LocalDate(iso: text))
            XCTAssertEqual(try Digest.make(database: database, plan: plan, asOf: asOf), try truth(database, plan, asOf), text)
        }
    }
}
