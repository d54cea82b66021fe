import GRDB

/// The tables derived from the records for speed (`current_fact`, see `CurrentFacts`;
/// `owed_state`, see `OwedStates`): every write keeps them up to date in its transaction
/// (`DerivedTables.fold`); these bring them up to date on demand.
enum DerivedTables {
    /// Folds what was written since the last fold into every derived table, in the caller's
    /// transaction (`plans`: plans at hand, see `CurrentFacts.fold`).
    static func fold(_ db: Database, plans: [String: Plan] = [:]) throws {
        try CurrentFacts.fold(db, plans: plans)
        try OwedStates.fold(db, plans: plans)
    }

    /// Whether a fold has anything to do.
    static func areBehind(_ db: Database) throws -> Bool {
        if try CurrentFacts.isBehind(db) || OwedStates.isBehind(db) { return true }
        return try OwedStates.plansChanged(db)
    }
}

extension DubanDatabase {
    /// Rebuilds the derived tables from every record and submission, in one write transaction;
    /// returns the number of records `current_fact` keeps and of versions `owed_state` holds.
    public func rebuildDerivedTables() throws -> (kept: Int, versions: Int) {
        try write { db in
            try CurrentFacts.reset(db)
            try OwedStates.reset(db)
            try DerivedTables.fold(db)
            return (try Int.fetchOne(db, sql: "SELECT count(*) FROM current_fact") ?? 0,
                    try Int.fetchOne(db, sql: "SELECT count(*) FROM owed_state") ?? 0)
        }
    }

    /// Folds in what the derived tables lack (all of it when they were derived by another version
    /// of the code, or by none yet); returns false, having written nothing, when they were up to date.
    public func updateDerivedTables() throws -> Bool {
        try write { db in
            guard try DerivedTables.areBehind(db) else { return false }
            try DerivedTables.fold(db)
            return true
        }
    }
}
