// Whether a QPU takes work: a paused QPU's tasks are compiled, then wait in Scheduled
// until it is resumed; and where a waiting task stands in its QPU's queue.

/// A QPU's pause state, as the task store keeps it.
public struct QPUState: Hashable, Sendable {
    public var qpuID: String
    public var paused: Bool
    /// When it was last paused or resumed; nil for a QPU never paused.
    public var updated: Timestamp?
    /// Who last paused or resumed it (`cli alice`); nil for a QPU never paused.
    public var actor: String?

    public init(qpuID: String, paused: Bool, updated: Timestamp? = nil, actor: String? = nil) {
        self.qpuID = qpuID
        self.paused = paused
        self.updated = updated
        self.actor = actor
    }

    /// The wire name of the state: `online` or `paused`.
    public var statusName: String { paused ? "paused" : "online" }
}

/// Where a waiting task (Created, PayloadProcessing or Scheduled) stands in the queue of
/// its QPU: the QPU's waiting tasks in the order they were submitted.
public struct QueuePosition: Hashable, Sendable {
    /// 1 for the task next in line.
    public var position: Int
    /// How many tasks wait for the QPU, this one included.
    public var length: Int

    public init(position: Int, length: Int) {
        self.position = position
        self.length = length
    }
}
