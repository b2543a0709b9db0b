// Dispatch: finds the command for a list of words (argv or a REPL line), parses
// its options, runs it and turns any error, and any failed write to stdout, into a
// message and an exit status (the error's, from ErrorCode's table).
import QshCore

/// Runs command lines against the command table.
enum Dispatcher {
    /// Runs one command line and returns its exit status; never exits the process. The
    /// command's output is flushed before it returns: a write that failed (other than
    /// on a closed pipe) is reported as an `io_error` and the status becomes 1.
    /// Usage errors name the index of the offending word in `words`.
    static func run(_ words: [String], context: CommandContext) -> ExitStatus {
        let saved = context.errorsAsJSON
        defer { context.errorsAsJSON = saved }
        let named = OutputFormat.named(in: words, specs: CommonOptions.global)
        context.errorsAsJSON = OutputFormat.requested(named: named, context: context)?.isJSON ?? false
        return finish(dispatch(words, context: context), context: context)
    }

    /// Flushes stdout and turns a failed write into an `io_error` report and status 1.
    static func finish(_ status: ExitStatus, context: CommandContext) -> ExitStatus {
        context.stdout.flush()
        guard let code = context.stdout.takeFailure() else { return status }
        ErrorReport.outputFailure(code).write(to: context)
        return .failure
    }

    private static func dispatch(_ line: [String], context: CommandContext) -> ExitStatus {
        var words = line
        var globals = ParsedArguments()
        /// The index in the line of `words[0]`.
        var position: Int { line.count - words.count }
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
                let parsed = try ArgumentCursor(specs: CommonOptions.global).parse(slice, firstIndex: position)
                for (key, values, places) in parsed.valuesByOption {
                    for (value, place) in zip(values, places) { globals.add(key, value, word: place) }
                }
                words.removeFirst(min(consumed, words.count))
            }
        } catch let error as UsageError {
            return reportUsage(error, path: [], context: context)
        } catch {
            return report(error, context: context)
        }

        guard let name = words.first else {
            return CommandTable.noArguments(context: context, globals: globals)
        }
        let help = context.commandText("help")
        guard var command = CommandTable.root.first(where: { $0.name == name }) else {
            let guess = closestMatch(name, in: CommandTable.root.map(\.name))
            let shown = name.abbreviated()
            var report = ErrorReport(code: .usage, message: "'\(shown)' is not a qsh command. See '\(help)'.")
            if context.errorsAsJSON {
                report.message = "'\(shown)' is not a qsh command"
                    + (guess.map { " (did you mean '\($0)'?)" } ?? "") + "; see '\(help)'"
            } else if let guess {
                report.message = "'\(shown.terminalSafe())' is not a qsh command. See '\(help)'."
                    + "\n\nThe most similar command is\n\t\(guess)"
                report.multiline = true
            }
            report.after = context.caret(underWord: position)
            report.write(to: context)
            return .usage
        }
        var path = [name]
        var rest = Array(words.dropFirst())
        while !command.subcommands.isEmpty {
            guard let next = rest.first, !next.hasPrefix("-") else {
                if rest.contains(where: { $0 == "-h" || $0 == "--help" }) {
                    context.stdout.write(HelpCommand.help(for: command, path: path))
                    return .ok
                }
                if command.run == nil {
                    // The group's help; as one JSON error, or after a message naming the line in a script.
                    let message = "'\(context.commandText(path.joined(separator: " ")))' needs a command"
                    if context.errorsAsJSON {
                        ErrorReport.usage(message, synopsis: HelpCommand.synopsis(for: command, path: path))
                            .write(to: context)
                    } else if context.scriptLine != nil {
                        ErrorReport.usage(message, usageText: HelpCommand.help(for: command, path: path)).write(to: context)
                    } else {
                        context.stderr.write(HelpCommand.help(for: command, path: path))
                    }
                    return .usage
                }
                break
            }
            guard let sub = command.subcommand(next) else {
                var message = "'\(next.abbreviated())' is not a '\(path.joined(separator: " "))' command"
                if let guess = closestMatch(next, in: command.subcommands.map(\.name)) {
                    message += " (did you mean '\(guess)'?)"
                }
                return reportUsage(
                    UsageError(message, argument: line.count - rest.count), path: path, context: context)
            }
            command = sub
            path.append(next)
            rest.removeFirst()
        }
        return execute(
            command, path: path, words: rest, firstIndex: line.count - rest.count, globals: globals, context: context)
    }

    /// Parses the leaf's options and runs it. `firstIndex` is the index in the line of
    /// `words[0]`, for the positions of usage errors.
    static func execute(
        _ command: Command, path: [String], words: [String], firstIndex: Int = 0, globals: ParsedArguments,
        context: CommandContext
    ) -> ExitStatus {
        // Errors follow the format asked for after the command name, else before it.
        let named = OutputFormat.named(in: words, specs: command.allOptions)
            ?? (globals.has("--json") ? .json : globals.value("--output").flatMap(OutputFormat.init(rawValue:)))
        context.errorsAsJSON = OutputFormat.requested(named: named, context: context)?.isJSON ?? false
        do {
            var arguments = try ArgumentCursor(specs: command.allOptions).parse(words, firstIndex: firstIndex)
            if arguments.has("--help") {
                context.stdout.write(HelpCommand.help(for: command, path: path))
                return .ok
            }
            if arguments.has("--version") {
                VersionCommand.print(context)
                return .ok
            }
            for (key, values, places) in globals.valuesByOption {
                // `qsh --no-pager CMD` is fine for any command, as `git --no-pager` is.
                if key == CommonOptions.noPager.long && !command.allOptions.contains(where: { $0.long == key }) {
                    continue
                }
                guard command.allOptions.contains(where: { $0.long == key }) else {
                    let name = context.commandText(path.joined(separator: " "))
                    throw UsageError("option '\(key)' does not apply to '\(name)'", argument: places.last ?? nil)
                }
                if !arguments.has(key) {
                    for (value, place) in zip(values, places) { arguments.add(key, value, word: place) }
                }
            }
            if arguments.has("--no-color") {
                context.terminal.colorStdout = false
                context.terminal.colorStderr = false
            }
            let count = arguments.positionals.count
            if !command.arguments.contains(count) {
                if count < command.arguments.lowerBound {
                    throw UsageError("'\(context.commandText(path.joined(separator: " ")))' needs more arguments")
                }
                let extra = arguments.positionals[command.arguments.upperBound]
                throw UsageError(
                    "unexpected argument '\(extra.abbreviated())'",
                    argument: arguments.word(ofPositional: command.arguments.upperBound))
            }
            let invocation = Invocation(context: context, arguments: arguments, path: path)
            if command.allOptions.contains(where: { $0.long == "--output" }) {
                _ = try OutputFormat.resolve(invocation)
            }
            guard let run = command.run else {
                context.stderr.write(HelpCommand.help(for: command, path: path))
                return .usage
            }
            return try run(invocation)
        } catch let error as UsageError {
            return reportUsage(error, path: path, context: context)
        } catch {
            return report(error, context: context)
        }
    }

    /// `qsh: reason` and the synopsis (or one JSON document), exit status 2. In the
    /// interactive shell a caret under the offending word comes between them.
    static func reportUsage(_ error: UsageError, path: [String], context: CommandContext) -> ExitStatus {
        var report = ErrorReport.usage(error.message)
        if let command = CommandTable.find(path) {
            report = ErrorReport.usage(
                error.message, synopsis: HelpCommand.synopsis(for: command, path: path),
                usageText: HelpCommand.usageLines(for: command, path: path))
        }
        if let word = error.argument { report.after = context.caret(underWord: word) + report.after }
        report.write(to: context)
        return error.exitStatus
    }

    /// Writes an error to stderr (one JSON document when JSON output was asked for) and
    /// returns its exit status (the error's: ErrorCode's table decides).
    @discardableResult
    static func report(_ error: Error, context: CommandContext) -> ExitStatus {
        ErrorReport.from(error).write(to: context)
        return (error as? QshError)?.exitStatus ?? .failure
    }
}

/// An error a command raises itself (a file it cannot read, a wait that timed out), with
/// what its report shows besides the code and the message.
struct CommandFailure: QshError {
    var code: ErrorCode
    var message: String
    /// Extra members for the JSON error object (e.g. `task_id`, `diagnostics`).
    var details: [(String, JSONValue)] = []
    /// Text printed before the `qsh:` line in the human form (rendered diagnostics).
    var before: String = ""
}

extension ParsedArguments {
    /// The options as (long name, values, the line index of each value's word) triples.
    var valuesByOption: [(String, [String], [Int?])] {
        values.keys.sorted().map { key in
            let values = values[key]!
            let places = valueWords[key] ?? []
            return (key, values, values.indices.map { $0 < places.count ? places[$0] : nil })
        }
    }
}
