import ArgumentParser
import DubanKit

/// `duban`: tracks a three-year action plan from its text to the last overdue item.
public struct Duban: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "duban",
        abstract: "督办 Duban: track a government action plan, its tasks, milestones and ledgers.",
        discussion: """
            Load a plan once, record ledgers, then follow up:
              duban plan load Plans/zhangye-2023-2025
              duban tasks --unit 甘州区
              duban ledger submit Plans/zhangye-2023-2025/samples/*.yaml
              duban overdue --as-of 2024-04-10
              duban escalate --as-of 2024-04-10

            The database is $DUBAN_DB, else ./duban.sqlite; --db FILE overrides both.

            Exit codes: 0 ok, 64 usage, 65 invalid input data, 66 input missing, \
            69 a program needed is missing (LibreOffice for letter --format pdf), \
            70 internal error, 74 database or output unreadable or unwritable, 75 database busy (retry), \
            141 standard output's pipe closed by its reader.
            """,
        version: DubanKit.version,
        subcommands: [Demo.self, PlanCommand.self, Tasks.self, TaskDetail.self, Units.self,
                      LedgerCommand.self, ProgressCommand.self, History.self, Status.self, Ledgers.self,
                      Overdue.self, Notify.self, Escalate.self, ActionCommand.self, Actions.self, ExtensionCommand.self, Extensions.self,
                      LetterCommand.self, CalendarFeed.self, DigestCommand.self, DatabaseCommand.self, AccountCommand.self, Serve.self]
    )

    public init() {}
}
