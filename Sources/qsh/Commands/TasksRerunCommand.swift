// `qsh tasks rerun` (a new task from an earlier one's settings, with overrides, recording
// what it was re-run from) and `qsh tasks history` (every task of a lineage, in order).
import QshCore

enum TasksRerunCommand {
    static let command = Command(
        name: "rerun",
        summary: "Submit a task again, from an earlier one's settings",
        synopsis: [
            "tasks rerun [--shots <n>] [--seed <n> | --new-seed] [--qpu <id>] [--program <file>] "
                + "[--wait [--timeout <seconds>] [--cancel-on-interrupt]] [--no-autostart] [-q] <id>"
        ],
        details: """
            Submits a new task with the earlier task's QPU, shots, seed, name, tags and program, and the
            options' overrides; the new task records what it was re-run from ('rerun_of'), and 'qsh tasks
            history' shows the whole lineage. Without --program the earlier definition is run again and
            shared (the same definition_id); --program reads a changed program as 'tasks submit' does
            (a new definition_id when it differs). The seed is kept, so an unchanged re-run repeats the
            counts; --new-seed draws a new one. Any task can be re-run, whatever its state. Output and
            exit statuses are those of 'tasks submit'.
            """,
        examples: [
            "qsh tasks rerun 550e8400 --program fixed.qasm --wait",
            "qsh tasks rerun 550e8400 --shots 10000 --new-seed -q",
        ],
        options: [
            OptionSpec("--shots", value: "<n>", help: "how many shots (default: the earlier task's)"),
            OptionSpec("--seed", value: "<n>", help: "the seed, 0 to 2^53 (default: the earlier task's)"),
            OptionSpec("--new-seed", help: "draw a new random seed"),
            OptionSpec("--qpu", value: "<id>", help: "the QPU to run on (default: the earlier task's)"),
            OptionSpec("--program", value: "<file>", help: "run this program instead ('-': standard input)"),
            OptionSpec("--wait", help: "follow the new task until it ends"),
            OptionSpec(
                "--timeout", value: "<seconds>", help: "how long --wait waits (default: 300s; 0 or none: no limit)"),
            OptionSpec("--cancel-on-interrupt", help: "on Ctrl-C, also cancel the task (if not executing yet)"),
            OptionSpec("--quiet", short: "q", help: "print only the new task's id"),
            OptionSpec("--no-autostart", help: "do not start a worker"),
            CommonOptions.database, CommonOptions.api, CommonOptions.offline,
        ] + CommonOptions.output,
        arguments: 1...1,
        argumentKind: "task",
        run: { invocation in try run(invocation) })

    static func run(_ invocation: Invocation) throws -> ExitStatus {
        let args = invocation.arguments
        let format = try OutputFormat.resolve(invocation)
        var rerun = RerunSubmission()
        rerun.shots = try args.int("--shots", in: RunLimits.standard.shots)
        rerun.seed = try args.seed()
        rerun.newSeed = args.has("--new-seed")
        if rerun.seed != nil && rerun.newSeed {
            throw args.error("options '--seed' and '--new-seed' cannot be used together", option: "--seed")
        }
        if args.has("--timeout") && !args.has("--wait") {
            throw args.error("option '--timeout' needs '--wait'", option: "--timeout")
        }
        _ = try TaskCLI.timeout(invocation)
        try TaskCLI.checkID(invocation.positionals[0])
        let client = try invocation.taskClient()
        if let qpu = args.value("--qpu") {
            try TaskCLI.checkQPU(qpu, known: try client.qpus().map(\.id), invocation)
            rerun.qpuID = qpu
        }
        if let path = args.value("--program") {
            rerun.program = try TaskCLI.readProgram(path, invocation: invocation, format: format)
        }
        let receipt = try client.rerun(invocation.positionals[0], rerun)
        let notice = "submitted task \(receipt.task.id), a re-run of \(receipt.task.rerunOf ?? "")"
        return try TaskCLI.showStored(receipt, notice: notice, client: client, invocation: invocation, format: format)
    }
}

enum TasksHistoryCommand {
    static let command = Command(
        name: "history",
        summary: "Show every run of a task's lineage, oldest first",
        synopsis: ["tasks history [--no-pager] <id>"],
        details: """
            A lineage is a task and every re-run made from it or from its re-runs; any of its tasks
            finds it. One row per task, oldest first: its state, QPU, shots, seed, program (definition),
            what it was re-run from, a summary of its counts and its error, so it shows which run
            failed and which fixed it. With -o json prints {"lineage_id": ..., "elements": [...]}, each
            element a task's wire shape with its counts as "data" (null when it has none).
            """,
        examples: ["qsh tasks history 550e8400", "qsh tasks history 550e8400 -o json | jq '.elements[].task_status'"],
        options: [CommonOptions.database, CommonOptions.api, CommonOptions.offline, CommonOptions.noPager] + CommonOptions.output,
        arguments: 1...1,
        argumentKind: "task",
        run: { invocation in
            let format = try OutputFormat.resolve(invocation)
            try TaskCLI.checkID(invocation.positionals[0])
            let history = try invocation.taskClient().history(invocation.positionals[0])
            Pager.write(
                BatchRenderer.history(history, format: format, color: invocation.context.terminal.colorStdout),
                invocation: invocation, format: format)
            return .ok
        })
}
