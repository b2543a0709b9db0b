// `qsh tasks ...`: the group entry and what its subcommands share — their task client,
// reading programs, the wait options, tags and ids. Following tasks is TasksFollow.swift.
import QshCore

enum TasksCommand {
    static let command = Command(
        name: "tasks",
        summary: "Submit programs as tasks and follow them to their results",
        details: "Task ids are UUIDs; any unique prefix of 4 or more characters works, as in git.",
        examples: [
            "qsh tasks submit bell.qasm --shots 1000 --wait",
            "ID=$(qsh tasks submit bell.qasm -q) && qsh tasks wait $ID && qsh tasks results $ID",
            "qsh tasks list --status Completed --json | jq '.elements[].id'",
        ],
        subcommands: [
            TasksSubmitCommand.command,
            TasksGetCommand.command,
            TasksListCommand.command,
            TasksWaitCommand.command,
            TasksCancelCommand.command,
            TasksResultsCommand.command,
            TasksEventsCommand.command,
            TasksDeleteCommand.command,
            TasksPruneCommand.command,
            TasksExportCommand.command,
            TasksImportCommand.command,
            TasksRerunCommand.command,
            TasksHistoryCommand.command,
        ])
}

/// Helpers shared by the task commands.
enum TaskCLI {
    /// Reads a program from a file, or from stdin for `-`, with the rules and limits of
    /// `qsh qasm check`, and every file it includes: what a task stores and runs.
    /// - Throws: `CommandFailure` (exit status 1) for a file that cannot be read, and for
    ///   a program or include over the size limit, after printing the same diagnostics
    ///   `qsh qasm check` prints (as JSON in the error object for JSON output).
    static func readProgram(_ path: String, invocation: Invocation, format: OutputFormat) throws -> ProgramSnapshot {
        try snapshot(try QasmInput.read(path, limits: QASMLimits.standard), invocation: invocation, format: format)
    }

    /// The snapshot of a program read already (a batch manifest's `source`), refused as
    /// `readProgram` refuses one over the size limit.
    static func snapshot(_ input: QasmInput, invocation: Invocation, format: OutputFormat) throws -> ProgramSnapshot {
        let limits = QASMLimits.standard
        let snapshot = input.oversized ? ProgramSnapshot(main: input.source) : input.snapshot(limits: limits)
        let refused = input.sizeDiagnostics(snapshot, limits: limits)
        guard !refused.isEmpty else { return snapshot }
        let message = QasmCheckCommand.errorSummary(count: refused.count, truncated: false, file: input.source.name)
            + "; the task was not submitted"
        if format.isJSON {
            throw CommandFailure(
                code: ErrorClass.resourceLimit.code, message: message,
                details: [("diagnostics", .array(DiagnosticPrinter.json(refused, mainFile: input.source.name)))])
        }
        let printer = DiagnosticPrinter(
            color: invocation.context.terminal.colorStderr, showSource: invocation.context.terminal.stderrIsTTY)
        for diagnostic in refused { invocation.stderr.write(printer.render(diagnostic, source: input.source)) }
        throw CommandFailure(code: ErrorClass.resourceLimit.code, message: message)
    }

    /// Checks that `--qpu`'s value `id` is one of `known`.
    /// - Throws: a usage error at `--qpu` naming the closest QPU id.
    static func checkQPU(_ id: String, known: [String], _ invocation: Invocation) throws {
        guard !known.contains(id) else { return }
        var message = "unknown QPU '\(id)'; see '\(invocation.context.commandText("qpus list"))'"
        if let guess = closestMatch(id, in: known.sorted()) { message += " (did you mean '\(guess)'?)" }
        throw invocation.arguments.error(message, option: "--qpu")
    }

    /// What `tasks submit` and `tasks rerun` show of the task they stored: its id alone with
    /// `-q`, else `notice` on stderr and the task on stdout; the warnings; then, with
    /// `--wait`, the task followed to its end.
    /// - Returns: 0, or with `--wait` the exit status of the task's end.
    static func showStored(
        _ receipt: SubmitReceipt, notice: String, client: any TaskClient, invocation: Invocation,
        format: OutputFormat
    ) throws -> ExitStatus {
        let context = invocation.context
        let args = invocation.arguments
        let task = receipt.task
        let quiet = args.has("--quiet")
        if quiet {
            context.stdout.line(task.id)
            context.stdout.flush()
        } else {
            context.stderr.line(notice)
            if !args.has("--wait") {
                context.stdout.write(TaskRenderer.task(task, format: format, color: context.terminal.colorStdout))
            }
        }
        for warning in receipt.warnings { context.stderr.line("qsh: warning: " + warning) }
        guard args.has("--wait") else { return .ok }
        context.stdout.flush()
        return try TaskFollow.run(
            [task.id], client: client, invocation: invocation, format: format,
            options: TaskFollow.Options(quiet: quiet, showResults: true))
    }

    /// `--timeout` in seconds: 300 s by default; `0` or `none` waits without a limit
    /// (`.infinity`).
    static func timeout(_ invocation: Invocation) throws -> Double {
        if invocation.arguments.value("--timeout") == "none" { return .infinity }
        let seconds = try invocation.arguments.duration("--timeout") ?? 300
        return seconds == 0 ? .infinity : seconds
    }

    /// What to say when a task is queued and no worker is live: nothing will run it.
    static func unattendedNote(_ task: QuantumTask) -> String {
        "no worker is running: task \(TaskRenderer.shortID(task.id)) stays \(task.status.rawValue) until one starts "
            + "('qsh worker', or autostart on submit)"
    }

    /// How to get a queued task run.
    static let startWorkerAdvice =
        "start one with 'qsh worker' ('tasks submit' starts one unless --no-autostart or QSH_NO_AUTOSTART=1)"

    /// A `KEY=VALUE` tag: value `index` of the repeatable option `option` (`--tag`).
    static func parseTag(_ text: String, _ arguments: ParsedArguments, option: String = "--tag", index: Int)
        throws -> (String, String)
    {
        guard let eq = text.firstIndex(of: "="), eq != text.startIndex else {
            throw arguments.error("option '--tag' expects KEY=VALUE, got '\(text)'", option: option, index: index)
        }
        return (String(text[..<eq]), String(text[text.index(after: eq)...]))
    }

    /// The `--tag` options of `arguments` as (key, value) pairs, in order.
    static func tags(_ arguments: ParsedArguments) throws -> [(String, String)] {
        try arguments.all("--tag").enumerated().map { try parseTag($0.element, arguments, index: $0.offset) }
    }

    /// Checks an id argument before touching the database.
    /// - Throws: `TaskError.invalidID` (exit status 2).
    static func checkID(_ text: String) throws {
        if TaskID.normalizedPrefix(text) == nil { throw TaskError.invalidID(text: text) }
    }
}

extension Invocation {
    /// The task client of this command (a new one per command: its `--db` or `--api` may differ).
    /// - Throws: what a wrong client-mode setting gives (`ClientMode.remote`).
    func taskClient() throws -> any TaskClient {
        _ = try ClientMode.remote(self)
        return context.makeTaskClient(self)
    }
}
