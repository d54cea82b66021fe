import DubanKit
import Foundation
import SnapshotTesting
import XCTest

/// `duban digest` end to end on the bundled plan, the sample ledgers and one recorded step.
final class DigestCommandTests: CLITestCase {
    var cli: CLIRunner!

    override func setUpWithError() throws {
        cli = try CLIRunner()
        let samples = try FileManager.default.contentsOfDirectory(atPath: CLIRunner.zhangye + "/samples").sorted()
            .map { CLIRunner.zhangye + "/samples/" + $0 }
        for command in [["plan", "load", CLIRunner.zhangye], ["ledger", "submit"] + samples,
                        ["action", "record", "--unit", "市交通运输局", "--level", "letter", "--date", "2024-04-01",
                         "--ref", "张司函〔2024〕5号"]] {
            let r = try cli.run(command)
            XCTAssertEqual(r.code, 0, "\(command.prefix(2)): \(r.stderr)")
        }
    }

    func digest(_ args: [String], file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let r = try cli.run(["digest"] + args)
        XCTAssertEqual(r.code, 0, r.stderr, file: file, line: line)
        XCTAssertEqual(r.stderr, "", file: file, line: line)
        return r.stdout
    }

    func json(_ args: [String], file: StaticString = #filePath, line: UInt = #line) throws -> Any {
        let r = try cli.run(args + ["--format", "json"])
        XCTAssertEqual(r.code, 0, r.stderr, file: file, line: line)
        return try JSONSerialization.jsonObject(with: Data(r.stdout.utf8))
    }

    /// Week 14 of 2024 (as of Sunday 2024-04-07): the March ledgers came in, the letter was sent.
    func testSnapshotsInEveryFormat() throws {
        for format in ["markdown", "text", "json", "html"] {
            assertSnapshot(of: try digest(["--week", "2024-W14", "--format", format]), as: .lines, named: "W14-zh-\(format)")
        }
        for format in ["markdown", "html"] {
            assertSnapshot(of: try digest(["--week", "2024-W14", "--format", format, "--lang", "en"]), as: .lines,
                           named: "W14-en-\(format)")
        }
    }

    func testAWeekIsAsOfItsSundayAndMarkdownIsTheDefault() throws {
        XCTAssertEqual(try digest(["--week", "2024-W14", "--format", "json"]), try digest(["--as-of", "2024-04-07", "--format", "json"]))
        let md = try digest(["--week", "2024-w14"])
        XCTAssertTrue(md.hasPrefix("# 《张掖市"), md)
    }

    func testBadWeeksAndOptionMixesAreUsageErrors() throws {
        for args in [["--week", "2024-W54"], ["--week", "2021-W53"], ["--week", "2024-15"], ["--week", "W15"],
                     ["--week", "2024-W15", "--as-of", "2024-04-10"], ["--from", "2024-W02"],
                     ["--out", "d", "--from", "2024-W05", "--to", "2024-W02"], ["--out", "d"],
                     ["--format", "pdf"], ["--lang", "fr"]] {
            let r = try cli.run(["digest"] + args)
            XCTAssertEqual(r.code, 64, "\(args): \(r.stderr)")
            XCTAssertEqual(r.stdout, "", "\(args)")
        }
        XCTAssertTrue(try cli.run(["digest", "--week", "2024-W54"]).stderr.contains("not an ISO week"))
    }

    func testOutWritesOneFilePerWeekAndAnIndex() throws {
        let r = try cli.run(["digest", "--out", "weekly", "--from", "2024-W02", "--to", "2024-W05"])
        XCTAssertEqual(r.code, 0, r.stderr)
        let dir = cli.directory.appendingPathComponent("weekly")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        XCTAssertEqual(files, ["digest-2024-W02.html", "digest-2024-W03.html", "digest-2024-W04.html", "digest-2024-W05.html", "index.html"])
        let index = try String(contentsOf: dir.appendingPathComponent("index.html"), encoding: .utf8)
        for f in files.dropLast() { XCTAssertTrue(index.contains("href=\"\(f)\""), f) }
        let week3 = try String(contentsOf: dir.appendingPathComponent("digest-2024-W03.html"), encoding: .utf8)
        XCTAssertEqual(week3, try digest(["--week", "2024-W03", "--format", "html"]))
        let md = try cli.run(["digest", "--out", "md", "--from", "2024-W14", "--to", "2024-W14", "--format", "markdown", "--lang", "en"])
        XCTAssertEqual(md.code, 0, md.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: cli.directory.appendingPathComponent("md/index.md").path))
    }

    /// The digest's numbers are those of `overdue`, `escalate`, `status` and `ledgers` on the same day.
    func testNumbersAgreeWithTheOtherCommands() throws {
        for asOf in ["2024-01-10", "2024-02-04", "2024-03-06", "2024-04-10", "2024-07-01"] {
            let d = try XCTUnwrap(try json(["digest", "--as-of", asOf]) as? [String: Any])
            let headline = try XCTUnwrap(d["headline"] as? [String: Any])
            let units = try XCTUnwrap(d["units"] as? [[String: Any]])
            func unitValue(_ id: String, _ key: String) -> Any? { units.first { ($0["unit"] as? [String: Any])?["id"] as? String == id }?[key] }

            // overdue
            let overdue = try XCTUnwrap(try json(["overdue", "--as-of", asOf]) as? [[String: Any]])
            XCTAssertEqual(headline["milestones_overdue"] as? Int, overdue.filter { $0["kind"] as? String == "milestone" }.count, asOf)
            XCTAssertEqual(headline["ledgers_overdue"] as? Int, overdue.filter { $0["kind"] as? String == "ledger" }.count, asOf)
            let groups = try XCTUnwrap(d["overdue"] as? [[String: Any]])
            XCTAssertEqual(groups.map { ($0["units"] as? [Any])?.count ?? 0 }.reduce(0, +), overdue.count, asOf)
            var perUnit: [String: Int] = [:]
            for item in overdue { perUnit[item["unit"] as? String ?? "", default: 0] += 1 }
            for u in units {
                let id = try XCTUnwrap((u["unit"] as? [String: Any])?["id"] as? String)
                XCTAssertEqual(u["overdue_items"] as? Int, perUnit[id] ?? 0, "\(asOf) \(id)")
            }

            // escalate
            let escalate = try XCTUnwrap(try json(["escalate", "--as-of", asOf]) as? [String: Any])
            let ladder = try XCTUnwrap(escalate["units"] as? [[String: Any]])
            let escalations = try XCTUnwrap(d["escalations"] as? [[String: Any]])
            XCTAssertEqual(escalations.map { "\(($0["unit"] as? [String: Any])?["id"] ?? "") \($0["level"] ?? "") \($0["overdue_items"] ?? "")" },
                           ladder.map { "\($0["unit"] ?? "") \($0["level"] ?? "") \($0["overdue_items"] ?? "")" }, asOf)
            XCTAssertEqual(headline["units_escalated"] as? Int, ladder.count, asOf)
            XCTAssertEqual(d["behind_schedule"] as? Int, (escalate["behind_schedule"] as? [Any])?.count, asOf)
            for e in ladder {
                XCTAssertEqual(unitValue(e["unit"] as? String ?? "", "level") as? String, e["level"] as? String, asOf)
            }

            // ledgers
            let cells = try XCTUnwrap(try json(["ledgers", "--as-of", asOf]) as? [[String: Any]])
            for u in units {
                let id = try XCTUnwrap((u["unit"] as? [String: Any])?["id"] as? String)
                let mine = cells.filter { $0["unit"] as? String == id }
                XCTAssertEqual(u["ledgers_on_time"] as? Int, mine.filter { $0["state"] as? String == "submitted" }.count, "\(asOf) \(id)")
                XCTAssertEqual(u["ledgers_late"] as? Int, mine.filter { $0["state"] as? String == "late" }.count, "\(asOf) \(id)")
                XCTAssertEqual(u["ledgers_missing"] as? Int, mine.filter { $0["state"] as? String == "missing" }.count, "\(asOf) \(id)")
            }
            if let period = headline["ledger_period"] as? String {
                let inPeriod = cells.filter { $0["period"] as? String == period }
                XCTAssertEqual(headline["ledgers_owed"] as? Int, inPeriod.count, asOf)
                XCTAssertEqual(headline["ledgers_received"] as? Int,
                               inPeriod.filter { ["submitted", "late"].contains($0["state"] as? String ?? "") }.count, asOf)
                XCTAssertEqual(headline["ledgers_missing"] as? Int, inPeriod.filter { $0["state"] as? String == "missing" }.count, asOf)
            }
            let missing = try XCTUnwrap(d["missing_ledgers"] as? [[String: Any]])
            XCTAssertEqual(missing.map { ($0["periods"] as? [Any])?.count ?? 0 }.reduce(0, +),
                           cells.filter { $0["state"] as? String == "missing" }.count, asOf)

            // status: both count a ledger's records from the day it was submitted, so they agree on
            // every day, including 2024-03-06 (肃南's February ledger came in on 2024-03-12).
            let status = try XCTUnwrap(try json(["status", "--as-of", asOf]) as? [[String: Any]])
            let tasks = try XCTUnwrap(d["task_status"] as? [String: Any])
            XCTAssertEqual(tasks["cells"] as? Int, status.count, asOf)
            XCTAssertEqual(tasks["done"] as? Int, status.filter { $0["status"] as? String == "done" }.count, asOf)
            XCTAssertEqual(tasks["in_progress"] as? Int, status.filter { $0["status"] as? String == "in_progress" }.count, asOf)
            XCTAssertEqual(tasks["not_started"] as? Int, status.filter { $0["status"] as? String == "not_started" }.count, asOf)
            XCTAssertEqual(tasks["no_record"] as? Int, status.filter { $0["status"] is NSNull }.count, asOf)
        }
    }

    /// The page's structure is checked everywhere; the rendering in headless Chromium (no console
    /// messages, screenshots written) only where `chromium` is installed, which the test says.
    func testHTMLPageIsSelfContainedAndChromiumRendersItWhereInstalled() throws {
        let html = try digest(["--week", "2024-W14", "--format", "html"])
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"zh-CN\">"))
        XCTAssertTrue(html.contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"))
        for id in ["headline", "categories", "changes", "overdue", "escalations", "missing-ledgers", "units", "upcoming"] {
            XCTAssertTrue(html.contains("<section id=\"\(id)\">"), id)
        }
        for tag in ["section", "svg", "table", "figure", "ul"] {
            XCTAssertEqual(html.components(separatedBy: "<\(tag)").count, html.components(separatedBy: "</\(tag)>").count, "balanced <\(tag)>")
        }
        XCTAssertEqual(html.components(separatedBy: "<svg ").count - 1, 2, "the burn-up and the category bars")
        XCTAssertTrue(html.contains("<path class=\"due\""))
        XCTAssertTrue(html.contains("<path class=\"done\""))
        XCTAssertTrue(html.contains("<rect class=\"bar-done\""))
        XCTAssertTrue(html.contains("@page { size: A4"))
        XCTAssertTrue(html.contains("break-before: page"))
        for external in ["http:", "https:", "<script", "<link", "<img", "<iframe", "src=", "href=", "@import", "url(", "//cdn"] {
            XCTAssertFalse(html.contains(external), "self-contained: no \(external)")
        }

        let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
            .first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let chromium else {
            print("DigestCommandTests: chromium is not installed: checked the page's structure only, not its rendering "
                  + "(apt-get install chromium to run Scripts/digest-screenshot here)")
            return
        }
        let out = cli.directory.appendingPathComponent("shots")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLIRunner.root.appendingPathComponent("Scripts/digest-screenshot").path)
        process.arguments = [out.path]
        var env = ProcessInfo.processInfo.environment
        env["DUBAN_BIN"] = try XCTUnwrap(CLIRunner.binary)
        env["CHROMIUM"] = chromium
        process.environment = env
        let err = Pipe()
        process.standardError = err
        process.standardOutput = Pipe()
        try process.run()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "Scripts/digest-screenshot with \(chromium): \(stderr)")
        for png in ["digest-phone.png", "digest-a4.png"] {
            let data = try Data(contentsOf: out.appendingPathComponent(png))
            XCTAssertEqual(Array(data.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "\(png) is a PNG")
            XCTAssertGreaterThan(data.count, 20_000, png)
        }
        let dom = try String(contentsOf: out.appendingPathComponent("dom.html"), encoding: .utf8)
        XCTAssertTrue(dom.contains("<svg class=\"chart burnup\""), "Chromium parsed the charts")
    }
}
