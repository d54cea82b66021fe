import Foundation
import SnapshotTesting
import XCTest

/// `duban plan …`, `tasks`, `task`, `units` run end to end on real files.
final class PlanCommandTests: CLITestCase {
    var cli: CLIRunner!

    override func setUpWithError() throws {
        cli = try CLIRunner()
    }

    func load() throws {
        let r = try cli.run(["plan", "load", CLIRunner.zhangye])
        XCTAssertEqual(r.code, 0, r.stderr)
    }

    func testCheckAcceptsTheBundledPlanAndWritesNothing() throws {
        let r = try cli.run(["plan", "check", CLIRunner.zhangye])
        XCTAssertEqual(r.code, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("24 tasks"), r.stdout)
        XCTAssertFalse(FileManager.default.fileExists(atPath: cli.db), "check creates no database")
    }

    func testBadPlanIsRejectedWithOneErrorPerDefectAndTheDatabaseUntouched() throws {
        try load()
        let bytes = try Data(contentsOf: URL(fileURLWithPath: cli.db))
        let dump = try cli.dump()
        let bad = CLIRunner.fixtures + "/plans/bad-four-defects"
        for command in [["plan", "load", bad], ["plan", "check", bad]] {
            let r = try cli.run(command)
            XCTAssertEqual(r.code, 65, r.stderr)
            let errors = r.stderr.split(separator: "\n").filter { $0.contains(": error: ") }
            XCTAssertEqual(errors.count, 4, r.stderr)
            for e in errors {
                XCTAssertNotNil(e.range(of: #"tasks\.yaml:\d+:\d+: error: "#, options: .regularExpression), String(e))
            }
            XCTAssertTrue(r.stderr.contains("\"市司法厅\""))
            XCTAssertTrue(r.stderr.contains("duplicate task number 1"))
            XCTAssertTrue(r.stderr.contains("2024-13-45"))
            XCTAssertTrue(r.stderr.contains("`responsable`"))
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: cli.db)), bytes, "byte for byte unchanged")
        XCTAssertEqual(try cli.dump(), dump)
    }

    func testLoadingTwiceLeavesTheDumpIdentical() throws {
        try load()
        let first = try cli.dump()
        let r = try cli.run(["plan", "load", CLIRunner.zhangye])
        XCTAssertEqual(r.code, 0)
        XCTAssertTrue(r.stdout.contains("unchanged"), r.stdout)
        XCTAssertEqual(try cli.dump(), first)
        XCTAssertTrue(first.contains("CREATE TABLE plan_task"))
    }

    func testAnEditedPlanIsANewVersion() throws {
        try load()
        let copy = cli.directory.appendingPathComponent("edited").path
        try FileManager.default.copyItem(atPath: CLIRunner.zhangye, toPath: copy)
        try FileManager.default.copyItem(atPath: CLIRunner.zhangye + "/../calendars", toPath: cli.directory.appendingPathComponent("calendars").path)
        let tasks = copy + "/tasks.yaml"
        let text = try String(contentsOfFile: tasks, encoding: .utf8).replacingOccurrences(of: "title: 着力提高政治能力", with: "title: 着力提高政治能力水平")
        try text.write(toFile: tasks, atomically: true, encoding: .utf8)
        let r = try cli.run(["plan", "load", copy])
        XCTAssertEqual(r.code, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("updated to version 2"), r.stdout)
        XCTAssertTrue(r.stdout.contains("task 1 (title)"), r.stdout)
        let versions = try cli.run(["plan", "versions", "--format", "json"])
        let list = try JSONSerialization.jsonObject(with: Data(versions.stdout.utf8)) as? [[String: Any]]
        XCTAssertEqual(list?.count, 2)
    }

    func tasksJSON(_ extra: [String] = []) throws -> [[String: Any]] {
        let r = try cli.run(["tasks", "--format", "json"] + extra)
        XCTAssertEqual(r.code, 0, r.stderr)
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
    }

    func testTasksJSONListsTwentyFourTasksWithTheDocumentedFields() throws {
        try load()
        let tasks = try tasksJSON()
        XCTAssertEqual(tasks.count, 24)
        XCTAssertEqual(Set(tasks.compactMap { $0["category"] as? Int }), Set(1...6))
        for t in tasks {
            for key in ["number", "category", "title", "lead", "responsible", "lead_units", "responsible_units", "milestones"] {
                XCTAssertNotNil(t[key], "task \(t["number"] ?? "?") has \(key)")
            }
            for m in try XCTUnwrap(t["milestones"] as? [[String: Any]]) {
                for key in ["id", "title", "owners", "source", "due_dates"] {
                    XCTAssertNotNil(m[key], "milestone has \(key)")
                }
            }
        }
        let task5 = try XCTUnwrap(tasks.first { $0["number"] as? Int == 5 })
        XCTAssertEqual(task5["responsible"] as? [String], ["市级行政执法部门", "各县区人民政府"])
        let units = try XCTUnwrap(task5["responsible_units"] as? [[String: String]])
        XCTAssertTrue(units.contains(["id": "ganzhou", "name": "甘州区"]))
    }

    func testUnitFilterMatchesThroughGroups() throws {
        try load()
        let all = try tasksJSON()
        let viaCounties = all.filter { (($0["lead"] as? [String] ?? []) + ($0["responsible"] as? [String] ?? [])).contains("各县区人民政府") }
        let ganzhou = try tasksJSON(["--unit", "甘州区"])
        XCTAssertEqual(ganzhou.compactMap { $0["number"] as? Int }, viaCounties.compactMap { $0["number"] as? Int })
        XCTAssertEqual(try tasksJSON(["--unit", "ganzhou"]).count, ganzhou.count, "an id works as well as a name")
        let organisation = try tasksJSON(["--unit", "市委组织部"]).compactMap { $0["number"] as? Int }
        XCTAssertEqual(organisation, [3, 22, 23])
        XCTAssertEqual(try tasksJSON(["--category", "三"]).compactMap { $0["number"] as? Int }, [14, 15, 16])
    }

    func testTaskShowsMilestonesWithDueDatesAndSources() throws {
        try load()
        let r = try cli.run(["task", "17", "--format", "json"])
        XCTAssertEqual(r.code, 0, r.stderr)
        let task = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let dates = (task["milestones"] as? [[String: Any]] ?? []).flatMap { $0["due_dates"] as? [String] ?? [] }
        for half in ["2024-06-30", "2024-12-31", "2025-06-30", "2025-12-31"] {
            XCTAssertTrue(dates.contains(half), half)
        }
        let seven = try cli.run(["task", "7"])
        XCTAssertTrue(seven.stdout.contains("2023-12-31"))
        XCTAssertTrue(seven.stdout.contains("依据: “2023年底前,全市普遍建立行政裁量权基准制度”"), seven.stdout)
    }

    func testListingsUsersRead() throws {
        try load()
        assertSnapshot(of: try cli.run(["tasks"]).stdout, as: .lines, named: "tasks-table")
        assertSnapshot(of: try cli.run(["tasks", "--unit", "市财政局", "--format", "markdown"]).stdout, as: .lines, named: "tasks-markdown")
        assertSnapshot(of: try cli.run(["task", "7"]).stdout, as: .lines, named: "task-7")
        assertSnapshot(of: try cli.run(["units"]).stdout, as: .lines, named: "units")
        assertSnapshot(of: try cli.run(["units", "--format", "csv"]).stdout, as: .lines, named: "units-csv")
    }

    func testExitCodesAreDistinct() throws {
        XCTAssertEqual(try cli.run(["plan", "load", cli.directory.path + "/nowhere"]).code, 66, "plan folder missing")
        XCTAssertEqual(try cli.run(["tasks"]).code, 66, "no database yet")
        XCTAssertEqual(try cli.run(["tasks", "--format", "yaml"]).code, 64, "bad option value")
        XCTAssertEqual(try cli.run(["frobnicate"]).code, 64, "unknown command")
        try load()
        let missing = try cli.run(["task", "99"])
        XCTAssertEqual(missing.code, 64)
        XCTAssertTrue(missing.stderr.contains("no task 99"), missing.stderr)
        let unit = try cli.run(["tasks", "--unit", "甘州"])
        XCTAssertEqual(unit.code, 64)
        XCTAssertTrue(unit.stderr.contains("did you mean"), unit.stderr)
        try Data("not a database, just text\n".utf8).write(to: URL(fileURLWithPath: cli.directory.path + "/junk.sqlite"))
        XCTAssertEqual(try cli.run(["tasks", "--db", cli.directory.path + "/junk.sqlite"]).code, 74)
    }

    /// Every command and subcommand listed by `--help`, found by walking the help pages.
    func commands(_ prefix: [String] = []) throws -> [[String]] {
        let help = try cli.run(prefix + ["--help"]).stdout
        guard prefix.count < 3, let start = help.range(of: "SUBCOMMANDS:") else { return [prefix] }
        // Subcommand lines are "  name   abstract"; stop at the first blank line after the list.
        let block = help[start.upperBound...].components(separatedBy: "\n\n")[0]
        let names = block.split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix("  "), !line.hasPrefix("   "), let name = line.split(separator: " ").first,
                  name.allSatisfy({ $0.isLowercase || $0 == "-" }) else { return nil }
            return name == "help" ? nil : String(name)
        }
        return try [prefix] + names.flatMap { try commands(prefix + [$0]) }
    }

    func testEverySubcommandHelpHasAnExample() throws {
        let all = try commands().filter { !$0.isEmpty }
        XCTAssertGreaterThanOrEqual(all.count, 25, "\(all)")
        for command in all {
            let r = try cli.run(command + ["--help"])
            XCTAssertEqual(r.code, 0, "\(command)")
            XCTAssertTrue(r.stdout.contains("Example"), "\(command) help:\n\(r.stdout)")
        }
        for name in ["plan", "tasks", "task", "units", "ledger", "overdue", "notify", "escalate", "digest", "demo"] {
            XCTAssertTrue(all.contains([name]), name)
        }
    }

    /// A help page's prose is one paragraph per line in the source, wrapped by ArgumentParser to
    /// the terminal's width: a line break in the middle of a source paragraph shows at 80 columns
    /// as a short line ("record)") before the rest. So no prose line is followed by a prose line
    /// whose first word would have fitted on it (ArgumentParser counts characters and fills a
    /// line to one less than the width).
    func testHelpProseIsWrappedToTheTerminalNotBrokenInTheSource() throws {
        cli.environment["COLUMNS"] = "80"
        func prose(_ line: Substring) -> Bool { !line.isEmpty && !line.hasPrefix(" ") && !line.hasPrefix("Example") }
        for command in try commands() {
            let help = try cli.run(command + ["--help"]).stdout
            // The discussion: after the overview's blank line, before USAGE.
            guard let usage = help.range(of: "\nUSAGE:"), let blank = help.range(of: "\n\n"),
                  blank.upperBound < usage.lowerBound else { continue }
            let lines = help[blank.upperBound..<usage.lowerBound].split(separator: "\n", omittingEmptySubsequences: false)
            for (a, b) in zip(lines, lines.dropFirst()) where prose(a) && prose(b) && !a.hasSuffix(":") {
                let word = b.split(separator: " ").first ?? ""
                XCTAssertGreaterThanOrEqual(a.count + 1 + word.count, 80, "\(command): a source line break before \"\(b)\"")
            }
        }
    }

    func testCSVHasAHeaderAndQuotesWhereNeeded() throws {
        try load()
        let csv = try cli.run(["tasks", "--format", "csv"]).stdout
        let lines = csv.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        XCTAssertEqual(lines.count, 25)
        XCTAssertEqual(lines[0], "序号,类别,任务,牵头单位,责任单位,节点,期限")
    }
}
