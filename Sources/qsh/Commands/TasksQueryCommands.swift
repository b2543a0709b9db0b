// `qsh tasks get`, `tasks list`, `tasks results`, `tasks events`: reading tasks through
// the task client. Filtering, sorting and paging happen in the store; output follows -o/--json.
import QshCore

enum TasksGetCommand {
    static let command = Command(
        name: "get",
        summary: "Show one task",
        synopsis: ["tasks get [--diagnostics] [--wait [--timeout <seconds>]] <id>"],
        details: """
            Prints the task in the wire shape of the manual (one JSON object with -o json). While             the task waits (Created, PayloadProcessing, Scheduled), it also shows its place in its             QPU's queue: "queue": {"position", "length", "qpu_status"} (a paused QPU holds its tasks             in Scheduled). With --diagnostics, also every run's timings (queued, compile, execute,             total, in seconds), metrics (qubits, depth, gate counts before and after fusion,             two-qubit gates) and metadata (qsh version, SIMD level, precision, threads, seed),             as "runs": [...], and the diagnostics of its compile, with line and column, as             "diagnostics": [...].
            """,
        examples: [
            "qsh tasks get 550e8400", "qsh tasks get 550e8400 --json | jq -r .task_status",
            "qsh tasks get 550e8400 --diagnostics --json | jq '.runs[-1].timings'",
        ],
        options: [
            OptionSpec("--diagnostics", help: "also show each run's timings, metrics and metadata"),
            OptionSpec("--wait", help: "wait until the task ends first"),
            OptionSpec(
                "--timeout", value: "<seconds>", help: "how long --wait waits (default: 300s; 0 or none: no limit)"),
            CommonOptions.database, CommonOptions.api, CommonOptions.offline,
        ] + CommonOptions.output,
        arguments: 1...1,
        argumentKind: "task",
        run: { invocation in
            let format = try OutputFormat.resolve(invocation)
            let id = invocation.positionals[0]
            try TaskCLI.checkID(id)
            let client = try invocation.taskClient()
            let task = try client.get(id)
            if invocation.arguments.has("--wait") {
                if invocation.arguments.has("--diagnostics") {
                    throw invocation.arguments.error(
                        "'--diagnostics' and '--wait' cannot go together; wait first, then get the diagnostics",
                        option: "--diagnostics")
                }
                return try TaskFollow.run([task.id], client: client, invocation: invocation, format: format)
            }
            let color = invocation.context.terminal.colorStdout
            var queue: TaskQueueInfo?
            if !task.status.isTerminal && task.status != .executionStarted && task.status != .executionCompleted,
                let position = try client.queuePosition(task.id)
            {
                let paused = try client.qpuStatuses()[task.qpuID]?.paused ?? false
                queue = TaskQueueInfo(position: position, qpuPaused: paused)
            }
            if invocation.arguments.has("--diagnostics") {
                let diagnostics = try client.diagnostics(task.id)
                invocation.stdout.write(
                    TaskRenderer.diagnostics(diagnostics, queue: queue, format: format, color: color))
            } else {
                invocation.stdout.write(TaskRenderer.task(task, queue: queue, format: format, color: color))
            }
            return .ok
        })
}

enum TasksListCommand {
    static let sortFields = TaskSortField.allCases.map(\.rawValue)

    static let command = Command(
        name: "list",
        summary: "List tasks, newest first",
        synopsis: [
            "tasks list [--status <state>]... [--qpu <id>] [--batch <batch>] [--tag <key>=<value>]... [--since <time>] "
                + "[--until <time>] [--limit <n>] [--page <n>] [--sort <field>[,asc|desc]] [--no-pager]"
        ],
        details: """
            Filters apply before paging. <time> is RFC 3339 (2026-11-21T10:00:00Z), a date (2026-11-21) or
            an age such as 90m, 2h or 7d. Sort fields: \(TaskSortField.allCases.map(\.rawValue).joined(separator: ", ")).
            With -o json prints {"elements": [...], "page": 0, "size": N, "total": T}.
            """,
        examples: [
            "qsh tasks list --status Completed --limit 5",
            "qsh tasks list --since 1h --sort created_date,asc -o tsv",
        ],
        options: [
            OptionSpec(
                "--status", value: "<state>", help: "only tasks in this state; may be repeated", repeatable: true),
            OptionSpec("--qpu", value: "<id>", help: "only tasks for this QPU"),
            OptionSpec("--batch", value: "<batch>", help: "only the items of this batch (an id or a unique prefix)"),
            OptionSpec("--tag", value: "<key>=<value>", help: "only tasks with this tag; may be repeated",
                       repeatable: true),
            OptionSpec("--since", value: "<time>", help: "only tasks created at or after this time"),
            OptionSpec("--until", value: "<time>", help: "only tasks created before this time"),
            OptionSpec("--limit", value: "<n>", help: "tasks per page (default: 20)"),
            OptionSpec("--page", value: "<n>", help: "which page, from 0 (default: 0)"),
            OptionSpec("--sort", value: "<field>[,asc|desc]", help: "order (default: created_date,desc)"),
            CommonOptions.database, CommonOptions.api, CommonOptions.offline, CommonOptions.noPager,
        ] + CommonOptions.output,
        arguments: 0...0,
        run: { invocation in
            let format = try OutputFormat.resolve(invocation)
            var query = try query(invocation)
            let client = try invocation.taskClient()
            if let batch = invocation.arguments.value("--batch") {
                try BatchesCommand.checkID(batch)
                query.batchID = try client.batch(batch).batch.id
            }
            let page = try client.list(query)
            Pager.write(
                TaskRenderer.tasks(
                    page.tasks, page: page, format: format, color: invocation.context.terminal.colorStdout),
                invocation: invocation, format: format)
            return .ok
        })

    /// The query the options describe.
    static func query(_ invocation: Invocation) throws -> TaskQuery {
        let args = invocation.arguments
        var query = TaskQuery()
        for (index, text) in args.all("--status").enumerated() {
            for name in text.split(separator: ",") {
                guard let status = TaskStatus(wireName: String(name)) else {
                    throw args.error(
                        "option '--status' does not accept '\(name)'; use one of: "
                            + TaskStatus.allCases.map(\.rawValue).joined(separator: ", "),
                        option: "--status", index: index)
                }
                query.statuses.append(status)
            }
        }
        query.qpuID = args.value("--qpu")
        query.tags = try TaskCLI.tags(args)
        let now = SystemClock().now()
        query.since = try time(args.value("--since"), option: "--since", now: now, args)
        query.until = try time(args.value("--until"), option: "--until", now: now, args)
        query.limit = try args.int("--limit", in: 1...10_000) ?? 20
        query.page = try args.int("--page", in: 0...1_000_000_000) ?? 0
        if let sort = args.value("--sort") {
            let parts = sort.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard let field = TaskSortField(rawValue: parts[0]) else {
                var message = "option '--sort' does not accept '\(parts[0])'; use one of: "
                    + sortFields.joined(separator: ", ")
                if let guess = closestMatch(parts[0], in: sortFields) { message += " (did you mean '\(guess)'?)" }
                throw args.error(message, option: "--sort")
            }
            query.sort = field
            if parts.count > 2 || (parts.count == 2 && parts[1] != "asc" && parts[1] != "desc") {
                throw args.error("option '--sort' expects <field>[,asc|desc], got '\(sort)'", option: "--sort")
            }
            query.descending = parts.count == 2 ? parts[1] == "desc" : (field == .createdDate || field == .updatedDate)
        }
        return query
    }

    /// An RFC 3339 time, a date, or an age (`2h` means two hours ago).
    static func time(_ text: String?, option: String, now: Timestamp, _ arguments: ParsedArguments = ParsedArguments())
        throws -> Timestamp?
    {
        guard let text else { return nil }
        if let t = Timestamp(rfc3339: text) { return t }
        if let seconds = parseDuration(text), seconds >= 0, text.last.map({ !$0.isNumber }) ?? false {
            return now.adding(seconds: -seconds)
        }
        throw arguments.error(
            "option '\(option)' expects a time such as 2026-11-21T10:00:00Z, 2026-11-21 or 2h, got '\(text)'",
            option: option)
    }
}

enum TasksResultsCommand {
    static let command = Command(
        name: "results",
        summary: "Show the counts of a task (partial while it runs)",
        synopsis: ["tasks results [--no-pager] <id>"],
        details: """
            Counts per classical register, highest bit index leftmost. With -o json prints
            {"task_id": ..., "shots": ..., "data": {"c": {"00": 503, ...}}, "partial": false, "timings": ...,
            "metrics": ..., "metadata": ...}. A task that failed has no results: the error gives its
            error_class and error_reasons (exit 3); a cancelled one exits 6.
            """,
        examples: ["qsh tasks results 550e8400", "qsh tasks results 550e8400 -o json | jq .data.c"],
        options: [CommonOptions.database, CommonOptions.api, CommonOptions.offline, CommonOptions.noPager] + CommonOptions.output,
        arguments: 1...1,
        argumentKind: "task",
        run: { invocation in
            let format = try OutputFormat.resolve(invocation)
            try TaskCLI.checkID(invocation.positionals[0])
            let result = try invocation.taskClient().results(invocation.positionals[0]).result
            Pager.write(
                TaskRenderer.result(result, format: format, color: invocation.context.terminal.colorStdout),
                invocation: invocation, format: format)
            return .ok
        })
}

enum TasksEventsCommand {
    static let command = Command(
        name: "events",
        summary: "Show the event log of a task",
        synopsis: ["tasks events [--no-pager] <id>"],
        details: "Every transition of the task: from, to, time, actor and detail, oldest first.",
        examples: ["qsh tasks events 550e8400", "qsh tasks events 550e8400 -o ndjson"],
        options: [CommonOptions.database, CommonOptions.api, CommonOptions.offline, CommonOptions.noPager] + CommonOptions.output,
        arguments: 1...1,
        argumentKind: "task",
        run: { invocation in
            let format = try OutputFormat.resolve(invocation)
            try TaskCLI.checkID(invocation.positionals[0])
            let events = try invocation.taskClient().events(invocation.positionals[0]).events
            Pager.write(
                TaskRenderer.events(events, format: format, color: invocation.context.terminal.colorStdout),
                invocation: invocation, format: format)
            return .ok
        })
}
