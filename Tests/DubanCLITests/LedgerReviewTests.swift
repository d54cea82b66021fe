import Foundation
import XCTest

/// `ledger review` and `ledger reviews` end to end on the built binary: submit → return with a
/// reason → the period is owed again in `ledgers`, `overdue` and the digest, from its original due
/// date → a resubmission dated before the return is refused → resubmit → accept.
final class LedgerReviewTests: CLITestCase {
    var cli: CLIRunner!
    var samples: String { CLIRunner.zhangye + "/samples" }

    override func setUpWithError() throws {
        cli = try CLIRunner()
    }

    /// The Zhangye plan with `review: required` under `ledgers:`, and 甘州区's three samples.
    func loadReviewedPlan() throws {
        let plan = try cli.copyOfZhangye(editing: "plan.yaml") { text in
            let edited = text.replacingOccurrences(of: "  liaison_phone: required", with: "  review: required\n  liaison_phone: required")
            XCTAssertNotEqual(edited, text)
            return edited
        }
        XCTAssertEqual(try cli.run(["plan", "load", plan]).code, 0)
        let r = try cli.run(["ledger", "submit"] + (1...3).map { "\(samples)/ganzhou-2024-0\($0).yaml" })
        XCTAssertEqual(r.code, 0, r.stderr)
    }

    func json(_ args: [String], file: StaticString = #filePath, line: UInt = #line) throws -> Any {
        let r = try cli.run(args + ["--format", "json"])
        XCTAssertEqual(r.code, 0, r.stderr, file: file, line: line)
        return try JSONSerialization.jsonObject(with: Data(r.stdout.utf8))
    }

    /// 甘州区's 2024-03 ledger cell as `ledgers --format json` gives it.
    func march(asOf: String) throws -> [String: Any] {
        let cells = try XCTUnwrap(try json(["ledgers", "--as-of", asOf, "--period", "2024-03"]) as? [[String: Any]])
        return try XCTUnwrap(cells.first { $0["unit"] as? String == "ganzhou" })
    }

    func overdueLedgers(asOf: String) throws -> [[String: Any]] {
        let items = try XCTUnwrap(try json(["overdue", "--as-of", asOf, "--unit", "甘州区"]) as? [[String: Any]])
        return items.filter { $0["kind"] as? String == "ledger" }
    }

    func testAReturnedLedgerIsOwedAgainUntilTheUnitResubmitsAndTheResubmissionIsReviewedAnew() throws {
        try loadReviewedPlan()
        let pending = try XCTUnwrap(try json(["ledger", "reviews", "--as-of", "2024-04-10"]) as? [[String: Any]])
        XCTAssertEqual(pending.map { $0["period"] as? String }, ["2024-03", "2024-02", "2024-01"])
        XCTAssertEqual(Set(pending.compactMap { $0["review"] as? String }), ["pending"])
        XCTAssertEqual(try march(asOf: "2024-04-10")["review"] as? String, "pending")
        XCTAssertEqual(try march(asOf: "2024-04-10")["state"] as? String, "submitted")
        let digestBefore = try cli.run(["digest", "--as-of", "2024-04-10", "--format", "json"]).stdout

        // A return needs a reason; refused, nothing written.
        let before = try cli.dump()
        let noReason = try cli.run(["ledger", "review", "--unit", "甘州区", "--period", "2024-03", "return", "--date", "2024-04-08"])
        XCTAssertEqual(noReason.code, 65, noReason.stderr)
        XCTAssertTrue(noReason.stderr.contains("needs a reason"), noReason.stderr)
        XCTAssertEqual(try cli.dump(), before)

        let returned = try cli.run(["ledger", "review", "--unit", "甘州区", "--period", "2024-03", "return",
                                    "--reason", "缺少佐证材料 <b>", "--date", "2024-04-08", "--by", "市司法局 王某"])
        XCTAssertEqual(returned.code, 0, returned.stderr)
        XCTAssertTrue(returned.stdout.contains("退回 on 2024-04-08: 缺少佐证材料"), returned.stdout)

        // Before the return nothing changed; from it on the period is owed, overdue from 2024-04-05.
        XCTAssertEqual(try march(asOf: "2024-04-07")["state"] as? String, "submitted")
        XCTAssertEqual(try overdueLedgers(asOf: "2024-04-07").count, 0)
        let cell = try march(asOf: "2024-04-10")
        XCTAssertEqual(cell["state"] as? String, "missing")
        XCTAssertEqual(cell["review"] as? String, "returned")
        let overdue = try overdueLedgers(asOf: "2024-04-10")
        XCTAssertEqual(overdue.map { $0["period"] as? String }, ["2024-03"])
        XCTAssertEqual(overdue.first?["due"] as? String, "2024-04-05")
        XCTAssertEqual(overdue.first?["days_overdue"] as? Int, 5)
        let table = try cli.run(["ledgers", "--as-of", "2024-04-10", "--period", "2024-03"])
        XCTAssertTrue(table.stdout.contains("未报(已退回)"), table.stdout)
        let digest = try cli.run(["digest", "--as-of", "2024-04-10", "--format", "json"]).stdout
        let missing = try XCTUnwrap((try JSONSerialization.jsonObject(with: Data(digest.utf8)) as? [String: Any])?["missing_ledgers"] as? [[String: Any]])
        XCTAssertTrue(missing.contains { ($0["unit"] as? [String: Any])?["id"] as? String == "ganzhou" }, digest)
        XCTAssertNotEqual(digest, digestBefore)
        // The returned ledger's records no longer count: the status is February's again.
        let status = try XCTUnwrap(try json(["status", "--as-of", "2024-04-10", "--unit", "甘州区"]) as? [[String: Any]])
        XCTAssertEqual(Set(status.compactMap { $0["reported_on"] as? String }), ["2024-02-29"])

        // The history shows the reason; a second decision is refused.
        let all = try XCTUnwrap(try json(["ledger", "reviews", "--all", "--as-of", "2024-04-10"]) as? [[String: Any]])
        XCTAssertEqual(all.first?["reason"] as? String, "缺少佐证材料 <b>")
        XCTAssertEqual(all.first?["decided_by"] as? String, "市司法局 王某")
        let again = try cli.run(["ledger", "review", "--unit", "甘州区", "--period", "2024-03", "accept", "--date", "2024-04-09"])
        XCTAssertEqual(again.code, 65)
        XCTAssertTrue(again.stderr.contains("already reviewed"), again.stderr)

        // A resubmission dated before the return is refused and writes nothing; one after it is taken, even unchanged.
        let dump = try cli.dump()
        let early = try cli.run(["ledger", "submit", "\(samples)/ganzhou-2024-03.yaml"])
        XCTAssertEqual(early.code, 65, early.stderr)
        XCTAssertTrue(early.stderr.contains("returned on 2024-04-08") && early.stderr.contains("nothing was written"), early.stderr)
        XCTAssertEqual(try cli.dump(), dump)
        let text = try String(contentsOfFile: "\(samples)/ganzhou-2024-03.yaml", encoding: .utf8)
        let resubmission = cli.directory.appendingPathComponent("ganzhou-2024-03.yaml").path
        try text.replacingOccurrences(of: "submitted: 2024-04-02", with: "submitted: 2024-04-09")
            .write(toFile: resubmission, atomically: true, encoding: .utf8)
        let resubmit = try cli.run(["ledger", "submit", resubmission])
        XCTAssertEqual(resubmit.code, 0, resubmit.stderr)
        XCTAssertTrue(resubmit.stdout.contains("as a correction superseding submission #3"), resubmit.stdout)
        let late = try march(asOf: "2024-04-10")
        XCTAssertEqual(late["state"] as? String, "late", "received 2024-04-09, after the original due date")
        XCTAssertEqual(late["review"] as? String, "pending")
        XCTAssertEqual(try overdueLedgers(asOf: "2024-04-10").count, 0)

        let accept = try cli.run(["ledger", "review", "--unit", "甘州区", "--period", "2024-03", "accept", "--date", "2024-04-10"])
        XCTAssertEqual(accept.code, 0, accept.stderr)
        XCTAssertEqual(try march(asOf: "2024-04-10")["review"] as? String, "accepted")
        let queue = try XCTUnwrap(try json(["ledger", "reviews", "--as-of", "2024-04-10"]) as? [[String: Any]])
        XCTAssertEqual(queue.map { $0["period"] as? String }, ["2024-02", "2024-01"])
        let history = try XCTUnwrap(try json(["ledger", "reviews", "--all", "--as-of", "2024-04-10", "--unit", "甘州区"]) as? [[String: Any]])
        XCTAssertEqual(history.prefix(2).map { $0["review"] as? String }, ["accepted", "returned"])
        XCTAssertEqual(history[1]["superseded_by"] as? Int, 4)
    }

    /// A plan without `review: required` keeps its meaning: nothing can be returned.
    func testAPlanThatDoesNotReviewRefusesADecision() throws {
        try cli.loadZhangyeWithSamples()
        let before = try cli.dump()
        let r = try cli.run(["ledger", "review", "--unit", "甘州区", "--period", "2024-03", "return", "--reason", "x"])
        XCTAssertEqual(r.code, 65, r.stderr)
        XCTAssertTrue(r.stderr.contains("does not review ledgers"), r.stderr)
        XCTAssertEqual(try cli.dump(), before)
        XCTAssertNil(try march(asOf: "2024-04-10")["review"] as? String)
    }

    /// `ledgers.review` takes required or none; anything else is an error at its position.
    func testAnUnknownReviewSettingIsAnErrorAtItsPosition() throws {
        let plan = try cli.copyOfZhangye(editing: "plan.yaml") {
            $0.replacingOccurrences(of: "  liaison_phone: required", with: "  review: always\n  liaison_phone: required")
        }
        let r = try cli.run(["plan", "load", plan])
        XCTAssertEqual(r.code, 65)
        XCTAssertTrue(r.stderr.contains("plan.yaml:28:11:") && r.stderr.contains("`ledgers.review` must be `required` or `none`"), r.stderr)
    }
}
