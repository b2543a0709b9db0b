// The lifecycle graph of DESIGN.md, encoded once. Every transition the store makes
// is checked here first; anything not listed is refused.

/// The pure task state machine.
public enum TaskStateMachine {
    /// The states each state may move to.
    public static func successors(of status: TaskStatus) -> Set<TaskStatus> {
        switch status {
        case .created: return [.payloadProcessing, .cancelled, .failed]
        case .payloadProcessing: return [.scheduled, .payloadProcessingError, .cancelled, .failed]
        case .scheduled: return [.executionStarted, .cancelled, .failed]
        case .executionStarted: return [.executionCompleted, .failed]
        case .executionCompleted: return [.completed, .failed]
        case .completed, .failed, .cancelled, .payloadProcessingError: return []
        }
    }

    /// The states from which `status` can be reached in one step.
    public static func predecessors(of status: TaskStatus) -> [TaskStatus] {
        TaskStatus.allCases.filter { successors(of: $0).contains(status) }
    }

    /// True when the graph has the edge `from -> to`.
    public static func allows(from: TaskStatus, to: TaskStatus) -> Bool {
        successors(of: from).contains(to)
    }

    /// The states from which a user may cancel.
    public static let cancellable: Set<TaskStatus> = [.created, .payloadProcessing, .scheduled]

    /// Checks one transition.
    /// - Throws: `TaskError.illegalTransition` for an edge the graph does not have.
    public static func check(from: TaskStatus, to: TaskStatus, id: String) throws(TaskError) {
        guard allows(from: from, to: to) else { throw TaskError.illegalTransition(id: id, from: from, to: to) }
    }
}
