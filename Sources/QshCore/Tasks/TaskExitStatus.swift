// The exit status that tasks' ends give a command that followed them (`tasks wait`,
// `--wait`) or asked for what they left (`tasks results` of a failed task).

extension ExitStatus {
    /// 3 when any task ended Failed or PayloadProcessingError, else 6 when any was
    /// Cancelled, else 0 (every task Completed, or none has ended).
    public init(endOf statuses: [TaskStatus]) {
        if statuses.contains(where: \.isUnsuccessful) {
            self = .taskFailed
        } else if statuses.contains(.cancelled) {
            self = .cancelled
        } else {
            self = .ok
        }
    }
}
