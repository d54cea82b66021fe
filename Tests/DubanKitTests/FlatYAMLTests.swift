@testable import DubanKit
import Foundation
import XCTest

/// `FlatYAML`, the one YAML reader of plans, calendars, notification settings and ledgers, takes
/// every text into the tree `Yams.compose` makes of it, and refuses every text Yams refuses with
/// the findings Duban reported for it (`YamsReference`): the samples and plans, the fixtures, the
/// scale ledgers when generated, broken copies and hand-written edge cases.
final class FlatYAMLTests: XCTestCase {
    /// Checks one text; returns whether it was read (no error).
    @discardableResult
    func check(_ text: String, _ label: String, file: StaticString = #filePath, line: UInt = #line) -> Bool {
        let path = "/yaml/" + label
        let flat = YamsReference.flat(text, path: path)
        let yams = YamsReference.compose(text, path: path)
        XCTAssertEqual(flat, yams, "\(label): FlatYAML\n\(flat)\nYams\n\(yams)", file: file, line: line)
        return flat.diagnostics.isEmpty
    }

    static func yamlFiles(under directory: String) -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: directory) else { return [] }
        return walker.compactMap { $0 as? String }.filter { $0.hasSuffix(".yaml") }.sorted().map { directory + "/" + $0 }
    }

    static func text(_ path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return LedgerText.decode([UInt8](data), path: path, encoding: .auto, into: DiagnosticCollector())
    }

    func testPlansSamplesAndFixturesReadAsYamsReadsThem() throws {
        let samples = Self.yamlFiles(under: TestPaths.zhangye + "/samples")
        let plans = Self.yamlFiles(under: TestPaths.root.appendingPathComponent("Plans").path).filter { !$0.contains("/samples/") }
        let fixtures = Self.yamlFiles(under: TestPaths.root.appendingPathComponent("Tests").path)
        XCTAssertGreaterThan(samples.count, 20)
        XCTAssertGreaterThan(plans.count, 3)
        XCTAssertGreaterThan(fixtures.count, 30)
        var read = 0
        for path in samples + plans + fixtures {
            guard let text = Self.text(path) else { continue }
            if check(text, (path as NSString).lastPathComponent) { read += 1 }
        }
        for path in samples + plans {
            XCTAssertNotNil(FlatYAML.parse(try XCTUnwrap(Self.text(path)), path: path, into: DiagnosticCollector()), path)
        }
        XCTAssertGreaterThan(read, samples.count + plans.count + fixtures.count - 15, "the fixtures with YAML errors are refused, the rest read")
    }

    /// The generated scale ledgers: `.scale/city` when the benchmark made it, else a small set made
    /// now (`Scripts/generate-scale shard:2 --months 3`); every 30th file of the city, every file of
    /// the small set, or all with DUBAN_SCALE_EQUIVALENCE_ALL=1.
    func testScaleLedgersReadAsYamsReadsThem() throws {
        var files = Self.yamlFiles(under: TestPaths.root.appendingPathComponent(".scale/city/yaml").path)
        var step = 30
        if files.isEmpty {
            let out = try GeneratedScale.generate("shard:2", ["--months", "3"])
            files = Self.yamlFiles(under: out.appendingPathComponent("yaml").path)
            XCTAssertGreaterThan(files.count, 20)
            step = 1
        }
        if ProcessInfo.processInfo.environment["DUBAN_SCALE_EQUIVALENCE_ALL"] == "1" { step = 1 }
        for (i, path) in files.enumerated() where i % step == 0 {
            XCTAssertTrue(check(try XCTUnwrap(Self.text(path)), path), "\(path) is read")
        }
    }

    /// 900 broken copies of three ledgers and three plan files (DUBAN_YAML_MUTANTS=N for more).
    func testBrokenFilesReadAsYamsReadsThem() throws {
        var g = PlanMutationTests.Generator(state: 20_241_107)
        var originals: [[UInt8]] = []
        for path in [TestPaths.fixture("ledgers/good/ganzhou-2024-02.yaml"),
                     TestPaths.zhangye + "/samples/samr-2024-02.yaml",
                     TestPaths.zhangye + "/samples/linze-2024-02.yaml",
                     TestPaths.zhangye + "/plan.yaml",
                     TestPaths.fixture("plans/mini/units.yaml"),
                     TestPaths.fixture("plans/mini/tasks.yaml")] {
            originals.append([UInt8](try XCTUnwrap(FileManager.default.contents(atPath: path))))
        }
        var checked = 0, read = 0
        let rounds = Int(ProcessInfo.processInfo.environment["DUBAN_YAML_MUTANTS"] ?? "") ?? 900
        for round in 0..<rounds {
            var bytes = PlanMutationTests.mutate(originals[round % originals.count], &g)
            if round % 3 == 0 { bytes = PlanMutationTests.mutate(bytes, &g) }
            guard let text = LedgerText.decode(bytes, path: "m.yaml", encoding: .auto, into: DiagnosticCollector()) else { continue }
            checked += 1
            if check(text, "mutant-\(round).yaml") { read += 1 }
        }
        XCTAssertGreaterThan(checked, rounds * 7 / 12)
        XCTAssertGreaterThan(read, checked / 3, "many broken files are still YAML")
        XCTAssertLessThan(read, checked - 50, "and many are refused")
    }

    /// Constructs the mutations rarely produce, read or refused as Yams reads or refuses them.
    func testEdgeCasesReadAsYamsReadsThem() {
        let head = "version: 1\nplan: p\nunit: u\nperiod: \"2024-02\"\nliaison: {name: n, phone: \"1\"}\nsubmitted: 2024-03-04\n"
        func ledger(_ entry: String) -> String { head + "entries:\n  - " + entry.replacingOccurrences(of: "\n", with: "\n    ") + "\n" }
        let read: [String: String] = [
            "plain": ledger("task: 2\nstatus: 推进中\npercent: 30\nprogress: 进展。"),
            "quoted numbers": ledger("task: \"2\"\nstatus: '推进中'\npercent: '30'\nprogress: x"),
            "nulls": ledger("task: ~\nmilestone: null\nstatus: Null\npercent: NULL\nprogress:\nproblems: ''\nnext_steps: \"\""),
            "block scalars": ledger("task: 2\nstatus: |\n  推进中\nprogress: >\n  第一行\n  第二行\n\nproblems: |-\n  x\n  y"),
            "spaces": ledger("task: \" 2 \"\nstatus: \"　推进中　\"\npercent: \"\\t3\"\nprogress: \"\\u200B进展\\u200B\""),
            "bom in a scalar": ledger("task: 2\nstatus: \"\\uFEFF推进中\"\nprogress: \"x\\uFEFF\""),
            "nul in a scalar": ledger("task: 2\nstatus: \"推\\0进\"\nprogress: x"),
            "tags": ledger("task: !!str 2\nstatus: !custom s\nprogress: !!binary AAAA"),
            "flow ledger": "{version: 1, plan: p, unit: u, entries: [{task: 2, status: s, progress: p}]}",
            "document markers": "%YAML 1.1\n---\n" + ledger("task: 2") + "...\n",
            "only a marker": "---\n",
            "a scalar": "just text\n",
            "keys 1 and '1'": ledger("task: 2\n1: a\n'1': b"),
            "keys 1 and !!str 1": ledger("task: 2\n1: a\n!!str 1: b"),
            "keys yes and 'yes'": ledger("yes: a\n'yes': b\nnull: c\n~: d"),
            "keys = and '='": "=: a\n'=': b\n",
            "crlf": ledger("task: 2\nstatus: s").replacingOccurrences(of: "\n", with: "\r\n"),
            "merge key": ledger("<<: {task: 2}\nstatus: s\nprogress: p"),
            "anchor and alias": ledger("task: &t 2\nstatus: s\nprogress: *t"),
            "anchor only": ledger("task: &t 2\nstatus: s\nprogress: p"),
            "aliased mapping": "a: &m {x: 1, y: [2, 3]}\nb: *m\nc: [*m, *m]\n",
            "anchor redefined": "a: &x 1\nb: *x\nc: &x [2]\nd: *x\n",
            "aliased key": "a: &k key\n*k : 2\n",
            "complex key": ledger("task: 2\n? [a]\n: b\n? {c: d}\n: e"),
            "complex keys differing": "? [a]\n: 1\n? [b]\n: 2\n? {a: 1}\n: 3\n? {a: 2}\n: 4\n",
            "empty key": "\"\": a\n? \n: b\n",
        ]
        for (label, text) in read.sorted(by: { $0.key < $1.key }) {
            XCTAssertTrue(check(text, label), "\(label) is read")
        }
        let refused: [String: String] = [
            "empty": "",
            "comment only": "# nothing\n",
            "two documents": ledger("task: 2") + "---\na: 1\n",
            "two documents, the second bad": ledger("task: 2") + "---\na: [1\n",
            "undefined alias": ledger("task: 2\nstatus: *s\nprogress: p"),
            "alias inside its anchor": "a: &x [1, *x]\n",
            "duplicate key": ledger("task: 2\ntask: 3\nstatus: s\nprogress: p"),
            "duplicate quoted key": ledger("task: 2\n\"task\": 3\nstatus: s\nprogress: p"),
            "two duplicate keys": "b: 1\na: 2\nb: 3\na: 4\nc: 5\n",
            "duplicates among many keys": (0..<40).map { "k\($0): \($0)\n" }.joined() + "k7: again\n",
            "same text, same tag": ledger("task: 2\n'1': a\n!!str 1: b"),
            "keys y and 'y'": "y: a\n'y': b\n",
            "duplicate through an alias": "&k a: 1\n*k : 2\n",
            "duplicate in an unread mapping": ledger("task: 2\nprogress: {a: 1, a: 2}"),
            "duplicate complex key": "? [a, b]\n: 1\n? [a, b]\n: 2\n",
            "duplicate mapping key": "? {x: 1}\n: 1\n? {x: 1}\n: 2\n",
            "duplicate inner before outer": "a: {b: 1, b: 2}\na: 3\n",
            "syntax error": ledger("task: 2\nstatus: [s\nprogress: p"),
            "tab indent": ledger("task: 2\n\tstatus: s\nprogress: p"),
            "control character": ledger("task: 2\nstatus: s\u{7}\nprogress: p"),
            "control character after an error": "a: [1\nb: \u{7}\n",
            "bad directive": "%YAML 2.0\n---\na: 1\n",
            "unclosed quote": "a: \"b\n",
        ]
        for (label, text) in refused.sorted(by: { $0.key < $1.key }) {
            XCTAssertFalse(check(text, label), "\(label) is refused")
        }
    }

    /// An alias stands for a copy of its anchor's nodes: a few lines may not stand for millions of
    /// values (Yams shares them, and a reader walking them would not end). Refused at the alias
    /// that passes the bound; up to it, read.
    func testAliasesCopyAtMostTheirBound() throws {
        var laughs = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for i in 1...9 { laughs += "a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ") + "]\n" }
        let diagnostics = DiagnosticCollector()
        XCTAssertNil(FlatYAML.parse(laughs, path: "laughs.yaml", into: diagnostics))
        let error = try XCTUnwrap(diagnostics.errors.first)
        XCTAssertEqual(diagnostics.errors.count, 1)
        XCTAssertEqual(error.message, "the aliases (`*name`) of this file stand for more than 100,000 values")
        // a1..a3 copy 110 + 1,110 + 11,110 nodes; each alias of a4 copies 11,111: its 8th passes 100,000.
        XCTAssertEqual(error.location, SourceLocation(file: "laughs.yaml", line: 5, column: 45))

        var many = "a: &a [" + Array(repeating: "x", count: 999).joined(separator: ", ") + "]\nb: [" + Array(repeating: "*a", count: 99).joined(separator: ", ") + "]\n"
        XCTAssertNotNil(FlatYAML.parse(many, path: "many.yaml", into: DiagnosticCollector()), "99 × 1,000 nodes copied")
        many = many.replacingOccurrences(of: "*a]", with: "*a, *a, *a]")
        let refused = DiagnosticCollector()
        XCTAssertNil(FlatYAML.parse(many, path: "many.yaml", into: refused), "101 × 1,000 nodes copied")
        XCTAssertEqual(refused.errors.first?.location.line, 2)
    }
}
