import ArgumentParser
import DubanKit
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Duban {
    /// The program: parses the arguments, runs the command, and ends with its exit code. Every
    /// message goes through `Console`; argument errors read `duban: error: …` (exit 64); a failed
    /// write to standard output ends with exit 74 (141, quietly, for a closed pipe).
    public static func start(_ arguments: [String] = Array(CommandLine.arguments.dropFirst())) -> Never {
        Console.start()
        if let unknown = unknownCommand(arguments) {
            Console.err(unknown)
            finish(Exit.usage)
        }
        let code: Int32
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
            code = Exit.ok
        } catch let exit as ExitCode {
            code = exit.rawValue
        } catch {
            code = exitCode(for: error).rawValue
            let text = fullMessage(for: error)
            if code == Exit.ok {
                Console.out(text.isEmpty ? "" : text + "\n")
            } else if text.hasPrefix("Error: ") {
                Console.err("duban: error: " + text.dropFirst("Error: ".count) + "\n")
            } else {
                Console.err("duban: error: " + text + "\n")
            }
        }
        finish(code)
    }

    /// Exits with `code`, or with the failure of standard output when the command succeeded but
    /// its output was lost.
    static func finish(_ code: Int32) -> Never {
        guard let failure = Console.outputFailure else { terminate(code) }
        let note = Console.committedNote
        if failure == EPIPE {
            // The reader went away (`duban units | head -1`): say nothing, as cat does, unless
            // data was committed, which a script must be able to learn.
            if let note { Console.err("duban: note: standard output was closed; \(note)\n") }
            terminate(code == Exit.ok ? Exit.closedPipe : code)
        }
        let reason = failure == EBADF ? "standard output is closed" : String(cString: strerror(failure))
        Console.err("duban: error: cannot write the output (\(reason))\(note.map { "; \($0)" } ?? "")\n"
                    + "  hint: write to a file on a disk with free space, or to a pipe\n")
        terminate(code == Exit.ok ? Exit.ioError : code)
    }

    /// The message for a first word that names no command (`duban frobnicate --db X` would
    /// otherwise be told "Unknown option '--db'"), walking down through command groups
    /// (`duban plan frobnicate`); nil when the words name commands.
    static func unknownCommand(_ arguments: [String]) -> String? {
        var command: ParsableCommand.Type = Duban.self
        var path = ["duban"]
        for word in arguments {
            let subcommands = command.configuration.subcommands
            guard !subcommands.isEmpty, !word.hasPrefix("-"), word != "help" else { return nil }
            var names: [String] = []
            var next: ParsableCommand.Type?
            for subcommand in subcommands {
                let name = subcommand._commandName
                names.append(name)
                if name == word { next = subcommand }
            }
            guard let next else { return unknownMessage(word, path: path, names: names) }
            command = next
            path.append(word)
        }
        return nil
    }

    private static func unknownMessage(_ word: String, path: [String], names: [String]) -> String {
        let parent = path.joined(separator: " ")
        let suggestion = Suggest.nearest(word, among: names).map { "did you mean `\(parent) \($0)`? " } ?? ""
        return "duban: error: unknown command \"\(word)\"\(path.count > 1 ? " of `\(parent)`" : "")\n"
            + "  hint: \(suggestion)commands: \(names.joined(separator: ", ")); `\(parent) --help` describes them\n"
    }
}

/// `exit(3)`, named apart from `ParsableCommand.exit(withError:)`.
private func terminate(_ code: Int32) -> Never {
    #if canImport(Glibc)
    Glibc.exit(code)
    #else
    Darwin.exit(code)
    #endif
}
