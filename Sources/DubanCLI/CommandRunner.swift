import ArgumentParser
import DubanKit

/// How every command runs: its body, with the database opened as the command's access says, and
/// any failure reported once (`ErrorReport`: one message on stderr, its documented exit code).
enum CommandRunner {
    /// Runs `body`; a failure is printed and becomes its exit code (an `ExitCode` passes as is).
    static func run(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let exit as ExitCode {
            throw exit
        } catch {
            let report = ErrorReport(error)
            if let text = report.text { Console.err(text) }
            throw ExitCode(report.code)
        }
    }
}

extension StoreOptions {
    /// Runs a command that only reads: the database opened read-only (never migrated, never
    /// written), and the selected plan.
    func reading(_ body: (DubanDatabase, Plan) throws -> Void) throws {
        try opening(.read) { database, stored in try body(database, stored.plan) }
    }

    /// Runs a command that writes: the database opened by a writer that first upgrades an older
    /// one, and the selected plan.
    func writing(_ body: (DubanDatabase, Plan) throws -> Void) throws {
        try opening(.write) { database, stored in try body(database, stored.plan) }
    }

    /// Runs a command on the database opened for `access` and the selected plan as stored.
    func opening(_ access: DubanDatabase.Access, _ body: (DubanDatabase, StoredPlan) throws -> Void) throws {
        try CommandRunner.run {
            let database = try open(access)
            try body(database, try storedPlan(in: database))
        }
    }

    /// Runs a command on the database opened for `access`, whatever plans it holds.
    func openingDatabase(_ access: DubanDatabase.Access, _ body: (DubanDatabase) throws -> Void) throws {
        try CommandRunner.run { try body(try open(access)) }
    }
}
