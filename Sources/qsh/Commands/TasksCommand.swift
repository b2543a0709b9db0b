// `qsh tasks ...`: the group entry and what its subcommands share — finding and
// opening the database, mapping task errors to exit statuses, reading programs,
// and following tasks until they end (wait, get --wait, submit --wait).
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
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
        ])
}

/// Helpers shared by the task commands.
enum TaskCLI {
    /// `--db`, else $QSH_DB, else $XDG_DATA_HOME/qsh/tasks.sqlite, else ~/.local/share/qsh/tasks.sqlite.
    /// An empty QSH_DB counts as unset (as an empty XDG_DATA_HOME does).
    /// - Throws: `UsageError` for `--db ""`: an empty path is a mistake, not the default.
    static func databasePath(_ invocation: Invocation) throws -> String {
        let env = invocation.context.environment
        if let db = invocation.arguments.value("--db") {
            guard !db.isEmpty else {
                throw UsageError("option '--db' needs a path; leave it out to use $QSH_DB or the default database")
            }
            return db
        }
        if let db = env["QSH_DB"], !db.isEmpty { return db }
        if let data = env["XDG_DATA_HOME"], data.hasPrefix("/") { return data + "/qsh/tasks.sqlite" }
        return invocation.context.home + "/.local/share/qsh/tasks.sqlite"
    }

    /// The database path made absolute (for a worker started elsewhere).
    static func absoluteDatabasePath(_ invocation: Invocation) throws -> String {
        let path = try databasePath(invocation)
        return path.hasPrefix("/") ? path : invocation.context.currentDirectory + "/" + path
    }

    /// Opens the store for `access` and a service over it with the system clock. Reading
    /// and cancelling need an existing database: they never create one.
    /// - Throws: `CommandFailure` (exit status 1) when there is no database at the path.
    static func service(_ invocation: Invocation, access: StoreAccess) throws -> TaskService {
        let path = try databasePath(invocation)
        do {
            return TaskService(repository: try SQLiteTaskStore.open(path: path, access: access), clock: SystemClock())
        } catch StoreError.missing(let missing) {
            throw CommandFailure(
                status: .failure, code: StoreError.missing(path: missing).code,
                message: "no task database at '\(missing)'; 'qsh tasks submit' creates one, or check --db/QSH_DB")
        }
    }

    /// Who submits: $USER, else $LOGNAME, else the uid.
    static func userName(_ context: CommandContext) -> String {
        if let user = context.environment["USER"], !user.isEmpty { return user }
        if let user = context.environment["LOGNAME"], !user.isEmpty { return user }
        return "uid \(getuid())"
    }

    /// Runs `body`, turning task errors into failures with the documented exit statuses.
    static func mapErrors(_ body: () throws -> ExitStatus) throws -> ExitStatus {
        do {
            return try body()
        } catch let error as TaskError {
            throw failure(error)
        }
    }

    /// The exit status and JSON details of a task error.
    static func failure(_ error: TaskError) -> CommandFailure {
        let status: ExitStatus
        switch error {
        case .notFound, .unknownQPU: status = .notFound
        case .ambiguousPrefix, .invalidID, .invalidRequest: status = .usage
        case .noResults(_, let s, _, _) where s.isUnsuccessful: status = .taskFailed
        case .noResults(_, .cancelled, _, _): status = .cancelled
        default: status = .failure
        }
        var details: [(String, JSONValue)] = []
        if let id = error.taskID { details.append(("task_id", .string(id))) }
        if case .ambiguousPrefix(_, let candidates) = error {
            details.append(("candidates", .array(candidates.map { .string($0) })))
        }
        if case .noResults(_, let taskStatus, let errorClass, let reasons) = error, taskStatus.isUnsuccessful {
            details += [
                ("task_status", .string(taskStatus.rawValue)), ("error_class", .string(errorClass?.rawValue)),
                ("error_reasons", .array(reasons.map { .string($0) })),
            ]
        }
        return CommandFailure(status: status, code: error.code, message: error.message, details: details)
    }

    /// Reads a program from a file, or from stdin for `-`, with the rules and limits of
    /// `qsh qasm check`, and every file it includes: what a task stores and runs.
    /// - Throws: `CommandFailure` (exit status 1) for a file that cannot be read, and for
    ///   a program or include over the size limit, after printing the same diagnostics
    ///   `qsh qasm check` prints (as JSON in the error object for JSON output).
    static func readProgram(_ path: String, invocation: Invocation, format: OutputFormat) throws -> ProgramSnapshot {
        let limits = QASMLimits.standard
        let input = try QasmInput.read(path, limits: limits)
        let snapshot = input.oversized ? ProgramSnapshot(main: input.source) : input.snapshot(limits: limits)
        let refused = input.sizeDiagnostics(snapshot, limits: limits)
        guard !refused.isEmpty else { return snapshot }
        let message = QasmCheckCommand.errorSummary(count: refused.count, truncated: false, file: input.source.name)
            + "; the task was not submitted"
        if format.isJSON {
            throw CommandFailure(
                status: .failure, code: ErrorClass.resourceLimit.rawValue, message: message,
                details: [("diagnostics", .array(DiagnosticPrinter.json(refused, mainFile: input.source.name)))])
        }
        let printer = DiagnosticPrinter(
            color: invocation.context.terminal.colorStderr, showSource: invocation.context.terminal.stderrIsTTY)
        for diagnostic in refused { invocation.stderr.write(printer.render(diagnostic, source: input.source)) }
        throw CommandFailure(status: .failure, code: ErrorClass.resourceLimit.rawValue, message: message)
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

    /// Follows `ids` until they end, streaming NDJSON status lines for `-o ndjson` and
    /// drawing progress on a terminal; then prints the final state and picks the exit
    /// status (0 Completed, 3 Failed/PayloadProcessingError, 6 Cancelled, 124 timeout,
    /// 130 Ctrl-C). `list`: the command takes a list of ids (`tasks wait`), so its JSON is
    /// an array however many were given; otherwise (`get --wait`, `submit --wait`) an object.
    /// A stream that cannot be written any more (a closed pipe, a full disk) stops at once.
    static func follow(
        _ ids: [String], service: TaskService, invocation: Invocation, format: OutputFormat, quiet: Bool = false,
        showResults: Bool = false, list: Bool = false
    ) throws -> ExitStatus {
        let context = invocation.context
        let timeout = try timeout(invocation)
        let progress = Progress(stream: context.stderr, enabled: context.terminal.stderrIsTTY && !quiet)
        let watch = SignalWatch([SIGINT])
        defer { watch.restore() }
        var lastStatus: [String: TaskStatus] = [:]
        let outcome = try service.waitUntilTerminal(
            ids: ids, timeout: timeout,
            pause: { seconds in !context.stdout.isDead && watch.sleep(seconds) == nil },
            onChange: { task in
                if format == .ndjson && !quiet && !context.stdout.isDead {
                    // A new state is a "status" event; more shots done in the same state, "progress".
                    let kind = lastStatus[task.id] == task.status ? "progress" : "status"
                    lastStatus[task.id] = task.status
                    context.stdout.write(TaskRenderer.streamEvent(task, kind: kind, observed: SystemClock().now()))
                    context.stdout.flush()
                }
                if ids.count == 1 { progress.update(task) }
            },
            onUnattended: { task in
                // Once, on a terminal; a pipe gets it in the timeout message.
                guard context.terminal.stderrIsTTY else { return }
                progress.clear()
                context.stderr.line("qsh: " + unattendedNote(task))
                context.stderr.flush()
                if ids.count == 1 { progress.update(task) }
            })
        progress.clear()
        // Nobody can read the rest: the dispatcher reports a failed write (status 1); a
        // closed pipe ends quietly.
        if context.stdout.isDead { return .ok }
        let tasks = outcome.tasks
        switch outcome {
        case .interrupted where invocation.arguments.has("--cancel-on-interrupt"):
            watch.restore()
            var notes: [String] = []
            for task in tasks where !task.status.isTerminal {
                do {
                    let outcome = try service.cancel(task.id, actor: "cli \(userName(context))")
                    notes.append("\(TaskRenderer.shortID(task.id)) is \(outcome.task.status.rawValue)")
                } catch let error as TaskError {
                    notes.append(error.message)
                }
            }
            throw CommandFailure(
                status: .interrupted, code: "interrupted",
                message: "stopped waiting and asked to cancel: " + notes.joined(separator: "; "),
                details: [("task_id", .string(ids.first ?? ""))])
        case .interrupted:
            watch.restore()
            let follow = ids.map { context.commandText("tasks wait \(TaskRenderer.shortID($0))") }
                .joined(separator: "; ")
            let states = tasks.map { "\(TaskRenderer.shortID($0.id)) is \($0.status.rawValue)" }.joined(separator: ", ")
            throw CommandFailure(
                status: .interrupted, code: "interrupted",
                message: "stopped waiting (\(states)); the task keeps running. Follow it with: \(follow)",
                details: [("task_id", .string(ids.first ?? ""))])
        case .timedOut:
            let pending = tasks.filter { !$0.status.isTerminal }
            var what = pending.map { "task '\($0.id)' is still \($0.status.rawValue)" }.joined(separator: "; ")
            if pending.contains(where: { $0.status == .created }), (try? service.workerIsLive()) == false {
                what += ", and no worker is running: " + startWorkerAdvice
            }
            throw CommandFailure(
                status: .timedOut, code: "timeout",
                message: "timed out after \(TaskRenderer.formatSeconds(timeout)): \(what)",
                details: [("task_id", .string(pending.first?.id ?? ""))])
        case .finished:
            break
        }
        if !quiet {
            switch format {
            case .ndjson:
                for task in tasks { context.stdout.write(task.wireJSON.serialized() + "\n") }
                if showResults, let task = tasks.first, task.status == .completed,
                    let result = try service.repository.result(taskID: task.id)
                {
                    context.stdout.write(result.wireJSON.serialized() + "\n")
                }
            case .json where !list:
                var object = tasks[0].wireJSON
                if showResults, tasks[0].status == .completed, let result = try service.repository.result(taskID: ids[0]),
                    case .object(var members) = object
                {
                    members.append(("results", result.wireJSON))
                    object = .object(members)
                }
                context.stdout.write(object.prettySerialized() + "\n")
            case .table, .wide:
                if tasks.count == 1 {
                    context.stdout.write(TaskRenderer.task(tasks[0], format: format, color: context.terminal.colorStdout))
                    if showResults, tasks[0].status == .completed,
                        let result = try service.repository.result(taskID: ids[0])
                    {
                        context.stdout.write("\n")
                        context.stdout.write(
                            TaskRenderer.result(result, format: format, color: context.terminal.colorStdout))
                    }
                } else {
                    context.stdout.write(
                        TaskRenderer.tasks(tasks, page: nil, format: format, color: context.terminal.colorStdout))
                }
            default:
                context.stdout.write(
                    TaskRenderer.tasks(tasks, page: nil, format: format, color: context.terminal.colorStdout))
            }
        }
        return exitStatus(for: tasks)
    }

    /// 3 if any task failed, else 6 if any was cancelled, else 0.
    static func exitStatus(for tasks: [QuantumTask]) -> ExitStatus {
        if tasks.contains(where: { $0.status.isUnsuccessful }) { return .taskFailed }
        if tasks.contains(where: { $0.status == .cancelled }) { return .cancelled }
        return .ok
    }

    /// A `KEY=VALUE` tag.
    static func parseTag(_ text: String) throws -> (String, String) {
        guard let eq = text.firstIndex(of: "="), eq != text.startIndex else {
            throw UsageError("option '--tag' expects KEY=VALUE, got '\(text)'")
        }
        return (String(text[..<eq]), String(text[text.index(after: eq)...]))
    }

    /// Checks an id argument before touching the database.
    static func checkID(_ text: String) throws {
        if TaskID.normalizedPrefix(text) == nil { throw failure(.invalidID(text: text)) }
    }
}
