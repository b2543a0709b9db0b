// Waking on changes instead of polling: a store that can announce task changes (PostgreSQL's
// LISTEN/NOTIFY) offers a `TaskChangeWaiter`; workers, followers and the server's event
// streams wait on it, with a slow poll as the fallback. A store that cannot (SQLite) offers
// none, and its callers keep polling with backoff.

/// One change a store announced: a task entered a state, or made progress. A nil `taskID`
/// is a change to tasks not named (new tasks, a QPU resumed); a nil `status` with a nil id
/// is a change of unknown extent (after a reconnect, when announcements may have been missed).
public struct TaskChangeNotice: Sendable, Equatable {
    /// The task that changed, when the announcement named one.
    public var taskID: String?
    /// The state it entered; nil for progress (more shots done) or an unknown change.
    public var status: TaskStatus?
    /// True for progress within the same state.
    public var progress: Bool

    public init(taskID: String?, status: TaskStatus?, progress: Bool = false) {
        self.taskID = taskID
        self.status = status
        self.progress = progress
    }

    /// A change of unknown extent: whoever waits should look again.
    public static let unknown = TaskChangeNotice(taskID: nil, status: nil)

    /// The notice in an announcement's text: `<state> [<id>]`, `progress <id>`, or another
    /// word and an id (`deleted <id>`: a change to that task); anything else is a change of
    /// unknown extent.
    public init(payload: String) {
        let parts = payload.split(separator: " ", maxSplits: 1).map(String.init)
        let id = parts.count > 1 ? parts[1] : nil
        let head = parts.first ?? ""
        if let status = TaskStatus(rawValue: head) {
            self.init(taskID: id, status: status)
        } else if let id {
            self.init(taskID: id, status: nil, progress: head == "progress")
        } else {
            self = .unknown
        }
    }

    /// The announcement's text for this notice (what `init(payload:)` reads).
    public var payload: String {
        let head = progress ? "progress" : (status?.rawValue ?? (taskID == nil ? "unknown" : "changed"))
        return taskID.map { head + " " + $0 } ?? head
    }
}

/// Which changes a waiter cares about.
public enum TaskChangeInterest: Sendable, Equatable {
    /// Work to claim: a task created, or a held task whose QPU was resumed.
    case work
    /// Any change to these tasks (full ids).
    case tasks(Set<String>)
    /// Any change at all.
    case any

    /// True when `notice` concerns this interest; a change of unknown extent concerns every one.
    public func covers(_ notice: TaskChangeNotice) -> Bool {
        if notice == .unknown { return true }
        switch self {
        case .any: return true
        case .work: return notice.status == .created || notice.status == .scheduled && notice.taskID == nil
        case .tasks(let ids): return notice.taskID.map(ids.contains) ?? false
        }
    }
}

/// How a wait on changes ended.
public enum TaskChangeWait: Sendable, Equatable {
    /// Changes were announced (`TaskChangeNotice.unknown` among them after a reconnect).
    case changed([TaskChangeNotice])
    /// The time ran out without a change.
    case timedOut
    /// The caller's `pause` asked to stop.
    case interrupted
}

/// Waits for a store's announcements of task changes. It listens from the moment it is
/// made, so a change made after that is seen by the next `wait`, even one made before the
/// wait begins. Not Sendable: one thread waits on it at a time.
public protocol TaskChangeWaiter: AnyObject {
    /// How long a waiter waits at most before the caller looks anyway (the fallback poll,
    /// for what no announcement covers: a lost worker's lease running out).
    var fallbackPoll: Double { get }

    /// Waits up to `seconds` for announcements. Between short waits it calls
    /// `pause(0)`, which returns false to stop waiting (a signal, a server stopping), so
    /// a stop is seen within a tenth of a second.
    func wait(seconds: Double, pause: (Double) -> Bool) -> TaskChangeWait
}

extension TaskChangeWaiter {
    /// Waits up to `seconds` for an announcement `interest` covers, passing over the others.
    public func wait(seconds: Double, for interest: TaskChangeInterest, pause: (Double) -> Bool) -> TaskChangeWait {
        let start = ContinuousClock.now
        while true {
            let left = seconds - (ContinuousClock.now - start).seconds
            if left <= 0 { return .timedOut }
            let outcome = wait(seconds: left, pause: pause)
            guard case .changed(let notices) = outcome else { return outcome }
            if notices.contains(where: interest.covers) { return outcome }
        }
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double {
        let (s, attoseconds) = components
        return Double(s) + Double(attoseconds) * 1e-18
    }
}
