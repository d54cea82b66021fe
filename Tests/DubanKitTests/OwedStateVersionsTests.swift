import Foundation
import XCTest
@testable import DubanKit

/// `OwedStateVersions`: a unit's open states as versions answer, on every day, exactly what
/// `ItemStates.compute` answers for the open items, in its order (`ItemStates.ordered`); a change
/// day left out makes them wrong.
final class OwedStateVersionsTests: XCTestCase {
    /// The open states on `day` from every unit's versions, in the rules' order.
    static func openStates(_ versions: [OwedStateVersion], on day: LocalDate) -> [ItemState] {
        ItemStates.ordered(versions.filter { $0.isValid(on: day) }.map { ($0.place, $0.state) })
    }

    /// The days in `days` on which the versions answer otherwise than `ItemStates.compute`.
    static func mismatches(_ plan: Plan, _ facts: Facts, _ versions: [OwedStateVersion], days: [LocalDate]) -> [LocalDate] {
        days.filter { day in
            openStates(versions, on: day) != ItemStates.compute(plan: plan, facts: facts, asOf: day).filter { !$0.isDone }
        }
    }

    static func versions(_ plan: Plan, _ facts: Facts) -> [OwedStateVersion] {
        let places = ItemPlaces(plan)
        return plan.units.flatMap { OwedStateVersions.versions(unit: $0.id, facts: facts, places: places) }
    }

    /// Every day from a week before the plan's first change to a week after its last.
    static func everyDay(_ facts: Facts) throws -> [LocalDate] {
        let changes = OwedStateVersions.changeDays(facts)
        let first = try XCTUnwrap(changes.first).adding(days: -7), last = try XCTUnwrap(changes.last).adding(days: 7)
        return (0...first.days(to: last)).map { first.adding(days: $0) }
    }

    /// The Zhangye samples, with a correction-like end, a return and an extension added to the facts.
    func zhangyeFacts() throws -> (Plan, Facts) {
        let (plan, store) = try zhangyeLedgerStore()
        let folder = TestPaths.zhangye + "/samples"
        try ingest(try FileManager.default.contentsOfDirectory(atPath: folder).sorted().map { folder + "/" + $0 }, into: store.database)
        var facts = try SupervisionStore(store.database).facts(planID: plan.id)
        let day = try XCTUnwrap(LocalDate(iso: "2024-03-20"))
        // A record that stops counting, a ledger returned, an extension granted: each a change day.
        let ended = try XCTUnwrap(facts.progress.firstIndex { $0.status != .done })
        facts.progress[ended].supersededOn = day
        let returned = try XCTUnwrap(facts.ledgers.indices.last)
        facts.ledgers[returned].returnedOn = facts.ledgers[returned].submittedOn.adding(days: 3)
        // An item still open after the last ledger: its extension shows from the day granted.
        let open = try XCTUnwrap(ItemStates.compute(plan: plan, facts: facts, asOf: day.adding(days: 60))
            .first { $0.item.kind == .milestone && !$0.isDone })
        facts.extensions.append(ExtensionFact(unitID: open.item.unitID, milestoneID: try XCTUnwrap(open.item.milestoneID), originalDue: open.item.due,
                                              newDue: open.item.due.adding(days: 30), grantedOn: day.adding(days: 5)))
        return (plan, facts)
    }

    /// A generated dataset (3 counties and departments, 8 months, corrections last) and every fact.
    func generatedFacts() throws -> (Plan, Facts) {
        let (plan, database, ledgers) = try generatedShard()
        XCTAssertFalse(ledgers.corrections.isEmpty, "the generated data has corrections")
        try ingest(ledgers.main, into: database)
        try ingest(ledgers.corrections, into: database)
        return (plan, try SupervisionStore(database).facts(planID: plan.id))
    }

    func testVersionsAnswerAsComputeOnEveryDayOfTheSamples() throws {
        let (plan, facts) = try zhangyeFacts()
        let versions = Self.versions(plan, facts)
        XCTAssertTrue(versions.contains { $0.state.extended }, "the extension shows")
        XCTAssertTrue(versions.contains { $0.validUntil != nil }, "some states end")
        let days = try Self.everyDay(facts)
        XCTAssertEqual(Self.mismatches(plan, facts, versions, days: days), [])
    }

    func testVersionsAnswerAsComputeOnEveryDayOfGeneratedData() throws {
        let (plan, facts) = try generatedFacts()
        XCTAssertTrue(facts.progress.contains { $0.supersededOn != nil }, "corrections supersede records")
        let versions = Self.versions(plan, facts)
        XCTAssertEqual(Self.mismatches(plan, facts, versions, days: try Self.everyDay(facts)), [])
    }

    /// Leaving out any change day on which a unit's open states change makes the versions wrong on that day.
    func testAChangeDayLeftOutIsFound() throws {
        let (plan, facts) = try zhangyeFacts()
        let places = ItemPlaces(plan)
        var checked = 0
        for unit in plan.units {
            let own = facts.about([unit.id])
            let days = OwedStateVersions.changeDays(own)
            for (previous, day) in zip([LocalDate.distantPast] + days, days) {
                let open = { (d: LocalDate) in ItemStates.compute(plan: plan, facts: own, asOf: d, units: [unit.id]).filter { !$0.isDone } }
                guard open(previous) != open(day) else { continue }
                let versions = OwedStateVersions.versions(unit: unit.id, facts: own, places: places, days: days.filter { $0 != day })
                XCTAssertEqual(Self.mismatches(plan, own, versions, days: [day]), [day], "\(unit.id) without \(day)")
                checked += 1
                break
            }
        }
        XCTAssertGreaterThan(checked, 3)
    }

    /// The versions of several units put together come back in `ItemStates.compute`'s order, whatever order they are in.
    func testOrderedGivesComputesOrder() throws {
        let (plan, facts) = try zhangyeFacts()
        let day = try XCTUnwrap(LocalDate(iso: "2024-02-15"))
        let valid = Self.versions(plan, facts).filter { $0.isValid(on: day) }
        var generator = SystemRandomNumberGenerator()
        let shuffled = valid.shuffled(using: &generator).map { ($0.place, $0.state) }
        XCTAssertEqual(ItemStates.ordered(shuffled), ItemStates.compute(plan: plan, facts: facts, asOf: day).filter { !$0.isDone })
        XCTAssertGreaterThan(Set(valid.map(\.state.item.unitID)).count, 3)
    }

    /// The item at each stored place is the item the rules made there.
    func testItemAtAPlaceIsTheRulesItem() throws {
        let (plan, facts) = try zhangyeFacts()
        let places = ItemPlaces(plan)
        let versions = Self.versions(plan, facts)
        XCTAssertTrue(versions.contains { $0.state.item.kind == .ledger } && versions.contains { $0.state.item.kind == .milestone })
        for v in versions { XCTAssertEqual(places.item(at: v.place, unit: v.state.item.unitID), v.state.item) }
        let other = try XCTUnwrap(plan.units.first { u in !versions.contains { $0.state.item.unitID == u.id } } ?? plan.units.last)
        XCTAssertNil(places.item(at: ItemPlace(milestoneRank: plan.milestones.count + 1, ownerRank: 0, slot: 0), unit: other.id))
    }
}
