import ArgumentParser
import DubanKit
import Foundation

/// Where the database is and which plan to use; shared by every command that reads the store.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The database file (default: $DUBAN_DB, else ./duban.sqlite).", valueName: "FILE"))
    var db: String?

    @Option(name: .long, help: ArgumentHelp("The plan id, when the database holds several plans.", valueName: "ID"))
    var plan: String?

    var databasePath: String {
        if let db { return db }
        if let env = ProcessInfo.processInfo.environment["DUBAN_DB"], !env.isEmpty { return env }
        return "duban.sqlite"
    }

    /// Opens the database for what the command does: a command that only reads gets a read-only
    /// connection and never migrates; only `.create` makes a new database. Commands go through
    /// `reading`, `writing` or `opening` (CommandRunner.swift), which also report failures.
    func open(_ access: DubanDatabase.Access) throws -> DubanDatabase {
        try DubanDatabase(path: databasePath, access: access)
    }

    /// The current version of the selected plan.
    func storedPlan(in database: DubanDatabase) throws -> StoredPlan {
        let store = PlanStore(database)
        let id: String
        if let plan {
            id = plan
        } else {
            let ids = try store.planIDs()
            guard !ids.isEmpty else {
                throw CLIError.inputMissing("the database \(databasePath) holds no plan",
                                            hint: "load one: duban plan load Plans/zhangye-2023-2025")
            }
            guard ids.count == 1 else {
                throw CLIError.usage("the database holds \(ids.count) plans (\(ids.joined(separator: ", ")))",
                                     hint: "choose one with --plan ID")
            }
            id = ids[0]
        }
        guard let stored = try store.plan(id: id) else {
            throw CLIError.inputMissing("no plan \"\(id)\" in \(databasePath)",
                                        hint: "plans here: \((try? store.planIDs())?.joined(separator: ", ") ?? "none")")
        }
        return stored
    }
}

extension OutputFormat: ExpressibleByArgument {}

extension OutputFormat {
    /// The table form of this format; nil for JSON, which a command writes from its list's objects.
    var tableForm: Table.Form? {
        switch self {
        case .json: nil
        case .table: .text
        case .csv: .csv
        case .markdown: .markdown
        }
    }
}

struct FormatOption: ParsableArguments {
    @Option(name: .long, help: "Output format: table, json, csv or markdown.")
    var format: OutputFormat = .table
}
