// Dispatch: finds the command for a list of words (argv or a REPL line), parses
// its options, runs it and turns any error into a message and an exit status.
import QshCore

/// Runs command lines against the command table.
enum Dispatcher {
    /// Runs one command line and returns its exit status; never exits the process.
    static func run(_ words: [String], context: CommandContext) -> ExitStatus {
        var words = words
        var globals = ParsedArguments()
        do {
            // Options before the command name: qsh --db x -o json tasks list.
            while let first = words.first, first.hasPrefix("-"), first != "-" {
                if first == "--version" || first == "-V" {
                    VersionCommand.print(context)
                    return .ok
                }
                if first == "-h" || first == "--help" {
                    context.stdout.write(HelpCommand.overview())
                    return .ok
                }
                var consumed = 1
                if let spec = CommonOptions.global.first(where: {
                    $0.long == first || first.hasPrefix($0.long + "=") || ($0.short.map { "-\($0)" } == first)
                }), spec.takesValue, !first.contains("=") {
                    consumed = 2
                }
                let slice = Array(words.prefix(consumed))
                let parsed = try ArgumentCursor(specs: CommonOptions.global).parse(slice)
                for (key, values) in parsed.valuesByOption { for v in values { globals.add(key, v) } }
                words.removeFirst(min(consumed, words.count))
            }
        } catch let error as UsageError {
            return reportUsage(error, path: [], context: context)
        } catch {
            return report(error, format: nil, context: context)
        }

        guard let name = words.first else {
            return CommandTable.noArguments(context: context, globals: globals)
        }
        guard var command = CommandTable.root.first(where: { $0.name == name }) else {
            var message = "'\(name.abbreviated())' is not a qsh command. See 'qsh help'."
            if let guess = closestMatch(name, in: CommandTable.root.map(\.name)) {
                message += "\n\nThe most similar command is\n\t\(guess)"
            }
            context.stderr.line("qsh: " + message.terminalSafe(keeping: ["\n", "\t"]))
            return .usage
        }
        var path = [name]
        var rest = Array(words.dropFirst())
        while !command.subcommands.isEmpty {
            guard let next = rest.first, !next.hasPrefix("-") else {
                if rest.contains(where: { $0 == "-h" || $0 == "--help" }) || command.run == nil {
                    let help = HelpCommand.help(for: command, path: path)
                    if rest.contains(where: { $0 == "-h" || $0 == "--help" }) {
                        context.stdout.write(help)
                        return .ok
                    }
                    context.stderr.write(help)
                    return .usage
                }
                break
            }
            guard let sub = command.subcommand(next) else {
                var message = "'\(next.abbreviated())' is not a '\(path.joined(separator: " "))' command"
                if let guess = closestMatch(next, in: command.subcommands.map(\.name)) {
                    message += " (did you mean '\(guess)'?)"
                }
                context.stderr.line("qsh: " + message.terminalSafe(keeping: ["\n", "\t"]))
                context.stderr.write(HelpCommand.usageLines(for: command, path: path))
                return .usage
            }
            command = sub
            path.append(next)
            rest.removeFirst()
        }
        return execute(command, path: path, words: rest, globals: globals, context: context)
    }

    /// Parses the leaf's options and runs it.
    static func execute(
        _ command: Command, path: [String], words: [String], globals: ParsedArguments, context: CommandContext
    ) -> ExitStatus {
        var format: OutputFormat?
        do {
            var arguments = try ArgumentCursor(specs: command.allOptions).parse(words)
            if arguments.has("--help") {
                context.stdout.write(HelpCommand.help(for: command, path: path))
                return .ok
            }
            if arguments.has("--version") {
                VersionCommand.print(context)
                return .ok
            }
            for (key, values) in globals.valuesByOption {
                guard command.allOptions.contains(where: { $0.long == key }) else {
                    throw UsageError("option '\(key)' does not apply to 'qsh \(path.joined(separator: " "))'")
                }
                if !arguments.has(key) { for v in values { arguments.add(key, v) } }
            }
            if arguments.has("--no-color") {
                context.terminal.colorStdout = false
                context.terminal.colorStderr = false
            }
            let count = arguments.positionals.count
            if !command.arguments.contains(count) {
                if count < command.arguments.lowerBound {
                    throw UsageError("'qsh \(path.joined(separator: " "))' needs more arguments")
                }
                let extra = arguments.positionals[command.arguments.upperBound]
                throw UsageError("unexpected argument '\(extra)'")
            }
            let invocation = Invocation(context: context, arguments: arguments, path: path)
            if command.allOptions.contains(where: { $0.long == "--output" }) {
                format = try OutputFormat.resolve(invocation)
            }
            guard let run = command.run else {
                context.stderr.write(HelpCommand.help(for: command, path: path))
                return .usage
            }
            return try run(invocation)
        } catch let error as UsageError {
            return reportUsage(error, path: path, context: context)
        } catch {
            return report(error, format: format, context: context)
        }
    }

    /// `qsh: reason` and the synopsis, exit status 2.
    static func reportUsage(_ error: UsageError, path: [String], context: CommandContext) -> ExitStatus {
        context.stderr.line("qsh: " + error.message.terminalSafe(keeping: ["\n", "\t"]))
        if let command = CommandTable.find(path) {
            context.stderr.write(HelpCommand.usageLines(for: command, path: path))
        }
        return .usage
    }

    /// Writes an error to stderr (JSON for json/ndjson output) and picks its exit status.
    static func report(_ error: Error, format: OutputFormat?, context: CommandContext) -> ExitStatus {
        let code: String
        let message: String
        var extra: [(String, JSONValue)] = []
        if let failure = error as? CommandFailure {
            code = failure.code
            message = failure.message
            extra = failure.details
        } else if let error = error as? QshError {
            code = error.code
            message = error.message
        } else {
            code = "internal_error"
            message = "internal error: \(error)"
        }
        if format?.isJSON == true {
            let body: JSONValue = .object([("code", .string(code)), ("message", .string(message))] + extra)
            context.stderr.line(JSONValue.object([("error", body)]).serialized())
        } else {
            context.stderr.line("qsh: " + message.terminalSafe(keeping: ["\n", "\t"]))
        }
        if let failure = error as? CommandFailure { return failure.status }
        return exitStatus(forCode: code)
    }

    /// The exit status for a core error code.
    static func exitStatus(forCode code: String) -> ExitStatus {
        switch code {
        case "not_found": return .notFound
        case "usage": return .usage
        case "timeout": return .timedOut
        case "interrupted": return .interrupted
        default: return .failure
        }
    }
}

/// An error raised by a command with an explicit exit status.
struct CommandFailure: Error {
    var status: ExitStatus
    var code: String
    var message: String
    /// Extra members for the JSON error object (e.g. `task_id`).
    var details: [(String, JSONValue)] = []
}

extension ParsedArguments {
    /// The options as (long name, values) pairs.
    var valuesByOption: [(String, [String])] {
        values.keys.sorted().map { ($0, values[$0]!) }
    }
}
