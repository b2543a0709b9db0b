// `qsh batches get|list|wait|results|cancel`: batches through the task client. A batch's
// status is an aggregate of its items' (BatchStatus.aggregate); each item stays a task of
// its own, which every `qsh tasks` command reads.
import QshCore

enum BatchesCommand {
    static let statusRule = """
        A batch's status follows one rule: no items, Created; any item not ended, Running; every item
        Completed, Completed; otherwise the worst state its items ended in (Failed, then
        PayloadProcessingError, then Cancelled), while each item keeps its own state and results.
        """

    static let command = Command(
        name: "batches",
        summary: "Follow batches of tasks and collect their results",
        details: "Batches are made by 'qsh tasks submit a.qasm b.qasm ...' or 'qsh tasks submit --batch manifest.json'. "
            + "Batch ids are UUIDs; any unique prefix of 4 or more characters works.\n\n" + statusRule,
        examples: [
            "B=$(qsh tasks submit a.qasm b.qasm c.qasm -q) && qsh batches wait $B && qsh batches results $B",
            "qsh batches results 7c9e6679 --json | jq '.results.a.c'",
        ],
        subcommands: [
            BatchesGetCommand.command, BatchesListCommand.command, BatchesWaitCommand.command,
            BatchesResultsCommand.command, BatchesCancelCommand.command,
        ])

    /// Checks a batch id argument before touching the database.
    /// - Throws: `TaskError.invalidBatchID` (exit status 2).
    static func checkID(_ text: String) throws {
        if TaskID.normalizedPrefix(text) == nil { throw TaskError.invalidBatchID(text: text) }
    }
}

enum BatchesGetCommand {
    static let command = Command(
        name: "get",
        summary: "Show a batch and its items",
        synopsis: ["batches get [--no-pager] <batch>"],
        details: """
            Prints the batch's aggregate status, its counts per state and every item (label, task, state,
            error) in the order they were submitted. With -o json: {"id", "batch_status", "name",
            "created_by", "created_date", "size", "items", "done", "counts", "elements": [{"label",
            "task_id", "task_status", "shots", "error_class", "error_reasons"}]}; csv and tsv give one
            row per item.
            """,
        examples: ["qsh batches get 7c9e6679", "qsh batches get 7c9e6679 -o json | jq -r .batch_status"],
        options: [CommonOptions.database, CommonOptions.api, CommonOptions.offline, CommonOptions.noPager] + CommonOptions.output,
        arguments: 1...1,
        argumentKind: "batch",
        run: { invocation in
            let format = try OutputFormat.resolve(invocation)
            try BatchesCommand.checkID(invocation.positionals[0])
            let detail = try invocation.taskClient().batchDetail(invocation.positionals[0])
            Pager.write(
                BatchRenderer.detail(detail, format: format, color: invocation.context.terminal.colorStdout),
                invocation: invocation, format: format)
            return .ok
        })
}

enum BatchesListCommand {
    static let command = Command(
        name: "list",
        summary: "List batches, newest first",
        synopsis: ["batches list [--limit <n>] [--page <n>] [--no-pager]"],
        details: """
            One row per batch: its status, items done of all, when it was made and its name. With -o json
            prints {"elements": [...], "page": 0, "size": N, "total": T}, each element as 'batches get'
            without its items.
            """,
        examples: ["qsh batches list", "qsh batches list -o json | jq '.elements[] | select(.batch_status == \"Failed\")'"],
        options: [
            OptionSpec("--limit", value: "<n>", help: "batches per page (default: 20)"),
            OptionSpec("--page", value: "<n>", help: "which page, from 0 (default: 0)"),
            CommonOptions.database, CommonOptions.api, CommonOptions.offline, CommonOptions.noPager,
        ] + CommonOptions.output,
        arguments: 0...0,
        run: { invocation in
            let format = try OutputFormat.resolve(invocation)
            let args = invocation.arguments
            let limit = try args.int("--limit", in: 1...10_000) ?? 20
            let page = try args.int("--page", in: 0...1_000_000_000) ?? 0
            let batches = try invocation.taskClient().batches(limit: limit, page: page)
            Pager.write(
                BatchRenderer.list(batches, format: format, color: invocation.context.terminal.colorStdout),
                invocation: invocation, format: format)
            return .ok
        })
}

enum BatchesWaitCommand {
    static let command = Command(
        name: "wait",
        summary: "Wait until every item of a batch has ended",
        synopsis: ["batches wait [--timeout <seconds>] [--cancel-on-interrupt] [-q] <batch>"],
        details: """
            Polls the batch with backoff (one read per poll, however many items) and, on a terminal,
            shows one progress line: items done of all, with the counts per state. Exits as 'tasks
            wait' does: 0 when every item Completed, 3 when one ended Failed or PayloadProcessingError,
            6 when one was Cancelled (and none failed), 124 on timeout (default 300s; 0 or none: no
            limit), 130 on Ctrl-C (the items keep running; with --cancel-on-interrupt those not yet
            executing are cancelled). Prints the batch as it ended; with -o ndjson one line each time
            its counts change.
            """,
        examples: ["qsh batches wait 7c9e6679 --timeout 10m", "qsh batches wait 7c9e6679 -q && echo all completed"],
        options: [
            OptionSpec(
                "--timeout", value: "<seconds>", help: "give up after this long (default: 300s; 0 or none: no limit)"),
            OptionSpec("--cancel-on-interrupt", help: "on Ctrl-C, also cancel the items not executing yet"),
            OptionSpec("--quiet", short: "q", help: "print nothing; only the exit status"),
            CommonOptions.database, CommonOptions.api, CommonOptions.offline,
        ] + CommonOptions.output,
        arguments: 1...1,
        argumentKind: "batch",
        run: { invocation in
            let format = try OutputFormat.resolve(invocation)
            _ = try TaskCLI.timeout(invocation)
            try BatchesCommand.checkID(invocation.positionals[0])
            let client = try invocation.taskClient()
            let id = try client.batch(invocation.positionals[0]).batch.id
            return try BatchFollow.run(
                id, client: client, invocation: invocation, format: format,
                quiet: invocation.arguments.has("--quiet"))
        })
}

enum BatchesResultsCommand {
    static let command = Command(
        name: "results",
        summary: "Show the counts of every item of a batch that completed",
        synopsis: ["batches results [--no-pager] <batch>"],
        details: """
            One call for the whole batch. With -o json prints {"batch_id", "batch_status", "results":
            {"label": {"c": {"00": 503, ...}}, ...}, "missing": {"label": {"task_id", "task_status",
            "error_class", "error_reasons"}}}: the counts of every item that Completed, even when others
            failed, and for each other item why it has none. In a table, one row per register and
            bitstring of each item; the items without results are named on stderr. Exits 0 when every
            item Completed; else as 'batches wait' would (3 or 6) once all have ended, and 1
            (no_results) while some are still running.
            """,
        examples: ["qsh batches results 7c9e6679", "qsh batches results 7c9e6679 -o json | jq .missing"],
        options: [CommonOptions.database, CommonOptions.api, CommonOptions.offline, CommonOptions.noPager] + CommonOptions.output,
        arguments: 1...1,
        argumentKind: "batch",
        run: { invocation in
            let format = try OutputFormat.resolve(invocation)
            try BatchesCommand.checkID(invocation.positionals[0])
            let results = try invocation.taskClient().batchResults(invocation.positionals[0])
            let context = invocation.context
            Pager.write(
                BatchRenderer.results(results, format: format, color: context.terminal.colorStdout),
                invocation: invocation, format: format)
            let missing = results.missing
            if missing.isEmpty { return .ok }
            if !format.isJSON {
                let n = missing.count
                context.stderr.line(
                    "qsh: \(n) of \(results.items.count) item\(results.items.count == 1 ? "" : "s") "
                        + "\(n == 1 ? "has" : "have") no results:")
                for item in missing { context.stderr.line("  " + BatchRenderer.missingText(item)) }
            }
            if !results.summary.status.isTerminal { return ErrorCode.noResults.exitStatus }
            return ExitStatus(endOf: results.summary.itemStatuses)
        })
}

enum BatchesCancelCommand {
    static let command = Command(
        name: "cancel",
        summary: "Cancel the items of a batch that have not started executing",
        synopsis: ["batches cancel <batch>"],
        details: """
            Cancels every item in Created, PayloadProcessing or Scheduled; items that already ended are
            left as they are, and items executing run to their end (completion wins). Prints the batch
            as it is now and says on stderr how many items were cancelled. Exits 0 when no item is left
            running, 1 (conflict) when some were executing and could not be cancelled.
            """,
        examples: ["qsh batches cancel 7c9e6679"],
        options: [CommonOptions.database, CommonOptions.api, CommonOptions.offline] + CommonOptions.output,
        arguments: 1...1,
        argumentKind: "batch",
        run: { invocation in
            let format = try OutputFormat.resolve(invocation)
            try BatchesCommand.checkID(invocation.positionals[0])
            let outcome = try invocation.taskClient().cancelBatch(invocation.positionals[0])
            let context = invocation.context
            let id = outcome.summary.batch.id
            if !format.isJSON {
                context.stderr.line(
                "batch \(id): cancelled \(outcome.cancelled.count), already ended \(outcome.alreadyEnded.count), "
                        + "executing \(outcome.refused.count)")
            }
            context.stdout.write(
                BatchRenderer.summary(outcome.summary, format: format, color: context.terminal.colorStdout))
            guard outcome.refused.isEmpty else {
                let labels = outcome.refused.map { "'\($0.label)'" }.joined(separator: ", ")
                let report = ErrorReport(
                    code: .conflict,
                    message: "\(outcome.refused.count) item\(outcome.refused.count == 1 ? "" : "s") of batch '\(id)' "
                        + "could not be cancelled: execution has started (\(labels))",
                    details: [("batch_id", .string(id))])
                report.write(to: context)
                return ErrorCode.conflict.exitStatus
            }
            return .ok
        })
}
