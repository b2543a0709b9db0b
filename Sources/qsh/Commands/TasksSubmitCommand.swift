// `qsh tasks submit`: stores a program as a Created task and returns its id at
// once, makes sure a worker will run it, and optionally follows it to its end.
// `--dry-run` compiles and checks against the QPU without storing anything.
import QshCore

enum TasksSubmitCommand {
    static let command = Command(
        name: "submit",
        summary: "Submit an OpenQASM 2.0 program as a task",
        synopsis: [
            "tasks submit [--qpu <id>] [--shots <n>] [--seed <n>] [--name <name>] [--tag <key>=<value>]... "
                + "[--dry-run] [--wait [--timeout <seconds>] [--cancel-on-interrupt]] [--no-autostart] [-q] "
                + "(<file> | -)"
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
            """,
        examples: [
            "qsh tasks submit bell.qasm --shots 1000 --wait",
            "ID=$(qsh tasks submit bell.qasm -q)",
            "cat bell.qasm | qsh tasks submit - --tag experiment=bell --json",
        ],
        options: [
            OptionSpec("--qpu", value: "<id>", help: "the QPU to run on (default: sim:statevector)"),
            OptionSpec("--shots", value: "<n>", help: "how many shots (default: 1000)"),
            OptionSpec("--seed", value: "<n>", help: "seed for reproducible runs, 0 to 2^53 (default: random, stored)"),
            OptionSpec("--name", value: "<name>", help: "a name for the task"),
            OptionSpec("--tag", value: "<key>=<value>", help: "a label; may be repeated", repeatable: true),
            OptionSpec("--dry-run", help: "check the program against the QPU; store nothing"),
            OptionSpec("--wait", help: "follow the task until it ends"),
            OptionSpec(
                "--timeout", value: "<seconds>", help: "how long --wait waits (default: 300s; 0 or none: no limit)"),
            OptionSpec("--cancel-on-interrupt", help: "on Ctrl-C, also cancel the tasks (if not executing yet)"),
            OptionSpec("--quiet", short: "q", help: "print only the task id"),
            OptionSpec("--no-autostart", help: "do not start a worker"),
            CommonOptions.database,
        ] + CommonOptions.output,
        arguments: 1...1,
        argumentKind: "file",
        run: { invocation in try TaskCLI.mapErrors { try run(invocation) } })

    static func run(_ invocation: Invocation) throws -> ExitStatus {
        let args = invocation.arguments
        let context = invocation.context
        let format = try OutputFormat.resolve(invocation)
        let shots = try args.int("--shots", in: 1...100_000_000) ?? 1000
        let seed = try args.seed()
        let qpuID = args.value("--qpu") ?? context.sessionQPU ?? Backends.defaultQPU
        if args.has("--timeout") && !args.has("--wait") { throw UsageError("option '--timeout' needs '--wait'") }
        _ = try TaskCLI.timeout(invocation)
        var tags: [String: String] = [:]
        for text in args.all("--tag") {
            let (key, value) = try TaskCLI.parseTag(text)
            tags[key] = value
        }
        let qpus = Backends.qpus(context.environment)
        let known = Set(qpus.map(\.id))
        guard known.contains(qpuID) else {
            var message = "unknown QPU '\(qpuID)'; see '\(context.commandText("qpus list"))'"
            if let guess = closestMatch(qpuID, in: known.sorted()) { message += " (did you mean '\(guess)'?)" }
            throw UsageError(message)
        }
        let program = try TaskCLI.readProgram(invocation.positionals[0], invocation: invocation, format: format)

        if args.has("--dry-run") {
            return try dryRun(program, qpus: qpus, qpuID: qpuID, shots: shots, seed: seed, invocation: invocation,
                              format: format)
        }

        let service = try TaskCLI.service(invocation, access: .create)
        // Tasks of a lost worker are settled before a worker is looked for.
        service.recoverLostTasks()
        let task = try service.submit(
            SubmitRequest(
                program: program, qpuID: qpuID, shots: shots, seed: seed, name: args.value("--name"), tags: tags,
                createdBy: TaskCLI.userName(context)))
        let quiet = args.has("--quiet")
        if quiet {
            context.stdout.line(task.id)
            context.stdout.flush()
        } else {
            context.stderr.line("submitted task \(task.id)")
            if !args.has("--wait") {
                context.stdout.write(TaskRenderer.task(task, format: format, color: context.terminal.colorStdout))
            }
        }
        if !args.has("--no-autostart") && context.environment["QSH_NO_AUTOSTART"] != "1" {
            WorkerLauncher.ensureWorker(
                store: service.repository, executable: context.executablePath,
                database: try TaskCLI.absoluteDatabasePath(invocation), stderr: context.stderr)
        }
        guard args.has("--wait") else { return .ok }
        context.stdout.flush()
        return try TaskCLI.follow(
            [task.id], service: service, invocation: invocation, format: format, quiet: quiet, showResults: true)
    }

    /// PayloadProcessing without storing anything: the same compile step and QPU checks as
    /// the worker's (`Worker.prepare`), on the same snapshot a submit would store, so the
    /// verdict is the one the task would get. Diagnostics go to stderr.
    static func dryRun(
        _ program: ProgramSnapshot, qpus: [any QPU], qpuID: String, shots: Int, seed: UInt64?,
        invocation: Invocation, format: OutputFormat
    ) throws -> ExitStatus {
        let context = invocation.context
        var reasons: [String] = []
        var errorClass: ErrorClass?
        var circuit: Circuit?
        var diagnostics: [Diagnostic] = []
        let stop = QasmRunCommand.interruption(invocation)
        let prepared = Worker.prepare(
            program, qpuID: qpuID, shots: shots, seed: seed ?? 0, compiler: Backends.compiler(stop: stop), qpus: qpus,
            threads: Backends.threads(context.environment), precision: WorkerOptions(owner: "").precision, stop: stop)
        if stop.isRequested { throw QasmRunCommand.interrupted(invocation, "the check was stopped") }
        switch prepared {
        case .success(let run):
            circuit = run.request.circuit
        case .failure(let failure):
            errorClass = failure.errorClass
            reasons = failure.reasons
            diagnostics = failure.diagnostics
        }
        let ok = errorClass == nil
        var members: [(String, JSONValue)] = [
            ("ok", .bool(ok)), ("qpu_id", .string(qpuID)), ("shots", .int(shots)),
            ("error_class", .string(errorClass?.rawValue)), ("error_reasons", .array(reasons.map { .string($0) })),
        ]
        if let circuit {
            members += [
                ("qubits", .int(circuit.qubitCount)), ("clbits", .int(circuit.clbitCount)),
                ("operations", .int(circuit.operations.count)),
            ]
        }
        switch format {
        case .json: context.stdout.line(JSONValue.object(members).prettySerialized())
        case .ndjson: context.stdout.line(JSONValue.object(members).serialized())
        case .csv, .tsv:
            let keys = ["ok", "qpu_id", "shots", "error_class", "error_reasons", "qubits", "clbits", "operations"]
            context.stdout.write(TableRenderer.delimited([.object(members)], keys: keys, format: format))
        case .table, .wide:
            if ok, let circuit {
                context.stdout.line(
                    "ok: \(program.main.name.terminalSafe()) is valid for \(qpuID) (\(circuit.qubitCount) qubits, "
                        + "\(circuit.clbitCount) bits, \(circuit.operations.count) operations)")
            }
        }
        if let errorClass {
            // One error on stderr: the diagnostics and a summary, or one JSON document.
            let errors = diagnostics.filter { $0.severity == .error }.count
            var report = ErrorReport(
                code: errorClass.rawValue, message: reasons.joined(separator: "; "),
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
        return ok ? .ok : .failure
    }
}
