// What each exit status means, in words: the table `qsh help exit-codes` prints and
// the REPL's `.status` quotes. The numbers are QshCore's (Support/ExitStatus.swift).
import QshCore

extension ExitStatus {
    /// The table shown by `qsh help exit-codes`, in order.
    static let documented: [(ExitStatus, String)] = [
        (.ok, "success (an empty list is a success too)"),
        (.failure, "error: I/O, database, invalid program, internal error"),
        (.usage, "usage error: unknown command or option, bad or missing argument"),
        (.taskFailed, "the task ended Failed or PayloadProcessingError"),
        (.authentication, "client mode: no valid API token, or its scope does not allow it"),
        (.notFound, "task or resource not found"),
        (.cancelled, "the task was cancelled"),
        (.timedOut, "a wait timed out before the task ended"),
        (.interrupted, "interrupted (Ctrl-C)"),
    ]
}
