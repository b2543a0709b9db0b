// `qsh qpus list|get|pause|resume`: the QPUs the task client can run tasks on, their
// capabilities (limits, native gates, coupling map, precisions), whether each takes work
// and how many tasks wait for it; pausing holds a QPU's tasks in Scheduled.
import QshCore

enum QpusCommand {
    static let command = Command(
        name: "qpus",
        summary: "Show the QPUs tasks can run on; pause and resume them",
        subcommands: [
            Command(
                name: "list", summary: "List the QPUs, their limits, status and queues", synopsis: ["qpus list"],
                details: """
                    The table shows memory in MiB; json, ndjson, csv and tsv give the same values as
                    each other, memory_limit in bytes. Each QPU has a status (online or paused) and a
                    queue (its Created, PayloadProcessing and Scheduled tasks). With -o json prints
                    {"elements": [...], "page", "size", "total"}; csv has a header row, tsv none.
                    """,
                examples: ["qsh qpus list", "qsh qpus list --json | jq -r '.elements[].id'"],
                options: [CommonOptions.database, CommonOptions.api, CommonOptions.offline] + CommonOptions.output,
                run: { invocation in
                    let format = try OutputFormat.resolve(invocation)
                    let client = try invocation.taskClient()
                    let qpus = try client.qpus()
                    let statuses = try client.qpuStatuses()
                    invocation.stdout.write(
                        render(qpus, statuses: statuses, format: format, color: invocation.context.terminal.colorStdout))
                    return .ok
                }),
            Command(
                name: "get", summary: "Show one QPU: limits, native gates, coupling map, status",
                synopsis: ["qpus get <id>"],
                examples: ["qsh qpus get sim:native", "qsh qpus get sim:statevector --json"],
                options: [CommonOptions.database, CommonOptions.api, CommonOptions.offline] + CommonOptions.output,
                arguments: 1...1,
                argumentKind: "qpu",
                run: { invocation in
                    let format = try OutputFormat.resolve(invocation)
                    let client = try invocation.taskClient()
                    let qpu = try find(invocation.positionals[0], client: client)
                    let status = try client.qpuStatuses()[qpu.id] ?? QPUStatus(paused: false, since: nil, queued: 0)
                    invocation.stdout.write(
                        detail(qpu, status: status, format: format, color: invocation.context.terminal.colorStdout))
                    return .ok
                }),
            pauseCommand(pause: true),
            pauseCommand(pause: false),
        ])

    /// `qpus pause` and `qpus resume`.
    static func pauseCommand(pause: Bool) -> Command {
        Command(
            name: pause ? "pause" : "resume",
            summary: pause
                ? "Pause a QPU: its tasks are compiled, then wait in Scheduled"
                : "Resume a paused QPU: the tasks waiting for it run",
            synopsis: [pause ? "qpus pause <id>" : "qpus resume [--no-autostart] <id>"],
            details: pause
                ? """
                    A paused QPU runs nothing new: a task for it is still compiled (so a faulty \
                    program ends in PayloadProcessingError at once), then waits in Scheduled, and \
                    'tasks get' shows its place in the QPU's queue. A task already executing \
                    finishes. Pausing a paused QPU changes nothing. Prints the QPU's status.
                    """
                : """
                    The tasks held in Scheduled run again, oldest first (a worker is started for \
                    them unless --no-autostart or QSH_NO_AUTOSTART=1). Resuming a running QPU \
                    changes nothing. Prints the QPU's status.
                    """,
            examples: pause ? ["qsh qpus pause sim:native"] : ["qsh qpus resume sim:native"],
            options: [CommonOptions.database, CommonOptions.api, CommonOptions.offline]
                + (pause ? [] : [OptionSpec("--no-autostart", help: "do not start a worker for the waiting tasks")])
                + CommonOptions.output,
            arguments: 1...1,
            argumentKind: "qpu",
            run: { invocation in
                let format = try OutputFormat.resolve(invocation)
                let client = try invocation.taskClient()
                let qpu = try find(invocation.positionals[0], client: client)
                let status = try client.setQPUPaused(qpu.id, paused: pause)
                invocation.stderr.line("qpu \(qpu.id) \(status.name)")
                invocation.stdout.write(
                    detail(qpu, status: status, format: format, color: invocation.context.terminal.colorStdout))
                return .ok
            })
    }

    /// The QPU `id` names.
    /// - Throws: `TaskError.unknownQPU` (not found, exit 5).
    static func find(_ id: String, client: any TaskClient) throws -> QPUInfo {
        guard let qpu = try client.qpus().first(where: { $0.id == id }) else { throw TaskError.unknownQPU(id: id) }
        return qpu
    }

    /// The native gates, sorted by name; nil for a QPU that runs every gate.
    static func nativeGates(_ q: QPUInfo) -> [String]? { q.nativeGateNames }

    /// The coupled pairs, lowest first; nil for a QPU on which any qubits may interact.
    static func couplingPairs(_ q: QPUInfo) -> [(Int, Int)]? { q.couplingPairs }

    static func json(_ qpu: QPUInfo, status: QPUStatus) -> JSONValue { qpu.wireJSON(status: status) }

    static func mebibytes(_ bytes: Int) -> String { "\(bytes / (1 << 20)) MiB" }

    /// The keys of the csv header, in the order of the csv and tsv cells.
    static let delimitedKeys = [
        "id", "status", "queued", "max_qubits", "max_shots", "memory_limit", "mid_circuit_measurement", "precisions",
        "native_gates", "summary",
    ]

    /// A QPU's csv and tsv cells: the values of its JSON object (memory in bytes), as text;
    /// lists space-separated, empty for "any".
    static func delimitedRow(_ q: QPUInfo, _ status: QPUStatus) -> [String] {
        let c = q.capabilities
        return [q.id, status.name, String(status.queued), String(c.maxQubits), String(c.maxShots), String(c.memoryLimit),
                String(c.supportsMidCircuitMeasurement), c.precisions.map(\.rawValue).joined(separator: " "),
                nativeGates(q)?.joined(separator: " ") ?? "", q.summary]
    }

    static func render(_ qpus: [QPUInfo], statuses: [String: QPUStatus], format: OutputFormat, color: Bool) -> String {
        let online = QPUStatus(paused: false, since: nil, queued: 0)
        let status = { (q: QPUInfo) in statuses[q.id] ?? online }
        switch format {
        case .json:
            return QPUInfo.pageJSON(qpus, statuses: statuses).prettySerialized() + "\n"
        case .ndjson: return qpus.map { json($0, status: status($0)).serialized() + "\n" }.joined()
        case .csv: return TableRenderer.csv(delimitedKeys.map { Column($0) }, qpus.map { delimitedRow($0, status($0)) })
        case .tsv: return TableRenderer.tsv(qpus.map { delimitedRow($0, status($0)) })
        case .table, .wide:
            let rows = qpus.map { q in
                [q.id, status(q).name, String(status(q).queued), String(q.capabilities.maxQubits),
                 String(q.capabilities.maxShots), mebibytes(q.capabilities.memoryLimit), q.summary]
            }
            return TableRenderer.table(
                [Column("ID"), Column("STATUS"), Column("QUEUED", .right), Column("QUBITS", .right),
                 Column("MAX SHOTS", .right), Column("MEMORY", .right), Column("SUMMARY")], rows, color: color)
        }
    }

    /// One QPU: a field list for people, its object in json, one row in csv and tsv.
    static func detail(_ qpu: QPUInfo, status: QPUStatus, format: OutputFormat, color: Bool) -> String {
        switch format {
        case .json: return json(qpu, status: status).prettySerialized() + "\n"
        case .ndjson: return json(qpu, status: status).serialized() + "\n"
        case .csv, .tsv: return render([qpu], statuses: [qpu.id: status], format: format, color: color)
        case .table, .wide:
            let c = qpu.capabilities
            var rows: [(String, String)] = [
                ("id", qpu.id),
                ("summary", qpu.summary),
                ("status", status.name + (status.since.map { " since \($0.rfc3339)" } ?? "")),
                ("queued", "\(status.queued) task\(status.queued == 1 ? "" : "s")"),
                ("qubits", String(c.maxQubits)),
                ("max shots", String(c.maxShots)),
                ("memory", mebibytes(c.memoryLimit)),
                ("precisions", c.precisions.map(\.rawValue).joined(separator: ", ")),
                ("mid-circuit", c.supportsMidCircuitMeasurement ? "measure, reset and if" : "no"),
                ("native gates", nativeGates(qpu).map { $0.joined(separator: " ") + " (and measure, reset, barrier)" } ?? "any"),
                ("coupling", couplingPairs(qpu).map { $0.map { "\($0.0)-\($0.1)" }.joined(separator: " ") } ?? "any pair"),
            ]
            if format == .table, let pairs = couplingPairs(qpu), pairs.count > 8 {
                rows[rows.count - 1].1 = pairs.prefix(4).map { "\($0.0)-\($0.1)" }.joined(separator: " ")
                    + " ... \(pairs.last!.0)-\(pairs.last!.1) (\(pairs.count) pairs; -o wide lists all)"
            }
            let width = rows.map(\.0.count).max() ?? 0
            return rows.map { key, value in
                Style.bold.apply(key + ":", if: color) + String(repeating: " ", count: width - key.count + 1)
                    + value.terminalSafe() + "\n"
            }.joined()
        }
    }
}
