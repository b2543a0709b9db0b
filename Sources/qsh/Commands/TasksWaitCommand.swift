// `qsh tasks wait` (follow tasks until they end) and `qsh tasks cancel` (lifecycle
// cancel: idempotent on terminal tasks, refused once execution started).
import QshCore

enum TasksWaitCommand {
    static let command = Command(
        name: "wait",
        summary: "Wait until tasks end",
        synopsis: ["tasks wait [--timeout <seconds>] [--cancel-on-interrupt] <id>..."],
        details: """
            Polls with backoff and exits 0 when every task Completed, 3 when one ended Failed or
            PayloadProcessingError, 6 when one was Cancelled, 124 on timeout (default 300s; --timeout 0
            or none waits without a limit). Prints the tasks as they ended: with -o json always an
            array, however many ids were given; with -o ndjson one task per line.

            A task whose worker was lost (its lease expired) is settled as a worker's sweep would:
            Failed with internal_error, or Completed when its run had finished. When a task is queued
            and no worker is running, says so (on a terminal at once, else in the timeout message).

            With -o ndjson it first streams events, one JSON object per line: {"event": "status",
            "id", "task_status", "shots", "shots_done", "at"} when a task is first seen and each
            time it is seen in a new state (at: when it entered that state, its updated_date), and
            {"event": "progress", ...} with the same fields when more shots are done in the same
            state (at: when qsh saw the count). States a task passes through between two polls
            are not seen.

            The first Ctrl-C stops waiting (the tasks keep running) and exits 130;
            with --cancel-on-interrupt it also cancels the tasks that have not started executing.
            """,
        examples: ["qsh tasks wait 550e8400 --timeout 10m", "qsh tasks wait 550e8400 -o ndjson"],
        options: [
            OptionSpec(
                "--timeout", value: "<seconds>", help: "give up after this long (default: 300s; 0 or none: no limit)"),
            OptionSpec("--cancel-on-interrupt", help: "on Ctrl-C, also cancel the tasks (if not executing yet)"),
            CommonOptions.database, CommonOptions.api, CommonOptions.offline,
        ] + CommonOptions.output,
        arguments: 1...1000,
        argumentKind: "task",
        run: { invocation in
            let format = try OutputFormat.resolve(invocation)
            _ = try TaskCLI.timeout(invocation)
            for id in invocation.positionals { try TaskCLI.checkID(id) }
            let client = try invocation.taskClient()
            var ids: [String] = []
            for id in invocation.positionals {
                let full = try client.get(id).id
                if !ids.contains(full) { ids.append(full) }
            }
            return try TaskFollow.run(
                ids, client: client, invocation: invocation, format: format, options: TaskFollow.Options(list: true))
        })
}

enum TasksCancelCommand {
    static let command = Command(
        name: "cancel",
        summary: "Cancel tasks that have not started executing",
        synopsis: ["tasks cancel <id>..."],
        details: """
            Allowed from Created, PayloadProcessing and Scheduled. A task that already ended is left as
            it is (exit 0, with a notice). Once execution has started the cancel is refused (exit 1) and
            the task runs to its end: completion wins. Prints the tasks it cancelled or found ended
            (with -o json always an array, however many ids were given); each id it could not cancel
            gets its own error, and the exit status is the first such error's.
            """,
        examples: ["qsh tasks cancel 550e8400", "qsh tasks list --status Created -o tsv | cut -f1 | xargs qsh tasks cancel"],
        options: [CommonOptions.database, CommonOptions.api, CommonOptions.offline] + CommonOptions.output,
        arguments: 1...10_000,
        argumentKind: "task",
        run: { invocation in
            let format = try OutputFormat.resolve(invocation)
            for id in invocation.positionals { try TaskCLI.checkID(id) }
            let client = try invocation.taskClient()
            let context = invocation.context
            var tasks: [QuantumTask] = []
            var firstFailure: ExitStatus?
            for id in invocation.positionals {
                do {
                    switch try client.cancel(id) {
                    case .cancelled(let task):
                        tasks.append(task)
                        if !format.isJSON { context.stderr.line("cancelled task \(task.id)") }
                    case .alreadyTerminal(let task):
                        tasks.append(task)
                        context.stderr.line("task \(task.id) already ended: it is \(task.status.rawValue)")
                    }
                } catch let error as TaskError {
                    let status = Dispatcher.report(error, context: context)
                    firstFailure = firstFailure ?? status
                }
            }
            if !tasks.isEmpty {
                context.stdout.write(
                    TaskRenderer.tasks(tasks, page: nil, format: format, color: context.terminal.colorStdout))
            }
            return firstFailure ?? .ok
        })
}
