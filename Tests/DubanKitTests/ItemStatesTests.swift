@testable import DubanKit
import XCTest

final class ItemStatesTests: XCTestCase {
    var plan: Plan!

    override func setUpWithError() throws {
        plan = try loadZhangye()
    }

    func day(_ s: String) throws -> LocalDate { try XCTUnwrap(LocalDate(iso: s)) }

    func overdue(_ facts: Facts, asOf: String, milestone: String) throws -> Set<String> {
        let asOf = try day(asOf)
        return Set(ItemStates.compute(plan: plan, facts: facts, asOf: asOf)
            .filter { $0.item.milestoneID == milestone && $0.isOverdue(asOf: asOf) }.map(\.item.unitID))
    }

    func testWithNoRecordsEveryOwnerIsOverdueInJanuary2024() throws {
        let counties = Set(plan.group(id: "counties")?.members ?? [])
        let departments = Set(plan.group(id: "enforcement")?.members ?? [])
        XCTAssertEqual(try overdue(Facts(), asOf: "2024-01-05", milestone: "S3.2-measures"), counties)
        XCTAssertEqual(try overdue(Facts(), asOf: "2024-01-05", milestone: "S3.2-liaisons"), departments)
        XCTAssertEqual(try overdue(Facts(), asOf: "2024-01-05", milestone: "7.1"), counties.union(departments).union(["justice"]))
        XCTAssertEqual(try overdue(Facts(), asOf: "2023-12-31", milestone: "7.1"), [], "due that day, not yet overdue")
    }

    func testARecordCountsFromItsDateOn() throws {
        let early = Facts(progress: [ProgressFact(unitID: "ganzhou", task: 7, milestoneID: "7.1", status: .done, knownOn: try day("2023-12-20"))])
        for asOf in ["2023-12-20", "2024-01-01", "2024-06-30", "2025-12-31"] {
            XCTAssertFalse(try overdue(early, asOf: asOf, milestone: "7.1").contains("ganzhou"), asOf)
        }
        let late = Facts(progress: [ProgressFact(unitID: "ganzhou", task: 7, milestoneID: "7.1", status: .done, knownOn: try day("2024-01-10"))])
        XCTAssertTrue(try overdue(late, asOf: "2024-01-01", milestone: "7.1").contains("ganzhou"))
        XCTAssertFalse(try overdue(late, asOf: "2024-01-10", milestone: "7.1").contains("ganzhou"))
        let state = ItemStates.compute(plan: plan, facts: late, asOf: try day("2024-02-01"))
            .first { $0.item.milestoneID == "7.1" && $0.item.unitID == "ganzhou" }
        XCTAssertEqual(state?.wasLate, true)
    }

    func testDoneRecordsFillRecurringOccurrencesInOrder() throws {
        // 市司法局 publishes cases for 2024-H1 late (in July, a catch-up said as such), then 2024-H2 on time.
        let facts = Facts(progress: [
            ProgressFact(unitID: "justice", task: 17, milestoneID: "17.1", status: .done, knownOn: try day("2024-07-15"), occurrence: "2024-H1"),
            ProgressFact(unitID: "justice", task: 17, milestoneID: "17.1", status: .done, knownOn: try day("2024-12-20")),
        ])
        let states = ItemStates.compute(plan: plan, facts: facts, asOf: try day("2025-07-05"))
            .filter { $0.item.milestoneID == "17.1" }
        XCTAssertEqual(states.map { $0.doneOn?.description ?? "-" }, ["2024-07-15", "2024-12-20", "-", "-"])
        XCTAssertEqual(states.map(\.wasLate), [true, false, false, false])
        XCTAssertEqual(states.filter { $0.isOverdue(asOf: try! self.day("2025-07-05")) }.map { $0.item.period?.description ?? "" }, ["2025-H1"])
        // Without saying so, July's record is about 2024-H2 (the period holding its date): H1 stays open.
        var plain = facts
        plain.progress[0].occurrence = nil
        let unsaid = ItemStates.compute(plan: plan, facts: plain, asOf: try day("2025-07-05")).filter { $0.item.milestoneID == "17.1" }
        XCTAssertEqual(unsaid.map { $0.doneOn?.description ?? "-" }, ["-", "2024-07-15", "-", "-"])
    }

    /// `CompletionCounter` counts by completion date the milestone items `compute` gives as done,
    /// from each unit's facts alone and in any order: a later record of an earlier completion
    /// (the earliest counts), a catch-up naming its occurrence, a completion dated before the
    /// period of the occurrence its record is about, a task-level record (about every milestone
    /// of its task), records not yet known on the day.
    func testTheCounterCountsWhatComputeGivesAsDoneInAnyOrder() throws {
        let m = try XCTUnwrap(plan.milestones.first { $0.task != nil && Occurrences($0).list.count == 1 && Owing.units(owing: $0, in: plan).count > 1 })
        let owners = Owing.units(owing: m, in: plan).map(\.id)
        let progress = [
            ProgressFact(unitID: "justice", task: 17, milestoneID: "17.1", status: .done, knownOn: try day("2024-07-15"), occurrence: "2024-H1"),
            ProgressFact(unitID: "justice", task: 17, milestoneID: "17.1", status: .done, knownOn: try day("2024-12-20")),
            ProgressFact(unitID: "justice", task: 17, milestoneID: "17.1", status: .done, knownOn: try day("2025-01-10"),
                         completedOn: try day("2024-12-01")),
            ProgressFact(unitID: "justice", task: 17, milestoneID: "17.1", status: .done, knownOn: try day("2025-02-01"),
                         completedOn: try day("2024-12-25"), reportedOn: try day("2025-02-01")),
            ProgressFact(unitID: owners[0], task: m.task, milestoneID: m.id, status: .done, knownOn: try day("2024-03-10"),
                         completedOn: try day("2024-03-08")),
            ProgressFact(unitID: owners[0], task: m.task, milestoneID: m.id, status: .inProgress, percent: 50, knownOn: try day("2024-03-12")),
            ProgressFact(unitID: owners[0], task: m.task, milestoneID: m.id, status: .done, knownOn: try day("2024-03-20"),
                         completedOn: try day("2024-03-01")),
            ProgressFact(unitID: owners[1], task: m.task, status: .done, knownOn: try day("2024-05-01")),
            ProgressFact(unitID: owners[1], task: m.task, milestoneID: m.id, status: .done, knownOn: try day("2026-01-01"),
                         completedOn: try day("2024-01-02")),
        ]
        var byUnit: [(unit: String, progress: [ProgressFact])] = []
        for f in progress {
            if let i = byUnit.firstIndex(where: { $0.unit == f.unitID }) { byUnit[i].progress.append(f) } else { byUnit.append((f.unitID, [f])) }
        }
        let owed = ItemStates.OwedByUnit(plan: plan)
        var counted = 0
        for text in ["2024-03-05", "2024-03-15", "2024-06-30", "2024-12-31", "2025-01-15", "2025-03-01"] {
            let asOf = try day(text)
            var truth: [LocalDate: Int] = [:]
            for s in ItemStates.compute(plan: plan, facts: Facts(progress: progress), asOf: asOf) where s.item.kind == .milestone {
                if let on = s.doneOn { truth[on, default: 0] += 1 }
            }
            counted += truth.values.reduce(0, +)
            for reversed in [false, true] {
                var counter = ItemStates.CompletionCounter(owed)
                for (unit, facts) in reversed ? byUnit.reversed() : byUnit {
                    counter.reserve(facts: facts.count)
                    counter.add(unit: unit, progress: reversed ? facts.reversed() : facts, asOf: asOf)
                }
                XCTAssertEqual(counter.counts, truth, "\(text)\(reversed ? ", reversed" : "")")
            }
        }
        XCTAssertGreaterThan(counted, 0, "items done to count")
    }

    /// Some units' `Owed` taken from every unit's (`Owed(_:units:)`, the owners not expanded
    /// again) is the one made for those units, and gives the same states.
    func testOwedOfSomeUnitsTakenFromEveryUnitsIsTheOneMadeForThem() throws {
        let all = ItemStates.Owed(plan: plan, units: nil, ledgers: false)
        let asOf = try day("2024-06-30")
        let facts = Facts(ledgers: [LedgerFact(unitID: "ganzhou", period: try XCTUnwrap(ReportingPeriod(label: "2024-01", frequency: .month)),
                                               submittedOn: try day("2024-02-07"))])
        for units: Set<String> in [["ganzhou"], ["ganzhou", "justice", "linze"], []] {
            let made = ItemStates.Owed(plan: plan, units: units), taken = ItemStates.Owed(all, units: units)
            XCTAssertEqual(taken.work.map { $0.owners.map(\.id) }, made.work.map { $0.owners.map(\.id) }, "\(units)")
            XCTAssertEqual(taken.work.map { $0.occurrences.list.map(\.due) }, made.work.map { $0.occurrences.list.map(\.due) })
            XCTAssertEqual(taken.ledgerItems, made.ledgerItems, "\(units)")
            XCTAssertEqual(taken.units, made.units)
            let states = ItemStates.compute(made, facts: facts, asOf: asOf, including: nil)
            XCTAssertEqual(ItemStates.compute(taken, facts: facts, asOf: asOf, including: nil), states, "\(units)")
            XCTAssertEqual(states.isEmpty, units.isEmpty)
        }
    }

    func testLedgersAreDoneWhenSubmittedAndLateAfterTheirDueDate() throws {
        let jan = try XCTUnwrap(ReportingPeriod(label: "2024-01", frequency: .month))
        let facts = Facts(ledgers: [LedgerFact(unitID: "ganzhou", period: jan, submittedOn: try day("2024-02-07"))])
        let states = ItemStates.compute(plan: plan, facts: facts, asOf: try day("2024-02-10"))
            .filter { $0.item.kind == .ledger && $0.item.period == jan }
        XCTAssertEqual(states.filter { $0.isOverdue(asOf: try! self.day("2024-02-10")) }.count, 17, "every other owing unit")
        let ganzhou = try XCTUnwrap(states.first { $0.item.unitID == "ganzhou" })
        XCTAssertTrue(ganzhou.wasLate, "due 2024-02-05, submitted 02-07")
    }

    /// A period's ledger counts as received by `LedgerCalendar.receivedOn` over its facts read by
    /// `submitted` date, whatever order the store returns them in: every permutation of a
    /// returned ledger, its resubmission and a correction dated before what it corrects.
    func testLedgerFactsGiveTheSameStatesInAnyOrder() throws {
        let jan = try XCTUnwrap(ReportingPeriod(label: "2024-01", frequency: .month))
        let recorded = [
            LedgerFact(unitID: "ganzhou", period: jan, submittedOn: try day("2024-02-03"), returnedOn: try day("2024-02-08")),
            LedgerFact(unitID: "linze", period: jan, submittedOn: try day("2024-02-04")),
            LedgerFact(unitID: "ganzhou", period: jan, submittedOn: try day("2024-02-10")),
            LedgerFact(unitID: "linze", period: jan, submittedOn: try day("2024-02-02")),
        ]
        let asOf = try day("2024-02-20")
        func permutations(_ a: [LedgerFact]) -> [[LedgerFact]] {
            a.count <= 1 ? [a] : a.indices.flatMap { i in permutations(Array(a[..<i] + a[(i + 1)...])).map { [a[i]] + $0 } }
        }
        for order in permutations(recorded) {
            let states = ItemStates.compute(plan: plan, facts: Facts(ledgers: order), asOf: asOf)
                .filter { $0.item.kind == .ledger && $0.item.period == jan }
            let done = Dictionary(states.compactMap { s in s.doneOn.map { (s.item.unitID, $0.description) } }, uniquingKeysWith: { a, _ in a })
            XCTAssertEqual(done, ["ganzhou": "2024-02-10", "linze": "2024-02-02"], "\(order.map(\.submittedOn))")
            let cells = LedgerCalendar.grid(plan, ledgers: order, periods: [jan], asOf: asOf)
            let received = Dictionary(cells.compactMap { c in c.submittedOn.map { (c.unitID, "\($0) \(c.state)") } }, uniquingKeysWith: { a, _ in a })
            XCTAssertEqual(received, ["ganzhou": "2024-02-10 late", "linze": "2024-02-02 submitted"], "\(order.map(\.submittedOn))")
        }
    }

    /// The grid finds each (unit, period) cell's submissions among all given, in their order:
    /// the cell's current submission is the last one of its unit and period submitted by the
    /// as-of date, whatever other cells' submissions come between (or after, or later).
    func testEachLedgerCellHasTheLastOfItsOwnSubmissions() throws {
        let jan = try XCTUnwrap(ReportingPeriod(label: "2024-01", frequency: .month))
        let feb = try XCTUnwrap(ReportingPeriod(label: "2024-02", frequency: .month))
        func submission(_ id: Int64, _ unit: String, _ period: ReportingPeriod, _ on: String) throws -> LedgerSubmission {
            LedgerSubmission(id: id, unitID: unit, period: period.description, submittedOn: try day(on),
                             liaison: Liaison(name: "", phone: nil), sourceFile: "", receivedAs: nil, entryCount: 0, recordedAt: "",
                             supersedes: nil, supersededBy: nil)
        }
        let submissions = [
            try submission(1, "ganzhou", jan, "2024-02-03"), try submission(2, "linze", jan, "2024-02-03"),
            try submission(3, "ganzhou", feb, "2024-03-02"), try submission(4, "ganzhou", jan, "2024-02-03"),
            try submission(5, "nowhere", jan, "2024-02-01"), try submission(6, "linze", jan, "2024-02-04"),
            try submission(7, "ganzhou", jan, "2024-03-20"),
        ]
        let cells = LedgerCalendar.grid(plan, submissions: submissions, periods: [jan, feb], asOf: try day("2024-03-10"))
        func cell(_ unit: String, _ period: ReportingPeriod) -> LedgerCell? { cells.first { $0.unitID == unit && $0.period == period } }
        XCTAssertEqual(cell("ganzhou", jan)?.submissionID, 4)
        XCTAssertEqual(cell("ganzhou", jan)?.submittedOn, try day("2024-02-03"))
        XCTAssertEqual(cell("linze", jan)?.submissionID, 6)
        XCTAssertEqual(cell("linze", jan)?.submittedOn, try day("2024-02-03"))
        XCTAssertEqual(cell("ganzhou", feb)?.submissionID, 3)
        XCTAssertEqual(cell("linze", feb)?.submissionID, nil)
        XCTAssertEqual(cells.count { $0.submissionID != nil }, 3)
    }

    func testAnExtensionMovesTheDueDateFromWhenItIsGranted() throws {
        let facts = Facts(extensions: [ExtensionFact(unitID: "linze", milestoneID: "15.1", originalDue: try day("2024-12-31"),
                                                     newDue: try day("2025-03-31"), grantedOn: try day("2024-12-01"))])
        XCTAssertFalse(try overdue(facts, asOf: "2025-01-15", milestone: "15.1").contains("linze"))
        XCTAssertTrue(try overdue(facts, asOf: "2025-04-01", milestone: "15.1").contains("linze"))
        XCTAssertTrue(try overdue(facts, asOf: "2025-01-15", milestone: "15.1").contains("gaotai"))
    }
}
