// How a caller asks long work in QshCore to stop: a value polled every few thousand
// units of work (statements, operations, gates, shots, samples). QshCore never knows
// why a stop is asked for (Ctrl-C, a signal to the worker, a test); the caller says.

/// A request to stop long work, polled by the work itself; a value, so it crosses threads.
public struct Cancellation: Sendable {
    /// Why the work should stop (for example `SIGINT`), or nil to go on. Called often:
    /// it must be cheap (an atomic load, a zero-timeout system call).
    public let reason: @Sendable () -> String?

    /// A request that gives its reason.
    public init(reason: @escaping @Sendable () -> String?) {
        self.reason = reason
    }

    /// A request without a reason of its own (the reason reads `interrupted`).
    public init(_ isRequested: @escaping @Sendable () -> Bool) {
        reason = { isRequested() ? "interrupted" : nil }
    }

    /// Never asks to stop.
    public static let never = Cancellation(reason: { nil })

    /// True once a stop was asked for.
    public var isRequested: Bool { reason() != nil }

    /// - Throws: `Interrupted` when a stop was asked for.
    public func check() throws(Interrupted) {
        if let why = reason() { throw Interrupted(reason: why) }
    }
}

/// Work that stopped because its `Cancellation` asked it to.
public struct Interrupted: QshError, Equatable {
    /// The reason the request gave, e.g. `SIGINT`.
    public var reason: String

    public init(reason: String) {
        self.reason = reason
    }

    public var code: ErrorCode { .interrupted }
    public var message: String { "interrupted" }
}

/// Polls a `Cancellation` every `interval` calls of `due()`: the cheap check for the
/// inner loops of the front end, lowering and fusion, which do a few nanoseconds of
/// work per unit.
struct CancellationPoll {
    let cancellation: Cancellation
    let interval: Int
    private var left: Int

    init(_ cancellation: Cancellation, every interval: Int = 4096) {
        self.cancellation = cancellation
        self.interval = max(1, interval)
        left = self.interval
    }

    /// Counts `units` of work; every `interval` of them, asks the request.
    /// - Throws: `Interrupted` when a stop was asked for.
    @inline(__always)
    mutating func tick(_ units: Int = 1) throws(Interrupted) {
        left -= units
        if left > 0 { return }
        left = interval
        try cancellation.check()
    }
}
