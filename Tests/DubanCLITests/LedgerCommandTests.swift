import Foundation
import XCTest

/// `duban ledger …`, `progress record`, `history`, `status`, `ledgers`, run end to end.
final class LedgerCommandTests: CLITestCase {
    var cli: CLIRunner!
    static let good = CLIRunner.fixtures + "/ledgers/good/ganzhou-2024-02.yaml"
    static let goodCSV = CLIRunner.fixtures + "/ledgers/good/ganzhou-2024-02.gb18030.csv"
    static let samples = CLIRunner.zhangye + "/samples"

    override func setUpWithError() throws {
        cli = try CLIRunner()
        let r = try cli.run(["plan", "load", CLIRunner.zhangye])
        XCTAssertEqual(r.code, 0, r.stderr)
    }

    func json(_ args: [String]) throws -> [[String: Any]] {
        let r = try cli.run(args + ["--format", "json"])
        XCTAssertEqual(r.code, 0, r.stderr)
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
    }

    func sql(_ query: String, db: String? = nil) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["sqlite3", db ?? cli.db, query]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func testEveryBadLedgerExits65WithFileLineAndLeavesTheDatabaseUnchanged() throws {
        XCTAssertEqual(try cli.run(["ledger", "submit", Self.good]).code, 0)
        let dump = try cli.dump()
        let huge = cli.directory.appendingPathComponent("huge.yaml").path
        let line = "# " + String(repeating: "台账", count: 40) + "\n"
        try Data(String(repeating: line, count: 10 * 1_048_576 / line.utf8.count + 1).utf8).write(to: URL(fileURLWithPath: huge))
        let bad = CLIRunner.fixtures + "/ledgers/bad/"
        let files = try FileManager.default.contentsOfDirectory(atPath: bad).sorted().map { bad + $0 } + [huge]
        XCTAssertGreaterThanOrEqual(files.count, 15)
        for file in files {
            let r = try cli.run(["ledger", "submit", file])
            XCTAssertEqual(r.code, 65, "\(file)\n\(r.stderr)")
            XCTAssertNotNil(r.stderr.range(of: "\(file):\\d+:\\d+: error: ", options: .regularExpression), r.stderr)
            XCTAssertTrue(r.stderr.contains("nothing recorded"), r.stderr)
        }
        // One bad file among good ones: nothing at all is recorded.
        let r = try cli.run(["ledger", "submit", Self.samples + "/ganzhou-2024-01.yaml", bad + "percent-120.yaml"])
        XCTAssertEqual(r.code, 65)
        XCTAssertEqual(try cli.dump(), dump)
    }

    func testTemplateListsExactlyTheOwedTasksAndFilledInShowsInStatus() throws {
        let t = try cli.run(["ledger", "template", "--unit", "甘州区", "--period", "2024-02", "--as-of", "2024-03-03"])
        XCTAssertEqual(t.code, 0, t.stderr)
        let tasks = try json(["tasks", "--unit", "各县区人民政府"]).compactMap { $0["number"] as? Int }
        let listed = t.stdout.split(separator: "\n").filter { $0.hasPrefix("  - task: ") }.compactMap { Int($0.dropFirst(10)) }
        XCTAssertEqual(listed.enumerated().filter { !listed[..<$0.offset].contains($0.element) }.map(\.element), tasks)
        XCTAssertTrue(t.stdout.contains("# 填写说明"))
        var filled = t.stdout.replacingOccurrences(of: "name: \"\"", with: "name: 李某某")
            .replacingOccurrences(of: "phone: \"\"", with: "phone: \"0936-0000001\"")
            .replacingOccurrences(of: "progress: \"\"", with: "progress: 按计划推进。")
        filled = filled.replacingOccurrences(of: "  - task: 2\n    status: 未启动   # 上期无记录\n    percent: 0",
                                             with: "  - task: 2\n    status: 推进中\n    percent: 40")
        let path = cli.directory.appendingPathComponent("ganzhou-2024-02.yaml").path
        try filled.write(toFile: path, atomically: true, encoding: .utf8)
        let s = try cli.run(["ledger", "submit", path])
        XCTAssertEqual(s.code, 0, s.stderr)
        let status = try json(["status", "--unit", "甘州区", "--as-of", "2024-03-31"])
        XCTAssertEqual(status.count, tasks.count)
        let two = try XCTUnwrap(status.first { $0["task"] as? Int == 2 })
        XCTAssertEqual(two["status"] as? String, "in_progress")
        XCTAssertEqual(two["percent"] as? Int, 40)
        XCTAssertEqual(two["reported_on"] as? String, "2024-02-29")
        XCTAssertEqual(two["unit_name"] as? String, "甘州区")
        // The next template starts from what was filled in.
        let next = try cli.run(["ledger", "template", "--unit", "ganzhou", "--period", "2024-03", "--format", "csv"])
        XCTAssertTrue(next.stdout.contains("推进中 40%"), next.stdout)
    }

    func testIdenticalResubmissionIsANoOpAndACorrectionSupersedes() throws {
        XCTAssertEqual(try cli.run(["ledger", "submit", Self.good]).code, 0)
        let dump = try cli.dump()
        let again = try cli.run(["ledger", "submit", Self.good])
        XCTAssertEqual(again.code, 0)
        XCTAssertTrue(again.stdout.contains("unchanged"), again.stdout)
        XCTAssertEqual(try cli.dump(), dump)
        XCTAssertTrue(try cli.run(["ledger", "submit", Self.goodCSV]).stdout.contains("unchanged"), "the CSV twin is the same content")
        let corrected = cli.directory.appendingPathComponent("corrected.yaml").path
        try String(contentsOfFile: Self.good, encoding: .utf8).replacingOccurrences(of: "percent: 30", with: "percent: 35")
            .write(toFile: corrected, atomically: true, encoding: .utf8)
        let dry = try cli.run(["ledger", "submit", "--dry-run", corrected])
        XCTAssertTrue(dry.stdout.contains("would record"), dry.stdout)
        XCTAssertEqual(try cli.dump(), dump, "a dry run writes nothing")
        let c = try cli.run(["ledger", "submit", corrected])
        XCTAssertTrue(c.stdout.contains("superseding submission #1"), c.stdout)
        let history = try json(["history", "--unit", "甘州区", "--task", "2"])
        XCTAssertEqual(history.compactMap { $0["percent"] as? Int }, [35, 30])
        XCTAssertEqual(history.last?["superseded_by_submission"] as? Int, 2)
        XCTAssertTrue((history.first?["source"] as? String ?? "").hasPrefix(corrected + ":"))
    }

    func testTheGB18030CSVRecordsTheSameAsItsYAMLTwin() throws {
        XCTAssertEqual(try cli.run(["ledger", "submit", Self.good]).code, 0)
        var other = try CLIRunner()
        other.environment = [:]
        XCTAssertEqual(try other.run(["plan", "load", CLIRunner.zhangye]).code, 0)
        let r = try other.run(["ledger", "submit", Self.goodCSV])
        XCTAssertEqual(r.code, 0, r.stderr)
        let query = "SELECT task_number, milestone_id, status, percent, completed_on, reported_on, progress, problems, next_steps, figures_json, evidence_json FROM progress_record ORDER BY id"
        XCTAssertEqual(try sql(query, db: other.db), try sql(query))
        XCTAssertEqual(try sql("SELECT content_hash FROM ledger_submission", db: other.db), try sql("SELECT content_hash FROM ledger_submission"))
    }

    /// A correction dated before the ledger it corrects counts from its own date, in `ledgers` as in
    /// the digest and `overdue` (`LedgerCalendar.receivedOn`: submissions by their submitted dates).
    func testACorrectionDatedBeforeWhatItCorrectsIsReceivedOnItsOwnDateInLedgersAsInTheDigest() throws {
        let sample = try String(contentsOfFile: Self.samples + "/ganzhou-2024-01.yaml", encoding: .utf8)
        let late = cli.directory.appendingPathComponent("late.yaml").path
        let corrected = cli.directory.appendingPathComponent("corrected.yaml").path
        try sample.replacingOccurrences(of: "submitted: 2024-02-02", with: "submitted: 2024-02-08")
            .write(toFile: late, atomically: true, encoding: .utf8)
        try sample.replacingOccurrences(of: "submitted: 2024-02-02", with: "submitted: 2024-02-04")
            .replacingOccurrences(of: "专题学习1次", with: "专题学习2次").write(toFile: corrected, atomically: true, encoding: .utf8)
        XCTAssertEqual(try cli.run(["ledger", "submit", late]).code, 0)
        let c = try cli.run(["ledger", "submit", corrected])
        XCTAssertTrue(c.stdout.contains("superseding submission #1"), c.stdout + c.stderr)

        let cell = try XCTUnwrap(try json(["ledgers", "--as-of", "2024-02-10", "--period", "2024-01"]).first { $0["unit"] as? String == "ganzhou" })
        XCTAssertEqual(cell["submitted_on"] as? String, "2024-02-04")
        XCTAssertEqual(cell["state"] as? String, "submitted")
        XCTAssertEqual(cell["submission"] as? Int, 2, "the current submission is still the last recorded")
        let digest = try cli.run(["digest", "--as-of", "2024-02-10", "--format", "json"])
        let units = try XCTUnwrap((try JSONSerialization.jsonObject(with: Data(digest.stdout.utf8)) as? [String: Any])?["units"] as? [[String: Any]])
        let ganzhou = try XCTUnwrap(units.first { ($0["unit"] as? [String: Any])?["id"] as? String == "ganzhou" })
        XCTAssertEqual(ganzhou["ledgers_on_time"] as? Int, 1)
        XCTAssertEqual(ganzhou["ledgers_late"] as? Int, 0)
    }

    func testSamplesShowLateAndMissingLedgers() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.samples).filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".csv") }
        let r = try cli.run(["ledger", "submit"] + files.sorted().map { Self.samples + "/" + $0 })
        XCTAssertEqual(r.code, 0, r.stderr)
        let cells = try json(["ledgers", "--as-of", "2024-04-10"])
        func state(_ unit: String, _ period: String) -> String? {
            cells.first { $0["unit"] as? String == unit && $0["period"] as? String == period }?["state"] as? String
        }
        XCTAssertEqual(state("ganzhou", "2024-01"), "submitted")
        XCTAssertEqual(state("sunan", "2024-02"), "late")
        XCTAssertEqual(state("minle", "2024-03"), "missing")
        XCTAssertEqual(state("ganzhou", "2024-04"), "open")
        let matrix = try cli.run(["status", "--as-of", "2024-03-31"])
        XCTAssertTrue(matrix.stdout.contains("甘州区"), matrix.stdout)
        XCTAssertEqual(try cli.run(["status", "--format", "markdown", "--as-of", "2024-03-31"]).code, 0)
    }

    func testProgressRecordIsInHistoryWithItsCommand() throws {
        let r = try cli.run(["progress", "record", "--unit", "甘州区", "--task", "7", "--milestone", "7.1", "--status", "已完成",
                             "--date", "2024-02-10", "--note", "电话确认"])
        XCTAssertEqual(r.code, 0, r.stderr)
        let h = try json(["history"])
        XCTAssertEqual(h.first?["origin"] as? String, "command")
        XCTAssertTrue((h.first?["source"] as? String ?? "").contains("progress record"))
        XCTAssertEqual(try cli.run(["progress", "record", "--unit", "市财政局", "--task", "7", "--status", "done", "--date", "2024-02-10"]).code, 65)
        XCTAssertEqual(try cli.run(["progress", "record", "--unit", "甘州区", "--task", "7", "--status", "完成了", "--date", "2024-02-10"]).code, 64)
    }

    func testExitCodesAndHelp() throws {
        XCTAssertEqual(try cli.run(["ledger", "submit", cli.directory.path + "/nowhere.yaml"]).code, 66)
        XCTAssertEqual(try cli.run(["ledger", "template", "--unit", "甘州区", "--period", "2030-01"]).code, 64)
        XCTAssertEqual(try cli.run(["status", "--as-of", "yesterday"]).code, 64)
        for command in [["ledger", "template"], ["ledger", "submit"], ["progress", "record"], ["history"], ["status"], ["ledgers"]] {
            let r = try cli.run(command + ["--help"])
            XCTAssertTrue(r.stdout.contains("Example"), "\(command)\n\(r.stdout)")
        }
    }

    // MARK: Crash and concurrency

    /// 6 counties × `periods` ledgers, each a copy of the good fixture for that unit and month.
    func manyLedgers(_ periods: Int, into folder: String) throws -> [String] {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let base = try String(contentsOfFile: Self.good, encoding: .utf8)
        var out: [String] = []
        for county in ["甘州区", "临泽县", "高台县", "山丹县", "民乐县", "肃南裕固族自治县"] {
            for i in 0..<periods {
                let year = 2024 + i / 12, month = i % 12 + 1
                let period = String(format: "%04d-%02d", year, month)
                let next = String(format: "%04d-%02d-04", month == 12 ? year + 1 : year, month == 12 ? 1 : month + 1)
                let text = base.replacingOccurrences(of: "unit: 甘州区", with: "unit: \(county)")
                    .replacingOccurrences(of: "period: \"2024-02\"", with: "period: \"\(period)\"")
                    .replacingOccurrences(of: "submitted: 2024-03-04", with: "submitted: \(next)")
                let path = "\(folder)/\(county)-\(period).yaml"
                try text.write(toFile: path, atomically: true, encoding: .utf8)
                out.append(path)
            }
        }
        return out
    }

    func start(_ arguments: [String], environment: [String: String] = [:]) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: try XCTUnwrap(CLIRunner.binary))
        p.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["DUBAN_DB"] = cli.db
        env.merge(environment) { _, new in new }
        p.environment = env
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        return p
    }

    func testSIGKILLInTheMiddleOfASubmissionLeavesAllOrNothing() throws {
        let files = try manyLedgers(23, into: cli.directory.path + "/many")
        let before = try cli.dump()
        let marker = cli.directory.appendingPathComponent("paused").path
        let p = try start(["ledger", "submit"] + files,
                          environment: ["DUBAN_FAULT_PAUSE_AFTER_RECORDS": "300", "DUBAN_FAULT_MARKER": marker])
        let deadline = Date().addingTimeInterval(60)
        while !FileManager.default.fileExists(atPath: marker) && Date() < deadline && p.isRunning { Thread.sleep(forTimeInterval: 0.05) }
        XCTAssertTrue(FileManager.default.fileExists(atPath: marker), "the submit reached its 300th record")
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationReason, .uncaughtSignal)
        XCTAssertEqual(try sql("PRAGMA integrity_check"), "ok")
        XCTAssertEqual(try cli.dump(), before, "nothing of the killed submission is in the database")
        let r = try cli.run(["ledger", "submit"] + files)
        XCTAssertEqual(r.code, 0, r.stderr)
        XCTAssertEqual(try sql("SELECT count(*) FROM progress_record"), String(files.count * 4))
    }

    func testTwoSubmitsStartedTogetherBothSucceed() throws {
        let files = try manyLedgers(12, into: cli.directory.path + "/many")
        let half = files.count / 2
        let a = try start(["ledger", "submit"] + files[..<half])
        let b = try start(["ledger", "submit"] + files[half...])
        a.waitUntilExit()
        b.waitUntilExit()
        XCTAssertEqual([a.terminationStatus, b.terminationStatus], [0, 0])
        XCTAssertEqual(try sql("SELECT count(*) FROM ledger_submission"), String(files.count))
        XCTAssertEqual(try sql("SELECT count(*) FROM progress_record"), String(files.count * 4))
    }
}
