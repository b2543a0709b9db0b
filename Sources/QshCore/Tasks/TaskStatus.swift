// The states of a task; the raw values are the wire names of DESIGN.md, exactly.

/// Where a task is in its lifecycle.
public enum TaskStatus: String, Sendable, Hashable, CaseIterable {
    case created = "Created"
    case payloadProcessing = "PayloadProcessing"
    case scheduled = "Scheduled"
    case executionStarted = "ExecutionStarted"
    case executionCompleted = "ExecutionCompleted"
    case completed = "Completed"
    case failed = "Failed"
    case cancelled = "Cancelled"
    case payloadProcessingError = "PayloadProcessingError"

    /// A terminal task never changes again.
    public var isTerminal: Bool {
        switch self {
        case .completed, .failed, .cancelled, .payloadProcessingError: return true
        default: return false
        }
    }

    /// True for the terminal states that are not a success.
    public var isUnsuccessful: Bool { self == .failed || self == .payloadProcessingError }

    /// The status named `text`, accepting the wire name in any letter case.
    public init?(wireName text: String) {
        let lowered = text.lowercased()
        guard let match = TaskStatus.allCases.first(where: { $0.rawValue.lowercased() == lowered }) else {
            return nil
        }
        self = match
    }
}
