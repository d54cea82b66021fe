@testable import DubanKit
import Foundation
import SnapshotTesting
import XCTest

/// Every defect of a plan folder is reported, with its place, and nothing loads.
final class PlanErrorTests: XCTestCase {
    func errors(_ directory: String) -> [Diagnostic] {
        let (plan, diagnostics) = loadPlan(directory)
        if diagnostics.hasErrors { XCTAssertNil(plan) }
        return diagnostics.errors
    }

    func testMiniPlanLoads() throws {
        let (plan, diagnostics) = loadPlan(TestPaths.fixture("plans/mini"))
        XCTAssertFalse(diagnostics.hasErrors, diagnostics.renderAll())
        let p = try XCTUnwrap(plan)
        XCTAssertEqual(p.tasks.count, 2)
        XCTAssertEqual(p.task(number: 1)?.milestones.first?.dueDates.map(\.description), ["2024-12-31", "2025-12-31", "2026-12-31"])
        XCTAssertEqual(p.expand(p.task(number: 1)?.responsible ?? []).map(\.id), ["east", "west"])
    }

    func testFourDefectsGiveFourPositionedErrors() {
        let dir = TestPaths.fixture("plans/bad-four-defects")
        let found = errors(dir)
        let lines = found.map { "\(($0.location.file as NSString).lastPathComponent):\($0.location.line ?? 0):\($0.location.column ?? 0) \($0.message)" }
        XCTAssertEqual(lines.sorted(), [
            "tasks.yaml:13:13 duplicate task number 1",
            "tasks.yaml:18:5 unknown key `responsable` in task #2",
            "tasks.yaml:22:14 `due` of milestone #1 of task 1: 2024-13-45 is not a day on the calendar",
            "tasks.yaml:7:12 unknown unit or group \"市司法厅\" in `lead` of task 1",
        ])
    }

    func testRenderedErrorsQuoteTheLineAndHint() {
        let diagnostics = DiagnosticCollector()
        _ = PlanLoader.load(directory: TestPaths.fixture("plans/bad-four-defects"), diagnostics: diagnostics)
        let prefix = TestPaths.fixture("plans/bad-four-defects") + "/"
        assertSnapshot(of: diagnostics.renderAll().replacingOccurrences(of: prefix, with: ""), as: .lines)
    }

    func assertError(_ edits: [String: [(String, String)]], contains message: String, at place: String,
                     file: StaticString = #filePath, line: UInt = #line) throws {
        let dir = try TestPaths.copyPlan(TestPaths.fixture("plans/mini"), edits: edits)
        let found = errors(dir)
        XCTAssertTrue(found.contains { $0.message.contains(message) && "\($0.location)".hasSuffix(place) },
                      "expected \(place): …\(message)…, got:\n" + found.map { "\($0.location): \($0.message)" }.joined(separator: "\n"),
                      file: file, line: line)
    }

    func testEachDefectIsNamedWithItsPlace() throws {
        try assertError(["tasks.yaml": [("lead: [市司法局]\n    responsible: [东区]", "lead: []\n    responsible: [东区]")]],
                        contains: "task 2 has no lead unit", at: "tasks.yaml:14:5")
        try assertError(["units.yaml": [("{id: west,", "{id: east,")]], contains: "duplicate id \"east\"", at: "units.yaml:5:10")
        try assertError(["tasks.yaml": [("due: 2024-12-31", "due: 2027-03-01")]],
                        contains: "falls due on 2027-03-01, outside the plan's period", at: "tasks.yaml:24:14")
        try assertError(["tasks.yaml": [("title: 规范文书", "title: \"\"")]], contains: "`title` of task #2 is empty", at: "tasks.yaml:16:12")
        try assertError(["tasks.yaml": [("number: 2", "number: two")]], contains: "must be a whole number", at: "tasks.yaml:14:13")
        try assertError(["tasks.yaml": [("category: 2", "category: 9")]], contains: "names category 9", at: "tasks.yaml:15:15")
        try assertError(["plan.yaml": [("issued: 2024-01-10", "issued: 2024-02-30")]], contains: "not a day on the calendar", at: "plan.yaml:6:9")
        try assertError(["plan.yaml": [("end: 2026-12-31", "end: 2023-12-31")]], contains: "ends (2023-12-31) before it starts", at: "plan.yaml:9:8")
        try assertError(["plan.yaml": [("version: 1", "version: 2")]], contains: "unsupported format version 2", at: "plan.yaml:2:10")
        try assertError(["units.yaml": [("kind: county_government, aliases", "kind: county, aliases")]],
                        contains: "unknown unit kind \"county\"", at: "units.yaml:4:32")
        try assertError(["units.yaml": [("members: [east, 西县]", "members: [east, 北县]")]],
                        contains: "lists \"北县\", which is not a unit", at: "units.yaml:10:21")
        try assertError(["tasks.yaml": [("id: \"2.1\"", "id: \"1.1\"")]], contains: "duplicate milestone id \"1.1\"", at: "tasks.yaml:21:13")
        try assertError(["tasks.yaml": [("due: {every: year}", "due: {every: weekly}")]], contains: "`every` must be one of", at: "tasks.yaml:12:22")
        try assertError(["tasks.yaml": [("lead: [市司法局]\n    responsible: [各县区人民政府]", "lead: 市司法局\n    responsible: [各县区人民政府]")]],
                        contains: "`lead` of task #1 must be a list", at: "tasks.yaml:7:11")
        try assertError(["plan.yaml": [("coordinator: 市司法局", "coordinator: 各县区人民政府")]], contains: "must be one unit", at: "plan.yaml:10:14")
        try assertError(["plan.yaml": [("id: mini-2024", "id: 示例")]], contains: "must be ASCII", at: "plan.yaml:3:5")
    }

    /// An alias stands for a copy of what its anchor names (as Yams composed it), so a plan written
    /// with aliases is the same plan. An alias to nothing, a key written twice and aliases standing
    /// for too many values are errors at their place.
    func testAliasesAreCopiesAndYAMLProblemsHaveTheirPlace() throws {
        let aliased = try TestPaths.copyPlan(TestPaths.fixture("plans/mini"), edits: ["tasks.yaml": [
            ("lead: [市司法局]\n    responsible: [各县区人民政府]", "lead: &lead [市司法局]\n    responsible: [各县区人民政府]"),
            ("lead: [市司法局]\n    responsible: [东区]", "lead: *lead\n    responsible: [东区]"),
        ]])
        let (plan, diagnostics) = loadPlan(aliased)
        XCTAssertFalse(diagnostics.hasErrors, diagnostics.renderAll())
        let original = try XCTUnwrap(loadPlan(TestPaths.fixture("plans/mini")).0)
        XCTAssertEqual(String(describing: try XCTUnwrap(plan).tasks), String(describing: original.tasks))

        try assertError(["plan.yaml": [("version: 1", "version: 1\nversion: 1")]],
                        contains: "duplicate key `version` in one mapping", at: "plan.yaml:2:1")
        try assertError(["tasks.yaml": [("lead: [市司法局]\n    responsible: [东区]", "lead: *nowhere\n    responsible: [东区]")]],
                        contains: "not valid YAML: found undefined alias", at: "tasks.yaml:18:11")
        var laughs = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for i in 1...9 { laughs += "a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ") + "]\n" }
        try assertError(["units.yaml": [("version: 1\n", "version: 1\n" + laughs)]],
                        contains: "the aliases (`*name`) of this file stand for more than 100,000 values", at: "units.yaml:6:45")
    }

    func testSourceQuoteMustBeFoundInThePlanText() throws {
        let dir = try TestPaths.copyPlan(TestPaths.zhangye, edits: ["tasks.yaml": [("source: \"2023年底前,全市普遍建立行政裁量权基准制度\"", "source: 2023年底前全市建立基准")]])
        XCTAssertTrue(errors(dir).contains { $0.message.contains("not found verbatim in the plan text") })
    }

    func testMissingSourceIsOnlyAWarning() throws {
        let dir = try TestPaths.copyPlan(TestPaths.fixture("plans/mini"), edits: ["tasks.yaml": [("        source: 每年组织执法人员培训\n", "")]])
        let (plan, diagnostics) = loadPlan(dir)
        XCTAssertNotNil(plan)
        XCTAssertEqual(diagnostics.warnings.count, 1)
        XCTAssertTrue(diagnostics.warnings[0].message.contains("has no `source`"))
    }

    func testFilesThatAreNotYAMLOrNotTextAreRejectedWithTheirPlace() throws {
        let dir = try TestPaths.copyPlan(TestPaths.fixture("plans/mini"))
        try Data([0x76, 0x65, 0x72, 0x0A, 0xB2, 0xE2, 0xCA, 0xD4]).write(to: URL(fileURLWithPath: dir + "/units.yaml"))
        try Data("version: 1\ntasks: [unclosed\n  - x: {\n".utf8).write(to: URL(fileURLWithPath: dir + "/tasks.yaml"))
        try Data([0x00, 0x01, 0xFF, 0x00]).write(to: URL(fileURLWithPath: dir + "/plan.yaml"))
        let found = errors(dir)
        XCTAssertTrue(found.contains { "\($0.location)".hasSuffix("units.yaml:2:1") && $0.message.contains("not UTF-8") }, "\(found)")
        XCTAssertTrue(found.contains { "\($0.location)".contains("tasks.yaml:") && $0.message.contains("not valid YAML") }, "\(found)")
        XCTAssertTrue(found.contains { "\($0.location)".contains("plan.yaml:1:1") && $0.message.contains("binary") }, "\(found)")
        XCTAssertFalse(found.contains { $0.message.contains("unknown unit") }, "no cascade of unknown references: \(found)")
        XCTAssertEqual(found.count, 3, "\(found)")
    }

    func testMissingFileAndFolder() throws {
        let dir = try TestPaths.copyPlan(TestPaths.fixture("plans/mini"))
        try FileManager.default.removeItem(atPath: dir + "/units.yaml")
        XCTAssertTrue(errors(dir).contains { $0.message.contains("cannot read the file") && $0.location.file.hasSuffix("units.yaml") })
        XCTAssertEqual(errors(dir + "/nowhere").map(\.message), ["no plan folder here"])
    }
}
