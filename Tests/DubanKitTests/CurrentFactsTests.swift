import Foundation
import GRDB
import XCTest
@testable import DubanKit

/// `current_fact` (the records kept per key, folded in by every write) gives the answers every
/// record gives, on every date; folding batch by batch makes the same table as one rebuild; and
/// a table that is not up to date is not used.
final class CurrentFactsTests: XCTestCase {
    /// A generated dataset (3 counties + departments, 8 months), its ledgers submitted in three
    /// batches, corrections last, plus command updates and an extension.
    func dataset() throws -> (Plan, DubanDatabase) {
        let (plan, database, ledgers) = try generatedShard()
        let third = (ledgers.main.count + 2) / 3
        let batches = stride(from: 0, to: ledgers.main.count, by: third).map { Array(ledgers.main[$0..<min($0 + third, ledgers.main.count)]) }
        XCTAssertFalse(ledgers.corrections.isEmpty, "the generated data has corrections")
        for batch in batches + [ledgers.corrections] {
            try ingest(batch, into: database)
        }
        let store = LedgerStore(database)
        for (unit, task, status, date) in [("c0002", 3, ProgressStatus.done, "2024-05-02"), ("c0001", 1, .inProgress, "2024-08-30"),
                                           ("c0003", 2, .done, "2024-03-31")] {
            try store.record(ProgressUpdate(planID: plan.id, unitID: unit, task: task, milestone: nil, status: status,
                                            percent: status == .done ? nil : 40, date: try XCTUnwrap(LocalDate(iso: date)),
                                            note: nil, source: "test"))
        }
        return (plan, database)
    }

    /// Every answer from the kept records equals every record's, on `dates`.
    func assertSameAnswers(_ plan: Plan, _ database: DubanDatabase, file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertTrue(try isCurrent(database, plan), file: file, line: line)
        let store = SupervisionStore(database)
        let all = try store.facts(planID: plan.id)
        for asOf in Self.dates {
            let facts = try store.facts(planID: plan.id, asOf: asOf, plan: plan)
            XCTAssertEqual(ItemStates.compute(plan: plan, facts: facts, asOf: asOf), ItemStates.compute(plan: plan, facts: all, asOf: asOf),
                           "states as of \(asOf)", file: file, line: line)
            XCTAssertEqual(TaskStatuses.latest(plan: plan, facts: facts, asOf: asOf), TaskStatuses.latest(plan: plan, facts: all, asOf: asOf),
                           "task statuses as of \(asOf)", file: file, line: line)
        }
    }

    /// A ledger record and an update known the same day tie on the date known: the rules break
    /// the tie by record order, one way for an item's last status and the other for a task's.
    func testTiesOnTheDayKnownResolveAsWithEveryRecord() throws {
        let (plan, database) = try dataset()
        let submitted = try database.writer.read { db in
            try XCTUnwrap(try String.fetchOne(db, sql: "SELECT max(submitted_on) FROM ledger_submission WHERE unit_id = 'c0001'"))
        }
        let day = try XCTUnwrap(LocalDate(iso: submitted))
        for (task, percent) in [(1, 77), (2, 3)] {
            try LedgerStore(database).record(ProgressUpdate(planID: plan.id, unitID: "c0001", task: task, status: .inProgress,
                                                            percent: percent, date: day, source: "test"))
        }
        let last = try XCTUnwrap(Self.dates.last)
        let facts = try SupervisionStore(database).facts(planID: plan.id, asOf: last, plan: plan)
        XCTAssertEqual(TaskStatuses.latest(plan: plan, facts: facts, asOf: last).first { $0.unitID == "c0001" && $0.task == 1 }?.percent, 77)
        let item = ItemStates.compute(plan: plan, facts: facts, asOf: last).first { $0.item.unitID == "c0001" && $0.item.task == 1 }
        XCTAssertNotEqual(item?.lastPercent, 77, "the item keeps the ledger's record, met first")
        try assertSameAnswers(plan, database)
    }

    /// Two done records of one date complete two occurrences when each names its own (catch-ups
    /// of two begun periods): the table keeps as many copies of a date as the milestone has occurrences.
    func testCopiesOfOneCompletionDateCountUpToTheOccurrences() throws {
        let (plan, database) = try dataset()
        let day = try XCTUnwrap(LocalDate(iso: "2024-10-15"))
        let store = SupervisionStore(database)
        let states = ItemStates.compute(plan: plan, facts: try store.facts(planID: plan.id), asOf: day)
        // A (unit, milestone) with two begun occurrences that are not done.
        let open = Dictionary(grouping: states.filter { $0.item.kind == .milestone && !$0.isDone && ($0.item.period?.start ?? .distantPast) <= day },
                              by: { "\($0.item.unitID)|\($0.item.milestoneID ?? "")" })
        let (key, group) = try XCTUnwrap(open.filter { $0.value.count >= 2 }.min { $0.key < $1.key })
        let item = group[0].item
        for open in group.prefix(2) {
            try LedgerStore(database).record(ProgressUpdate(planID: plan.id, unitID: item.unitID, task: item.task, milestone: item.milestoneID,
                                                            status: .done, date: day, occurrence: open.item.period?.description, source: "test"))
        }
        // A later record, so that neither copy is kept as the key's latest: only as a copy.
        try LedgerStore(database).record(ProgressUpdate(planID: plan.id, unitID: item.unitID, task: item.task, milestone: item.milestoneID,
                                                        status: .inProgress, percent: 60, date: day.adding(days: 5), source: "test"))
        let last = try XCTUnwrap(Self.dates.last)
        let after = ItemStates.compute(plan: plan, facts: try store.facts(planID: plan.id, asOf: last, plan: plan), asOf: last)
            .filter { "\($0.item.unitID)|\($0.item.milestoneID ?? "")" == key && $0.doneOn == day }
        XCTAssertEqual(after.count, 2, key)
        try assertSameAnswers(plan, database)
    }

    /// A correction that takes back a "done" is obeyed: the superseded ledger's records are not kept.
    func testACorrectionTakingBackDoneIsObeyed() throws {
        let (plan, database) = try dataset()
        let out = try GeneratedScale.generate("shard:3", ["--months", "8"])
        let main = try GeneratedScale.ledgerFiles(out).main
        let lastMonth = try XCTUnwrap(main.map { URL(fileURLWithPath: $0).deletingLastPathComponent().lastPathComponent }.max())
        let dir = try TestPaths.tempDirectory()
        var corrected: [String] = []
        let done = try NSRegularExpression(pattern: ",已完成,\\d+,\\d{4}-\\d{2}-\\d{2},")
        for path in main where path.contains("/\(lastMonth)/") {
            var text = try String(contentsOfFile: path, encoding: .utf8)
            let before = text
            text = done.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text), withTemplate: ",推进中,50,,")
            guard text != before else { continue }
            text = text.replacingOccurrences(of: #"报送日期,\d{4}-\d{2}-\d{2}"#, with: "报送日期,2024-09-25", options: .regularExpression)
            let file = dir.appendingPathComponent(URL(fileURLWithPath: path).lastPathComponent).path
            try text.write(toFile: file, atomically: true, encoding: .utf8)
            corrected.append(file)
        }
        XCTAssertFalse(corrected.isEmpty)
        let last = try XCTUnwrap(Self.dates.last)
        let store = SupervisionStore(database)
        let doneBefore = ItemStates.compute(plan: plan, facts: try store.facts(planID: plan.id), asOf: last).filter(\.isDone).count
        let reports = try ingest(corrected, into: database)
        XCTAssertTrue(reports.allSatisfy { if case .correction = $0.kind { true } else { false } }, "each file corrects a ledger")
        let doneAfter = ItemStates.compute(plan: plan, facts: try store.facts(planID: plan.id), asOf: last).filter(\.isDone).count
        XCTAssertLessThan(doneAfter, doneBefore, "the corrections take back some milestones")
        try assertSameAnswers(plan, database)
    }

    /// A returned ledger (退回) stops counting on the day it was returned, as a superseded one does
    /// on its correction's day: its "done"s are taken back from then on, not before; the kept
    /// records give every record's answers on every date; and folding the return in makes the
    /// table a rebuild makes.
    func testAReturnTakesBackWhatTheLedgerSaidFromTheDayItWasReturned() throws {
        let (stored, database) = try dataset()
        var plan = stored
        plan.ledgers?.review = .required
        let returnedOn = try XCTUnwrap(LocalDate(iso: "2024-09-20"))
        // The current ledgers of the last month with a done entry, returned.
        let returned = try database.writer.read { db in
            try Row.fetchAll(db, sql: """
                SELECT s.unit_id, s.period FROM ledger_submission s
                WHERE s.period = (SELECT max(period) FROM ledger_submission) AND s.submitted_on <= ?
                  AND NOT EXISTS (SELECT 1 FROM ledger_submission n WHERE n.supersedes_id = s.id)
                  AND EXISTS (SELECT 1 FROM progress_record r WHERE r.submission_id = s.id AND r.status = 'done')
                ORDER BY s.unit_id
                """, arguments: [returnedOn.description]).map { ($0[0] as String, $0[1] as String) }
        }
        XCTAssertFalse(returned.isEmpty)
        let store = SupervisionStore(database)
        let last = try XCTUnwrap(Self.dates.last)
        let before = returnedOn.adding(days: -1)
        let doneBefore = ItemStates.compute(plan: plan, facts: try store.facts(planID: plan.id), asOf: last).filter(\.isDone).count
        let statesTheDayBefore = ItemStates.compute(plan: plan, facts: try store.facts(planID: plan.id), asOf: before)
        for (unit, period) in returned {
            try LedgerStore(database).review(plan: plan, .current(unitID: unit, period: period), decision: .return, reason: "缺少佐证材料",
                                             on: returnedOn, by: "test", actor: AuditActor(accountID: nil, login: "test", address: "local"))
        }
        let all = try store.facts(planID: plan.id)
        XCTAssertLessThan(ItemStates.compute(plan: plan, facts: all, asOf: last).filter(\.isDone).count, doneBefore,
                          "the returns take back some milestones")
        XCTAssertEqual(ItemStates.compute(plan: plan, facts: all, asOf: before), statesTheDayBefore, "nothing changes before the return")
        // The returned periods are owed again: their ledger items are open, as of the return on.
        let ledgerItems = ItemStates.compute(plan: plan, facts: all, asOf: last).filter { $0.item.kind == .ledger && !$0.isDone }
        for (unit, period) in returned {
            XCTAssertTrue(ledgerItems.contains { $0.item.unitID == unit && $0.item.period?.description == period }, "\(unit) \(period)")
        }
        try assertSameAnswers(plan, database)
        let folded = try table(database)
        try database.writer.write { db in
            try db.execute(sql: "DELETE FROM derived_version")
            try CurrentFacts.fold(db)
        }
        XCTAssertEqual(try table(database), folded, "a rebuild makes the table the fold made")
    }

    /// Every 5th day from before the first ledger to after the last.
    static let dates = stride(from: 0, through: 330, by: 5).map { LocalDate(dayNumber: LocalDate(iso: "2024-01-01")!.dayNumber + $0) }

    func isCurrent(_ database: DubanDatabase, _ plan: Plan) throws -> Bool {
        try database.writer.read { try CurrentFacts.isCurrent($0, plan: plan) }
    }

    func testTheKeptRecordsGiveEveryRecordsAnswersOnEveryDate() throws {
        let (plan, database) = try dataset()
        XCTAssertTrue(try isCurrent(database, plan))
        let store = SupervisionStore(database)
        let all = try store.facts(planID: plan.id)
        var usedCurrent = 0
        for asOf in Self.dates {
            let facts = try store.facts(planID: plan.id, asOf: asOf, plan: plan)
            // Units read from `current_fact` though something about them became known after the date.
            let replayed = try database.writer.read { db in
                try Int.fetchOne(db, sql: "SELECT count(*) FROM current_fact_unit WHERE floor <= ? AND known_through > ?",
                                 arguments: [asOf.description, asOf.description]) ?? 0
            }
            if replayed > 0 { usedCurrent += 1 }
            XCTAssertTrue(facts.progress.allSatisfy { $0.knownOn <= asOf }, "only facts known on \(asOf)")
            // Kept rows and records read come out in one fact order (ties resolve by it).
            let rows = facts.progress.map { (id: $0.recordID ?? 0, reportedOn: $0.reportedOn?.description ?? "", fact: $0) }
            XCTAssertTrue(zip(rows, rows.dropFirst()).allSatisfy { SupervisionStore.factPrecedes($0, $1) }, "fact order as of \(asOf)")
            XCTAssertEqual(ItemStates.compute(plan: plan, facts: facts, asOf: asOf), ItemStates.compute(plan: plan, facts: all, asOf: asOf),
                           "states as of \(asOf)")
            XCTAssertEqual(TaskStatuses.latest(plan: plan, facts: facts, asOf: asOf), TaskStatuses.latest(plan: plan, facts: all, asOf: asOf),
                           "task statuses as of \(asOf)")
        }
        // Dates before units' last ledgers were answered from `current_fact` too (from their floors on).
        XCTAssertGreaterThan(usedCurrent, 5)
        let last = try XCTUnwrap(Self.dates.last)
        let facts = try store.facts(planID: plan.id, asOf: last, plan: plan)
        let kept = try database.writer.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM current_fact") ?? 0 }
        XCTAssertEqual(facts.progress.count, kept, "after the last ledger every fact comes from current_fact")
        XCTAssertLessThan(kept * 2, all.progress.count, "it keeps a fraction of the records")
    }

    func testMergingByUnitInterleavesWholeUnitsInOrder() {
        func fact(_ unit: String, _ id: Int64) -> ProgressFact {
            ProgressFact(recordID: id, unitID: unit, task: 1, status: .inProgress, knownOn: LocalDate(dayNumber: 0))
        }
        let kept = [fact("a", 1), fact("a", 2), fact("c", 3), fact("e", 4)]
        let read = [fact("b", 5), fact("d", 6), fact("d", 7), fact("f", 8)]
        XCTAssertEqual(SupervisionStore.mergingByUnit(kept, read).map(\.recordID), [1, 2, 5, 3, 6, 7, 4, 8])
        XCTAssertEqual(SupervisionStore.mergingByUnit(read, kept).map(\.recordID), [1, 2, 5, 3, 6, 7, 4, 8])
        XCTAssertEqual(SupervisionStore.mergingByUnit(kept, []).map(\.recordID), [1, 2, 3, 4])
    }

    /// Every row of the kept-facts tables, as text.
    func table(_ database: DubanDatabase) throws -> [String] {
        try database.writer.read { db in
            try String.fetchAll(db, sql: """
                SELECT record_id || '|' || plan_id || '|' || unit_id || '|' || task_key || '|' || milestone_key || '|'
                    || status || '|' || quote(percent) || '|' || quote(completed_on) || '|' || reported_on || '|' || known_on
                FROM current_fact ORDER BY record_id
                """) + String.fetchAll(db, sql: "SELECT plan_id || unit_id || known_through FROM current_fact_unit ORDER BY 1")
                + String.fetchAll(db, sql: "SELECT plan_id || caps FROM current_fact_plan")
        }
    }

    func testFoldingBatchByBatchMakesTheTableOneRebuildMakes() throws {
        let (_, database) = try dataset()
        func table() throws -> [String] { try self.table(database) }
        let folded = try table()
        XCTAssertGreaterThan(folded.count, 100)
        try database.writer.write { db in
            try db.execute(sql: """
                DELETE FROM current_fact; DELETE FROM current_fact_unit; DELETE FROM current_fact_plan;
                UPDATE current_fact_mark SET records_through = 0, submissions_through = 0;
                """)
            try CurrentFacts.fold(db)
        }
        XCTAssertEqual(try table(), folded)
    }

    /// The code that derives the table changed (`CurrentFacts.version`): a table derived by
    /// another version is not read, even where its rows would answer otherwise, and the next
    /// write (here one that adds no record) rebuilds it in its transaction.
    func testATableDerivedByAnotherVersionIsNotReadAndTheNextWriteRebuildsIt() throws {
        let (plan, database) = try dataset()
        let asOf = try XCTUnwrap(Self.dates.last)
        let store = SupervisionStore(database)
        let truth = ItemStates.compute(plan: plan, facts: try store.facts(planID: plan.id), asOf: asOf)
        func answers() throws -> [ItemState] {
            ItemStates.compute(plan: plan, facts: try store.facts(planID: plan.id, asOf: asOf, plan: plan), asOf: asOf)
        }
        let derived = try table(database)
        // What another derivation might have kept: no done record.
        try database.writer.write { try $0.execute(sql: "DELETE FROM current_fact WHERE status = 'done'") }
        XCTAssertNotEqual(try answers(), truth, "read as current, these rows would give other answers")
        try database.writer.write {
            try $0.execute(sql: "UPDATE derived_version SET version = ? WHERE name = 'current_fact'", arguments: [CurrentFacts.version + 1])
        }
        XCTAssertFalse(try isCurrent(database, plan))
        XCTAssertEqual(try answers(), truth)
        try store.recordAction(planID: plan.id, unitID: "c0001", level: .letter, takenOn: asOf, task: nil, reference: nil, note: nil)
        XCTAssertTrue(try isCurrent(database, plan))
        XCTAssertEqual(try database.writer.read { try CurrentFacts.derivedVersion($0) }, CurrentFacts.version)
        XCTAssertEqual(try table(database), derived, "rebuilt as one fold of every record makes it")
        XCTAssertEqual(try answers(), truth)
    }

    /// A database migrated by `v6-current-facts` without the fold it once ran: the tables are
    /// empty, the mark at (0, 0); the lists read the records, and the next write folds them all.
    func testEmptyTablesBehindTheRecordsAreNotReadAndTheNextWriteFillsThem() throws {
        let (plan, database) = try dataset()
        let asOf = try XCTUnwrap(Self.dates.last)
        let store = SupervisionStore(database)
        let truth = ItemStates.compute(plan: plan, facts: try store.facts(planID: plan.id), asOf: asOf)
        let derived = try table(database)
        try database.writer.write { db in
            try db.execute(sql: """
                DELETE FROM current_fact; DELETE FROM current_fact_unit; DELETE FROM current_fact_plan;
                UPDATE current_fact_mark SET records_through = 0, submissions_through = 0; DELETE FROM derived_version;
                """)
        }
        XCTAssertFalse(try isCurrent(database, plan))
        XCTAssertEqual(ItemStates.compute(plan: plan, facts: try store.facts(planID: plan.id, asOf: asOf, plan: plan), asOf: asOf), truth)
        try store.recordAction(planID: plan.id, unitID: "c0001", level: .letter, takenOn: asOf, task: nil, reference: nil, note: nil)
        XCTAssertTrue(try isCurrent(database, plan))
        XCTAssertEqual(try table(database), derived)
    }

    /// `eachUnitFacts` gives the facts `facts(planID:asOf:plan:)` gives, one unit at a time: with
    /// the table up to date (kept rows merged with the records of units known later) and behind.
    func testTheFactsOneUnitAtATimeAreTheFactsOfTheDate() throws {
        let (plan, database) = try dataset()
        let store = SupervisionStore(database)
        func check(_ label: String) throws {
            for asOf in Self.dates {
                let facts = try store.facts(planID: plan.id, asOf: asOf, plan: plan)
                var units: [String] = []
                var progress: [ProgressFact] = []
                let rest = try store.eachUnitFacts(planID: plan.id, asOf: asOf, plan: plan) { unit, part in
                    XCTAssertFalse(part.isEmpty)
                    XCTAssertTrue(part.allSatisfy { $0.unitID == unit }, "\(label): one unit's facts as of \(asOf)")
                    units.append(unit)
                    progress += part
                }
                XCTAssertEqual(Set(units).count, units.count, "\(label): each unit once as of \(asOf)")
                XCTAssertEqual(progress, facts.progress, "\(label): facts as of \(asOf)")
                XCTAssertEqual(rest.ledgers, facts.ledgers, "\(label): ledgers as of \(asOf)")
                XCTAssertEqual(rest.extensions, facts.extensions, "\(label): extensions as of \(asOf)")
                XCTAssertTrue(rest.progress.isEmpty)
            }
        }
        XCTAssertTrue(try isCurrent(database, plan))
        try check("current")
        try insertRecordWithoutFold(database, plan: plan)
        XCTAssertFalse(try isCurrent(database, plan))
        try check("behind")
    }

    func testARecordWrittenWithoutAFoldIsNotMissed() throws {
        let (plan, database) = try dataset()
        let asOf = try XCTUnwrap(LocalDate(iso: "2024-12-31"))
        // As an older duban (or a hand-made INSERT) would: a record the fold never saw.
        try insertRecordWithoutFold(database, plan: plan)
        XCTAssertFalse(try isCurrent(database, plan))
        let store = SupervisionStore(database)
        let facts = try store.facts(planID: plan.id, asOf: asOf, plan: plan)
        let all = try store.facts(planID: plan.id)
        XCTAssertEqual(TaskStatuses.latest(plan: plan, facts: facts, asOf: asOf).first { $0.unitID == "c0001" && $0.task == 1 }?.status,
                       .notStarted)
        XCTAssertEqual(ItemStates.compute(plan: plan, facts: facts, asOf: asOf), ItemStates.compute(plan: plan, facts: all, asOf: asOf))
        // The next write folds it in.
        try LedgerStore(database).record(ProgressUpdate(planID: plan.id, unitID: "c0002", task: 1, milestone: nil, status: .inProgress,
                                                        percent: 10, date: try XCTUnwrap(LocalDate(iso: "2024-12-30")), note: nil, source: "test"))
        XCTAssertTrue(try isCurrent(database, plan))
        let after = try store.facts(planID: plan.id, asOf: asOf, plan: plan)
        XCTAssertEqual(ItemStates.compute(plan: plan, facts: after, asOf: asOf),
                       ItemStates.compute(plan: plan, facts: try store.facts(planID: plan.id), asOf: asOf))
    }

    /// `plan` with one milestone due once less.
    func withOtherCounts(_ plan: Plan) throws -> Plan {
        var changed = plan
        let t = try XCTUnwrap(changed.tasks.firstIndex { $0.milestones.contains { $0.dueDates.count > 1 } })
        let m = try XCTUnwrap(changed.tasks[t].milestones.firstIndex { $0.dueDates.count > 1 })
        changed.tasks[t].milestones[m].dueDates.removeLast()
        return changed
    }

    func testAPlanWithOtherOccurrenceCountsIsRebuiltWhenLoaded() throws {
        let (plan, database) = try dataset()
        let changed = try withOtherCounts(plan)
        // A plan read from elsewhere with other counts is not served from the table …
        XCTAssertFalse(try isCurrent(database, changed))
        // … until it is loaded, which rebuilds the plan's rows with the new counts.
        _ = try PlanStore(database).load(changed, sourceDirectory: "/elsewhere")
        XCTAssertTrue(try isCurrent(database, changed))
        let store = SupervisionStore(database)
        for asOf in Self.dates.suffix(5) {
            XCTAssertEqual(ItemStates.compute(plan: changed, facts: try store.facts(planID: plan.id, asOf: asOf, plan: changed), asOf: asOf),
                           ItemStates.compute(plan: changed, facts: try store.facts(planID: plan.id), asOf: asOf))
        }
    }

    /// `LedgerStore.submit(plan:)` (the portal's decoded plan) is folded with only while its
    /// version is still the plan's current one: a plan at hand of another version is not used.
    func testAPlanAtHandIsFoldedWithOnlyWhileItsVersionIsCurrent() throws {
        let (plan, database) = try dataset()
        let changed = try withOtherCounts(plan)
        let version = try XCTUnwrap(try PlanStore(database).currentVersion(id: plan.id))
        _ = try LedgerStore(database).submit([], plan: (changed, version + 1))
        XCTAssertTrue(try isCurrent(database, plan), "a plan at hand of another version is not folded with")
        XCTAssertFalse(try isCurrent(database, changed))
        // With the current version's number it is trusted, not decoded again from the store (here
        // it differs from the stored plan only to show which one the fold used).
        _ = try LedgerStore(database).submit([], plan: (changed, version))
        XCTAssertTrue(try isCurrent(database, changed), "the plan at hand of the current version is folded with")
    }

    func testADryRunLeavesTheTableAsItWas() throws {
        let (plan, database) = try dataset()
        let rows = try database.writer.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM current_fact") }
        let out = try GeneratedScale.generate("shard:3", ["--months", "9"])
        let files = try GeneratedScale.ledgerFiles(out).main.suffix(3)
        try ingest(Array(files), into: database, dryRun: true)
        XCTAssertEqual(try database.writer.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM current_fact") }, rows)
        XCTAssertTrue(try isCurrent(database, plan))
    }

    static let days = ["2024-01-05", "2024-02-05", "2024-03-05", "2024-04-05", "2024-05-05", "2024-06-05"]

    func randomRecords(_ rng: inout some RandomNumberGenerator) -> [CurrentFacts.Record] {
        (0..<Int.random(in: 1...30, using: &rng)).map { i -> CurrentFacts.Record in
            let done = Bool.random(using: &rng)
            return CurrentFacts.Record(id: Int64(i + 1), status: done ? "done" : "in_progress", percent: Int.random(in: 0...100, using: &rng),
                                       completedOn: done ? Self.days.prefix(3).randomElement(using: &rng) : nil,
                                       reportedOn: Self.days.randomElement(using: &rng) ?? "", knownOn: Self.days.randomElement(using: &rng) ?? "")
        }
    }

    /// What the rules see of a key's records on day `t`: both winners and the capped count of
    /// done copies per completion date.
    func seen(_ records: [CurrentFacts.Record], on t: String, cap: Int) -> String {
        let known = records.filter { $0.knownOn <= t }
        guard var item = known.first else { return "nothing" }
        var task = item
        for r in known {
            if r.beatsForItem(item) { item = r }
            if r.beatsForTask(task) { task = r }
        }
        let copies = Dictionary(grouping: known.filter { $0.status == "done" }, by: \.completion).mapValues { min(cap, $0.count) }
        return "\(item.id) \(task.id) \(copies.sorted { $0.key < $1.key })"
    }

    /// Kept records answer as all records do on every day from the floor on.
    func testKeptRecordsAnswerFromTheFloorOn() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            let records = randomRecords(&rng)
            let cap = Int.random(in: 1...3, using: &rng)
            let floor = ([""] + Self.days).randomElement(using: &rng) ?? ""
            let kept = CurrentFacts.keep(records, cap: cap, floor: floor)
            for t in Self.days where t >= floor {
                XCTAssertEqual(seen(kept, on: t, cap: cap), seen(records, on: t, cap: cap), "floor \(floor), day \(t)")
            }
            if floor == Self.days.last {
                XCTAssertLessThanOrEqual(kept.count, 2 + 3 * cap, "from the last day on, little is kept")
            }
        }
    }

    /// Keeping is associative, also as the floor rises, so records can be folded in batch by batch.
    func testKeepingIsAssociative() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            let records = randomRecords(&rng)
            let cap = Int.random(in: 1...3, using: &rng)
            let floors = [([""] + Self.days).randomElement(using: &rng) ?? "", ([""] + Self.days).randomElement(using: &rng) ?? ""].sorted()
            let split = Int.random(in: 0...records.count, using: &rng)
            let whole = CurrentFacts.keep(records, cap: cap, floor: floors[1]).map(\.id).sorted()
            let first = CurrentFacts.keep(Array(records[..<split]), cap: cap, floor: floors[0])
            let folded = CurrentFacts.keep(first + records[split...], cap: cap, floor: floors[1]).map(\.id).sorted()
            XCTAssertEqual(folded, whole)
        }
    }
}
