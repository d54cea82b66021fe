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

    /// A fold reads each touched unit's `owed_state` rows by unit (`owed_state_by_unit`), never the
    /// primary key's range of every unit's rows still valid (at country size a million rows per
    /// unit: a 1,000-file submit took 92 s instead of 6).
    func testAFoldReadsOneUnitsOwedStatesByUnit() throws {
        let database = try checkedDatabase()
        let lines = try plan(OwedStates.storedSQL, in: database)
        XCTAssertEqual(lines.count, 1, lines.joined(separator: "\n"))
        XCTAssertTrue(lines.allSatisfy { $0.contains("owed_state_by_unit (plan_id=? AND unit_id=?") }, lines.joined(separator: "\n"))
    }

    /// A fold finds what was added since its mark from the mark's id on (the rowid's range), never
    /// by walking an index of every record, submission or review (9.5 million entries at country
    /// size, on every submit).
    func testAFoldReadsWhatWasAddedFromTheMarksIDOn() throws {
        let database = try checkedDatabase()
        for sql in OwedStates.touchedSQL + [CurrentFacts.touchedPlansSQL] {
            let lines = try plan(sql, in: database)
            XCTAssertTrue(lines.first?.contains("USING INTEGER PRIMARY KEY (rowid>?)") ?? false, "\(sql)\n\(lines.joined(separator: "\n"))")
            XCTAssertFalse(lines.contains { $0.contains("SCAN") }, "\(sql)\n\(lines.joined(separator: "\n"))")
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
