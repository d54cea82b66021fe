import Foundation
import GRDB
import XCTest
@testable import DubanKit
#if canImport(GRDBSQLite)
import GRDBSQLite
#else
import SQLite3
#endif

/// The queries that ask "does this ledger's record still count on day D" read the view
/// `ledger_submission_end` with one index seek per arm: never a scan of `ledger_submission`
/// (each row holds a whole ledger: gigabytes at country size) nor an index SQLite builds per query.
final class QueryPlanTests: XCTestCase {
    func plan(_ sql: String, in database: DubanDatabase) throws -> [String] {
        try database.writer.read { db in
            let statement = try db.makeStatement(sql: "EXPLAIN QUERY PLAN " + sql)
            let count = Int(sqlite3_bind_parameter_count(statement.sqliteStatement))
            statement.arguments = StatementArguments(Array(repeating: DatabaseValue.null, count: count))
            return try Row.fetchAll(statement).map { $0["detail"] as String }
        }
    }

    func testEveryQueryOfWhenARecordStoppedCountingSeeks() throws {
        let database = try checkedDatabase()
        let queries = [
            "facts": "SELECT \(SupervisionStore.factColumns) FROM progress_record r LEFT JOIN ledger_submission s ON s.id = r.submission_id WHERE r.plan_id = ?",
            "latest candidates": SupervisionStore.latestCandidatesSQL(lag: 30),
            "done": SupervisionStore.doneSQL(),
            "latest id": "SELECT r.id FROM progress_record r WHERE r.id = (\(ProgressQueries.latestIDSQL))",
            "previous states": LedgerWriter.lookupSQL(4),
        ]
        for (name, sql) in queries {
            let lines = try plan(sql, in: database)
            XCTAssertTrue(lines.contains { $0.contains("ledger_submission_end") || $0.contains("ledger_review") || $0.contains("supersedes_id") },
                          "\(name) reads the view: \(lines.joined(separator: "\n"))")
            for bad in ["SCAN ledger_submission", "SCAN ledger_review", "AUTOMATIC", "CO-ROUTINE ledger_submission_end", "MATERIALIZE ledger_submission_end"] {
                XCTAssertFalse(lines.contains { $0.contains(bad) }, "\(name): \(bad)\n\(lines.joined(separator: "\n"))")
            }
        }
    }
}
