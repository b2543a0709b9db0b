// ErrorCode: the one namespace of machine codes of qsh's errors (snake_case), and the
// one table that gives each its exit status (the CLI) and its HTTP status (the API).
// Numbers only: which words a person reads is the executable's business.

/// The stable machine code of an error, as in `{"error": {"code": "not_found", ...}}`.
///
/// An open set, as `Errno` is (a struct with named constants, not an enum), so that a
/// code from a newer qsh (a server's answer, say) is still a value: one the table does
/// not know fails with status 1 and HTTP 500. Two codes are equal when their spellings are.
/// Code that names a code uses the constants (`.notFound`); a string literal is accepted
/// for comparisons with the wire spelling.
public struct ErrorCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible,
    ExpressibleByStringLiteral
{
    /// The snake_case spelling, e.g. `not_found`.
    public let rawValue: String
    /// The exit status of a command that fails with this code.
    public let exitStatus: ExitStatus
    /// The HTTP status of an API response that fails with this code.
    public let httpStatus: Int
    /// What the code means, in one line (`qsh help exit-codes` and the manual list it).
    public let meaning: String

    /// The code spelled `rawValue`, with its statuses from the table.
    public init(rawValue: String) {
        self = ErrorCode.all.first { $0.rawValue == rawValue }
            ?? ErrorCode(rawValue, .failure, 500, "an error this qsh does not know")
    }

    /// The code spelled so, as `init(rawValue:)` finds it: `error.code == "not_found"` reads
    /// as the wire spelling does (tests, a server's answers).
    public init(stringLiteral value: String) { self.init(rawValue: value) }

    private init(_ rawValue: String, _ exitStatus: ExitStatus, _ httpStatus: Int, _ meaning: String) {
        self.rawValue = rawValue
        self.exitStatus = exitStatus
        self.httpStatus = httpStatus
        self.meaning = meaning
    }

    public var description: String { rawValue }

    public static func == (a: ErrorCode, b: ErrorCode) -> Bool { a.rawValue == b.rawValue }
    public func hash(into hasher: inout Hasher) { hasher.combine(rawValue) }

    /// Lets `catch` and `switch` match a code: `case ErrorCode.notFound`.
    public static func ~= (pattern: ErrorCode, value: ErrorCode) -> Bool { pattern == value }
}

// MARK: - The table: code, exit status, HTTP status, meaning. Add a code here and to `all`.

extension ErrorCode {
    // Bad requests: the command line or the request is wrong.
    /// An unknown command or option, a bad or missing argument.
    public static let usage = ErrorCode(
        "usage", .usage, 400, "unknown command or option, bad or missing argument")
    /// A value the request carries is out of bounds (shots, tags).
    public static let invalidArgument = ErrorCode(
        "invalid_argument", .usage, 422, "a value of the request is out of bounds")
    /// The text cannot be a task or batch id or an id prefix.
    public static let invalidID = ErrorCode(
        "invalid_id", .usage, 400, "not a task or batch id or its 4+ hex digit prefix")
    /// A task or batch id prefix matches more than one.
    public static let ambiguousID = ErrorCode(
        "ambiguous_id", .usage, 400, "the id prefix matches more than one task or batch")

    // Not found.
    /// No task (or QPU) has this id.
    public static let notFound = ErrorCode("not_found", .notFound, 404, "no task, batch or QPU has that id")
    /// A file named on the command line does not exist.
    public static let fileNotFound = ErrorCode("file_not_found", .failure, 404, "the file does not exist")

    // The task's state does not allow it.
    /// Cancel was asked once execution had started (completion wins).
    public static let conflict = ErrorCode(
        "conflict", .failure, 409, "the task is executing: too late to cancel it")
    /// An import holds a task the database already has.
    public static let alreadyExists = ErrorCode(
        "already_exists", .failure, 409, "the task is already stored (import)")
    /// The state machine has no such edge.
    public static let illegalTransition = ErrorCode(
        "illegal_transition", .failure, 409, "the task cannot move to that state")
    /// The task has no results; when it ended Failed, PayloadProcessingError or Cancelled,
    /// the error's exit status is that end's (3 or 6, `TaskError.exitStatus`).
    public static let noResults = ErrorCode(
        "no_results", .failure, 409, "no results (3 if the task failed, 6 if cancelled)")
    /// An idempotency key given again with a different request.
    public static let idempotencyConflict = ErrorCode(
        "idempotency_conflict", .failure, 409, "the idempotency key was used for another request")

    // Waits.
    /// A wait ran out of time before the task ended.
    public static let timeout = ErrorCode("timeout", .timedOut, 504, "a wait ended before the task did")
    /// Ctrl-C (or a stopping server) stopped the work.
    public static let interrupted = ErrorCode("interrupted", .interrupted, 503, "stopped by Ctrl-C")

    // Programs: the same spellings as the error classes of failed tasks (`ErrorClass`).
    /// The program does not parse or does not pass the checks.
    public static let invalidProgram = ErrorCode("invalid_program", .failure, 422, "the program has errors")
    /// The program is valid but uses something the QPU cannot run.
    public static let unsupportedFeature = ErrorCode(
        "unsupported_feature", .failure, 422, "the program uses what the QPU cannot run")
    /// The program needs more than a limit allows (size, qubits, memory, shots).
    public static let resourceLimit = ErrorCode(
        "resource_limit", .failure, 422, "over a limit (size, qubits, memory, shots)")
    /// The program expands to more operations than the limit.
    public static let programTooLarge = ErrorCode(
        "program_too_large", .failure, 422, "the program expands past the operation limit")
    /// A gate parameter evaluates to infinity or NaN.
    public static let nonFiniteParameter = ErrorCode(
        "non_finite_parameter", .failure, 422, "a gate parameter is infinite or not a number")
    /// The QPU failed while running the program.
    public static let executionError = ErrorCode(
        "execution_error", .failure, 500, "the QPU failed while running the program")

    // The API: who asks, how, and how often (`qsh serve` and its clients).
    /// No token, or a token that is unknown, revoked or expired.
    public static let unauthenticated = ErrorCode(
        "unauthenticated", .authentication, 401, "no valid API token (missing, revoked, expired)")
    /// The token's scope does not allow the request.
    public static let forbidden = ErrorCode("forbidden", .authentication, 403, "the API token's scope does not allow it")
    /// The token made too many requests; the answer says when to try again.
    public static let rateLimited = ErrorCode("rate_limited", .failure, 429, "too many requests; try again later")
    /// The request body is larger than the server accepts.
    public static let payloadTooLarge = ErrorCode(
        "payload_too_large", .failure, 413, "the request body is over the server's limit")
    /// The request body is not of a media type the route accepts.
    public static let unsupportedMediaType = ErrorCode(
        "unsupported_media_type", .failure, 415, "the request body's media type is not accepted")
    /// The route exists, but not with this method.
    public static let methodNotAllowed = ErrorCode(
        "method_not_allowed", .failure, 405, "the route does not take this HTTP method")
    /// The client cannot reach the server (no answer, refused, TLS). Client side only.
    public static let networkError = ErrorCode("network_error", .failure, 503, "the qsh server cannot be reached")

    // The machine: files, the database, qsh itself.
    /// Reading or writing a file or a stream failed.
    public static let ioError = ErrorCode(
        "io_error", .failure, 500, "a file or stream cannot be read or written")
    /// A line of an import file is not a record qsh exports, or does not fit the database.
    public static let invalidRecord = ErrorCode(
        "invalid_record", .failure, 422, "an import record is not one qsh exports")
    /// A JSON text does not parse.
    public static let invalidJSON = ErrorCode("invalid_json", .failure, 400, "a JSON text does not parse")
    /// The task database failed (I/O, damage, permissions).
    public static let databaseError = ErrorCode(
        "database_error", .failure, 500, "the task database failed (I/O, damage, access)")
    /// Another process held the database's lock for too long.
    public static let databaseBusy = ErrorCode(
        "database_busy", .failure, 503, "another process kept the database locked")
    /// There is no task database at the path.
    public static let noDatabase = ErrorCode("no_database", .failure, 503, "no task database at the path")
    /// The file is another application's database.
    public static let foreignDatabase = ErrorCode(
        "foreign_database", .failure, 500, "the file is not a qsh task database")
    /// The database was written by a newer qsh.
    public static let newerDatabase = ErrorCode(
        "newer_database", .failure, 500, "a newer qsh wrote the task database")
    /// The file is not an SQLite database at all.
    public static let notADatabase = ErrorCode(
        "not_a_database", .failure, 500, "the file is not an SQLite database")
    /// `qsh doctor` found a problem (integrity, stranded tasks).
    public static let unhealthy = ErrorCode("unhealthy", .failure, 503, "qsh doctor found a problem")
    /// qsh itself failed: a lost worker, a bug.
    public static let internalError = ErrorCode("internal_error", .failure, 500, "qsh itself failed")

    /// Every code, in the order `qsh help exit-codes` lists them.
    public static let all: [ErrorCode] = [
        .usage, .invalidArgument, .invalidID, .ambiguousID,
        .notFound, .fileNotFound,
        .conflict, .alreadyExists, .illegalTransition, .noResults, .idempotencyConflict,
        .timeout, .interrupted,
        .unauthenticated, .forbidden, .rateLimited, .payloadTooLarge, .unsupportedMediaType, .methodNotAllowed,
        .networkError,
        .invalidProgram, .unsupportedFeature, .resourceLimit, .programTooLarge, .nonFiniteParameter, .executionError,
        .ioError, .invalidRecord, .invalidJSON, .databaseError, .databaseBusy, .noDatabase, .foreignDatabase, .newerDatabase,
        .notADatabase, .unhealthy, .internalError,
    ]
}
