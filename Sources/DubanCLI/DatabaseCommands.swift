import ArgumentParser
import DubanKit
import Foundation

struct DatabaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Look after the database file: upgrade it to this duban's schema, rebuild its derived tables.",
        discussion: """
            The commands that only read never change the database; one made by an older duban is \
            upgraded by any command that writes, or by `duban db migrate`.
            Examples:
              duban db migrate --db duban.sqlite
              duban db rebuild
            """,
        subcommands: [Migrate.self, Rebuild.self]
    )
}

extension DatabaseCommand {
    struct Migrate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "migrate",
            abstract: "Upgrade an existing database to this duban's schema (one transaction per migration).",
            discussion: """
                Applies the migrations the database lacks and says which, then brings the tables derived \
                from the records (current_fact, owed_state) up to date; a current database is left as it is. A file \
                that is not a Duban database is refused and left unchanged.
                Example:
                  duban db migrate --db duban.sqlite
                """
        )

        @OptionGroup var store: StoreOptions

        func run() throws {
            try store.openingDatabase(.write) { database in
                let folded = try database.updateDerivedTables()
                var done: [String] = []
                if !database.migrated.isEmpty { done.append("applied \(database.migrated.joined(separator: ", "))") }
                if folded { done.append("brought current_fact and owed_state up to date") }
                if done.isEmpty {
                    Console.out("\(store.databasePath): already current; nothing written\n")
                } else {
                    Console.committed("the database WAS upgraded")
                    Console.out("\(store.databasePath): upgraded: \(done.joined(separator: "; "))\n")
                }
            }
        }
    }

    struct Rebuild: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rebuild",
            abstract: "Rebuild the tables derived from the records (current_fact, owed_state), in one transaction.",
            discussion: """
                Every write keeps them up to date, and a table derived by another version of duban is \
                rebuilt by the next write; this does it now, from every record (about a minute at \
                country size). The records themselves are not touched.
                Example:
                  duban db rebuild --db duban.sqlite
                """
        )

        @OptionGroup var store: StoreOptions

        func run() throws {
            try store.openingDatabase(.write) { database in
                let rebuilt = try database.rebuildDerivedTables()
                Console.committed("current_fact and owed_state WERE rebuilt")
                Console.out("\(store.databasePath): current_fact rebuilt from the records: \(rebuilt.kept) kept; owed_state: \(rebuilt.versions) open states\n")
            }
        }
    }
}
