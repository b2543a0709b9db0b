// `tasks get` beyond the task's own members, on the wire: a waiting task's `queue`
// member, and with --diagnostics its `runs` (timings, metrics, metadata), its
// `program_name` and the `diagnostics` of its compile (errors with line and column).

/// A waiting task's place in its QPU's queue, and whether the QPU is paused.
public struct TaskQueueInfo: Sendable, Equatable {
    public var position: QueuePosition
    public var qpuPaused: Bool

    public init(position: QueuePosition, qpuPaused: Bool) {
        self.position = position
        self.qpuPaused = qpuPaused
    }

    /// `{"position", "length", "qpu_status"}`.
    public var wireJSON: JSONValue {
        .object([
            ("position", .int(position.position)), ("length", .int(position.length)),
            ("qpu_status", .string(qpuPaused ? "paused" : "online")),
        ])
    }

    /// `2 of 3 for sim:native (paused)`.
    public func text(qpu: String) -> String {
        "\(position.position) of \(position.length) for \(qpu)" + (qpuPaused ? " (paused)" : "")
    }
}

extension QuantumTask {
    /// The task's object, with `queue` after its members when it waits: what `tasks get
    /// --json` prints.
    public func wireJSON(queue: TaskQueueInfo?) -> JSONValue {
        guard let queue, case .object(var members) = wireJSON else { return wireJSON }
        members.append(("queue", queue.wireJSON))
        return .object(members)
    }
}

extension TaskRun {
    /// One run: attempt, worker, dates, and what its results recorded.
    public var wireJSON: JSONValue {
        .object([
            ("attempt", .int(attempt)),
            ("run_id", .string(id)),
            ("worker", .string(worker)),
            ("compilation_id", .string(compilationID)),
            ("started_date", .string(started.rfc3339)),
            ("ended_date", ended.map { .string($0.rfc3339) } ?? .null),
            ("shots_done", .int(result?.shotsDone ?? 0)),
            ("timings", .object((result?.timings ?? []).map { ($0.0, .double($0.1)) })),
            ("metrics", result?.metrics ?? .object([])),
            ("metadata", result?.metadata ?? .object([])),
        ])
    }
}

extension Diagnostic {
    /// The errors among `diagnostics` as objects `{file?, line, column, code, message,
    /// notes?}`: `file` only for an error in a file other than `mainFile` (an include).
    public static func wireJSON(_ diagnostics: [Diagnostic], mainFile: String) -> [JSONValue] {
        diagnostics.filter { $0.severity == .error }.map { d in
            var members: [(String, JSONValue)] = []
            if d.location.file != mainFile { members.append(("file", .string(d.location.file))) }
            members += [
                ("line", .int(d.location.line)), ("column", .int(d.location.column)),
                ("code", .string(d.code)), ("message", .string(d.message)),
            ]
            if !d.notes.isEmpty { members.append(("notes", .array(d.notes.map { .string($0) }))) }
            return .object(members)
        }
    }
}

extension TaskDiagnostics {
    /// The task's object (with `queue` when it waits), then `runs`, `program_name` (null
    /// when not known) and `diagnostics`: what `tasks get --diagnostics --json` prints.
    public func wireJSON(queue: TaskQueueInfo?) -> JSONValue {
        guard case .object(var members) = task.wireJSON(queue: queue) else { return task.wireJSON }
        members.append(("runs", .array(runs.map(\.wireJSON))))
        members.append(("program_name", programName.map { JSONValue.string($0) } ?? JSONValue.null))
        members.append(("diagnostics", .array(Diagnostic.wireJSON(diagnostics, mainFile: mainFile))))
        return .object(members)
    }

    /// The file the diagnostics call the program: its name as submitted, else (not known)
    /// the first diagnostic's.
    public var mainFile: String { programName ?? diagnostics.first?.location.file ?? "" }
}
