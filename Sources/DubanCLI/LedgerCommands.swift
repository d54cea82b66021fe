import ArgumentParser
import DubanKit
import Foundation

struct LedgerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger",
        abstract: "Print a ledger template for a unit, submit filled-in ledgers (台账), and review them.",
        discussion: """
            Examples:
              duban ledger template --unit 甘州区 --period 2024-04 > 甘州区-2024-04.yaml
              duban ledger submit 甘州区-2024-04.yaml
              duban ledger reviews
              duban ledger review --unit 甘州区 --period 2024-04 return --reason "缺少佐证材料"
            """,
        subcommands: [Template.self, Submit.self, Review.self, Reviews.self]
    )
}

extension LedgerCommand {
    struct Template: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "template",
            abstract: "Print a ready-to-fill ledger for one unit and period.",
            discussion: """
                Lists every task the unit owes (through its groups) and nothing else, the milestones \
                falling due around the period, and the previous period's status and text as a starting \
                point, with comments in Chinese explaining each field. The period defaults to the last \
                one ended by --as-of.
                Examples:
                  duban ledger template --unit 甘州区 --period 2024-02 > 甘州区-2024-02.yaml
                  duban ledger template --unit 市市场监管局 --format csv > samr.csv
                  duban ledger template --unit 甘州区 --period 2024-04 --format xlsx --out 甘州区-2024-04.xlsx
                """
        )

        @Option(help: "The unit: id, Chinese name or alias.")
        var unit: String

        @Option(help: ArgumentHelp("The reporting period, e.g. 2024-02 for a monthly schedule.", valueName: "PERIOD"))
        var period: String?

        @Option(help: "yaml, csv, or xlsx (with --out).")
        var format: TemplateFormat = .yaml
        @Option(help: ArgumentHelp("With --format xlsx: the workbook to write.", valueName: "FILE"))
        var out: String?

        func validate() throws { try WorkbookOutput.validate(xlsx: format == .xlsx, out: out) }

        @OptionGroup var asOf: AsOfOption
        @OptionGroup var store: StoreOptions

        func run() throws {
            try store.reading { database, plan in
                let unit = try resolveSingleUnit(self.unit, in: plan)
                let today = asOf.date
                let period: ReportingPeriod
                if let text = self.period {
                    period = try resolvePeriod(text, in: plan)
                } else {
                    guard let chosen = LedgerTemplate.defaultPeriod(plan: plan, today: today) else {
                        throw CLIError.usage("plan \(plan.id) has no ledger periods", hint: "add `ledgers:` to its plan.yaml")
                    }
                    period = chosen
                }
                let template = try LedgerTemplate.prefilled(store: LedgerStore(database), plan: plan, unit: unit, period: period, today: today)
                switch format {
                case .yaml: Console.out(template.yaml())
                case .csv: Console.out(template.csv())
                case .xlsx: try WorkbookOutput.write(template.xlsx(), to: out ?? "")
                }
            }
        }
    }

    struct Submit: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "submit",
            abstract: "Validate ledger files and record them, all or nothing.",
            discussion: """
                Every file is read (YAML, CSV in UTF-8 or GB18030, or an .xlsx workbook) and checked against \
                the stored plan; any error in any file is reported as FILE:LINE:COLUMN with the line and a \
                hint (FILE:SHEET!CELL for a workbook, e.g. 甘州区-2024-04.xlsx:台账!F7), and \
                then nothing is written (exit 65). All files are recorded in ONE transaction, one \
                file at a time: a submit is all-or-nothing across its files. \
                A file identical to the ledger already recorded for its unit and period is a no-op; a \
                different one supersedes it (the earlier stays in history). \
                CSV files may take their header from options (--unit, --period, …) when they have no \
                header rows; a value in both must agree.
                Examples:
                  duban ledger submit 甘州区-2024-02.yaml
                  duban ledger submit --dry-run ledgers/*.yaml
                  duban ledger submit 台账.csv --encoding gb18030 --unit 甘州区 --period 2024-02
                  duban ledger submit 甘州区-2024-04.xlsx
                """
        )

        @Argument(help: "Ledger files: *.yaml, *.csv or *.xlsx.")
        var files: [String]

        @Flag(name: .customLong("dry-run"), help: "Validate and show what would change; write nothing.")
        var dryRun = false

        @Option(help: "Text encoding of the files: auto (UTF-8 if valid, else GB18030), utf8 or gb18030.")
        var encoding: TextEncodingChoice = .auto

        @Option(help: "CSV only: the unit, when the file has no 单位 row.")
        var unit: String?
        @Option(help: ArgumentHelp("CSV only: the period, when the file has no 期间 row.", valueName: "PERIOD"))
        var period: String?
        @Option(help: "CSV only: the liaison's name, when the file has no 联络员 row.")
        var liaison: String?
        @Option(help: "CSV only: the liaison's phone, when the file has no 联系电话 row.")
        var phone: String?
        @Option(help: ArgumentHelp("CSV only: the submission date, when the file has no 报送日期 row.", valueName: "YYYY-MM-DD"),
                transform: parseDate)
        var submitted: LocalDate?

        @OptionGroup var store: StoreOptions

        func validate() throws {
            guard !files.isEmpty else { throw ValidationError("name at least one ledger file") }
            let headerOptions = [unit, period, liaison, phone].contains { $0 != nil } || submitted != nil
            if headerOptions, let yaml = files.first(where: { LedgerLoader.format(of: $0) == .yaml }) {
                throw ValidationError("--unit, --period, --liaison, --phone and --submitted are for CSV files; \(yaml) is YAML and has its own header")
            }
        }

        func run() throws {
            try CommandRunner.run {
                let missing = files.filter { !FileManager.default.fileExists(atPath: $0) }
                if !missing.isEmpty {
                    for file in missing { Console.err("\(file): error: no such file\n") }
                    throw CLIError.inputMissing("\(missing.count) of \(files.count) ledger file\(files.count == 1 ? "" : "s") missing; nothing recorded",
                                                hint: "check the names; a submit records all of its files or none")
                }
                let database = try store.open(dryRun ? .rehearse : .write)
                let diagnostics = DiagnosticCollector()
                let defaults = LedgerHeaderDefaults(plan: nil, unit: unit, period: period, liaison: liaison, phone: phone, submitted: submitted)
                let loader = LedgerLoader(diagnostics: diagnostics, encoding: encoding, defaults: defaults)
                // One pass, one transaction: each file is read, checked and recorded, then dropped;
                // after an error the rest are only checked, and nothing is written.
                let bar = ProgressBar(label: "提交 submitting")
                // The report, written out as the ledgers are recorded, printed once all is done.
                let spool = SubmitTextSpool(dryRun: dryRun)
                let outcome: LedgerIngest.Outcome
                do {
                    outcome = try LedgerIngest(database).submit(paths: files, loader: loader, only: store.plan, dryRun: dryRun,
                                                               progress: bar?.update, afterRecord: FaultInjection.afterRecord,
                                                               each: spool.add, changes: spool.changes)
                } catch {
                    bar?.finish()
                    Console.err(diagnostics.renderAll())
                    throw error
                }
                bar?.finish()
                Console.err(diagnostics.renderAll())
                guard outcome.succeeded else {
                    Console.err("duban: nothing recorded: \(Set(diagnostics.errors.map(\.location.file)).count) of \(files.count) file\(files.count == 1 ? "" : "s") have errors\n")
                    throw CLIError.reported(Exit.dataError)
                }
                let done = dryRun ? "the dry run is done (nothing written)"
                    : "the ledgers WERE recorded: `duban ledgers` and `duban history` show them"
                Console.committed(done)
                do {
                    try spool.write(to: Console.out)
                } catch {
                    throw CLIError.io("\(done); but the report could not be printed: \(error)",
                                      hint: "free space in the temporary folder ($TMPDIR) for the next time")
                }
            }
        }
    }
}

/// Test-only fault injection: with `DUBAN_FAULT_PAUSE_AFTER_RECORDS=N`, `ledger submit` stops
/// inside its write transaction after the N-th record, touches `$DUBAN_FAULT_MARKER` and
/// sleeps, so a test can kill it there. Unset, it does nothing.
enum FaultInjection {
    static var afterRecord: ((Int) -> Void)? {
        let env = ProcessInfo.processInfo.environment
        guard let text = env["DUBAN_FAULT_PAUSE_AFTER_RECORDS"], let n = Int(text) else { return nil }
        let marker = env["DUBAN_FAULT_MARKER"]
        return { count in
            guard count == n else { return }
            if let marker { _ = FileManager.default.createFile(atPath: marker, contents: Data("\(count)\n".utf8)) }
            Thread.sleep(forTimeInterval: 60)
        }
    }
}
