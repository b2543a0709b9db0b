// `qsh qasm run FILE|-`: compiles an OpenQASM 2.0 program for the local state-vector
// QPU (the compile path the worker uses), runs it and prints the counts (or exact
// probabilities) per register.
import QshCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

enum QasmRunCommand {
    static var command: Command {
        Command(
            name: "run",
            summary: "Simulate an OpenQASM 2.0 program and print its counts",
            synopsis: [
                "qasm run [--shots <n>] [--seed <n>] [--threads <n>] [--precision (double | single)]\n"
                    + "         [--probabilities] [--json | -o <format>] (<file> | -)"
            ],
            details: """
                Runs the program on the local state-vector simulator and prints the counts of every \
                classical register, keyed by bitstring with the highest index leftmost (Qiskit's order). \
                Programs whose measurements are all terminal are simulated once and sampled; programs \
                with mid-circuit measurement, reset or 'if' run shot by shot. --probabilities prints \
                the exact outcome probabilities per register instead (terminal measurements only). \
                With --json, stdout holds one document: {"data": {...}, "shots", "seed", "metrics", \
                "timings"} (seconds, rounded to the microsecond); -o csv or tsv prints register, bits, \
                count, share rows. Probabilities keep the digits the precision carries: 15 significant \
                digits in double precision, a single-precision number's shortest form in single. \
                The default seed is random and is printed, so a run can be repeated; a seed \
                (0 to 2^53, the largest integer JSON keeps exact) gives the same counts whatever the \
                thread count. Programs needing more memory than \
                three quarters of the machine's are refused before anything is allocated.
                """,
            examples: [
                "qsh qasm run bell.qasm",
                "qsh qasm run --shots 10000 --seed 7 --json bell.qasm | jq .data",
                "qsh qasm run --probabilities bell.qasm",
                "qsh qasm run --precision single --threads 2 big.qasm",
            ],
            options: [
                OptionSpec("--shots", value: "<n>", help: "how many shots to draw (default 1000)"),
                OptionSpec("--seed", value: "<n>", help: "seed of the random draws, 0 to 2^53 (default: random, printed)"),
                OptionSpec("--threads", value: "<n>", help: "worker threads (default: all cores)"),
                OptionSpec(
                    "--precision", value: "<p>", help: "double (default) or single (half the memory)",
                    choices: ["double", "single"]),
                OptionSpec("--probabilities", help: "print exact outcome probabilities instead of counts"),
            ] + CommonOptions.output,
            arguments: 1...1,
            argumentKind: "file",
            run: { invocation in try run(invocation) })
    }

    static func run(_ invocation: Invocation) throws -> ExitStatus {
        let format = try OutputFormat.resolve(invocation)
        let args = invocation.arguments
        let shots = try args.int("--shots", in: RunLimits.standard.shots) ?? 1000
        let threads = try args.int("--threads", in: RunLimits.standard.threads) ?? Backends.onlineCores()
        let seed = try args.seed() ?? randomSeed()
        let precision: Precision = args.value("--precision") == "single" ? .single : .double
        let exact = args.has("--probabilities")

        var clock = Stopwatch()
        let limits = QASMLimits.standard
        let input = try QasmInput.read(invocation.positionals[0], limits: limits)
        let stop = interruption(invocation)
        // A write blocked on a full pipe (or a terminal on hold) gives up at Ctrl-C.
        invocation.stdout.giveUpOnInterrupt = { stop.isRequested }
        defer { invocation.stdout.giveUpOnInterrupt = nil }
        var parseTime = 0.0
        let compiled = Compiler.compile(
            input, for: Backends.localRegistry().defaultQPU, shots: shots, seed: seed, threads: threads,
            precision: precision, limits: limits, stop: stop,
            afterStep: { if $0 == .check { parseTime = clock.lap() } })
        let prepared: PreparedRun
        switch compiled {
        case .success(let run): prepared = run
        case .failure(.invalidProgram(let checked)):
            throw invalidProgram(checked, source: input.source, context: invocation.context)
        case .failure(.loweringFailed(let error, _)): throw error
        case .failure(.refused(let refusal)):
            throw QPUError(refusal.errorClass, refusal.reasons.joined(separator: "; "))
        case .failure(.interrupted(let step)):
            throw interrupted(invocation, step == .check ? "the check was stopped" : "the compilation was stopped")
        }
        let qpu = prepared.qpu, request = prepared.request, circuit = request.circuit
        let compileTime = clock.lap()

        if exact {
            let probabilities = try interruptible(invocation, "the simulation") {
                try qpu.probabilities(request) { _ in !invocation.context.interruptRequested }
            }
            let simulateTime = clock.lap()
            let metrics = try interruptible(invocation, "the simulation") { () throws(Interrupted) in
                try CircuitMetrics(circuit: circuit, fusedGates: 0, stop: stop)
            }
            let timings = json(timings: [
                ("parse", parseTime), ("compile", compileTime), ("simulate", simulateTime), ("sample", 0),
            ])
            // Only the digits the simulation's precision carries (NumberText.probability).
            let registers = probabilities.map { r in
                (r.name, r.probabilities.map { ($0.key, NumberText.probability($0.value, precision: precision)) })
            }
            switch format {
            case .json, .ndjson:
                let data = JSONValue.object(registers.map { name, outcomes in
                    (name, JSONValue.object(outcomes.sorted { $0.0 < $1.0 }.map { ($0.0, .double($0.1)) }))
                })
                invocation.stdout.line(
                    JSONValue.object([
                        ("probabilities", data), ("seed", .int(Int(seed))), ("metrics", json(metrics, fused: false)),
                        ("timings", timings),
                    ]).serialized())
            case .csv, .tsv:
                let rows = registers.flatMap { name, outcomes in
                    outcomes.sorted { $0.0 < $1.0 }.map { [name, $0.0, JSONValue.double($0.1).serialized()] }
                }
                invocation.stdout.write(
                    format == .csv
                        ? TableRenderer.csv([Column("register"), Column("bits"), Column("probability")], rows)
                        : TableRenderer.tsv(rows))
            case .table, .wide:
                for (name, outcomes) in registers {
                    let rows = outcomes.sorted { ($0.1, $1.0) > ($1.1, $0.0) }
                    invocation.stdout.write(table(register: name, rows: rows.map { ($0.0, $0.1, formatProbability($0.1)) }))
                }
            }
            return try finishOutput(invocation)
        }

        let showProgress = invocation.context.terminal.stderrIsTTY && !circuit.measurementsAreTerminal
        let result = try interruptible(invocation, "the simulation") {
            try qpu.run(request) { progress in
                if showProgress && progress.shotsDone > 0 {
                    invocation.stderr.write("\rshots \(progress.shotsDone)/\(progress.shots)")
                    invocation.stderr.flush()
                }
                return !invocation.context.interruptRequested
            }
        }
        if showProgress {
            invocation.stderr.write("\r\u{1B}[K")
            invocation.stderr.flush()
        }
        switch format {
        case .json, .ndjson:
            let data = JSONValue.object(result.registers.map { r in
                (r.name, JSONValue.object(r.counts.sorted { $0.key < $1.key }.map { ($0.key, .int($0.value)) }))
            })
            let timings = json(timings: [
                ("parse", parseTime), ("compile", compileTime), ("simulate", result.timings.simulate),
                ("sample", result.timings.sample),
            ])
            invocation.stdout.line(
                JSONValue.object([
                    ("data", data), ("shots", .int(shots)), ("seed", .int(Int(seed))),
                    ("metrics", json(result.metrics, fused: true)), ("timings", timings),
                ]).serialized())
        case .csv, .tsv:
            // The rows of `tasks results -o csv|tsv`: register, bits, count, share.
            let task = TaskResult(
                taskID: "", shots: shots, shotsDone: shots, partial: false, registers: result.registers)
            invocation.stdout.write(TaskRenderer.result(task, format: format, color: false))
        case .table, .wide:
            for r in result.registers {
                let rows = r.counts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
                invocation.stdout.write(
                    table(register: r.name, rows: rows.map { ($0.key, Double($0.value) / Double(shots), String($0.value)) }))
            }
            invocation.stdout.line("\(shots) shots, seed \(seed), \(threads) thread\(threads == 1 ? "" : "s"), \(precision.rawValue) precision")
        }
        return try finishOutput(invocation)
    }

    /// The failure for a program with errors: its diagnostics, rendered for people (before the
    /// `qsh: N errors in 'file'` line) and as the `diagnostics` array of the JSON error.
    static func invalidProgram(_ checked: QASMCheckResult, source: SourceFile, context: CommandContext) -> CommandFailure {
        let printer = DiagnosticPrinter(color: context.terminal.colorStderr, showSource: context.terminal.stderrIsTTY)
        var details: [(String, JSONValue)] = [
            ("diagnostics", .array(DiagnosticPrinter.json(checked.diagnostics, mainFile: source.name)))
        ]
        if checked.truncated { details.append(("truncated", .bool(true))) }
        return CommandFailure(
            code: .invalidProgram,
            message: QasmCheckCommand.errorSummary(checked, file: source.name), details: details,
            before: context.errorsAsJSON ? "" : checked.diagnostics.map { printer.render($0, source: source) }.joined())
    }

    /// The timings object of the JSON output: seconds, rounded to the microsecond.
    static func json(timings: [(String, Double)]) -> JSONValue {
        .object(timings.map { ($0.0, .double(NumberText.microseconds($0.1))) })
    }

    /// The metrics object of the JSON output.
    static func json(_ m: CircuitMetrics, fused: Bool) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("qubits", .int(m.qubits)), ("clbits", .int(m.clbits)),
            ("gates", .object(m.gateCounts.sorted { $0.key < $1.key }.map { ($0.key, .int($0.value)) })),
            ("depth", .int(m.depth)),
            ("gate_count", .int(m.gateCount)), ("two_qubit_gates", .int(m.twoQubitGates)),
            ("multi_qubit_gates", .int(m.multiQubitGates)),
        ]
        if fused { members.append(("fused_gates", .int(m.fusedGates))) }
        return .object(members)
    }

    /// One register's outcomes, most frequent first, with a bar of up to 20 cells; at most 20 rows.
    static func table(register: String, rows: [(String, Double, String)]) -> String {
        let shown = rows.prefix(20)
        let top = shown.first?.1 ?? 1
        let body = shown.map { key, share, value -> [String] in
            let cells = top > 0 ? Int((share / top * 20).rounded()) : 0
            return [key, value, String(repeating: "█", count: max(cells, share > 0 ? 1 : 0))]
        }
        var out = "\(register):\n"
        out += TableRenderer.table([Column("outcome"), Column("count", .right), Column("")], body)
        if rows.count > shown.count { out += "... \(rows.count - shown.count) more outcomes\n" }
        return out
    }

    /// 0.5, 0.125, 3.05e-05: enough digits to read, not the full 17.
    static func formatProbability(_ p: Double) -> String {
        let scaled = (p * 1e6).rounded() / 1e6
        if scaled == 0 && p > 0 { return String(p) }
        return String(scaled)
    }

    /// A seed from the system's random source, below 2^53 (`RunLimits.randomSeed`), so that
    /// the printed seed survives tools that read JSON numbers as doubles (jq 1.6,
    /// JavaScript) and the run can be repeated from it; tasks do the same.
    static func randomSeed() -> UInt64 {
        var generator = SystemRandomNumberGenerator()
        return RunLimits.randomSeed(using: &generator)
    }

    /// The request every phase of the run asks whether to stop: Ctrl-C. Asking once here
    /// opts in, so that from now on (after the program was read) Ctrl-C is counted rather
    /// than fatal, and each phase stops at it with status 130.
    static func interruption(_ invocation: Invocation) -> Cancellation {
        let source = invocation.context.interrupts
        _ = source.requested()
        return Cancellation { source.requested() }
    }

    /// Runs `body` (the phase named by `phase`, e.g. "the check"); a phase stopped by
    /// Ctrl-C ends the command with status 130 instead of an error.
    static func interruptible<R, E: Error>(
        _ invocation: Invocation, _ phase: String, _ body: () throws(E) -> R
    ) throws -> R {
        do {
            return try body()
        } catch {
            let stopped: Bool
            switch error {
            case let error as QPUError: stopped = error.isInterruption
            case let error as LoweringError: stopped = error.isInterruption
            case is Interrupted: stopped = true
            default: stopped = false
            }
            guard stopped else { throw error }
            throw interrupted(invocation, "\(phase) was stopped")
        }
    }

    /// Flushes the output, which gives up at Ctrl-C, also while a write waits on a reader
    /// that does not read (a full pipe): the command then ends with status 130. Output
    /// written whole before Ctrl-C came is a success.
    static func finishOutput(_ invocation: Invocation) throws -> ExitStatus {
        invocation.stdout.flush()
        if invocation.stdout.takeInterruption() {
            throw interrupted(invocation, "the output was cut short")
        }
        return .ok
    }

    /// The failure of a run stopped by Ctrl-C (status 130): "interrupted; WHAT".
    static func interrupted(_ invocation: Invocation, _ what: String) -> CommandFailure {
        if invocation.context.terminal.stderrIsTTY { invocation.stderr.write("\r\u{1B}[K") }
        return CommandFailure(code: .interrupted, message: "interrupted; \(what)")
    }
}

/// A program read from disk (or stdin) for the compile path: its includes are read from
/// the program's directory as the front end asks for them.
extension QasmInput: ProgramSource {
    var name: String { source.name }
}

/// Seconds between laps, from the monotonic clock.
struct Stopwatch {
    private var last = ContinuousClock.now

    /// Seconds since the previous lap (or since creation).
    mutating func lap() -> Double {
        let now = ContinuousClock.now
        let d = now - last
        last = now
        return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }
}
