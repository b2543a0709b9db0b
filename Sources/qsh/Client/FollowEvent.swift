// What following tasks reports, as values: a local client's polling and a server's event
// stream both produce them, and the renderers of Output/FollowRenderers.swift consume them.
import QshCore

/// One thing seen while following tasks.
enum FollowEvent: Sendable {
    /// A task seen for the first time, or in a new state (a task whose worker was lost is
    /// seen settled: Failed, or Completed when its run had finished).
    case status(QuantumTask)
    /// More shots of a task done in the same state; `observed` is when that was seen.
    case progress(QuantumTask, observed: Timestamp)
    /// A task is queued and no worker is running: nothing will run it until one starts.
    /// Reported once per follow.
    case unattended(QuantumTask)

    /// The task the event is about.
    var task: QuantumTask {
        switch self {
        case .status(let task), .progress(let task, _), .unattended(let task): return task
        }
    }
}

/// How following tasks ended, with the tasks as last seen (in the order they were asked for).
enum FollowOutcome: Sendable {
    /// Every task ended.
    case finished([QuantumTask])
    /// The time ran out first. `noWorker`: a task still waits in the queue and no worker is
    /// running to take it.
    case timedOut([QuantumTask], noWorker: Bool)
    /// Following was stopped (Ctrl-C, or output nobody reads any more).
    case interrupted([QuantumTask])

    var tasks: [QuantumTask] {
        switch self {
        case .finished(let tasks), .timedOut(let tasks, _), .interrupted(let tasks): return tasks
        }
    }
}
