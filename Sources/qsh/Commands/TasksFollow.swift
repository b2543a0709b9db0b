// Following tasks until they end, for `tasks wait`, `tasks get --wait` and `tasks submit
// --wait`: the client reports events, the renderers (Output/FollowRenderers.swift) show
// them, and the way the following ended picks the exit status, here and only here.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import QshCore

enum TaskFollow {
    /// What a command shows of the tasks it follows.
    struct Options {
        /// `-q`: no progress and no output, only the exit status.
        var quiet = false
        /// Show the results of the task (a single one) when it Completed (`submit --wait`).
        var showResults = false
        /// The command takes a list of ids (`tasks wait`), so its JSON is an array however
        /// many were given; otherwise (`get --wait`, `submit --wait`) an object.
        var list = false
    }

    /// Follows `ids` until they end and shows them; the first Ctrl-C stops following.
    /// A stream that cannot be written any more (a closed pipe, a full disk) stops at once.
    /// - Returns: 0 when every task Completed, 3 when one ended Failed or
    ///   PayloadProcessingError, 6 when one was Cancelled.
    /// - Throws: `CommandFailure` `timeout` (124) or `interrupted` (130).
    static func run(
        _ ids: [String], client: any TaskClient, invocation: Invocation, format: OutputFormat,
        options: Options = Options()
    ) throws -> ExitStatus {
        let context = invocation.context
        let timeout = try TaskCLI.timeout(invocation)
        let renderers = renderers(count: ids.count, format: format, options: options, context: context)
        let watch = SignalWatch([SIGINT])
        defer { watch.restore() }
        let outcome = try client.follow(
            ids, timeout: timeout, pause: { seconds in !context.stdout.isDead && watch.sleep(seconds) == nil },
            receive: { event in for renderer in renderers { renderer.show(event) } })
        for renderer in renderers { renderer.stop() }
        // Nobody can read the rest: the dispatcher reports a failed write (status 1); a
        // closed pipe ends quietly.
        if context.stdout.isDead { return .ok }
        switch outcome {
        case .finished(let tasks):
            let single = tasks.count == 1 ? tasks[0] : nil
            let result = try single.flatMap { options.showResults ? try completedResult($0, client: client) : nil }
            for renderer in renderers { renderer.showEnd(tasks, result: result) }
            return ExitStatus(endOf: tasks.map(\.status))
        case .timedOut(let tasks, let noWorker):
            throw timedOut(tasks, after: timeout, noWorker: noWorker)
        case .interrupted(let tasks):
            watch.restore()
            if invocation.arguments.has("--cancel-on-interrupt") {
                throw try cancelled(tasks, ids: ids, client: client)
            }
            throw interrupted(tasks, ids: ids, context: context)
        }
    }

    /// The renderers for `format`: on a terminal the progress line (or with `-q` only the note
    /// that no worker runs); unless `-q`, the NDJSON stream or the final document.
    static func renderers(count: Int, format: OutputFormat, options: Options, context: CommandContext)
        -> [any FollowRenderer]
    {
        var renderers: [any FollowRenderer] = []
        if context.terminal.stderrIsTTY {
            renderers.append(
                TerminalFollowRenderer(stderr: context.stderr, showProgress: !options.quiet, single: count == 1))
        }
        guard !options.quiet else { return renderers }
        if format == .ndjson {
            renderers.append(StreamFollowRenderer(stdout: context.stdout))
        } else {
            renderers.append(
                DocumentFollowRenderer(
                    stdout: context.stdout, format: format, list: options.list, color: context.terminal.colorStdout))
        }
        return renderers
    }

    /// The results of a task that Completed; nil for any other.
    static func completedResult(_ task: QuantumTask, client: any TaskClient) throws -> TaskResult? {
        guard task.status == .completed else { return nil }
        do {
            return try client.results(task.id).result
        } catch TaskError.noResults {
            return nil
        }
    }

    /// `timed out after 5s: task '…' is still Created, and no worker is running: …`
    static func timedOut(_ tasks: [QuantumTask], after timeout: Double, noWorker: Bool) -> CommandFailure {
        let pending = tasks.filter { !$0.status.isTerminal }
        var what = pending.map { "task '\($0.id)' is still \($0.status.rawValue)" }.joined(separator: "; ")
        if noWorker { what += ", and no worker is running: " + TaskCLI.startWorkerAdvice }
        return CommandFailure(
            code: .timeout, message: "timed out after \(TaskRenderer.formatSeconds(timeout)): \(what)",
            details: [("task_id", .string(pending.first?.id ?? ""))])
    }

    /// Ctrl-C: the tasks keep running; how to follow them again.
    static func interrupted(_ tasks: [QuantumTask], ids: [String], context: CommandContext) -> CommandFailure {
        let follow = ids.map { context.commandText("tasks wait \(TaskRenderer.shortID($0))") }.joined(separator: "; ")
        let states = tasks.map { "\(TaskRenderer.shortID($0.id)) is \($0.status.rawValue)" }.joined(separator: ", ")
        return CommandFailure(
            code: .interrupted,
            message: "stopped waiting (\(states)); the task keeps running. Follow it with: \(follow)",
            details: [("task_id", .string(ids.first ?? ""))])
    }

    /// Ctrl-C with `--cancel-on-interrupt`: cancels the tasks that have not ended and says
    /// what became of each (a task the lifecycle refuses to cancel says why).
    /// - Throws: what else the client throws (the database failed).
    static func cancelled(_ tasks: [QuantumTask], ids: [String], client: any TaskClient) throws -> CommandFailure {
        var notes: [String] = []
        for task in tasks where !task.status.isTerminal {
            do {
                let outcome = try client.cancel(task.id)
                notes.append("\(TaskRenderer.shortID(task.id)) is \(outcome.task.status.rawValue)")
            } catch let error as TaskError {
                notes.append(error.message)
            }
        }
        return CommandFailure(
            code: .interrupted, message: "stopped waiting and asked to cancel: " + notes.joined(separator: "; "),
            details: [("task_id", .string(ids.first ?? ""))])
    }
}
