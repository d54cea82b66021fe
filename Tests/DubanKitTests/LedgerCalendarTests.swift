@testable import DubanKit
import XCTest

/// The ledger grid from ledger facts (`LedgerCalendar.grid(_:ledgers:periods:asOf:)`): the facts
/// are read in `inSubmittedOrder` as the submissions they stand for (`FactSubmission`), each named
/// by its position in that order.
final class LedgerCalendarTests: XCTestCase {
    var plan: Plan!

    override func setUpWithError() throws {
        plan = try loadZhangye()
    }

    func day(_ s: String) throws -> LocalDate { try XCTUnwrap(LocalDate(iso: s)) }

    /// By date; those of one date in the order given. In order already, they are returned as given.
    func testInSubmittedOrderSortsByDateAndKeepsTheGivenOrderOfOneDate() throws {
        let dates = try ["2024-02-09", "2024-02-03", "2024-02-09", "2024-02-01", "2024-02-03", "2024-02-09"].map(day)
        let items = Array(zip(dates.indices, dates))
        XCTAssertEqual(LedgerCalendar.inSubmittedOrder(items, by: \.1).map(\.0), [3, 1, 4, 0, 2, 5])
        let sorted = [3, 1, 4, 0, 2, 5].map { items[$0] }
        XCTAssertEqual(LedgerCalendar.inSubmittedOrder(sorted, by: \.1).map(\.0), [3, 1, 4, 0, 2, 5])
    }

    /// The grid from facts is the grid of the stored submissions the facts stand for (made here as
    /// the facts' grid made them before `FactSubmission`: every field but the unit, period, date and
    /// return left empty, ids by position in submitted order), on facts out of date order, returned
    /// and resubmitted, some of a period not asked for and some submitted after the as-of date.
    func testTheGridFromFactsIsTheGridOfTheSubmissionsTheyStandFor() throws {
        let owners = Obligations.ledgerOwners(plan).map(\.id)
        let owed = LedgerPeriods.owed(plan)
        XCTAssertGreaterThan(owed.count, 3)
        var facts: [LedgerFact] = []
        var seed: UInt64 = 7
        func next(_ n: Int) -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((seed >> 33) % UInt64(n))
        }
        for unit in owners {
            for period in owed.prefix(4) {
                for _ in 0..<next(3) {
                    let submitted = period.end.adding(days: next(30) - 5)
                    let returned = next(4) == 0 ? submitted.adding(days: next(10)) : nil
                    facts.append(LedgerFact(unitID: unit, period: period, submittedOn: submitted, returnedOn: returned))
                }
            }
        }
        var generator = Shuffle(seed: 11)
        facts.shuffle(using: &generator)
        XCTAssertFalse(zip(facts, facts.dropFirst()).allSatisfy { $0.submittedOn <= $1.submittedOn }, "facts out of date order")
        XCTAssertTrue(facts.contains { $0.returnedOn != nil }, "returned ledgers")
        var cells = 0
        for (asOf, periods) in [(owed[2].end.adding(days: 9), Array(owed.prefix(3))), (owed[3].end.adding(days: 40), [owed[1], owed[3]])] {
            let labels = Set(periods.map(\.description))
            let submissions = LedgerCalendar.inSubmittedOrder(facts).enumerated().filter { _, fact in
                fact.submittedOn <= asOf && labels.contains(fact.period.description)
            }.map { index, fact in
                LedgerSubmission(id: Int64(index + 1), unitID: fact.unitID, period: fact.period.description,
                                 submittedOn: fact.submittedOn, liaison: Liaison(name: "", phone: nil), sourceFile: "",
                                 receivedAs: nil, entryCount: 0, recordedAt: "", supersedes: nil, supersededBy: nil,
                                 review: fact.returnedOn.map { LedgerReview(decision: .return, reason: "", decidedOn: $0, decidedBy: "", recordedAt: "") })
            }
            let truth = LedgerCalendar.grid(plan, submissions: submissions, periods: periods, asOf: asOf, reviews: false)
            XCTAssertEqual(LedgerCalendar.grid(plan, ledgers: facts, periods: periods, asOf: asOf), truth, "as of \(asOf)")
            XCTAssertTrue(truth.contains { $0.submissionID != nil && $0.state == .late }, "late ledgers as of \(asOf)")
            XCTAssertTrue(truth.contains { $0.submissionID != nil && $0.submittedOn == nil }, "ledgers returned as of \(asOf)")
            cells += truth.count
        }
        XCTAssertEqual(cells, owners.count * 5)
    }
}

/// A seeded generator: the same shuffle on every run.
private struct Shuffle: RandomNumberGenerator {
    var seed: UInt64
    mutating func next() -> UInt64 {
        seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return seed
    }
}
