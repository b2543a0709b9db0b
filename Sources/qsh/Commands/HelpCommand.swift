// `qsh help [<command>...]`, `qsh help exit-codes`, and the help screens that
// `--help` prints; all generated from the command table.
import QshCore

enum HelpCommand {
    static let command = Command(
        name: "help",
        summary: "Show help for qsh or one of its commands",
        synopsis: ["help [<command> [<subcommand>]]", "help exit-codes"],
        details: """
            With no argument, lists the commands. 'qsh help exit-codes' prints the error codes with
            the exit status each gives, and the exit statuses.
            """,
        examples: ["qsh help tasks submit", "qsh help exit-codes"],
        arguments: 0...3,
        argumentKind: "command",
        run: { invocation in
            let words = invocation.positionals
            if words.isEmpty {
                invocation.stdout.write(overview())
                return .ok
            }
            if words == ["exit-codes"] {
                invocation.stdout.write(exitCodes())
                return .ok
            }
            guard let command = CommandTable.find(words) else {
                var message = "no help for '\(words.joined(separator: " "))'"
                let names = CommandTable.root.map(\.name) + ["exit-codes"]
                if let guess = closestMatch(words[0], in: names) { message += " (did you mean '\(guess)'?)" }
                throw UsageError(message, argument: invocation.arguments.word(ofPositional: 0))
            }
            invocation.stdout.write(help(for: command, path: words))
            return .ok
        })

    /// The list of commands shown by `qsh help` and `qsh --help`.
    static func overview() -> String {
        var out = "qsh: a command-line shell for quantum tasks\n\n"
        out += "usage: qsh [--db <path>] [-o <format>] <command> [<args>]\n"
        out += "   or: qsh                          (the interactive shell)\n"
        out += "   or: qsh --version\n\n"
        out += "Commands:\n"
        var rows: [(String, String)] = []
        for command in CommandTable.root {
            if command.subcommands.isEmpty {
                rows.append((command.name, command.summary))
            } else {
                for sub in command.subcommands { rows.append(("\(command.name) \(sub.name)", sub.summary)) }
            }
        }
        let width = rows.map(\.0.count).max() ?? 0
        for (name, summary) in rows {
            out += "  " + name + String(repeating: " ", count: width - name.count + 3) + summary + "\n"
        }
        out += "\nSee 'qsh help <command>' or 'qsh <command> --help' for one command,\n"
        out += "'qsh help exit-codes' for the exit statuses, and man qsh for everything.\n"
        return out
    }

    /// The synopsis lines of a command (its subcommands' for a group), without `qsh `.
    static func synopsisLines(for command: Command, path: [String]) -> [String] {
        if command.synopsis.isEmpty && !command.subcommands.isEmpty {
            return command.subcommands.flatMap { sub in
                sub.synopsis.isEmpty ? ["\(path.joined(separator: " ")) \(sub.name)"] : sub.synopsis
            }
        }
        return command.synopsis.isEmpty ? [path.joined(separator: " ")] : command.synopsis
    }

    /// The synopsis as one string per form, `qsh ...`, for the `usage` of a JSON error.
    static func synopsis(for command: Command, path: [String]) -> [String] {
        synopsisLines(for: command, path: path).map { line in
            "qsh " + line.split(separator: "\n").map { $0.drop(while: { $0 == " " }) }.joined(separator: " ")
        }
    }

    /// `usage: qsh …` lines for a command (its subcommands' synopses for a group).
    static func usageLines(for command: Command, path: [String]) -> String {
        var out = ""
        for (i, line) in synopsisLines(for: command, path: path).enumerated() {
            out += (i == 0 ? "usage: qsh " : "   or: qsh ") + line + "\n"
        }
        return out
    }

    /// The full help screen for one command.
    static func help(for command: Command, path: [String]) -> String {
        var out = usageLines(for: command, path: path)
        out += "\n" + command.summary + "\n"
        if !command.details.isEmpty { out += "\n" + wrap(command.details, width: 78) + "\n" }
        if !command.examples.isEmpty {
            out += "\nExamples:\n"
            for example in command.examples { out += "  " + example + "\n" }
        }
        if !command.subcommands.isEmpty {
            out += "\nCommands:\n"
            let width = command.subcommands.map(\.name.count).max() ?? 0
            for sub in command.subcommands {
                out += "  " + sub.name + String(repeating: " ", count: width - sub.name.count + 3) + sub.summary + "\n"
            }
        }
        let options = command.subcommands.isEmpty || command.run != nil ? command.allOptions : CommonOptions.always
        out += "\nOptions:\n"
        let width = options.map(\.label.count).max() ?? 0
        for option in options {
            out += "  " + option.label + String(repeating: " ", count: width - option.label.count + 3) + option.help
                + "\n"
        }
        return out
    }

    /// Every error code with the exit status it gives (ErrorCode's table), then the exit
    /// statuses themselves, last, where a terminal keeps them in view.
    static func exitCodes() -> String {
        var out = "Exit statuses of qsh, by error code (\"code\" in JSON errors), then by meaning\n"
        out += "(the same in the interactive shell's .status):\n\n"
        func status(_ status: ExitStatus) -> String {
            let text = String(status.rawValue)
            return String(repeating: " ", count: max(0, 3 - text.count)) + text
        }
        let width = ErrorCode.all.map(\.rawValue.count).max() ?? 0
        for code in ErrorCode.all {
            out += "  " + code.rawValue + String(repeating: " ", count: width - code.rawValue.count + 1)
                + status(code.exitStatus) + "  " + code.meaning + "\n"
        }
        out += "\n"
        for (exit, meaning) in ExitStatus.documented { out += "  " + status(exit) + "  " + meaning + "\n" }
        return out
    }

    /// Wraps each paragraph (separated by blank lines) at `width` columns: the lines of a
    /// paragraph are joined and refilled, so source line breaks never leave ragged lines.
    /// Lines that start with spaces (examples, lists) are kept as they are.
    static func wrap(_ text: String, width: Int) -> String {
        var out: [String] = []
        var paragraph: [Substring] = []
        func flush() {
            var current = ""
            for word in paragraph {
                if !current.isEmpty && current.count + 1 + word.count > width {
                    out.append(current)
                    current = ""
                }
                current += current.isEmpty ? String(word) : " " + word
            }
            if !current.isEmpty { out.append(current) }
            paragraph = []
        }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix(" ") || line.allSatisfy({ $0 == " " }) {
                flush()
                out.append(String(line))
            } else {
                paragraph += line.split(separator: " ")
            }
        }
        flush()
        return out.joined(separator: "\n")
    }
}
