// The exit statuses of qsh, in one place. The manual page's EXIT STATUS section
// and `qsh help exit-codes` print this table; the REPL's `.status` shows them too.

/// A documented exit status.
struct ExitStatus: RawRepresentable, Hashable, Sendable {
    var rawValue: Int32
    init(rawValue: Int32) { self.rawValue = rawValue }

    /// Success; an empty list is a success too.
    static let ok = ExitStatus(rawValue: 0)
    /// A runtime error: I/O, database, an invalid program, an internal error.
    static let failure = ExitStatus(rawValue: 1)
    /// A usage error: unknown command or option, bad or missing argument.
    static let usage = ExitStatus(rawValue: 2)
    /// The task ended Failed or PayloadProcessingError.
    static let taskFailed = ExitStatus(rawValue: 3)
    /// Reserved for authentication (not used by the local QPU).
    static let authentication = ExitStatus(rawValue: 4)
    /// The task or resource was not found.
    static let notFound = ExitStatus(rawValue: 5)
    /// The task was cancelled.
    static let cancelled = ExitStatus(rawValue: 6)
    /// A wait ran out of time before the task reached a terminal state.
    static let timedOut = ExitStatus(rawValue: 124)
    /// Interrupted by Ctrl-C (SIGINT).
    static let interrupted = ExitStatus(rawValue: 130)

    /// The table shown by `qsh help exit-codes`, in order.
    static let documented: [(ExitStatus, String)] = [
        (.ok, "success (an empty list is a success too)"),
        (.failure, "error: I/O, database, invalid program, internal error"),
        (.usage, "usage error: unknown command or option, bad or missing argument"),
        (.taskFailed, "the task ended Failed or PayloadProcessingError"),
        (.authentication, "reserved for authentication"),
        (.notFound, "task or resource not found"),
        (.cancelled, "the task was cancelled"),
        (.timedOut, "a wait timed out before the task ended"),
        (.interrupted, "interrupted (Ctrl-C)"),
    ]
}
