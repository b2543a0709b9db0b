// `qsh tasks delete` and `qsh tasks prune`: removing tasks with everything of their own
// (events, runs, results, diagnostics) through the task client; the store keeps a program
// that another task still uses. Output: HousekeepingRenderer.swift.
import QshCore

enum TasksDeleteCommand {
    static let command = Command(
        name: "delete",
        summary: "Delete tasks with their events and results",
        synopsis: ["tasks delete [--force] <id>..."],
        details: """
            Deletes each task with its events, runs, results and diagnostics, all of them or none. A task
            that has not ended is cancelled first when it can be (Created, PayloadProcessing, Scheduled);
            one whose execution started is refused (exit 1) unless --force, which deletes it anyway (its
            worker then lets it go). A program another task uses is kept.
            """,
        examples: ["qsh tasks delete 550e8400", "qsh tasks list --status Failed -o tsv | cut -f1 | xargs qsh tasks delete"],
        options: [
            OptionSpec("--force", help: "also delete tasks whose execution started"),
            CommonOptions.database, CommonOptions.api, CommonOptions.offline,
        ] + CommonOptions.output,
        arguments: 1...Int.max,
        argumentKind: "task",
        run: { invocation in
            let format = try OutputFormat.resolve(invocation)
            for id in invocation.positionals { try TaskCLI.checkID(id) }
            let deleted = try invocation.taskClient().delete(
                invocation.positionals, force: invocation.arguments.has("--force"))
            invocation.stdout.write(
                HousekeepingRenderer.deleted(deleted, format: format, color: invocation.context.terminal.colorStdout))
            return .ok
        })
}

enum TasksPruneCommand {
    static let command = Command(
        name: "prune",
        summary: "Delete ended tasks in bulk",
        synopsis: ["tasks prune [--status <state>]... [--older-than <age>] [--dry-run]"],
        details: """
            Deletes the tasks that ended (Completed, Failed, Cancelled, PayloadProcessingError), or only
            those in the --status states, that ended more than <age> ago (30d, 12h, 90m), and says how
            many. --dry-run only counts them. With -o json prints {"dry_run": false, "count": N, "ids": [...]}.
            """,
        examples: [
            "qsh tasks prune --older-than 30d",
            "qsh tasks prune --status Failed --status Cancelled --dry-run",
        ],
        options: [
            OptionSpec(
                "--status", value: "<state>", help: "only ended tasks in this state; may be repeated",
                choices: TaskStatus.allCases.filter(\.isTerminal).map(\.rawValue), repeatable: true),
            OptionSpec("--older-than", value: "<age>", help: "only tasks that ended more than this long ago (30d, 12h)"),
            OptionSpec("--dry-run", help: "count the tasks without deleting them"),
            CommonOptions.database, CommonOptions.api, CommonOptions.offline,
        ] + CommonOptions.output,
        arguments: 0...0,
        run: { invocation in
            let format = try OutputFormat.resolve(invocation)
            let filter = try filter(invocation.arguments, now: SystemClock().now())
            let dryRun = invocation.arguments.has("--dry-run")
            let ids = try invocation.taskClient().prune(filter, dryRun: dryRun)
            invocation.stdout.write(HousekeepingRenderer.pruned(ids, dryRun: dryRun, format: format))
            return .ok
        })

    /// The filter the options describe.
    /// - Throws: `UsageError` for an age that is not one.
    static func filter(_ args: ParsedArguments, now: Timestamp) throws -> PruneFilter {
        var filter = PruneFilter()
        // The option's choices (the terminal states) were checked when it was parsed.
        for text in args.all("--status") {
            if let status = TaskStatus(wireName: text), status.isTerminal, !filter.statuses.contains(status) {
                filter.statuses.append(status)
            }
        }
        if let text = args.value("--older-than") {
            guard let seconds = parseDuration(text), seconds >= 0, text.last.map({ !$0.isNumber }) ?? false else {
                throw args.error(
                    "option '--older-than' expects an age such as 30d, 12h or 90m, got '\(text)'", option: "--older-than")
            }
            filter.endedBefore = now.adding(seconds: -seconds)
        }
        return filter
    }
}
