import ArgumentParser
import DubanKit
import DubanServer
import Foundation

/// The README's main command: the whole weekly job on the bundled plan and sample ledgers.
struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the main job on the bundled plan and sample ledgers, into the default database.",
        discussion: """
            Loads the plan, submits the sample ledgers (Plans/…/samples, fictitious), then shows \
            the plan, the ledger grid, the overdue items, the escalation list and the weekly \
            digest's headline as of --as-of (default 2024-04-10, just after the samples' last \
            month), and writes the whole digest as HTML next to the database \
            (duban-digest-2024-W15.html). Running it again records nothing new. Afterwards every \
            other command works on the same database.
            Example (from the repository's root):
              swift run duban demo
              swift run duban demo --as-of 2024-03-11 --db /tmp/demo.sqlite
            """
    )

    @Option(help: "The plan folder to load.")
    var plans: String = "Plans/zhangye-2023-2025"

    @Option(name: .customLong("as-of"), help: ArgumentHelp("The day to report for.", valueName: "YYYY-MM-DD"), transform: parseDate)
    var asOf: LocalDate = LocalDate(dayNumber: 19_823)   // 2024-04-10

    @OptionGroup var store: StoreOptions

    func run() throws {
        try CommandRunner.run {
            let plan = try loadPlanFolder(plans)
            let database = try store.open(.create)
            let outcome = try PlanStore(database).load(plan, sourceDirectory: plans)
            Console.committed("the plan load is done: `duban plan versions` shows what is stored")
            Console.out("== 1. 载入方案 plan load ==\n" + PlanLoadReport.text(outcome, plan: plan, database: store.databasePath) + "\n")

            Console.out("== 2. 报送样例台账 ledger submit (samples, fictitious) ==\n")
            try submitSamples(plan: plan, database: database)

            guard let stored = try PlanStore(database).plan(id: plan.id) else {
                throw CLIError.inputMissing("the plan \(plan.id) did not read back from \(store.databasePath)")
            }
            Console.out("\n== 3. 方案概况 plan show ==\n" + PlanReports.planText(stored) + "\n")
            let report = try DemoReport(database: database, plan: stored.plan, asOf: asOf)
            Console.out(report.ledgersSection)
            Console.out(report.overdueSection)
            Console.out(report.escalationSection(colour: Terminal.colours))
            // The weekly digest leadership reads: the headline here, the whole page as HTML beside the database.
            let folder = (store.databasePath as NSString).deletingLastPathComponent
            let html = (folder.isEmpty ? "" : folder + "/") + report.digestFileName
            do {
                try report.digestHTML.write(toFile: html, atomically: true, encoding: .utf8)
            } catch {
                throw CLIError.inputMissing("cannot write the digest to \(html): \(FileErrorText.reason(error, path: html))")
            }
            Console.out(report.digestSection(htmlPath: html))
            try demoAccounts(plan: stored.plan, database: database)
        }
    }

    /// The demo database's own portal accounts (`DemoReport.accounts`), made on the first run with
    /// one-time passwords.
    func demoAccounts(plan: Plan, database: DubanDatabase) throws {
        let accounts = AccountStore(database)
        let serve = "duban serve --as-of \(asOf)\(store.db.map { " --db \($0)" } ?? "")"
        Console.out("\n== 8. 门户 portal: \(serve), then http://127.0.0.1:8080 ==\n")
        guard try accounts.accounts(planID: plan.id).isEmpty else {
            Console.out("demo accounts exist (duban account list); duban account reset-password LOGIN gives a new password\n")
            return
        }
        let people = DemoReport.accounts(plan: plan)
        guard !people.isEmpty else { return }
        for (login, role, unitID, name) in people {
            let password = Secrets.oneTimePassword()
            _ = try accounts.add(planID: plan.id, login: login, name: name, role: role, unitID: unitID,
                                 passwordHash: Secrets.hashPassword(password), actor: "demo", address: "local")
            Console.out("\(login) (\(role.label)\(unitID.map { "," + (plan.unit(id: $0)?.name ?? $0) } ?? "")): \(password)\n")
        }
        Console.out("(these accounts exist in this demo database only; the passwords are shown once)\n")
    }

    /// Submits every ledger file in the plan's `samples/` folder, all or nothing.
    func submitSamples(plan: Plan, database: DubanDatabase) throws {
        let folder = (plans as NSString).appendingPathComponent("samples")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        let files = names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".csv") }.sorted().map { (folder as NSString).appendingPathComponent($0) }
        guard !files.isEmpty else {
            Console.out("(no samples in \(folder))\n")
            return
        }
        // Through the ingest `ledger submit` uses: read, checked and recorded in one transaction.
        let diagnostics = DiagnosticCollector()
        let loader = LedgerLoader(diagnostics: diagnostics, encoding: .auto, defaults: LedgerHeaderDefaults())
        let outcome = try LedgerIngest(database).submit(paths: files, loader: loader, only: plan.id)
        Console.err(diagnostics.renderAll())
        guard outcome.succeeded else { throw CLIError.reported(Exit.dataError) }
        Console.committed("the plan and the sample ledgers WERE recorded: `duban ledgers` shows them")
        let recorded = outcome.reports.filter { if case .unchanged = $0.report.kind { return false } else { return true } }.count
        Console.out("\(files.count) files: \(recorded) recorded, \(files.count - recorded) unchanged (already recorded)\n")
    }
}
