// The results of a task: counts per classical register (highest index leftmost),
// whether they are partial, and the run's timings, metrics and metadata.

/// Counts (final or partial) and facts about the run.
public struct TaskResult: Hashable, Sendable {
    public var taskID: String
    public var shots: Int
    public var shotsDone: Int
    /// True while shots are still running (or if the run ended early).
    public var partial: Bool
    /// Counts per register in declaration order.
    public var registers: [RegisterCounts]
    /// Seconds per stage: queue, compile, simulate, sample, execute.
    public var timings: [(String, Double)]
    public var metrics: JSONValue
    public var metadata: JSONValue

    public init(
        taskID: String, shots: Int, shotsDone: Int, partial: Bool, registers: [RegisterCounts],
        timings: [(String, Double)] = [], metrics: JSONValue = .object([]), metadata: JSONValue = .object([])
    ) {
        self.taskID = taskID
        self.shots = shots
        self.shotsDone = shotsDone
        self.partial = partial
        self.registers = registers
        self.timings = timings
        self.metrics = metrics
        self.metadata = metadata
    }

    public static func == (a: TaskResult, b: TaskResult) -> Bool {
        a.taskID == b.taskID && a.shots == b.shots && a.shotsDone == b.shotsDone && a.partial == b.partial
            && a.registers == b.registers && a.timings.map(\.0) == b.timings.map(\.0)
            && a.timings.map(\.1) == b.timings.map(\.1) && a.metrics == b.metrics && a.metadata == b.metadata
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(taskID)
        hasher.combine(shotsDone)
    }

    /// `{"c": {"00": 503, "11": 497}}`: registers in order, bitstrings sorted.
    public var dataJSON: JSONValue {
        .object(registers.map { register in
            (register.name, .object(register.counts.keys.sorted().map { ($0, .int(register.counts[$0] ?? 0)) }))
        })
    }

    /// The results object of CONVENTIONS.md.
    public var wireJSON: JSONValue {
        .object([
            ("task_id", .string(taskID)),
            ("shots", .int(shots)),
            ("shots_done", .int(shotsDone)),
            ("data", dataJSON),
            ("partial", .bool(partial)),
            ("timings", .object(timings.map { ($0.0, .double($0.1)) })),
            ("metrics", metrics),
            ("metadata", metadata),
        ])
    }

    /// Rebuilds the registers from a stored `data` object (widths from the bitstrings).
    public static func registers(from data: JSONValue) -> [RegisterCounts] {
        guard let members = data.objectValue else { return [] }
        return members.map { name, counts in
            var table: [String: Int] = [:]
            for (bits, n) in counts.objectValue ?? [] { table[bits] = n.intValue ?? 0 }
            return RegisterCounts(name: name, width: table.keys.first?.count ?? 0, counts: table)
        }
    }
}
