// `qsh repl [--keep-going]` and bare `qsh`: the interactive shell on a terminal, or the
// lines of a script on standard input (REPL/Repl.swift holds the loop).
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import QshCore

enum ReplCommand {
    static let command = Command(
        name: "repl",
        summary: "Run the interactive shell, or the commands of a script on stdin",
        synopsis: ["repl [--keep-going] [--db <path>] [-o <format>]"],
        details: """
            Each line is a qsh command without the 'qsh' prefix, split with shell-like quoting
            ('single', "double", \\ escapes, # comments), and lines that start with a dot are the
            shell's own commands ('.help' lists them). Bare 'qsh' does the same.

            On a terminal: a prompt, line editing, Tab completion and history in
            $XDG_STATE_HOME/qsh/history ($QSH_HISTORY overrides; empty turns it off). Ctrl-C
            drops the line or stops the running command; Ctrl-D on an empty line leaves.

            Otherwise the lines of stdin run in order with no prompt, and the first failing
            command stops the script with its exit status, unless --keep-going is given (the
            status is then the last failure's). --db and -o apply to the whole session.
            """,
        examples: ["qsh", "qsh repl < night.qsh", "qsh repl --keep-going < night.qsh"],
        options: [
            OptionSpec("--keep-going", short: "k", help: "in a script, run every line even after a failure"),
            CommonOptions.database, CommonOptions.api, CommonOptions.offline,
        ] + CommonOptions.output,
        run: { invocation in
            let context = invocation.context
            guard !context.inShell else { throw UsageError("already in the shell") }
            return start(context: context, arguments: invocation.arguments)
        })

    /// Starts a session: interactive when stdin is a terminal, else batch.
    /// `arguments` may hold `--keep-going`, `--db`, `--output`/`--json` (session-wide).
    static func start(context: CommandContext, arguments: ParsedArguments) -> ExitStatus {
        if let db = arguments.value("--db") {
            guard !arguments.has("--api") else {
                return Dispatcher.report(ClientMode.apiAndDatabase(arguments), context: context)
            }
            // The session's database is local, whatever $QSH_API says (`.connect` still can).
            context.environment["QSH_DB"] = db
            context.sessionAPI = ""
        }
        if let api = arguments.value("--api") {
            do {
                context.sessionAPI = try ServerAddress(api).url
            } catch {
                return Dispatcher.report(error, context: context)
            }
        }
        if arguments.has("--offline") { context.sessionOffline = true }
        if arguments.has("--json") {
            context.sessionOutput = .json
        } else if let text = arguments.value("--output"), let format = OutputFormat(rawValue: text) {
            context.sessionOutput = format
        }
        let interactive = context.terminal.stdinIsTTY
        let sources = CompletionSources.live(context: context)
        var history = History(path: interactive ? History.path(environment: context.environment) : nil)
        let editor: LineEditor
        if interactive {
            Interrupts.install(.shell)
            if let warning = history.load() { context.stderr.line("qsh: " + warning) }
            if context.terminal.stderrIsTTY {
                let completer = Completer(
                    commands: CommandTable.root, metaCommands: Repl.metaCommands,
                    sources: sources)
                editor = ReadlineEditor(completer: completer, history: history.entries, cap: history.cap)
            } else {
                editor = PlainLineEditor(fd: 0, prompts: context.stderr)
            }
        } else {
            editor = PlainLineEditor(fd: 0)
        }
        var repl = Repl(
            context: context, editor: editor, mode: interactive ? .interactive : .batch,
            keepGoing: arguments.has("--keep-going"), history: history)
        repl.qpuIDs = sources.qpuIDs
        return repl.run()
    }
}

extension CompletionSources {
    /// The sources of a real session, from its task client: the QPUs it can run on, task
    /// ids; and the current folder.
    static func live(context: CommandContext) -> CompletionSources {
        CompletionSources(
            taskIDs: { prefix in liveTaskIDs(context, prefix) },
            batchIDs: { prefix in liveBatchIDs(context, prefix) },
            qpuIDs: { ((try? sessionClient(context).qpus()) ?? []).map(\.id) }, listDirectory: readDirectory,
            home: context.home)
    }

    /// The task client of the session as it is now (its --db, its environment).
    static func sessionClient(_ context: CommandContext) -> any TaskClient {
        context.makeTaskClient(Invocation(context: context, arguments: ParsedArguments(), path: []))
    }

    /// Task ids that start with `prefix`, newest first (the 500 newest tasks are looked at).
    /// A database that does not exist yet is not created.
    static func liveTaskIDs(_ context: CommandContext, _ prefix: String) -> [String] {
        var query = TaskQuery()
        query.limit = 500
        guard let page = try? sessionClient(context).list(query) else { return [] }
        let wanted = prefix.lowercased()
        return page.tasks.map(\.id).filter { $0.hasPrefix(wanted) }
    }

    /// Batch ids that start with `prefix`, newest first (the 500 newest batches are looked at).
    static func liveBatchIDs(_ context: CommandContext, _ prefix: String) -> [String] {
        guard let page = try? sessionClient(context).batches(limit: 500, page: 0) else { return [] }
        let wanted = prefix.lowercased()
        return page.batches.map(\.batch.id).filter { $0.hasPrefix(wanted) }
    }
}
