@testable import DubanKit
import Foundation
import XCTest

/// The YAML ledger reader takes libyaml's events (`FlatYAML`, `FlatMappingReader`) and falls
/// back to Yams' `Node` tree (`readComposed`) for what it does not take. Both must give the same
/// spec and the same diagnostics (place, message, hint, order) for every text: the samples, the
/// fixtures, the scale ledgers when generated, broken copies and hand-written edge cases.
final class LedgerYAMLEquivalenceTests: XCTestCase {
    struct Outcome: Equatable {
        var spec: String
        var diagnostics: [Diagnostic]
    }

    static func outcome(_ text: String, path: String, composed: Bool) -> Outcome {
        let diagnostics = DiagnosticCollector()
        let reader = LedgerFileReader(diagnostics: diagnostics)
        let spec = composed ? reader.readComposed(text: text, path: path) : reader.read(text: text, path: path)
        var dumped = ""
        dump(spec, to: &dumped)
        return Outcome(spec: dumped, diagnostics: diagnostics.diagnostics)
    }

    /// Checks one text; returns whether the event path took it (no fallback).
    @discardableResult
    func check(_ text: String, _ label: String, file: StaticString = #filePath, line: UInt = #line) -> Bool {
        let path = "/ledgers/" + label
        let events = Self.outcome(text, path: path, composed: false)
        let composed = Self.outcome(text, path: path, composed: true)
        XCTAssertEqual(events.diagnostics, composed.diagnostics, "\(label): diagnostics differ", file: file, line: line)
        XCTAssertEqual(events.spec, composed.spec, "\(label): specs differ", file: file, line: line)
        return FlatYAML.compose(text) != nil
    }

    static func yamlFiles(under directory: String) -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: directory) else { return [] }
        return walker.compactMap { $0 as? String }.filter { $0.hasSuffix(".yaml") }.sorted().map { directory + "/" + $0 }
    }

    static func text(_ path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return LedgerText.decode([UInt8](data), path: path, encoding: .auto, into: DiagnosticCollector())
    }

    func testSamplesAndFixturesReadTheSameBothWays() throws {
        let samples = Self.yamlFiles(under: TestPaths.zhangye + "/samples")
        let fixtures = Self.yamlFiles(under: TestPaths.fixture("ledgers"))
        XCTAssertGreaterThan(samples.count, 20)
        XCTAssertGreaterThan(fixtures.count, 15)
        var taken = 0
        for path in samples + fixtures {
            guard let text = Self.text(path) else { continue }
            if check(text, (path as NSString).lastPathComponent) { taken += 1 }
        }
        for path in samples {
            XCTAssertNotNil(FlatYAML.compose(try XCTUnwrap(Self.text(path))), "\(path) is read from the events")
        }
        XCTAssertGreaterThan(taken, samples.count + fixtures.count - 5, "the bad fixtures with YAML errors fall back, the rest do not")
    }

    /// The generated scale ledgers: `.scale/city` when the benchmark made it, else a small set made
    /// now (`Scripts/generate-scale shard:2 --months 3`); every 30th file of the city, every file of
    /// the small set, or all with DUBAN_SCALE_EQUIVALENCE_ALL=1.
    func testScaleLedgersReadTheSameBothWays() throws {
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
            let text = try XCTUnwrap(Self.text(path))
            XCTAssertTrue(check(text, path), "\(path) is read from the events")
        }
    }

    /// 600 broken copies of three ledgers (DUBAN_YAML_MUTANTS=N for more).
    func testBrokenLedgersReadTheSameBothWays() throws {
        var g = PlanMutationTests.Generator(state: 20_241_107)
        var originals: [[UInt8]] = []
        for path in [TestPaths.fixture("ledgers/good/ganzhou-2024-02.yaml"),
                     TestPaths.zhangye + "/samples/samr-2024-02.yaml",
                     TestPaths.zhangye + "/samples/linze-2024-02.yaml"] {
            originals.append([UInt8](try XCTUnwrap(FileManager.default.contents(atPath: path))))
        }
        var checked = 0, taken = 0, erring = 0
        let rounds = Int(ProcessInfo.processInfo.environment["DUBAN_YAML_MUTANTS"] ?? "") ?? 600
        for round in 0..<rounds {
            var bytes = PlanMutationTests.mutate(originals[round % originals.count], &g)
            if round % 3 == 0 { bytes = PlanMutationTests.mutate(bytes, &g) }
            guard let text = LedgerText.decode(bytes, path: "m.yaml", encoding: .auto, into: DiagnosticCollector()) else { continue }
            checked += 1
            if check(text, "mutant-\(round).yaml") {
                taken += 1
                if !Self.outcome(text, path: "m", composed: false).diagnostics.isEmpty { erring += 1 }
            }
        }
        XCTAssertGreaterThan(checked, rounds * 7 / 12)
        XCTAssertGreaterThan(taken, checked / 3, "many broken ledgers are still read from the events (the rest have YAML errors)")
        XCTAssertGreaterThan(erring, 50, "and many of those have errors of shape, reported by the event path")
    }

    /// Constructs the mutations rarely produce: each is checked, and the comment says which path reads it.
    func testEdgeCasesReadTheSameBothWays() {
        let head = "version: 1\nplan: p\nunit: u\nperiod: \"2024-02\"\nliaison: {name: n, phone: \"1\"}\nsubmitted: 2024-03-04\n"
        func ledger(_ entry: String) -> String { head + "entries:\n  - " + entry.replacingOccurrences(of: "\n", with: "\n    ") + "\n" }
        let events: [String: String] = [
            "plain": ledger("task: 2\nstatus: 推进中\npercent: 30\nprogress: 进展。"),
            "quoted numbers": ledger("task: \"2\"\nstatus: '推进中'\npercent: '30'\nprogress: x"),
            "nulls": ledger("task: ~\nmilestone: null\nstatus: Null\npercent: NULL\nprogress:\nproblems: ''\nnext_steps: \"\""),
            "quoted null": ledger("task: 2\nstatus: \"~\"\nprogress: 'null'"),
            "block scalars": ledger("task: 2\nstatus: |\n  推进中\nprogress: >\n  第一行\n  第二行\n\nproblems: |-\n  x\n  y"),
            "empty block": ledger("task: 2\nstatus: |\nprogress: >\n"),
            "spaces": ledger("task: \" 2 \"\nstatus: \"　推进中　\"\npercent: \"\\t3\"\nprogress: \"\\u200B进展\\u200B\""),
            "bom in a scalar": ledger("task: 2\nstatus: \"\\uFEFF推进中\"\nprogress: \"x\\uFEFF\""),
            "nul in a scalar": ledger("task: 2\nstatus: \"推\\0进\"\nprogress: x"),
            "wrong types": ledger("task: [1]\nstatus: {a: b}\npercent: 101\ncompleted: 2024-02-30\nprogress: [x]\nfigures: x\nevidence: {a: 1}"),
            "figures": ledger("task: 2\nstatus: s\nprogress: p\nfigures:\n  - {name: a, value: 1e3, unit: x}\n  - {name: b, value: \" 12 \"}\n  - {name: c, value: inf}\n  - {name: d}\n  - x\n  - {value: 1, extra: 2}"),
            "evidence": ledger("task: 2\nstatus: s\nprogress: p\nevidence: [a, '', [b], ~, \" c \"]"),
            "unknown keys": ledger("task: 2\nstatuss: s\nprogres: p\nx: 1") + "extra: 1\nentriez: []\n",
            "milestone only": ledger("milestone: \"7.1\"\nstatus: s\nprogress: p"),
            "tags": ledger("task: !!str 2\nstatus: !custom s\nprogress: !!binary AAAA"),
            "flow ledger": "{version: 1, plan: p, unit: u, period: '2024-02', liaison: {name: n, phone: '1'}, submitted: 2024-03-04, entries: [{task: 2, status: s, progress: p}]}",
            "document markers": "%YAML 1.1\n---\n" + ledger("task: 2\nstatus: s\nprogress: p") + "...\n",
            "version 2": ledger("task: 2\nstatus: s\nprogress: p").replacingOccurrences(of: "version: 1", with: "version: 2"),
            "no entries": head + "entries: []\n",
            "entries null": head + "entries:\n",
            "not a mapping": "- a\n- b\n",
            "a scalar": "just text\n",
            "comments only then": "# c\n" + head + "# end\n",
            "keys 1 and '1'": ledger("task: 2\nstatus: s\nprogress: p\n1: a\n'2': b"),
            "crlf": ledger("task: 2\nstatus: s\nprogress: p").replacingOccurrences(of: "\n", with: "\r\n"),
            "merge key": ledger("<<: {task: 2}\nstatus: s\nprogress: p"),
            "kelvin key": ledger("tas\u{212A}: 2\nstatus: s\nprogress: p"),
        ]
        for (label, text) in events.sorted(by: { $0.key < $1.key }) {
            XCTAssertTrue(check(text, label), "\(label) is read from the events")
        }
        let fallback: [String: String] = [
            "empty": "",
            "comment only": "# nothing\n",
            "two documents": ledger("task: 2\nstatus: s\nprogress: p") + "---\na: 1\n",
            "anchor and alias": ledger("task: &t 2\nstatus: s\nprogress: *t"),
            "anchor only": ledger("task: &t 2\nstatus: s\nprogress: p"),
            "undefined alias": ledger("task: 2\nstatus: *s\nprogress: p"),
            "duplicate key": ledger("task: 2\ntask: 3\nstatus: s\nprogress: p"),
            "duplicate quoted key": ledger("task: 2\n\"task\": 3\nstatus: s\nprogress: p"),
            "same text, other tag": ledger("task: 2\nstatus: s\nprogress: p\n1: a\n'1': b"),
            "duplicate in an unread mapping": ledger("task: 2\nstatus: s\nprogress: {a: 1, a: 2}"),
            "complex key": ledger("task: 2\nstatus: s\nprogress: p\n? [a]\n: b"),
            "syntax error": ledger("task: 2\nstatus: [s\nprogress: p"),
            "tab indent": ledger("task: 2\n\tstatus: s\nprogress: p"),
            "control character": ledger("task: 2\nstatus: s\u{7}\nprogress: p"),
        ]
        for (label, text) in fallback.sorted(by: { $0.key < $1.key }) {
            XCTAssertFalse(check(text, label), "\(label) falls back to the composed path")
        }
    }
}

/// `trimmedLikeFoundation` answers without Foundation only where Foundation trims nothing.
final class ExactTrimTests: XCTestCase {
    func testTheShortcutAgreesWithFoundationOnEveryScalar() {
        var wrong: [String] = []
        for v in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(v), String.neverTrimmed(scalar) else { continue }
            let text = String(scalar)
            if text.trimmingCharacters(in: .whitespacesAndNewlines) != text { wrong.append(String(v, radix: 16)) }
        }
        XCTAssertEqual(wrong, [])
        for text in ["", " ", "\u{200B}a\u{200B}", "\u{3000}甲\u{3000}", "\t1 ", "a\n", "\u{85}x\u{2028}"] {
            XCTAssertEqual(text.trimmedLikeFoundation(), text.trimmingCharacters(in: .whitespacesAndNewlines))
            XCTAssertEqual(text.trimmedLikeFoundation(newlines: false), text.trimmingCharacters(in: .whitespaces))
            // The CSV reader's trim (on strings and substrings) takes the same shortcut.
            XCTAssertEqual(text.trimmedFast(), text.trimmingCharacters(in: .whitespacesAndNewlines))
            XCTAssertEqual(text[...].trimmedFast(newlines: false), text.trimmingCharacters(in: .whitespaces))
        }
    }
}
