// What a cancel request did, on the wire: `{"task": {...}, "outcome": "cancelled" |
// "already_terminal"}` (the API's answer to POST .../tasks/{id}/cancel).

extension CancelOutcome {
    /// `{"task", "outcome"}`.
    public var wireJSON: JSONValue {
        switch self {
        case .cancelled(let task): return .object([("task", task.wireJSON), ("outcome", "cancelled")])
        case .alreadyTerminal(let task): return .object([("task", task.wireJSON), ("outcome", "already_terminal")])
        }
    }
}
