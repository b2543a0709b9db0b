// The task model and its wire shape (DESIGN.md): field order id, task_status,
// qpu_id, shots, definition_id, compilation_id, created_by, created_date,
// updated_date, error_reasons, then qsh's additions. Task ids are UUID v4 text.

/// Task ids: random UUIDs (version 4) in lower case.
public enum TaskID {
    /// A new random id from the system's cryptographic generator.
    public static func generate() -> String {
        var rng = SystemRandomNumberGenerator()
        return generate(using: &rng)
    }

    /// A new id from `rng` (tests pass a seeded one).
    public static func generate<R: RandomNumberGenerator>(using rng: inout R) -> String {
        var bytes = [UInt8](repeating: 0, count: 16)
        var a = rng.next(), b = rng.next()
        for i in 0..<8 {
            bytes[i] = UInt8(truncatingIfNeeded: a)
            bytes[i + 8] = UInt8(truncatingIfNeeded: b)
            a >>= 8
            b >>= 8
        }
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let hex = Array("0123456789abcdef")
        var text = ""
        text.reserveCapacity(36)
        for (i, byte) in bytes.enumerated() {
            if i == 4 || i == 6 || i == 8 || i == 10 { text.append("-") }
            text.append(hex[Int(byte >> 4)])
            text.append(hex[Int(byte & 0x0F)])
        }
        return text
    }

    /// The shortest prefix qsh accepts.
    public static let minimumPrefix = 4

    /// The prefix in canonical (lower) case, or nil when it cannot start a task id.
    public static func normalizedPrefix(_ text: String) -> String? {
        let lowered = text.lowercased()
        guard lowered.utf8.count >= minimumPrefix, lowered.utf8.count <= 36,
            lowered.utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) || $0 == 45 })
        else { return nil }
        return lowered
    }
}

/// A task as stored: what was asked, where it is, and how it ended.
public struct QuantumTask: Hashable, Sendable {
    public var id: String
    public var status: TaskStatus
    public var qpuID: String
    public var shots: Int
    public var seed: UInt64
    public var name: String?
    /// Key-value labels, sorted by key.
    public var tags: [String: String]
    public var definitionID: String
    public var compilationID: String?
    public var createdBy: String
    public var createdDate: Timestamp
    public var updatedDate: Timestamp
    public var scheduledDate: Timestamp?
    public var startedDate: Timestamp?
    public var endedDate: Timestamp?
    public var errorClass: ErrorClass?
    public var errorReasons: [String]
    /// Shots finished so far (progress while ExecutionStarted).
    public var shotsDone: Int
    /// The worker holding the task, while one does.
    public var leaseOwner: String?
    public var leaseExpires: Timestamp?
    /// The batch the task was submitted in; nil for a task submitted on its own.
    public var batchID: String?
    /// Its label in its batch (unique there); nil outside a batch.
    public var batchLabel: String?
    /// The task this one was re-run from (`tasks rerun`); nil for a first run.
    public var rerunOf: String?

    public init(
        id: String, status: TaskStatus, qpuID: String, shots: Int, seed: UInt64, name: String? = nil,
        tags: [String: String] = [:], definitionID: String, compilationID: String? = nil, createdBy: String,
        createdDate: Timestamp, updatedDate: Timestamp, scheduledDate: Timestamp? = nil,
        startedDate: Timestamp? = nil, endedDate: Timestamp? = nil, errorClass: ErrorClass? = nil,
        errorReasons: [String] = [], shotsDone: Int = 0, leaseOwner: String? = nil, leaseExpires: Timestamp? = nil,
        batchID: String? = nil, batchLabel: String? = nil, rerunOf: String? = nil
    ) {
        self.id = id
        self.status = status
        self.qpuID = qpuID
        self.shots = shots
        self.seed = seed
        self.name = name
        self.tags = tags
        self.definitionID = definitionID
        self.compilationID = compilationID
        self.createdBy = createdBy
        self.createdDate = createdDate
        self.updatedDate = updatedDate
        self.scheduledDate = scheduledDate
        self.startedDate = startedDate
        self.endedDate = endedDate
        self.errorClass = errorClass
        self.errorReasons = errorReasons
        self.shotsDone = shotsDone
        self.leaseOwner = leaseOwner
        self.leaseExpires = leaseExpires
        self.batchID = batchID
        self.batchLabel = batchLabel
        self.rerunOf = rerunOf
    }

    /// The wire shape of DESIGN.md, in its order, then qsh's additions; `batch_id`,
    /// `batch_label` and `rerun_of` only when the task has them.
    public var wireJSON: JSONValue {
        func date(_ t: Timestamp?) -> JSONValue { t.map { .string($0.rfc3339) } ?? .null }
        let seedValue: JSONValue = seed <= UInt64(Int.max) ? .int(Int(seed)) : .string(String(seed))
        var members: [(String, JSONValue)] = [
            ("id", .string(id)),
            ("task_status", .string(status.rawValue)),
            ("qpu_id", .string(qpuID)),
            ("shots", .int(shots)),
            ("definition_id", .string(definitionID)),
            ("compilation_id", .string(compilationID)),
            ("created_by", .string(createdBy)),
            ("created_date", .string(createdDate.rfc3339)),
            ("updated_date", .string(updatedDate.rfc3339)),
            ("error_reasons", .array(errorReasons.map { .string($0) })),
            ("error_class", .string(errorClass?.rawValue)),
            ("scheduled_date", date(scheduledDate)),
            ("started_date", date(startedDate)),
            ("ended_date", date(endedDate)),
            ("name", .string(name)),
            ("tags", .object(tags.keys.sorted().map { ($0, .string(tags[$0] ?? "")) })),
            ("seed", seedValue),
            ("shots_done", .int(shotsDone)),
        ]
        if let batchID {
            members.append(("batch_id", .string(batchID)))
            members.append(("batch_label", .string(batchLabel)))
        }
        if let rerunOf { members.append(("rerun_of", .string(rerunOf))) }
        return .object(members)
    }
}

/// What a user asks for when submitting a program.
public struct SubmitRequest: Sendable {
    /// The program and the files it includes, as read at submit time; the task runs
    /// exactly these bytes (`program.main.name` is the name diagnostics use:
    /// `bell.qasm`, `<stdin>`).
    public var program: ProgramSnapshot
    public var qpuID: String
    public var shots: Int
    /// The seed; nil draws a random one (stored, so the run can be repeated).
    public var seed: UInt64?
    public var name: String?
    public var tags: [String: String]
    public var createdBy: String
    /// A retry with the same key returns the task the first submit made.
    public var idempotencyKey: String?

    public init(
        program: ProgramSnapshot, qpuID: String, shots: Int, seed: UInt64? = nil, name: String? = nil,
        tags: [String: String] = [:], createdBy: String, idempotencyKey: String? = nil
    ) {
        self.program = program
        self.qpuID = qpuID
        self.shots = shots
        self.seed = seed
        self.name = name
        self.tags = tags
        self.createdBy = createdBy
        self.idempotencyKey = idempotencyKey
    }

    /// A request for a program without includes, given as text.
    public init(
        source: String, fileName: String, qpuID: String, shots: Int, seed: UInt64? = nil, name: String? = nil,
        tags: [String: String] = [:], createdBy: String
    ) {
        self.init(
            program: ProgramSnapshot(main: SourceFile(name: fileName, text: source)), qpuID: qpuID, shots: shots,
            seed: seed, name: name, tags: tags, createdBy: createdBy)
    }
}
