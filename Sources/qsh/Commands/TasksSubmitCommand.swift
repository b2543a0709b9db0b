// `qsh tasks submit`: stores a program as a Created task through the task client, which
// returns it at once and makes sure a worker will run it; optionally follows it to its end.
// `--dry-run` asks the client for the verdict without storing anything.
import QshCore

enum TasksSubmitCommand {
    static let command = Command(
        name: "submit",
        summary: "Submit an OpenQASM 2.0 program as a task",
        synopsis: [
            "tasks submit [--qpu <id>] [--shots <n>] [--seed <n>] [--name <name>] [--tag <key>=<value>]... "
                + "[--idempotency-key <key>] [--dry-run] [--wait [--timeout <seconds>] [--cancel-on-interrupt]] "
                + "[--no-autostart] [-q] (<file> | -)",
            "tasks submit [<options>] <file> <file>... | --batch <manifest>",
        ],
        details: """
            Stores the task and prints it (its id alone with -q) at once; a worker runs it. Unless
            QSH_NO_AUTOSTART=1 or --no-autostart, a detached 'qsh worker --idle-exit 30' is started when
            no worker is running. With --wait, follows the task and exits 0 (Completed), 3 (Failed or
            PayloadProcessingError), 6 (Cancelled) or 124 (timeout). The program is read as by 'qsh
            qasm check' and stored with every file it includes, so later edits do not change the task;
            a file that cannot be read (or is not a regular file) or is over the size limit is refused
            (exit 1), while an invalid program is stored and ends PayloadProcessingError. --dry-run
            gives the verdict the task would get without storing it (exit 0 valid, 1 invalid).

            Several files, or --batch with a JSON manifest {"label": "path.qasm" | {"source": "...",
            "path": "...", "shots": N, "seed": N, "qpu": "..."}}, make one batch: each item is a task
            of its own, named after its label, and all are stored or none. Files are labelled by
            their names without '.qasm' (their paths when two names clash); a manifest's paths and
            includes are relative to its folder. --name names the batch; --wait follows it as
            'qsh batches wait' does; -q prints the batch id. See 'qsh batches'.

            With --idempotency-key, a second submit with the same key (and the same request)
            returns the task or batch the first made instead of storing another (exit 0, with a
            notice); the same key with a different request is refused (idempotency_conflict).
            """,
        examples: [
            "qsh tasks submit bell.qasm --shots 1000 --wait",
            "ID=$(qsh tasks submit bell.qasm -q)",
            "cat bell.qasm | qsh tasks submit - --tag experiment=bell --json",
            "qsh tasks submit bell.qasm ghz.qasm --shots 500 --wait",
            "qsh tasks submit --batch sweep.json -q",
            "qsh tasks submit bell.qasm --idempotency-key run-2026-12-07",
        ],
        options: [
            OptionSpec(
                "--qpu", value: "<id>",
                help: "the QPU to run on (default: $QSH_QPU, else default_qpu of 'qsh config', else sim:statevector)"),
            OptionSpec(
                "--shots", value: "<n>", help: "how many shots (default: $QSH_SHOTS, else shots of 'qsh config', else 1000)"),
            OptionSpec("--seed", value: "<n>", help: "seed for reproducible runs, 0 to 2^53 (default: random, stored)"),
            OptionSpec("--name", value: "<name>", help: "a name for the task (for a batch: the batch's)"),
            OptionSpec("--tag", value: "<key>=<value>", help: "a label; may be repeated", repeatable: true),
            OptionSpec("--batch", value: "<manifest-file>", help: "submit the items of a JSON manifest as one batch"),
            OptionSpec(
                "--idempotency-key", value: "<key>",
                help: "a retry with the same key returns the first task or batch instead of another"),
            OptionSpec("--dry-run", help: "check the program against the QPU; store nothing"),
            OptionSpec("--wait", help: "follow the task until it ends"),
            OptionSpec(
                "--timeout", value: "<seconds>", help: "how long --wait waits (default: 300s; 0 or none: no limit)"),
            OptionSpec("--cancel-on-interrupt", help: "on Ctrl-C, also cancel the tasks (if not executing yet)"),
            OptionSpec("--quiet", short: "q", help: "print only the task id (the batch id for a batch)"),
            OptionSpec("--no-autostart", help: "do not start a worker"),
            CommonOptions.database, CommonOptions.api, CommonOptions.offline,
        ] + CommonOptions.output,
        arguments: 0...100_000,
        argumentKind: "file",
        run: { invocation in try run(invocation) })

    static func run(_ invocation: Invocation) throws -> ExitStatus {
        let args = invocation.arguments
        let context = invocation.context
        let format = try OutputFormat.resolve(invocation)
        let shots = try args.int("--shots", in: RunLimits.standard.shots) ?? configuredShots(context)
        let seed = try args.seed()
        if args.has("--timeout") && !args.has("--wait") {
            throw args.error("option '--timeout' needs '--wait'", option: "--timeout")
        }
        _ = try TaskCLI.timeout(invocation)
        var tags: [String: String] = [:]
        for (key, value) in try TaskCLI.tags(args) { tags[key] = value }
        let client = try invocation.taskClient()
        let known = try client.qpus().map(\.id)
        // The client lists its default QPU first.
        let qpuID = try args.value("--qpu") ?? context.sessionQPU ?? configuredQPU(context, known: known)
            ?? known.first ?? ""
        try TaskCLI.checkQPU(qpuID, known: known, invocation)
        let defaults = TaskSubmission(
            program: ProgramSnapshot(main: SourceFile(name: "", bytes: [])), qpuID: qpuID, shots: shots, seed: seed,
            name: args.value("--name"), tags: tags, idempotencyKey: args.value("--idempotency-key"))
        if args.has("--batch") || invocation.positionals.count > 1 {
            return try BatchSubmit.run(invocation, defaults: defaults, knownQPUs: known, client: client, format: format)
        }
        guard invocation.positionals.count == 1 else {
            throw UsageError("'\(context.commandText("tasks submit"))' needs a file, '-' for standard input, or --batch")
        }
        let program = try TaskCLI.readProgram(invocation.positionals[0], invocation: invocation, format: format)
        var submission = defaults
        submission.program = program

        if args.has("--dry-run") {
            let stop = QasmRunCommand.interruption(invocation)
            let verdict: DryRunVerdict
            do {
                verdict = try client.dryRun(submission, stop: stop)
            } catch is Interrupted {
                throw QasmRunCommand.interrupted(invocation, "the check was stopped")
            }
            return showDryRun(verdict, program: program, context: context, format: format)
        }

        let receipt = try client.submit(submission)
        let id = receipt.task.id
        let notice = receipt.reused
            ? "task \(id) was submitted before with idempotency key '\(submission.idempotencyKey ?? "")'"
            : "submitted task \(id)"
        return try TaskCLI.showStored(receipt, notice: notice, client: client, invocation: invocation, format: format)
    }

    /// The shots of $QSH_SHOTS, else of `shots` in the settings file, else 1000.
    /// - Throws: `UsageError` naming where a value that is not a number of shots came from.
    static func configuredShots(_ context: CommandContext) throws -> Int {
        guard let (value, source) = try context.setting(.shots) else { return 1000 }
        if let problem = SettingValues.problem(.shots, value, qpus: []) {
            throw UsageError("\(context.settingOrigin(.shots, source)): \(problem)")
        }
        return Int(value)!
    }

    /// The QPU of $QSH_QPU, else of `default_qpu` in the settings file; nil when neither names one.
    /// - Throws: `UsageError` naming where a QPU that is not among `known` came from.
    static func configuredQPU(_ context: CommandContext, known: [String]) throws -> String? {
        guard let (value, source) = try context.setting(.defaultQPU) else { return nil }
        if let problem = SettingValues.problem(.defaultQPU, value, qpus: known) {
            throw UsageError("\(context.settingOrigin(.defaultQPU, source)): \(problem)")
        }
        return value
    }

    /// Shows a dry run's verdict: the circuit's size (or the verdict's document) on stdout, and
    /// for a program that would fail one error on stderr, its diagnostics first.
    /// - Returns: 0 when the program would run, 1 when not.
    static func showDryRun(
        _ verdict: DryRunVerdict, program: ProgramSnapshot, context: CommandContext, format: OutputFormat
    ) -> ExitStatus {
        let reasons = verdict.reasons
        let document = verdict.wireJSON
        switch format {
        case .json: context.stdout.line(document.prettySerialized())
        case .ndjson: context.stdout.line(document.serialized())
        case .csv, .tsv:
            context.stdout.write(TableRenderer.delimited([document], keys: DryRunVerdict.delimitedKeys, format: format))
        case .table, .wide:
            if verdict.ok, let circuit = verdict.circuit {
                context.stdout.line(
                    "ok: \(program.main.name.terminalSafe()) is valid for \(verdict.qpuID) (\(circuit.qubits) qubits, "
                        + "\(circuit.clbits) bits, \(circuit.operations) operations)")
            }
        }
        if let errorClass = verdict.errorClass {
            // One error on stderr: the diagnostics and a summary, or one JSON document.
            let diagnostics = verdict.diagnostics
            let errors = diagnostics.filter { $0.severity == .error }.count
            var report = ErrorReport(
                code: errorClass.code, message: reasons.joined(separator: "; "),
                details: [("error_reasons", .array(reasons.map { .string($0) }))])
            if !diagnostics.isEmpty {
                let name = program.main.name
                report.message = "\(errors) error\(errors == 1 ? "" : "s") in '\(name)'"
                report.details.append(("diagnostics", .array(DiagnosticPrinter.json(diagnostics, mainFile: name))))
                let printer = DiagnosticPrinter(
                    color: context.terminal.colorStderr, showSource: context.terminal.stderrIsTTY)
                report.before = diagnostics.map { printer.render($0, source: program.main) }.joined()
            }
            report.write(to: context)
        }
        return verdict.ok ? .ok : .failure
    }
}
