import ArgumentParser
import DubanKit
import Foundation

/// The digest's forms on the command line: the text forms, and xlsx (a sheet per section, to --out FILE).
enum DigestOutputFormat: String, CaseIterable, ExpressibleByArgument {
    case markdown, html, text, json, xlsx

    var textForm: DigestFormat? { DigestFormat(rawValue: rawValue) }
}
extension DigestLanguage: ExpressibleByArgument {}

struct DigestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "digest",
        abstract: "The weekly digest (周报) for leadership: headline figures, changes, overdue, escalations, units.",
        discussion: """
            Weeks are ISO weeks (Monday to Sunday; 2024-W01 starts 2024-01-01). A week's digest is as of its Sunday: --week 2024-W15 is the same as --as-of 2024-04-14. "This week" is the seven days ending on the as-of date; every change is against the digest as of seven days earlier.

            Labels are Chinese unless --lang en; names and titles stay as written. --out DIR writes one file per week from --from to --to (html unless --format) and an index page. Sections and the JSON schema: docs/digest.md.

            Examples:
              duban digest --week 2024-W15
              duban digest --as-of 2024-04-10 --format markdown > 周报.md
              duban digest --week 2024-W15 --format html --lang en > digest.html
              duban digest --out digests --from 2024-W02 --to 2024-W15
              duban digest --week 2024-W15 --format xlsx --out 周报.xlsx
            """
    )

    @Option(help: ArgumentHelp("The ISO week, as of its Sunday.", valueName: "YYYY-Www"), transform: parseISOWeek)
    var week: ISOWeek?
    @OptionGroup var asOf: AsOfOption
    @Option(help: "Output format: markdown, html, text, json, or xlsx with --out FILE (default: markdown; html with --out).")
    var format: DigestOutputFormat?
    @Option(help: "Language of the labels: zh or en.")
    var lang: DigestLanguage = .zh
    @Option(help: ArgumentHelp("Write one file per week and an index page into this folder (with --format xlsx: the workbook).", valueName: "DIR"))
    var out: String?
    @Option(help: ArgumentHelp("With --out: the first week.", valueName: "YYYY-Www"), transform: parseISOWeek)
    var from: ISOWeek?
    @Option(help: ArgumentHelp("With --out: the last week.", valueName: "YYYY-Www"), transform: parseISOWeek)
    var to: ISOWeek?
    @OptionGroup var store: StoreOptions

    func validate() throws {
        if week != nil && asOf.asOf != nil { throw ValidationError("give --week or --as-of, not both") }
        if out == nil && (from != nil || to != nil) { throw ValidationError("--from and --to go with --out DIR") }
        if format == .xlsx {
            guard out != nil else { throw ValidationError("--format xlsx writes a binary workbook: name the file with --out FILE.xlsx") }
            guard from == nil && to == nil else { throw ValidationError("--format xlsx writes one week's digest: give --week or --as-of, not --from/--to") }
        } else if out != nil {
            guard let from, let to else { throw ValidationError("--out needs --from and --to, e.g. --from 2024-W02 --to 2024-W15") }
            guard from <= to else { throw ValidationError("--from \(from) is after --to \(to)") }
            let weeks = from.monday.days(to: to.monday) / 7 + 1
            guard weeks <= ArgumentBounds.maxWeeks else {
                throw ValidationError("--from \(from) --to \(to) is \(weeks) weeks; a series is at most \(ArgumentBounds.maxWeeks) weeks (ten years)")
            }
            guard week == nil && asOf.asOf == nil else { throw ValidationError("--out takes --from/--to, not --week or --as-of") }
        }
    }

    func run() throws {
        // One malloc arena for the digest's threads: its peak memory at country size (see `MallocArenas`).
        MallocArenas.one()
        try store.opening(.read) { database, stored in
            let plan = stored.plan
            let supervision = SupervisionStore(database)
            let actions = try supervision.actions(planID: plan.id).map(\.fact)
            guard format != .xlsx, let dir = out, let from, let to else {
                // One digest needs the facts in force on its date and a week before: two as-of
                // reads (index seeks) rather than every record of the plan.
                let digest = try Digest.make(database: database, plan: plan, planSHA256: stored.planSHA256, asOf: week?.sunday ?? asOf.date)
                guard let form = format?.textForm ?? (format == nil ? .markdown : nil) else {
                    return try WorkbookOutput.write(DigestWorkbook.workbook(digest, language: lang), to: out ?? "")
                }
                return Console.out(form.render(digest, language: lang))
            }
            // A series reads every record once and replays each week from it.
            try writeSeries(plan: plan, facts: try supervision.facts(planID: plan.id), actions: actions, dir: dir,
                            weeks: ISOWeek.range(from, to))
        }
    }

    func writeSeries(plan: Plan, facts: Facts, actions: [ActionFact], dir: String, weeks: [ISOWeek]) throws {
        let form = format?.textForm ?? .html
        let folder = URL(fileURLWithPath: dir, isDirectory: true)
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw CLIError.inputMissing("cannot create the folder \(dir): \(FileErrorText.reason(error, path: dir))")
        }
        var entries: [DigestIndexRenderer.Entry] = []
        func write(_ text: String, _ name: String) throws {
            do {
                try Data(text.utf8).write(to: folder.appendingPathComponent(name), options: .atomic)
            } catch {
                let path = folder.appendingPathComponent(name).path
                throw CLIError.inputMissing("cannot write \(path): \(FileErrorText.reason(error, path: path))")
            }
        }
        for week in weeks {
            let digest = DigestBuilder.build(plan: plan, facts: facts, actions: actions, asOf: week.sunday)
            let name = "digest-\(week).\(form.fileExtension)"
            try write(form.render(digest, language: lang), name)
            entries.append(DigestIndexRenderer.Entry(file: name, digest: digest))
        }
        try write(DigestIndexRenderer.render(entries, format: form, language: lang), "index.\(form.fileExtension)")
        Console.out("wrote \(entries.count) digest\(entries.count == 1 ? "" : "s") (\(weeks.first?.description ?? "") … \(weeks.last?.description ?? "")) and index.\(form.fileExtension) to \(dir)\n")
    }
}
