// The QPU protocol: what the worker, `tasks submit --dry-run` and `qsh qasm run` need
// from a backend, and why a QPU refuses or fails a run. The values of a run are in
// RunRequest.swift and RunResult.swift; what a QPU can run is in QPUCapabilities.swift.

/// Why a QPU refused or failed a run.
public struct QPUError: QshError {
    public var errorClass: ErrorClass
    public var message: String
    public var code: ErrorCode { errorClass.code }

    public init(_ errorClass: ErrorClass, _ message: String) {
        self.errorClass = errorClass
        self.message = message
    }

    /// The run was stopped because `progress` returned false or the request's `stop` asked to.
    public static let interrupted = QPUError(.executionError, "interrupted")

    /// True for the error a run throws when `progress` or the request's `stop` stopped it.
    public var isInterruption: Bool { self == QPUError.interrupted }
}

extension QPUError: Equatable {}

/// A quantum processing unit qsh can send circuits to.
public protocol QPU: Sendable {
    /// A stable id, e.g. `sim:statevector`.
    var id: String { get }
    /// The QPU's name in a URL path (the HTTP API's `qpu_mode`): only letters, digits and
    /// `-._~`, unique among the QPUs of a registry. By default the id with every other
    /// character turned into `-` (`sim-statevector`).
    var mode: String { get }
    /// A one-line description for `qsh qpus list`.
    var summary: String { get }
    var capabilities: QPUCapabilities { get }

    /// Checks a request against what only this QPU knows (its memory, its own limits),
    /// without running it; the compile path has checked the capabilities already.
    /// - Throws: `QPUError` with `resource_limit` or `unsupported_feature`.
    func validate(_ request: RunRequest) throws

    /// Runs a circuit. `progress` is called as shots complete, and also between passes
    /// over the state with no shots done and no partial counts; returning false stops the
    /// run, which then throws `QPUError.interrupted`, as it does when `request.stop` asks
    /// to stop (which the QPU asks often, at least every fraction of a second).
    /// - Throws: `QPUError`.
    func run(_ request: RunRequest, progress: (RunProgress) -> Bool) throws -> RunResult

    /// Exact outcome probabilities of every classical register, for circuits whose
    /// measurements are all terminal; `progress` is asked between passes, as in `run`.
    /// - Throws: `QPUError(.unsupportedFeature)` where the QPU cannot give them (by
    ///   default) or the circuit has none; `QPUError.interrupted` when stopped.
    func probabilities(_ request: RunRequest, progress: (RunProgress) -> Bool) throws -> [RegisterProbabilities]
}

extension QPU {
    public var mode: String { QPUMode.derived(from: id) }

    public func probabilities(_ request: RunRequest, progress: (RunProgress) -> Bool) throws
        -> [RegisterProbabilities]
    {
        throw QPUError(.unsupportedFeature, "QPU '\(id)' gives no exact probabilities; sample it with shots instead")
    }
}

/// Mode names: a QPU's name in a URL path.
public enum QPUMode {
    /// True when `mode` is a non-empty run of letters, digits and `-._~` (RFC 3986's
    /// unreserved characters), so it needs no escaping in a path, and is not `.` or `..`.
    public static func isSafe(_ mode: String) -> Bool {
        guard !mode.isEmpty, mode != ".", mode != ".." else { return false }
        return mode.utf8.allSatisfy(isUnreserved)
    }

    /// `id` with every character that is not safe in a path turned into `-`.
    public static func derived(from id: String) -> String {
        String(decoding: id.utf8.map { isUnreserved($0) ? $0 : UInt8(ascii: "-") }, as: UTF8.self)
    }

    private static func isUnreserved(_ c: UInt8) -> Bool {
        switch c {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
            UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }
}
