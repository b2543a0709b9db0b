// Re-runs, lineages and idempotency keys: a re-run is a new task made from an earlier
// one's settings with overrides; a lineage is a first task and every re-run made from
// it or from its re-runs; an idempotency key makes a retried submit return the first.

/// What to change when re-running a task; nil keeps the earlier task's value.
public struct RerunRequest: Sendable {
    public var shots: Int?
    /// The seed; nil keeps the earlier task's unless `newSeed`.
    public var seed: UInt64?
    /// Draw a new random seed instead of keeping the earlier one.
    public var newSeed: Bool
    public var qpuID: String?
    /// A changed program; nil runs the earlier task's definition again (shared).
    public var program: ProgramSnapshot?
    public var createdBy: String
    /// A key that makes a retried re-run return the task the first one made.
    public var idempotencyKey: String?

    public init(
        shots: Int? = nil, seed: UInt64? = nil, newSeed: Bool = false, qpuID: String? = nil,
        program: ProgramSnapshot? = nil, createdBy: String, idempotencyKey: String? = nil
    ) {
        self.shots = shots
        self.seed = seed
        self.newSeed = newSeed
        self.qpuID = qpuID
        self.program = program
        self.createdBy = createdBy
        self.idempotencyKey = idempotencyKey
    }
}

/// A lineage: its first task's id and every task of it, oldest first, each with its
/// latest results (nil when it has none).
public struct TaskHistory: Sendable {
    public var lineageID: String
    public var entries: [(task: QuantumTask, result: TaskResult?)]

    public init(lineageID: String, entries: [(task: QuantumTask, result: TaskResult?)]) {
        self.lineageID = lineageID
        self.entries = entries
    }

    /// `{"lineage_id": ..., "elements": [task + "data"]}`: each task's wire shape with
    /// the counts of its latest run (`data`, null when it has none).
    public var wireJSON: JSONValue {
        .object([
            ("lineage_id", .string(lineageID)),
            ("elements", .array(entries.map { entry in
                guard case .object(var members) = entry.task.wireJSON else { return entry.task.wireJSON }
                members.append(("data", entry.result?.dataJSON ?? .null))
                return .object(members)
            })),
        ])
    }
}

/// A stored idempotency key: what the first submit with it made, and the fingerprint
/// of its request (a retry must ask for the same).
public struct IdempotencyRecord: Hashable, Sendable {
    public var key: String
    public var fingerprint: String
    /// The task a single submit made; nil for a batch.
    public var taskID: String?
    /// The batch a batch submit made; nil for a single task.
    public var batchID: String?

    public init(key: String, fingerprint: String, taskID: String? = nil, batchID: String? = nil) {
        self.key = key
        self.fingerprint = fingerprint
        self.taskID = taskID
        self.batchID = batchID
    }

    /// The fingerprint of a request: a SHA-256 over what the user asked for (programs,
    /// labels, QPU, shots, the seed when given, name, tags), not over what qsh drew.
    static func fingerprint(_ requests: [(label: String?, request: SubmitRequest)], name: String?) -> String {
        var parts: [JSONValue] = [.string(name)]
        for (label, r) in requests {
            parts.append(.object([
                ("label", .string(label)), ("definition", .string(r.program.definitionID)), ("qpu", .string(r.qpuID)),
                ("shots", .int(r.shots)), ("seed", r.seed.map { .string(String($0)) } ?? .null),
                ("name", .string(r.name)),
                ("tags", .object(r.tags.keys.sorted().map { ($0, .string(r.tags[$0] ?? "")) })),
            ]))
        }
        return SHA256.hex(SHA256.hash(Array(JSONValue.array(parts).serialized().utf8)))
    }

    /// The fingerprint of a re-run of the task `earlierID`: over the overrides asked for
    /// (shots, seed, new seed, QPU, the changed program's definition), not over what qsh
    /// drew; never equal to a submit's, so a submit's key given to a re-run is refused.
    static func fingerprint(rerunOf earlierID: String, _ r: RerunRequest) -> String {
        let parts = JSONValue.object([
            ("rerun_of", .string(earlierID)), ("shots", r.shots.map { JSONValue.int($0) } ?? JSONValue.null),
            ("seed", r.seed.map { JSONValue.string(String($0)) } ?? JSONValue.null), ("new_seed", .bool(r.newSeed)),
            ("qpu", r.qpuID.map { JSONValue.string($0) } ?? JSONValue.null),
            ("definition", r.program.map { JSONValue.string($0.definitionID) } ?? JSONValue.null),
        ])
        return SHA256.hex(SHA256.hash(Array(parts.serialized().utf8)))
    }
}
