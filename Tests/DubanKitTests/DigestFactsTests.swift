@testable import DubanKit
import Foundation
import XCTest

/// One digest reads only the facts in force on its date and a week before; it must equal the
/// digest built from every record.
final class DigestFactsTests: XCTestCase {
    func testTheDigestFromAsOfFactsEqualsTheOneFromEveryRecord() throws {
        let (loaded, diagnostics) = loadPlan(TestPaths.zhangye)
        let plan = try XCTUnwrap(loaded, diagnostics.renderAll())
        let db = try checkedDatabase(path: try TestPaths.tempDirectory().appendingPathComponent("d.sqlite").path)
        _ = try PlanStore(db).load(plan, sourceDirectory: TestPaths.zhangye)
        let folder = TestPaths.zhangye + "/samples"
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).sorted().map { folder + "/" + $0 }
        try ingest(files, into: db)
        let store = SupervisionStore(db)
        try store.recordAction(planID: plan.id, unitID: "transport", level: .letter, takenOn: try XCTUnwrap(LocalDate(iso: "2024-03-20")),
                               task: nil, reference: nil, note: nil)
        let all = try store.facts(planID: plan.id)
        let actions = try store.actions(planID: plan.id).map(\.fact)
        for text in ["2024-01-07", "2024-02-11", "2024-03-10", "2024-03-24", "2024-04-14", "2024-12-29"] {
            let date = try XCTUnwrap(LocalDate(iso: text))
            let few = try store.facts(planID: plan.id, asOf: date, plan: plan)
                .union(try store.facts(planID: plan.id, asOf: date.adding(days: -7), plan: plan))
            XCTAssertLessThanOrEqual(few.progress.count, all.progress.count)
            XCTAssertEqual(DigestBuilder.build(plan: plan, facts: few, actions: actions, asOf: date),
                           DigestBuilder.build(plan: plan, facts: all, actions: actions, asOf: date), text)
        }
    }

    func testUnionKeepsEachRecordOnce() throws {
        let day = try XCTUnwrap(LocalDate(iso: "2024-01-10"))
        let a = Facts(progress: [ProgressFact(recordID: 1, unitID: "u", task: 7, status: .done, knownOn: day),
                                 ProgressFact(unitID: "u", task: 7, status: .done, knownOn: day)])
        let b = Facts(progress: [ProgressFact(recordID: 1, unitID: "u", task: 7, status: .done, knownOn: day),
                                 ProgressFact(recordID: 2, unitID: "u", task: 8, status: .done, knownOn: day)])
        XCTAssertEqual(a.union(b).progress.map(\.recordID), [1, nil, 2])
    }
}
