// The shell loop (sqlite3's process_input): read a line, split it, run it through the same
// Dispatcher as argv, or run a dot meta-command from its own small table. Interactive on a
// terminal (prompt, banner, history, keeps going) or batch on a script (stops at a failure).
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import QshCore

/// What a meta-command asks the loop to do next.
enum MetaOutcome: Equatable {
    /// Go on with this status (shown by `.status`).
    case proceed(ExitStatus)
    /// Leave the shell with this status.
    case quit(ExitStatus)
}

/// A shell-only command such as `.output json`: its names, help and work.
struct MetaCommand {
    /// The name and its aliases, with the dot: [".quit", ".exit"].
    var names: [String]
    /// The arguments, as `.help` shows them: `table|json|…`.
    var arguments: String = ""
    var summary: String
    /// Values for completion of its argument.
    var values: [String] = []
    /// Its argument is a QPU id (completion asks the QPU source).
    var completesQPU = false
    var run: (inout Repl, [String]) -> MetaOutcome
}

/// Times of the process, for `.timer`: wall clock, user and system CPU, in seconds.
struct CPUTimes: Equatable {
    var real: Double
    var user: Double
    var system: Double

    /// Now, from clock_gettime(3) and getrusage(2).
    static func now() -> CPUTimes {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return CPUTimes(
            real: Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9, user: seconds(usage.ru_utime),
            system: seconds(usage.ru_stime))
    }
}

/// One shell session over a context and a line editor.
struct Repl {
    enum Mode {
        /// A person at a terminal: prompt, banner, history; errors do not stop the session.
        case interactive
        /// A script on standard input: no prompt, banner, history or echo.
        case batch
    }

    var context: CommandContext
    var editor: LineEditor
    var mode: Mode
    /// Batch mode only: run every line even after a failure (sqlite3's -bail, reversed).
    var keepGoing: Bool
    var history: History
    /// The status of the last command or meta-command, as `.status` shows it.
    var lastStatus: ExitStatus = .ok
    /// `.timer on`: print how long each command took, to stderr.
    var timer = false
    /// The clock for `.timer` (tests pass a fixed one).
    var clock: () -> CPUTimes = CPUTimes.now
    /// The ids `.qpu` accepts.
    var qpuIDs: () -> [String] = { CompletionSources.knownQPUs }
    /// Runs a command line; the Dispatcher, as on the command line.
    var dispatch: ([String], CommandContext) -> ExitStatus = Dispatcher.run
    /// The number of the line being run (for errors in scripts).
    private(set) var lineNumber = 0
    /// In batch mode with --keep-going, the status of the last failure.
    private var lastFailure: ExitStatus = .ok
    /// The name the running meta-command was typed as (`.exit` or `.quit`), for its messages.
    private(set) var metaName = ""

    init(context: CommandContext, editor: LineEditor, mode: Mode, keepGoing: Bool = false, history: History) {
        self.context = context
        self.editor = editor
        self.mode = mode
        self.keepGoing = keepGoing
        self.history = history
    }

    /// The prompt: `qsh> `, `qsh@127.0.0.1:8080> ` in client mode, and `(sim:statevector)`
    /// before the `>` with a session QPU.
    var prompt: String {
        var name = "qsh" + (ClientMode.serverName(context).map { "@" + $0.terminalSafe() } ?? "")
        if context.terminal.colorStderr { name = "\u{01}\u{1B}[1m\u{02}" + name + "\u{01}\u{1B}[0m\u{02}" }
        if let qpu = context.sessionQPU { return name + "(" + qpu + ")> " }
        return name + "> "
    }

    /// Runs the session to its end and returns the shell's exit status: 0 after Ctrl-D or
    /// `.quit` when interactive; in batch mode the first failure's status, or with
    /// `--keep-going` the last failure's (0 when every line succeeded).
    mutating func run() -> ExitStatus {
        context.inShell = true
        context.interactive = mode == .interactive
        defer {
            context.inShell = false
            context.interactive = false
        }
        if mode == .interactive {
            context.stderr.line("qsh \(VersionCommand.version), the interactive shell of qsh.")
            context.stderr.line("Type 'help' for the commands, '.help' for the shell's own, Ctrl-D to leave.")
        }
        while true {
            context.stdout.flush()
            context.stderr.flush()
            switch editor.readLine(prompt: mode == .interactive ? prompt : "") {
            case .end:
                if mode == .interactive {
                    context.stderr.line()
                    context.stderr.flush()
                    return .ok
                }
                return lastFailure
            case .interrupted:
                continue
            case .line(let line):
                lineNumber += 1
                if mode == .interactive { remember(line) }
                switch handle(line) {
                case .proceed(let status):
                    if mode == .batch && status != .ok {
                        lastFailure = status
                        if !keepGoing { return status }
                    }
                case .quit(let status):
                    context.stdout.flush()
                    context.stderr.flush()
                    return mode == .batch && status == .ok ? lastFailure : status
                }
            }
        }
    }

    /// Runs one line: nothing for a blank line or a comment, a meta-command for `.name`,
    /// else a command through the Dispatcher.
    /// In a script, every error the line causes names it (`qsh: line 3: ...`).
    mutating func handle(_ line: String) -> MetaOutcome {
        context.scriptLine = mode == .batch ? lineNumber : nil
        defer { context.scriptLine = nil }
        let split: [Word]
        do {
            split = try WordSplitter.split(line)
        } catch {
            sessionError(ErrorReport.usage(error.message.terminalSafe(), usageText: WordSplitter.caret(for: error, in: line)))
            lastStatus = .usage
            return .proceed(.usage)
        }
        let words = split.map(\.text)
        guard let first = words.first else { return .proceed(.ok) }
        if first.hasPrefix(".") { return meta(first, Array(words.dropFirst())) }
        context.typedLine = (line, split.map(\.offset))
        defer { context.typedLine = nil }
        return .proceed(command(words))
    }

    /// Runs a command line as `qsh <words>` would, restoring per-command state afterwards.
    mutating func command(_ words: [String]) -> ExitStatus {
        var words = words
        // Lines pasted from a shell: `qsh tasks list` runs `tasks list`.
        if words.first == "qsh" && CommandTable.find(["qsh"]) == nil {
            words.removeFirst()
            context.typedLine?.wordOffsets.removeFirst()
        }
        guard let first = words.first else { return lastStatus }
        if (first == "exit" || first == "quit") && CommandTable.find([first]) == nil {
            sessionError(ErrorReport.usage("'\(first)' is not a qsh command; use '.quit' or Ctrl-D to leave the shell"))
            lastStatus = .usage
            return .usage
        }
        let terminal = context.terminal
        Interrupts.commandRunning(true)
        let started = timer ? clock() : nil
        let status = dispatch(words, context)
        Interrupts.commandRunning(false)
        context.terminal = terminal
        context.stdout.flush()
        if let started {
            let ended = clock()
            context.stderr.line(
                "time: real " + Repl.seconds(ended.real - started.real) + "s, user "
                    + Repl.seconds(ended.user - started.user) + "s, sys "
                    + Repl.seconds(ended.system - started.system) + "s")
        }
        context.stderr.flush()
        lastStatus = status
        return status
    }

    /// Runs a meta-command, or says it does not exist.
    mutating func meta(_ name: String, _ arguments: [String]) -> MetaOutcome {
        guard let meta = Repl.metaCommands.first(where: { $0.names.contains(name) }) else {
            var message = "unknown shell command '\(name)'"
            if let guess = closestMatch(name, in: Repl.metaCommands.flatMap(\.names)) {
                message += " (did you mean '\(guess)'?)"
            }
            sessionError(ErrorReport.usage((message + "; see '.help'").terminalSafe()))
            lastStatus = .usage
            return .proceed(.usage)
        }
        metaName = name
        var outcome = meta.run(&self, arguments)
        // What a meta-command printed must have been written, as for any command.
        context.stdout.flush()
        if let code = context.stdout.takeFailure() {
            sessionError(ErrorReport.outputFailure(code))
            switch outcome {
            case .proceed: outcome = .proceed(.failure)
            case .quit(let status): outcome = .quit(status == .ok ? .failure : status)
            }
        }
        if case .proceed(let status) = outcome, name != ".status" { lastStatus = status }
        context.stderr.flush()
        return outcome
    }

    /// Reports an error of the shell itself (a line that does not split, a meta-command's
    /// misuse): text, or JSON when the session's output is JSON (`.output json`, QSH_OUTPUT).
    private func sessionError(_ report: ErrorReport) {
        let saved = context.errorsAsJSON
        context.errorsAsJSON = OutputFormat.requested(named: nil, context: context)?.isJSON ?? false
        report.write(to: context)
        context.errorsAsJSON = saved
    }

    /// Adds a typed line to the history (memory, editor and file).
    private mutating func remember(_ line: String) {
        guard let stored = history.add(line) else { return }
        editor.remember(stored)
        if let warning = history.append(stored) { context.stderr.line("qsh: " + warning) }
    }

    /// `0.012` for 0.0123 s: milliseconds are enough for a person.
    static func seconds(_ value: Double) -> String {
        let millis = Int((max(0, value) * 1000).rounded())
        let fraction = String(millis % 1000)
        return String(millis / 1000) + "." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }

    /// A usage error of a meta-command.
    private mutating func usage(_ message: String) -> MetaOutcome {
        sessionError(ErrorReport.usage(message.terminalSafe()))
        return .proceed(.usage)
    }

    /// The meta-commands, in the order `.help` lists them.
    static var metaCommands: [MetaCommand] {[
        MetaCommand(names: [".help"], summary: "show this list") { repl, arguments in
            guard arguments.isEmpty else { return repl.usage("usage: .help") }
            repl.context.stdout.write(Repl.metaHelp())
            return .proceed(.ok)
        },
        MetaCommand(
            names: [".quit", ".exit"], arguments: "[<status>]",
            summary: "leave the shell with status 0 or <status> (so does Ctrl-D)"
        ) { repl, arguments in
            guard arguments.count <= 1 else { return repl.usage("usage: \(repl.metaName) [<status>]") }
            guard let text = arguments.first else { return .quit(.ok) }
            guard let code = Int32(text), (0...255).contains(code) else {
                return repl.usage("'\(repl.metaName)' expects a status between 0 and 255, got '\(text.abbreviated())'")
            }
            return .quit(ExitStatus(rawValue: code))
        },
        MetaCommand(
            names: [".output"], arguments: "[<format>]",
            summary: "later commands print table, wide, json, ndjson, csv or tsv (-o still wins)",
            values: CommonOptions.formats
        ) { repl, arguments in
            guard arguments.count <= 1 else { return repl.usage("usage: .output [table|wide|json|ndjson|csv|tsv]") }
            guard let text = arguments.first else {
                let current = repl.context.sessionOutput?.rawValue ?? "default (table on a terminal, json in a pipe)"
                repl.context.stdout.line(current)
                return .proceed(.ok)
            }
            guard let format = OutputFormat(rawValue: text) else {
                return repl.usage(choiceMessage(".output", text, CommonOptions.formats))
            }
            repl.context.sessionOutput = format
            return .proceed(.ok)
        },
        MetaCommand(
            names: [".qpu"], arguments: "[<id>|none]",
            summary: "the QPU for commands that take --qpu; shown in the prompt", completesQPU: true
        ) { repl, arguments in
            guard arguments.count <= 1 else { return repl.usage("usage: .qpu [<id>|none]") }
            guard let id = arguments.first else {
                repl.context.stdout.line(repl.context.sessionQPU ?? "none")
                return .proceed(.ok)
            }
            if id == "none" {
                repl.context.sessionQPU = nil
                return .proceed(.ok)
            }
            let known = repl.qpuIDs()
            guard known.contains(id) else {
                var message = "unknown QPU '\(id)'; the QPUs are: " + known.joined(separator: ", ")
                if let guess = closestMatch(id, in: known) { message += " (did you mean '\(guess)'?)" }
                return repl.usage(message)
            }
            repl.context.sessionQPU = id
            return .proceed(.ok)
        },
        MetaCommand(
            names: [".connect"], arguments: "[<url>]",
            summary: "use the qsh server at <url> for tasks, batches and qpus (shown in the prompt)"
        ) { repl, arguments in
            guard arguments.count <= 1 else { return repl.usage("usage: .connect [<url>]") }
            guard let url = arguments.first else {
                repl.context.stdout.line(ClientMode.serverURL(repl.context) ?? "none (the local task database)")
                return .proceed(.ok)
            }
            do {
                let server = try ServerAddress(url)
                // One request proves the server answers and takes the token, before the session moves.
                let saved = repl.context.sessionAPI
                repl.context.sessionAPI = server.url
                do {
                    _ = try repl.context.makeTaskClient(
                        Invocation(context: repl.context, arguments: ParsedArguments(), path: ["qpus"])
                    ).qpus()
                } catch {
                    repl.context.sessionAPI = saved
                    throw error
                }
                repl.context.stderr.line("connected to \(server.url)")
                return .proceed(.ok)
            } catch {
                let status = Dispatcher.report(error, context: repl.context)
                repl.lastStatus = status
                return .proceed(status)
            }
        },
        MetaCommand(names: [".disconnect"], summary: "use the local task database again") { repl, arguments in
            guard arguments.isEmpty else { return repl.usage("usage: .disconnect") }
            repl.context.sessionAPI = ""
            return .proceed(.ok)
        },
        MetaCommand(
            names: [".timer"], arguments: "on|off", summary: "print the time each command takes, to stderr",
            values: ["on", "off"]
        ) { repl, arguments in
            guard arguments.count == 1, let value = arguments.first else { return repl.usage("usage: .timer on|off") }
            guard value == "on" || value == "off" else {
                return repl.usage(choiceMessage(".timer", value, ["on", "off"]))
            }
            repl.timer = value == "on"
            return .proceed(.ok)
        },
        MetaCommand(names: [".history"], summary: "list the lines typed so far, oldest first") { repl, arguments in
            guard arguments.isEmpty else { return repl.usage("usage: .history") }
            for (i, entry) in repl.history.entries.enumerated() {
                let number = String(i + 1)
                repl.context.stdout.line(
                    String(repeating: " ", count: max(0, 5 - number.count)) + number + "  " + entry.terminalSafe())
            }
            return .proceed(.ok)
        },
        MetaCommand(names: [".status"], summary: "show the exit status of the last command") { repl, arguments in
            guard arguments.isEmpty else { return repl.usage("usage: .status") }
            let status = repl.lastStatus
            let meaning = ExitStatus.documented.first { $0.0 == status }?.1
            repl.context.stdout.line(String(status.rawValue) + (meaning.map { "  " + $0 } ?? ""))
            return .proceed(.ok)
        },
    ]}

    /// What `.help` prints.
    static func metaHelp() -> String {
        var out = "Type a qsh command without 'qsh' to run it ('help' lists them).\n"
        out += "Tab completes, Up recalls, Ctrl-C drops the line or stops a command, Ctrl-D leaves.\n\n"
        out += "Shell commands:\n"
        let rows = metaCommands.map { meta -> (String, String) in
            var label = meta.names.joined(separator: ", ")
            if !meta.arguments.isEmpty { label += " " + meta.arguments }
            return (label, meta.summary)
        }
        let width = rows.map(\.0.count).max() ?? 0
        for (label, summary) in rows {
            out += "  " + label + String(repeating: " ", count: width - label.count + 3) + summary + "\n"
        }
        return out
    }
}

/// `'.output' does not accept 'x'; use one of: …`, as option values are refused.
private func choiceMessage(_ name: String, _ value: String, _ choices: [String]) -> String {
    var message = "'\(name)' does not accept '\(value)'; use one of: " + choices.joined(separator: ", ")
    if let guess = closestMatch(value, in: choices) { message += " (did you mean '\(guess)'?)" }
    return message
}
