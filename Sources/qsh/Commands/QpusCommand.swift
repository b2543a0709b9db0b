// `qsh qpus list` and `qsh qpus get`: the QPUs the task client can run tasks on and
// their capabilities.
import QshCore

enum QpusCommand {
    static let command = Command(
        name: "qpus",
        summary: "Show the QPUs tasks can run on",
        subcommands: [
            Command(
                name: "list", summary: "List the QPUs and their limits", synopsis: ["qpus list"],
                details: """
                    The table shows memory in MiB; json, ndjson, csv and tsv give the same values as
                    each other, memory_limit in bytes. With -o json prints {"elements": [...], "page",
                    "size", "total"}; csv has a header row, tsv none.
                    """,
                examples: ["qsh qpus list", "qsh qpus list --json | jq -r '.elements[].id'"],
                options: CommonOptions.output,
                run: { invocation in
                    let format = try OutputFormat.resolve(invocation)
                    let qpus = try invocation.taskClient().qpus()
                    invocation.stdout.write(render(qpus, format: format, color: invocation.context.terminal.colorStdout))
                    return .ok
                }),
            Command(
                name: "get", summary: "Show one QPU", synopsis: ["qpus get <id>"],
                examples: ["qsh qpus get sim:statevector --json"],
                options: CommonOptions.output,
                arguments: 1...1,
                run: { invocation in
                    let format = try OutputFormat.resolve(invocation)
                    let id = invocation.positionals[0]
                    guard let qpu = try invocation.taskClient().qpus().first(where: { $0.id == id }) else {
                        throw TaskError.unknownQPU(id: id)
                    }
                    switch format {
                    case .json: invocation.stdout.line(json(qpu).prettySerialized())
                    case .ndjson: invocation.stdout.line(json(qpu).serialized())
                    default:
                        invocation.stdout.write(
                            render([qpu], format: format, color: invocation.context.terminal.colorStdout))
                    }
                    return .ok
                }),
        ])

    static func json(_ qpu: QPUInfo) -> JSONValue {
        let c = qpu.capabilities
        return .object([
            ("id", .string(qpu.id)),
            ("summary", .string(qpu.summary)),
            ("max_qubits", .int(c.maxQubits)),
            ("max_shots", .int(c.maxShots)),
            ("memory_limit", .int(c.memoryLimit)),
            ("mid_circuit_measurement", .bool(c.supportsMidCircuitMeasurement)),
        ])
    }

    static func mebibytes(_ bytes: Int) -> String { "\(bytes / (1 << 20)) MiB" }

    /// The keys of the csv header, in the order of the csv and tsv cells.
    static let delimitedKeys = ["id", "max_qubits", "max_shots", "memory_limit", "mid_circuit_measurement", "summary"]

    /// A QPU's csv and tsv cells: the values of its JSON object (memory in bytes), as text.
    static func delimitedRow(_ q: QPUInfo) -> [String] {
        let c = q.capabilities
        return [q.id, String(c.maxQubits), String(c.maxShots), String(c.memoryLimit),
                String(c.supportsMidCircuitMeasurement), q.summary]
    }

    static func render(_ qpus: [QPUInfo], format: OutputFormat, color: Bool) -> String {
        switch format {
        case .json:
            return JSONValue.object([
                ("elements", .array(qpus.map(json))), ("page", 0), ("size", .int(qpus.count)),
                ("total", .int(qpus.count)),
            ]).prettySerialized() + "\n"
        case .ndjson: return qpus.map { json($0).serialized() + "\n" }.joined()
        case .csv: return TableRenderer.csv(delimitedKeys.map { Column($0) }, qpus.map(delimitedRow))
        case .tsv: return TableRenderer.tsv(qpus.map(delimitedRow))
        case .table, .wide:
            let rows = qpus.map { q in
                [q.id, String(q.capabilities.maxQubits), String(q.capabilities.maxShots),
                 mebibytes(q.capabilities.memoryLimit), q.summary]
            }
            return TableRenderer.table(
                [Column("ID"), Column("QUBITS", .right), Column("MAX SHOTS", .right), Column("MEMORY", .right),
                 Column("SUMMARY")], rows, color: color)
        }
    }
}
