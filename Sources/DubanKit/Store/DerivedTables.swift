import GRDB

/// The tables derived from the records for speed (`current_fact`, see `CurrentFacts`): every
/// write keeps them up to date in its transaction; these bring them up to date on demand.
extension DubanDatabase {
    /// Rebuilds the derived tables from every record and submission, in one write transaction;
    /// returns the number of records `current_fact` keeps.
    public func rebuildDerivedTables() throws -> Int {
        try write { db in
            try CurrentFacts.reset(db)
            try CurrentFacts.fold(db)
            return try Int.fetchOne(db, sql: "SELECT count(*) FROM current_fact") ?? 0
        }
    }

    /// Folds in what the derived tables lack (all of it when they were derived by another version
    /// of the code, or by none yet); returns false, having written nothing, when they were up to date.
    public func updateDerivedTables() throws -> Bool {
        try write { db in
            guard try CurrentFacts.isBehind(db) else { return false }
            try CurrentFacts.fold(db)
            return true
        }
    }
}
