import ArgumentParser
import DubanKit
import Foundation

extension Letter.Level: ExpressibleByArgument {}

/// The forms of `letter`.
enum LetterFormat: String, CaseIterable, ExpressibleByArgument {
    case text, docx, pdf
}

struct LetterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "letter",
        abstract: "Write a supervision letter (督办函), circular (通报) or referral as a 公文 (GB/T 9704-2012 信函 form).",
        discussion: """
            From the facts `escalate` shows for the same day: each unit's overdue items with their \
            due dates and days overdue (a reminder also lists what falls due soon). A circular names \
            several units (repeat --unit). --ref takes the 文号; without it, the number of the step \
            recorded for the unit on that day (duban action record --ref next) is used, if any. \
            docx and pdf are written to --out FILE; pdf needs LibreOffice (soffice) and exits 69 \
            without it. Fonts: 方正小标宋简体, 仿宋_GB2312, 楷体_GB2312, 黑体, with Noto CJK where missing.
            Examples:
              duban letter --unit 民乐县 --level letter --as-of 2024-04-10 --ref 张司函〔2024〕12号 --format docx --out 督办函.docx
              duban letter --unit 民乐县 --unit 临泽县 --level circular --as-of 2024-04-10 --format pdf --out 通报.pdf
              duban letter --unit 民乐县 --level reminder --as-of 2024-04-10
            """
    )

    @Option(help: "The unit (id, name or alias); repeat for a circular.") var unit: [String] = []
    @Option(help: "reminder (提醒), letter (函告提醒), circular (通报) or referral (提请追责问责).") var level: Letter.Level
    @Option(help: "The document number (文号), e.g. 张司函〔2024〕12号.") var ref: String?
    @Option(help: ArgumentHelp("The day asked to reply by (default: 10 days after --as-of).", valueName: "YYYY-MM-DD"),
            transform: parseDate) var replyBy: LocalDate?
    @Option(help: "text (default), docx or pdf.") var format: LetterFormat = .text
    @Option(help: ArgumentHelp("The file to write (required for docx and pdf).", valueName: "FILE")) var out: String?
    @OptionGroup var asOf: AsOfOption
    @OptionGroup var store: StoreOptions

    func validate() throws {
        guard !unit.isEmpty else { throw ValidationError("name the unit with --unit (repeat it for a circular)") }
        guard unit.count <= 200 else { throw ValidationError("at most 200 units in one letter") }
        if format != .text && out == nil { throw ValidationError("--format \(format.rawValue) writes a binary file: name it with --out FILE") }
        if level != .circular && level != .referral && unit.count > 1 {
            throw ValidationError("a \(level.rawValue) is addressed to one unit; a circular (--level circular) names several")
        }
    }

    func run() throws {
        try store.reading { database, plan in
            let date = asOf.date
            let ctx = try SupervisionContext(database: database, plan: plan, asOf: date, openOnly: true) { !$0.isDone }
            let window = Window(count: plan.escalation?.remindBeforeDays ?? 7, workingDays: false)
            let ladder = Ladder.evaluate(plan: plan, states: ctx.states, actions: ctx.actions.map(\.fact), asOf: date,
                                         dueSoonUntil: ctx.windowEnd(window))
            var rows: [SupervisionJSON.Escalation] = []
            for name in unit {
                let u = try resolveSingleUnit(name, in: plan)
                guard let e = ladder.first(where: { $0.unitID == u.id }) else {
                    throw CLIError.invalidData("\(u.name) has nothing overdue or due soon as of \(date): no letter to write",
                                               hint: "`duban escalate --as-of \(date)` lists the units that have")
                }
                if e.level != level.escalation {
                    Console.err("duban: note: escalate puts \(u.name) at \(e.level.label) as of \(date); writing a \(level.rawValue) as asked\n")
                }
                rows.append(SupervisionJSON.escalation(e, plan: plan, asOf: date))
            }
            let recorded = ctx.actions.last { a in
                a.fact.level == level.escalation && a.fact.date == date && rows.contains { $0.unit == a.fact.unitID } && a.reference != nil
            }?.reference
            let letter = LetterBuilder.build(level: level, rows: rows, plan: plan, asOf: date, reference: ref ?? recorded,
                                             replyBy: replyBy ?? ActionRule.replyBy(date))
            switch format {
            case .text:
                if let out { try write(Data(letter.text().utf8), to: out) } else { Console.out(letter.text()) }
            case .docx:
                try write(try DOCXWriter.data(letter.docx()), to: out ?? "")
            case .pdf:
                try write(try PDFConversion.pdf(fromDOCX: try DOCXWriter.data(letter.docx())), to: out ?? "")
            }
        }
    }

    func write(_ data: Data, to path: String) throws {
        do {
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw CLIError.io("cannot write \(path): \(error.localizedDescription)")
        }
        Console.out("wrote \(path)\n")
    }
}

/// A .docx turned into PDF by LibreOffice headless, in a temporary folder with its own profile.
enum PDFConversion {
    static func soffice() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/soffice" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static func pdf(fromDOCX docx: Data) throws -> Data {
        guard let soffice = soffice() else {
            throw CLIError.unavailable("PDF needs LibreOffice, and soffice is not on the PATH",
                                       hint: "install it (Debian: apt-get install libreoffice-writer), or write --format docx and convert it yourself")
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("duban-letter-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        do {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            try docx.write(to: dir.appendingPathComponent("letter.docx"))
        } catch {
            throw CLIError.io("cannot write a temporary file in \(dir.path): \(error.localizedDescription)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: soffice)
        process.arguments = ["-env:UserInstallation=\(dir.appendingPathComponent("profile").absoluteString)", "--headless",
                             "--convert-to", "pdf", "--outdir", dir.path, dir.appendingPathComponent("letter.docx").path]
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        do { try process.run() } catch {
            throw CLIError.unavailable("cannot start \(soffice): \(error.localizedDescription)")
        }
        let deadline = Date().addingTimeInterval(120)
        while process.isRunning && Date() < deadline { usleep(50_000) }
        if process.isRunning {
            process.terminate()
            throw CLIError.unavailable("LibreOffice did not finish converting within 120 s")
        }
        guard let pdf = FileManager.default.contents(atPath: dir.appendingPathComponent("letter.pdf").path), !pdf.isEmpty else {
            throw CLIError.unavailable("LibreOffice did not write the PDF (exit status \(process.terminationStatus))")
        }
        return pdf
    }
}
