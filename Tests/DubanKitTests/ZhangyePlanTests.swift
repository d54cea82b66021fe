@testable import DubanKit
import Foundation
import XCTest

/// The bundled Zhangye plan against its own text.
final class ZhangyePlanTests: XCTestCase {
    var plan: Plan!
    var text: String!

    override func setUpWithError() throws {
        let (loaded, diagnostics) = loadPlan(TestPaths.zhangye)
        XCTAssertFalse(diagnostics.hasErrors, diagnostics.renderAll())
        XCTAssertEqual(diagnostics.warnings.count, 0, diagnostics.renderAll())
        plan = try XCTUnwrap(loaded)
        text = try String(contentsOfFile: TestPaths.planText, encoding: .utf8)
    }

    func testHasTwentyFourTasksInSixCategories() {
        XCTAssertEqual(plan.tasks.map(\.number), Array(1...24))
        XCTAssertEqual(plan.categories.map(\.numeral), ["一", "二", "三", "四", "五", "六"])
        let byCategory = Dictionary(grouping: plan.tasks, by: \.category).mapValues { $0.map(\.number) }
        XCTAssertEqual(byCategory[1], [1, 2, 3, 4, 5])
        XCTAssertEqual(byCategory[2], Array(6...13))
        XCTAssertEqual(byCategory[3], [14, 15, 16])
        XCTAssertEqual(byCategory[4], [17, 18, 19])
        XCTAssertEqual(byCategory[5], [20, 21])
        XCTAssertEqual(byCategory[6], [22, 23, 24])
        for category in plan.categories {
            XCTAssertTrue(text.contains("(\(category.numeral))\(category.title)"), category.title)
        }
    }

    /// Each task's `(牵头单位:…;责任单位:…)` in the text, split into names.
    func unitsInText(task number: Int) throws -> (lead: [String], responsible: [String]) {
        let lines = text.split(separator: "\n").map(String.init)
        let line = try XCTUnwrap(lines.first { $0.hasPrefix("\(number).") }, "task \(number) in the text")
        let open = try XCTUnwrap(line.range(of: "(牵头单位", options: .backwards))
        let inner = line[open.upperBound...].dropFirst().dropLast()   // drop ':' and ')'
        let halves = inner.components(separatedBy: ";责任单位")
        func split(_ s: Substring) -> [String] {
            s.split(whereSeparator: { $0 == "、" || $0 == "," || $0 == "," }).map(String.init)
        }
        let lead = split(Substring(halves[0]))
        let responsible = halves.count > 1 ? split(halves[1].dropFirst()) : []
        return (lead, responsible)
    }

    func testLeadAndResponsibleUnitsEqualTheText() throws {
        for task in plan.tasks {
            let expected = try unitsInText(task: task.number)
            XCTAssertEqual(task.lead.map(\.written), expected.lead, "task \(task.number) lead")
            XCTAssertEqual(task.responsible.map(\.written), expected.responsible, "task \(task.number) responsible")
        }
    }

    func testTaskTextIsVerbatimExceptMarkedRepairs() {
        for task in plan.tasks where ![16, 21].contains(task.number) {
            XCTAssertTrue(text.contains("\(task.number).\(task.title)。\(task.text)(牵头单位"), "task \(task.number)")
        }
        XCTAssertTrue(plan.task(number: 16)?.text.contains("跨区域") ?? false)
        XCTAssertFalse(plan.task(number: 21)?.text.contains("bet36") ?? true)
    }

    func testEverySourceIsQuotedVerbatim() {
        for m in plan.milestones {
            let source = m.source ?? ""
            XCTAssertFalse(source.isEmpty, "milestone \(m.id) has a source")
            XCTAssertTrue(text.contains(source), "milestone \(m.id): \(source)")
        }
    }

    func dueDates(task: Int) -> Set<String> {
        Set(plan.task(number: task)?.milestones.flatMap(\.dueDates).map(\.description) ?? [])
    }

    func testExplicitDeadlinesOfTheText() {
        XCTAssertTrue(dueDates(task: 7).contains("2023-12-31"))
        for task in [8, 14, 15, 18] {
            XCTAssertTrue(dueDates(task: task).contains("2024-12-31"), "task \(task)")
        }
        XCTAssertTrue(dueDates(task: 6).contains("2024-12-31"))
        XCTAssertTrue(dueDates(task: 16).isSuperset(of: ["2024-01-31", "2025-01-31"]))
    }

    func testHalfYearlyPublicationOfTask17() throws {
        let m = try XCTUnwrap(plan.task(number: 17)?.milestones.first { $0.source?.contains("每半年") ?? false })
        let halves = Set(m.dueDates.map { ReportingPeriod(containing: $0, frequency: .halfYear).description })
        XCTAssertEqual(halves, ["2024-H1", "2024-H2", "2025-H1", "2025-H2"])
    }

    func testEveryTaskHasAMilestoneAndUndatedOnesEndWithThePlan() {
        for task in plan.tasks {
            XCTAssertFalse(task.milestones.isEmpty, "task \(task.number)")
            for m in task.milestones where m.due == .planEnd {
                XCTAssertEqual(m.dueDates, [plan.end])
            }
        }
    }

    func testSectionThreeTwoObligations() {
        XCTAssertEqual(plan.obligations.count, 2)
        let owners = Set(plan.obligations.flatMap { plan.expand($0.owners) }.map(\.name))
        XCTAssertTrue(owners.isSuperset(of: ["甘州区", "临泽县", "高台县", "山丹县", "民乐县", "肃南裕固族自治县"]))
        XCTAssertTrue(plan.obligations.allSatisfy { $0.dueDates.map(\.description) == ["2023-12-22"] })
    }

    func testGroupsExpandThroughReferences() throws {
        let ganzhou = try XCTUnwrap(plan.resolve("甘州区"))
        let owed = plan.tasks.filter { TaskQuery.owes(ganzhou, $0, in: plan) }.map(\.number)
        let viaCounties = plan.tasks.filter { ($0.lead + $0.responsible).contains { $0.written == "各县区人民政府" } }.map(\.number)
        XCTAssertEqual(owed, viaCounties)
        XCTAssertEqual(owed.count, 24 - 0 - plan.tasks.filter { !viaCounties.contains($0.number) }.count)
    }
}
