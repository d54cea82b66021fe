import ArgumentParser
import DubanKit
import Foundation

struct DatabaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Look after the database file: upgrade it to this duban's schema.",
        discussion: """
            The commands that only read never change the database; one made by an older duban is
            upgraded by any command that writes, or by `duban db migrate`.
            Example:
              duban db migrate --db duban.sqlite
            """,
        subcommands: [Migrate.self]
    )
}

extension DatabaseCommand {
    struct Migrate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "migrate",
            abstract: "Upgrade an existing database to this duban's schema (one transaction per migration).",
            discussion: """
                Applies the migrations the database lacks and says which; a current database is left as
                it is. A file that is not a Duban database is refused and left unchanged.
                Example:
                  duban db migrate --db duban.sqlite
                """
        )

        @OptionGroup var store: StoreOptions

        func run() throws {
            try reportingErrors {
                let database = try store.open(.write)
                if database.migrated.isEmpty {
                    Console.out("\(store.databasePath): already current; nothing written\n")
                } else {
                    Console.committed("the database WAS upgraded")
                    Console.out("\(store.databasePath): upgraded: applied \(database.migrated.joined(separator: ", "))\n")
                }
            }
        }
    }
}
