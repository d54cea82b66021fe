import ArgumentParser
import DubanKit
import DubanServer
import Foundation

/// `duban account`: the portal's accounts. Every change is written to the audit log with the
/// operating-system user who ran the command.
struct AccountCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "account",
        abstract: "Manage the portal's accounts: add, list, disable, reset-password, token.",
        discussion: """
            Examples:
              duban account add --login ganzhou-li --unit 甘州区 --role liaison --name 李某某
              duban account add --login sfj-wang --role coordinator --name 王某某
              duban account list
              duban account token ganzhou-li        # a new API token; earlier ones stop working
              duban account reset-password ganzhou-li
              duban account disable ganzhou-li
            """,
        subcommands: [Add.self, List.self, Disable.self, ResetPassword.self, Token.self]
    )

    /// Who ran the command, for the audit log.
    static var actor: String { "cli:" + (ProcessInfo.processInfo.environment["USER"] ?? "unknown") }

    /// Opens the database to write and changes one account; an unknown login is a usage error.
    static func change(_ store: StoreOptions, _ body: (AccountStore) throws -> Void) throws {
        try store.openingDatabase(.write) { database in
            do {
                try body(AccountStore(database))
            } catch let error as AccountError {
                throw CLIError.usage(error.description, hint: "see duban account list")
            }
        }
    }
}

extension Role: ExpressibleByArgument {}

extension AccountCommand {
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Add an account and print its one-time password (shown once).",
            discussion: """
                A liaison (联络员) speaks for one unit (--unit); a coordinator (牵头单位) does everything; \
                a leader (领导) reads everything. A unit may have several liaisons.
                Examples:
                  duban account add --login ganzhou-li --unit 甘州区 --role liaison --name 李某某
                  duban account add --login leader-zhao --role leader --name 赵某某
                """
        )

        @Option(help: "The login: 3-64 characters a-z 0-9 . _ -") var login: String
        @Option(help: "The person's name, as pages show it.") var name: String
        @Option(help: "liaison, coordinator or leader.") var role: Role
        @Option(help: "The unit a liaison speaks for (id, name or alias).") var unit: String?
        @OptionGroup var store: StoreOptions

        func run() throws {
            try CommandRunner.run {
                if let p = AccountLimits.loginProblem(login) { throw CLIError.usage("--login: \(p)") }
                if let p = AccountLimits.nameProblem(name) { throw CLIError.usage("--name: \(p)") }
                let database = try store.open(.write)
                let plan = try store.storedPlan(in: database).plan
                var unitID: String?
                switch (role, unit) {
                case (.liaison, nil): throw CLIError.usage("a liaison speaks for one unit: add --unit")
                case (.liaison, let text?): unitID = try resolveSingleUnit(text, in: plan).id
                case (_, _?): throw CLIError.usage("only a liaison has --unit; a \(role.rawValue) reads every unit")
                case (_, nil): unitID = nil
                }
                let password = Secrets.oneTimePassword()
                do {
                    let account = try AccountStore(database).add(planID: plan.id, login: login, name: name, role: role, unitID: unitID,
                                                                 passwordHash: Secrets.hashPassword(password),
                                                                 actor: AccountCommand.actor, address: "local")
                    Console.out("account \(account.login) (\(account.role.label)\(unitID.map { ", " + $0 } ?? "")) added\n")
                    Console.out("one-time password (shown once): \(password)\n")
                } catch let error as AccountError {
                    throw CLIError.usage(error.description)
                }
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List the accounts (never their passwords or tokens).",
            discussion: """
                Examples:
                  duban account list
                  duban account list --format json
                """
        )

        @OptionGroup var store: StoreOptions
        @OptionGroup var output: FormatOption

        func run() throws {
            try store.reading { database, plan in
                let accounts = try AccountStore(database).accounts(planID: plan.id)
                switch output.format.tableForm {
                case nil:
                    struct Row: JSONObject {
                        var login: String, name: String, role: String, unit: String?, unit_name: String?, disabled: Bool, created_at: String
                    }
                    Console.out(JSONOutput.encode(accounts.map { a in
                        Row(login: a.login, name: a.name, role: a.role.rawValue, unit: a.unitID,
                            unit_name: a.unitID.flatMap { plan.unit(id: $0)?.name }, disabled: a.disabled, created_at: a.createdAt)
                    }))
                case let form?:
                    let table = Table(columns: [.init("账号"), .init("姓名"), .init("角色"), .init("单位"), .init("状态"), .init("创建时间")],
                                      rows: accounts.map { a in
                                          [a.login, a.name, a.role.label, a.unitID.flatMap { plan.unit(id: $0)?.name } ?? "—",
                                           a.disabled ? "已停用" : "正常", a.createdAt]
                                      })
                    Console.out(table.render(form))
                }
            }
        }
    }

    struct Disable: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "disable",
            abstract: "Disable an account: its sessions and API tokens stop working at once.",
            discussion: """
                Example:
                  duban account disable ganzhou-li
                """
        )

        @Argument(help: "The login.") var login: String
        @OptionGroup var store: StoreOptions

        func run() throws {
            try AccountCommand.change(store) { try $0.disable(login: login, actor: AccountCommand.actor, address: "local") }
            Console.out("account \(login) disabled\n")
        }
    }

    struct ResetPassword: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reset-password",
            abstract: "Give an account a new one-time password (shown once); its sessions end.",
            discussion: """
                Example:
                  duban account reset-password ganzhou-li
                """
        )

        @Argument(help: "The login.") var login: String
        @OptionGroup var store: StoreOptions

        func run() throws {
            let password = Secrets.oneTimePassword()
            try AccountCommand.change(store) {
                try $0.setPassword(login: login, passwordHash: Secrets.hashPassword(password), actor: AccountCommand.actor, address: "local")
            }
            Console.out("one-time password for \(login) (shown once): \(password)\n")
        }
    }

    struct Token: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "token",
            abstract: "Print a new API token for an account (shown once); its earlier tokens stop working.",
            discussion: """
                Scripts send it as `Authorization: Bearer TOKEN` to /api/v1.
                Example:
                  duban account token ganzhou-li
                """
        )

        @Argument(help: "The login.") var login: String
        @OptionGroup var store: StoreOptions

        func run() throws {
            let token = "dbn_" + Secrets.randomToken()
            try AccountCommand.change(store) {
                try $0.replaceToken(login: login, tokenHash: Secrets.storedHash(token), actor: AccountCommand.actor, address: "local")
            }
            Console.out(token + "\n")
        }
    }
}
