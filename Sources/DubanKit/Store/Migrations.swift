import GRDB

/// The schema's migrations, in order, in one `DatabaseMigrator`. A shipped migration is never
/// edited: a change comes as a new one appended at the end, with an object it creates.
enum Migrations {
    struct Step: Sendable {
        var id: String
        /// A table or index this migration creates and no earlier one does: how a database whose
        /// record of migrations was lost or edited is told apart from a new or a foreign one.
        var creates: String
        var migrate: @Sendable (Database) throws -> Void
    }

    static let steps: [Step] = [
        Step(id: "v1-plan", creates: "plan_version", migrate: Schema.createPlanTables),
        Step(id: "v2-ledgers", creates: "ledger_submission", migrate: Schema.createLedgerTables),
        Step(id: "v3-supervision", creates: "supervision_action", migrate: Schema.createSupervisionTables),
        Step(id: "v4-scale", creates: "progress_record_done", migrate: Schema.createScaleIndexes),
        Step(id: "v5-ledger-dates", creates: "ledger_submission_dates", migrate: Schema.createLedgerDatesIndex),
        Step(id: "v6-current-facts", creates: "current_fact", migrate: Schema.createCurrentFacts),
        Step(id: "v7-derived-version", creates: "derived_version", migrate: Schema.createDerivedVersion),
        Step(id: "v8-accounts", creates: "audit_event", migrate: Schema.createAccountTables),
        Step(id: "v9-document-numbers", creates: "document_number", migrate: Schema.createDocumentNumbers),
        Step(id: "v10-record-occurrence", creates: "progress_record_occurrence", migrate: Schema.addRecordOccurrence),
        Step(id: "v11-unit-kinds", creates: "unit_finer_kind", migrate: Schema.addUnitKinds),
        Step(id: "v12-evidence-files", creates: "evidence_blob", migrate: Schema.createEvidenceTables),
        Step(id: "v13-extension-requests", creates: "extension_request", migrate: Schema.createExtensionRequestTables),
        Step(id: "v14-received-as", creates: "ledger_submission_received_as", migrate: Schema.addReceivedAs),
        Step(id: "v15-notifications", creates: "notification_attempt", migrate: Schema.createNotificationLog),
        Step(id: "v16-ledger-review", creates: "ledger_review", migrate: Schema.createReviewTables),
        Step(id: "v17-calendar-tokens", creates: "calendar_token", migrate: Schema.createCalendarTokens),
        Step(id: "v18-extension-deadlines", creates: "extension_decision_not_before_request", migrate: Schema.rebuildExtensionDeadlines),
        Step(id: "v19-ledger-content", creates: "ledger_content", migrate: Schema.createLedgerContent),
        Step(id: "v20-owed-states", creates: "owed_state", migrate: Schema.createOwedStates),
        Step(id: "v21-owed-state-status", creates: "owed_state_by_unit", migrate: Schema.rebuildOwedStateStatusCheck),
    ]

    /// Every migration runs in one transaction with foreign keys enforced (`.immediate`: GRDB's
    /// default would switch them off during a migration and check afterwards).
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for step in steps {
            migrator.registerMigration(step.id, foreignKeyChecks: .immediate, migrate: step.migrate)
        }
        return migrator
    }

    /// What a database file's schema is, as far as Duban is concerned.
    enum State: Equatable {
        /// No table at all (a new file, or one whose first migration never committed).
        case empty
        case current
        /// Made by an older duban: these migrations are still to run.
        case older(missing: [String])
    }

    /// Reads the schema and the record of applied migrations; throws `StoreError` for a database
    /// Duban must not touch (another application's, a newer duban's, one whose record of
    /// migrations does not match its schema). Writes nothing.
    static func state(of db: Database, path: String) throws -> State {
        // Tables, indexes and triggers by name; not SQLite's own (the index of a primary key).
        let objects = Set(try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"))
        if objects.isEmpty { return .empty }
        let known = steps.map(\.id)
        let present = steps.map { objects.contains($0.creates) }
        guard objects.contains("grdb_migrations") else {
            if present.contains(true) {
                throw StoreError.migrationsTampered(path: path, detail: "the table grdb_migrations is missing")
            }
            throw StoreError.foreign(path: path)
        }
        let applied: Set<String>
        do {
            applied = Set(try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations"))
        } catch let error as DatabaseError where error.resultCode == .SQLITE_ERROR {
            throw StoreError.migrationsTampered(path: path, detail: "grdb_migrations cannot be read (\(error.message ?? "\(error)"))")
        }
        if !present.contains(true), applied.isDisjoint(with: known) {
            // GRDB creates its table before the first migration's transaction: a first run that
            // stopped in between left only that table, empty.
            if applied.isEmpty, objects == ["grdb_migrations"] { return .empty }
            throw StoreError.foreign(path: path)
        }
        let unknown = applied.subtracting(known).sorted()
        if !unknown.isEmpty { throw StoreError.newer(path: path, unknown: unknown) }
        for (step, exists) in zip(steps, present) where applied.contains(step.id) != exists {
            throw StoreError.migrationsTampered(path: path, detail: exists
                ? "\(step.creates) exists but \(step.id) is not recorded as applied"
                : "\(step.id) is recorded as applied but \(step.creates) is missing")
        }
        let missing = known.filter { !applied.contains($0) }
        guard Array(known.suffix(missing.count)) == missing else {
            throw StoreError.migrationsTampered(path: path, detail: "\(missing.joined(separator: ", ")) not applied, but later ones are")
        }
        return missing.isEmpty ? .current : .older(missing: missing)
    }
}
