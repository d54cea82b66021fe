import Foundation
import XCTest
@testable import DubanKit

/// Speed was not bought with wrong answers: the as-of facts give the same item states as every
/// record; a shard (some counties' ledgers only) gives the same answers for those counties as the
/// whole dataset; the hand-written JSON is JSONEncoder's, byte for byte.
final class ScaleTests: XCTestCase {
    static let shardUnits = ["c0001", "c0003", "ecology"]

    /// Generates a small dataset with Scripts/generate-scale (3 counties + 19 departments, 8 months),
    /// loads the plan and submits the ledgers (corrections last) into an in-memory database.
    func dataset(unitsOnly: [String]? = nil) throws -> (Plan, DubanDatabase) {
        let out = try GeneratedScale.generate("shard:3", ["--months", "8"] + (unitsOnly.map { ["--units-only", $0.joined(separator: ",")] } ?? []))
        let (loaded, diagnostics) = loadPlan(out.appendingPathComponent("plan").path)
        let plan = try XCTUnwrap(loaded, diagnostics.renderAll())
        let database = try checkedDatabase()
        _ = try PlanStore(database).load(plan, sourceDirectory: out.path)
        let ledgers = try GeneratedScale.ledgerFiles(out)
        for batch in [ledgers.main, ledgers.corrections] where !batch.isEmpty {
            try ingest(batch, into: database)
        }
        return (plan, database)
    }

    static let dates = ["2024-01-15", "2024-02-03", "2024-03-06", "2024-04-20", "2024-06-05", "2024-07-31", "2024-09-10", "2025-03-01"]
        .compactMap { LocalDate(iso: $0) }

    func testAsOfFactsGiveTheSameStatesAsEveryRecord() throws {
        let (plan, database) = try dataset()
        let store = SupervisionStore(database)
        // A command record, an extension and a recorded step, so every kind of fact is there.
        try LedgerStore(database).record(ProgressUpdate(planID: plan.id, unitID: "c0002", task: 3, milestone: nil, status: .done,
                                                        percent: nil, date: try XCTUnwrap(LocalDate(iso: "2024-05-02")),
                                                        note: nil, source: "test"))
        let all = try store.facts(planID: plan.id)
        XCTAssertGreaterThan(all.progress.count, 5000)
        for asOf in Self.dates {
            let reduced = try store.facts(planID: plan.id, asOf: asOf, plan: plan)
            XCTAssertLessThanOrEqual(reduced.progress.count, all.progress.count)
            XCTAssertEqual(ItemStates.compute(plan: plan, facts: reduced, asOf: asOf),
                           ItemStates.compute(plan: plan, facts: all, asOf: asOf), "as of \(asOf)")
            // Two threads give the same states, in the same order, as one.
            for including in [nil, { @Sendable (s: ItemState) in !s.isDone }] {
                let oneThread = ItemStates.compute(plan: plan, facts: reduced, asOf: asOf, units: nil, including: including,
                                                   parallelFrom: .max)
                XCTAssertFalse(oneThread.isEmpty)
                XCTAssertEqual(ItemStates.compute(plan: plan, facts: reduced, asOf: asOf, units: nil, including: including,
                                                  parallelFrom: 0), oneThread, "as of \(asOf)")
            }
        }
    }

    /// The digest's two dates, computed on two threads, match item by item by position as they do
    /// by key; and the week changes something on some of these dates (the test can fail).
    func testTheDigestWeekMatchesItemsByPositionAsByKey() throws {
        let (plan, database) = try dataset()
        let facts = try SupervisionStore(database).facts(planID: plan.id)
        var changed = 0
        for asOf in Self.dates {
            let (now, before) = DigestBuilder.snapshots(plan: plan, facts: facts, actions: [], asOf, asOf.adding(days: -7))
            XCTAssertEqual(now.states, ItemStates.compute(plan: plan, facts: facts, asOf: asOf))
            XCTAssertEqual(before.states, ItemStates.compute(plan: plan, facts: facts, asOf: asOf.adding(days: -7)))
            let byPosition = DigestBuilder.WeekChanges(now: now, before: before)
            XCTAssertEqual(byPosition, DigestBuilder.WeekChanges(now: now, before: before, byPosition: false), "as of \(asOf)")
            changed += byPosition.newlyCompleted.count + byPosition.ledgersReceived.count
        }
        XCTAssertGreaterThan(changed, 0)
    }

    /// The digest's JSON through `JSONOutput` is `JSONEncoder`'s, byte for byte: on generated data
    /// at several dates (every section filled on some of them) and with a plan whose names need
    /// escaping.
    func testDigestJSONIsJSONEncoders() throws {
        var (plan, database) = try dataset()
        let facts = try SupervisionStore(database).facts(planID: plan.id)
        let actions = [ActionFact(unitID: "c0001", level: .letter, date: try XCTUnwrap(LocalDate(iso: "2024-03-04")), task: 2)]
        var sections = Set<String>()
        for asOf in Self.dates {
            let digest = DigestBuilder.build(plan: plan, facts: facts, actions: actions, asOf: asOf)
            XCTAssertEqual(DigestJSONRenderer.render(digest), DigestJSONRenderer.encoderText(digest), "as of \(asOf)")
            if !digest.changes.newlyCompleted.isEmpty { sections.insert("completed") }
            if !digest.changes.ledgersReceived.isEmpty { sections.insert("received") }
            if !digest.changes.actions.isEmpty { sections.insert("actions") }
            if !digest.escalations.isEmpty { sections.insert("escalations") }
            if !digest.missingLedgers.isEmpty { sections.insert("missing") }
            if !digest.upcoming.isEmpty { sections.insert("upcoming") }
        }
        XCTAssertEqual(sections, ["completed", "received", "actions", "escalations", "missing", "upcoming"])
        plan.title = "引号\"反斜杠\\/斜杠\n换行\t\u{01}😀"
        plan.units[0].name = plan.title
        let odd = DigestBuilder.build(plan: plan, facts: Facts(), actions: [], asOf: try XCTUnwrap(LocalDate(iso: "2024-02-03")))
        XCTAssertEqual(DigestJSONRenderer.render(odd), DigestJSONRenderer.encoderText(odd))
    }

    /// `--unit`: the facts and states of some units alone equal those units' part of the whole.
    func testFactsForSomeUnitsGiveTheirPartOfTheWhole() throws {
        let (plan, database) = try dataset()
        let store = SupervisionStore(database)
        for units in [Set(["c0001"]), Set(Self.shardUnits), Set(["ecology", "justice"])] {
            for asOf in Self.dates {
                let whole = ItemStates.compute(plan: plan, facts: try store.facts(planID: plan.id, asOf: asOf, plan: plan), asOf: asOf)
                    .filter { units.contains($0.item.unitID) }
                let part = try store.facts(planID: plan.id, asOf: asOf, plan: plan, units: units)
                XCTAssertTrue(part.progress.allSatisfy { units.contains($0.unitID) })
                XCTAssertFalse(whole.isEmpty)
                XCTAssertEqual(ItemStates.compute(plan: plan, facts: part, asOf: asOf, units: units), whole, "\(units.sorted()) as of \(asOf)")
            }
        }
    }

    func testAShardGivesTheSameAnswersForItsUnits() throws {
        let (plan, full) = try dataset()
        let (shardPlan, shard) = try dataset(unitsOnly: Self.shardUnits)
        XCTAssertEqual(plan, shardPlan)
        let mine = Set(Self.shardUnits)
        for asOf in Self.dates {
            func states(_ db: DubanDatabase) throws -> [ItemState] {
                let facts = try SupervisionStore(db).facts(planID: plan.id, asOf: asOf, plan: plan)
                return ItemStates.compute(plan: plan, facts: facts, asOf: asOf).filter { mine.contains($0.item.unitID) }
            }
            let fromFull = try states(full)
            XCTAssertFalse(fromFull.isEmpty)
            XCTAssertEqual(try states(shard), fromFull, "overdue/notify/escalate states as of \(asOf)")
            XCTAssertEqual(SupervisionReports.overdue(try states(shard), plan: plan, asOf: asOf),
                           SupervisionReports.overdue(fromFull, plan: plan, asOf: asOf))
            func status(_ db: DubanDatabase) throws -> [String] {
                try LedgerStore(db).statusMatrix(plan: plan.id, asOf: asOf).filter { mine.contains($0.unit) }
                    .map { "\($0.unit)|\($0.task)|\($0.record?.status.rawValue ?? "-")|\($0.record?.percent ?? -1)|\($0.record?.reportedOn.description ?? "")" }
            }
            XCTAssertEqual(try status(shard), try status(full), "status as of \(asOf)")
        }
    }

    func testHandWrittenJSONIsJSONEncoders() throws {
        let odd = "引号\"反斜杠\\/斜杠\n换行\t制表\r\u{01}\u{1F}\u{7F}😀 ,;"
        let entries = [
            LedgerEntry(task: 1, milestone: "1.1", status: .done, percent: 100, completed: LocalDate(iso: "2024-02-03"),
                        progress: odd, problems: "", nextSteps: odd,
                        figures: [Figure(name: odd, value: 12, unit: "%"), Figure(name: "b", value: 2.5, unit: nil),
                                  Figure(name: "c", value: -0.0, unit: ""), Figure(name: "d", value: 1e20, unit: "x")],
                        evidence: [odd, "甘司发〔2024〕5号"], line: 3),
            LedgerEntry(task: nil, milestone: "S3.2", status: .inProgress, percent: nil, progress: "x"),
        ]
        for phone in [nil, "0936-1"] as [String?] {
            let ledger = Ledger(planID: "p", unitID: odd, period: try XCTUnwrap(ReportingPeriod(label: "2024-02", frequency: .month)),
                                liaison: Liaison(name: odd, phone: phone), submitted: try XCTUnwrap(LocalDate(iso: "2024-03-04")),
                                entries: entries, sourceFile: "f.yaml", format: .yaml, receivedAs: .yaml)
            XCTAssertEqual(ledger.canonicalJSONWritten, ledger.canonicalJSONEncoded)
        }
        XCTAssertEqual(JSONText.figures(entries[0].figures), LedgerStore.json(entries[0].figures))
        XCTAssertEqual(JSONText.strings(entries[0].evidence), LedgerStore.json(entries[0].evidence))
    }
}
