import Foundation
import XCTest

/// `extension request|decide|list` on the built binary: the coordinator's terminal does what the
/// portal does.
extension SupervisionCommandTests {
    func testAnExtensionRequestIsDecidedFromTheCommandLine() throws {
        XCTAssertEqual(try overdueUnits(asOf: "2025-01-05", milestone: "15.1").contains("linze"), true)
        let ask = ["extension", "request", "--unit", "临泽县", "--task", "15", "--milestone", "15.1", "--new-due", "2025-03-31", "--reason", "评估范围扩大"]
        let late = try cli.run(ask + ["--date", "2025-01-01"])
        XCTAssertEqual(late.code, 65)
        XCTAssertTrue(late.stderr.contains("the deadline has passed"), late.stderr)
        let empty = try cli.run(["extension", "request", "--unit", "临泽县", "--task", "15", "--new-due", "2024-06-30", "--reason", " ",
                                 "--date", "2024-12-01"])
        XCTAssertEqual(empty.code, 65)
        XCTAssertTrue(empty.stderr.contains("the reason is empty") && empty.stderr.contains("not after the current one"), "every error: \(empty.stderr)")
        XCTAssertEqual(try cli.run(ask + ["--date", "2024-12-01"]).code, 0)
        XCTAssertEqual(try cli.run(["extension", "request", "--unit", "高台县", "--task", "15", "--new-due", "2025-03-31", "--reason", "x",
                                    "--date", "2024-12-01"]).code, 0)

        let noReason = try cli.run(["extension", "decide", "2", "refuse", "--date", "2024-12-02"])
        XCTAssertEqual(noReason.code, 65, noReason.stderr)
        XCTAssertEqual(try cli.run(["extension", "decide", "9", "approve", "--date", "2024-12-02"]).code, 64)
        XCTAssertEqual(try cli.run(["extension", "decide", "1", "approve", "--date", "2024-12-02"]).code, 0)
        XCTAssertEqual(try cli.run(["extension", "decide", "2", "refuse", "--reason", "理由不充分", "--date", "2024-12-02"]).code, 0)
        XCTAssertEqual(try cli.run(["extension", "decide", "2", "approve", "--date", "2024-12-02"]).code, 65, "decided once")

        let units = try overdueUnits(asOf: "2025-01-05", milestone: "15.1")
        XCTAssertFalse(units.contains("linze"), "approved: due 2025-03-31")
        XCTAssertTrue(units.contains("gaotai"), "refused: unchanged")
        XCTAssertTrue(try overdueUnits(asOf: "2025-04-01", milestone: "15.1").contains("linze"))
        let extensions = try XCTUnwrap(try json(["extensions"]) as? [[String: Any]])
        XCTAssertEqual(extensions.map { $0["new_due"] as? String }, ["2025-03-31"])
        let list = try XCTUnwrap(try json(["extension", "list", "--unit", "临泽县"]) as? [[String: Any]])
        XCTAssertEqual(list.count, 1)
        XCTAssertEqual(list[0]["state"] as? String, "approved")
        XCTAssertEqual((list[0]["decision"] as? [String: Any])?["extension"] as? Int, extensions[0]["id"] as? Int)
        let pending = try XCTUnwrap(try json(["extension", "list", "--state", "pending"]) as? [[String: Any]])
        XCTAssertTrue(pending.isEmpty)
    }
}
