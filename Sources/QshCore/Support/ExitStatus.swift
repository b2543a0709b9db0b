// The exit statuses of qsh, as numbers with names. Which error gives which status is
// ErrorCode's table; what each status means, in words, is the executable's help.

/// A documented exit status of a qsh command (swift-argument-parser's `ExitCode`).
public struct ExitStatus: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// Success; an empty list is a success too.
    public static let ok = ExitStatus(rawValue: 0)
    /// A runtime error: I/O, database, an invalid program, an internal error.
    public static let failure = ExitStatus(rawValue: 1)
    /// A usage error: unknown command or option, bad or missing argument.
    public static let usage = ExitStatus(rawValue: 2)
    /// The task ended Failed or PayloadProcessingError.
    public static let taskFailed = ExitStatus(rawValue: 3)
    /// Client mode: the server refused the API token (none, unknown, expired, revoked) or its scope.
    public static let authentication = ExitStatus(rawValue: 4)
    /// The task or resource was not found.
    public static let notFound = ExitStatus(rawValue: 5)
    /// The task was cancelled.
    public static let cancelled = ExitStatus(rawValue: 6)
    /// A wait ran out of time before the task reached a terminal state.
    public static let timedOut = ExitStatus(rawValue: 124)
    /// Interrupted by Ctrl-C (SIGINT).
    public static let interrupted = ExitStatus(rawValue: 130)

    public var description: String { String(rawValue) }
}
