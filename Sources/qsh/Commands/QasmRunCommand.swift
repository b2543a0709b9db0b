// `qsh qasm run FILE|-`: checks, lowers and simulates an OpenQASM 2.0 program on the
// local state-vector QPU and prints the counts (or exact probabilities) per register.
import QshCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

enum QasmRunCommand {
    /// The most shots one run may take.
    static let maximumShots = 100_000_000
    /// The most threads one run may use.
    static let maximumThreads = 1024

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
                "timings"}. The default seed is random and is printed, so a run can be repeated; a seed \
                gives the same counts whatever the thread count. Programs needing more memory than \
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
                OptionSpec("--seed", value: "<n>", help: "seed of the random draws (default: random, printed)"),
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
        let shots = try args.int("--shots", in: 1...maximumShots) ?? 1000
        let threads = try args.int("--threads", in: 1...maximumThreads) ?? onlineCores()
        let seed = try args.int("--seed", in: 0...Int.max).map { UInt64($0) } ?? randomSeed()
        let precision: Precision = args.value("--precision") == "single" ? .single : .double
        let exact = args.has("--probabilities")

        var clock = Stopwatch()
        let limits = QASMLimits.standard
        let input = try QasmInput.read(invocation.positionals[0], limits: limits)
        let checked = input.check(limits: limits)
        guard let program = checked.program, !checked.hasErrors else {
            let printer = DiagnosticPrinter(
                color: invocation.context.terminal.colorStderr, showSource: invocation.context.terminal.stderrIsTTY)
            for diagnostic in checked.diagnostics {
                invocation.stderr.write(printer.render(diagnostic, source: input.source))
            }
            invocation.stderr.line("qsh: " + QasmCheckCommand.errorSummary(checked, file: input.source.name))
            return .failure
        }
        let parseTime = clock.lap()
        let circuit = try Lowering.lower(program, limits: limits)
        let qpu = StateVectorQPU(memoryLimit: memoryLimit())
        let request = RunRequest(circuit: circuit, shots: shots, seed: seed, threads: threads, precision: precision)
        try qpu.validate(request)
        let compileTime = clock.lap()

        if exact {
            let probabilities = try interruptible(invocation) {
                try qpu.probabilities(request) { _ in !invocation.context.interruptRequested }
            }
            let simulateTime = clock.lap()
            let metrics = CircuitMetrics(circuit: circuit, fusedGates: 0)
            let timings: [(String, JSONValue)] = [
                ("parse", .double(parseTime)), ("compile", .double(compileTime)), ("simulate", .double(simulateTime)),
                ("sample", .double(0)),
            ]
            if format.isJSON {
                let data = JSONValue.object(probabilities.map { r in
                    (r.name, JSONValue.object(r.probabilities.sorted { $0.key < $1.key }.map { ($0.key, .double($0.value)) }))
                })
                invocation.stdout.line(
                    JSONValue.object([
                        ("probabilities", data), ("seed", .int(Int(seed))), ("metrics", json(metrics, fused: false)), ("timings", .object(timings)),
                    ]).serialized())
            } else {
                for r in probabilities {
                    let rows = r.probabilities.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
                    invocation.stdout.write(table(register: r.name, rows: rows.map { ($0.key, $0.value, formatProbability($0.value)) }))
                }
            }
            return .ok
        }

        let showProgress = invocation.context.terminal.stderrIsTTY && !StateVectorQPU.isTerminal(circuit)
        let result = try interruptible(invocation) {
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
        if format.isJSON {
            let data = JSONValue.object(result.registers.map { r in
                (r.name, JSONValue.object(r.counts.sorted { $0.key < $1.key }.map { ($0.key, .int($0.value)) }))
            })
            let timings: [(String, JSONValue)] = [
                ("parse", .double(parseTime)), ("compile", .double(compileTime)),
                ("simulate", .double(result.timings.simulate)), ("sample", .double(result.timings.sample)),
            ]
            invocation.stdout.line(
                JSONValue.object([
                    ("data", data), ("shots", .int(shots)), ("seed", .int(Int(seed))),
                    ("metrics", json(result.metrics, fused: true)), ("timings", .object(timings)),
                ]).serialized())
        } else {
            for r in result.registers {
                let rows = r.counts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
                invocation.stdout.write(
                    table(register: r.name, rows: rows.map { ($0.key, Double($0.value) / Double(shots), String($0.value)) }))
            }
            invocation.stdout.line("\(shots) shots, seed \(seed), \(threads) thread\(threads == 1 ? "" : "s"), \(precision.rawValue) precision")
        }
        return .ok
    }

    /// The metrics object of the JSON output.
    static func json(_ m: CircuitMetrics, fused: Bool) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("qubits", .int(m.qubits)), ("clbits", .int(m.clbits)),
            ("gates", .object(m.gateCounts.sorted { $0.key < $1.key }.map { ($0.key, .int($0.value)) })),
            ("depth", .int(m.depth)),
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

    /// Online processors.
    static func onlineCores() -> Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

    /// A seed from the system's random source.
    static func randomSeed() -> UInt64 {
        var generator = SystemRandomNumberGenerator()
        // Below 2^53, so that the printed seed survives tools that read JSON numbers as
        // doubles (jq 1.6, JavaScript) and the run can be repeated from it; tasks do the same.
        return generator.next() >> 11
    }

    /// Three quarters of physical memory (MemTotal in /proc/meminfo), or 4 GiB if unknown.
    static func memoryLimit() -> Int {
        let fallback = 4 << 30
        guard let file = fopen("/proc/meminfo", "r") else { return fallback }
        defer { fclose(file) }
        var line = [CChar](repeating: 0, count: 256)
        while fgets(&line, Int32(line.count), file) != nil {
            let text = cString(line)
            guard text.hasPrefix("MemTotal:") else { continue }
            let digits = text.drop { !$0.isNumber }.prefix { $0.isNumber }
            guard let kib = Int(digits), kib > 0 else { return fallback }
            return kib / 4 * 3 * 1024
        }
        return fallback
    }

    /// Runs `body`; a run stopped by Ctrl-C ends with status 130 instead of an error.
    static func interruptible<R>(_ invocation: Invocation, _ body: () throws -> R) throws -> R {
        do {
            return try body()
        } catch let error as QPUError where error.isInterruption {
            if invocation.context.terminal.stderrIsTTY { invocation.stderr.write("\r\u{1B}[K") }
            throw CommandFailure(status: .interrupted, code: "interrupted", message: "interrupted; the simulation was stopped")
        }
    }
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
