// The error protocol every qsh error conforms to: a stable machine code from the one
// table (ErrorCode.swift), which gives its exit and HTTP statuses, and a human message.

/// An error with a stable machine-readable code and a message for people.
public protocol QshError: Error, Sendable {
    /// The stable snake_case code, e.g. `not_found` or `invalid_program`.
    var code: ErrorCode { get }
    /// One line in qsh's voice: lower case, no trailing full stop.
    var message: String { get }
    /// The exit status of a command that fails with this error: its code's, unless the
    /// error knows better (a task with no results because it failed gives 3).
    var exitStatus: ExitStatus { get }
}

extension QshError {
    public var exitStatus: ExitStatus { code.exitStatus }
}

/// The coarse class of a task failure, as stored with the task and emitted as `error_class`.
public struct ErrorClass: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// The program does not parse or does not pass the semantic checks.
    public static let invalidProgram = ErrorClass(rawValue: "invalid_program")
    /// The program is valid OpenQASM 2.0 but uses something the QPU cannot run.
    public static let unsupportedFeature = ErrorClass(rawValue: "unsupported_feature")
    /// The program needs more than the QPU allows (qubits, memory, shots).
    public static let resourceLimit = ErrorClass(rawValue: "resource_limit")
    /// The QPU failed while running the program.
    public static let executionError = ErrorClass(rawValue: "execution_error")
    /// qsh itself failed: a lost worker, an I/O error, a bug.
    public static let internalError = ErrorClass(rawValue: "internal_error")

    public var description: String { rawValue }

    /// The error code of the same spelling: a failure of this class reported as an error.
    public var code: ErrorCode { ErrorCode(rawValue: rawValue) }

    public static func ~= (pattern: ErrorClass, value: ErrorClass) -> Bool { pattern == value }
}
