// Typed errors of the task layer. Codes are stable and give the exit status (ErrorCode's
// table: `not_found` is 5, `ambiguous_id` 2); messages follow the house voice.

/// Why a task operation failed.
public enum TaskError: QshError, Equatable {
    /// No task has this id or id prefix.
    case notFound(id: String)
    /// The prefix matches more than one task.
    case ambiguousPrefix(prefix: String, candidates: [String])
    /// The text cannot be a task id or id prefix (too short, not hexadecimal).
    case invalidID(text: String)
    /// The state machine has no such edge.
    case illegalTransition(id: String, from: TaskStatus, to: TaskStatus)
    /// Cancel was asked once execution had started.
    case cancelRefused(id: String, status: TaskStatus)
    /// The task has no results (yet, or ever); for a task that failed, why it failed.
    case noResults(id: String, status: TaskStatus, errorClass: ErrorClass? = nil, reasons: [String] = [])
    /// The task's QPU is not known here.
    case unknownQPU(id: String)
    /// A submit request that cannot be stored (shots, tags...).
    case invalidRequest(reason: String)
    /// Delete was asked for a task that has not ended and cannot be cancelled.
    case deleteRefused(id: String, status: TaskStatus)
    /// No batch has this id or id prefix.
    case batchNotFound(id: String)
    /// The prefix matches more than one batch.
    case ambiguousBatchPrefix(prefix: String, candidates: [String])
    /// The text cannot be a batch id or id prefix.
    case invalidBatchID(text: String)
    /// The idempotency key was given before with a different request.
    case idempotencyMismatch(key: String)
    /// The idempotency key is stored already (a repository's insert refuses it; the
    /// service then returns what the key made).
    case idempotencyKeyUsed(key: String)
    /// No API token has this id or id prefix.
    case tokenNotFound(id: String)
    /// The prefix matches more than one API token.
    case ambiguousTokenPrefix(prefix: String, candidates: [String])
    /// The text cannot be an API token id or id prefix.
    case invalidTokenID(text: String)

    public var code: ErrorCode {
        switch self {
        case .notFound: return .notFound
        case .ambiguousPrefix: return .ambiguousID
        case .invalidID: return .invalidID
        case .illegalTransition: return .illegalTransition
        case .cancelRefused: return .conflict
        case .noResults: return .noResults
        case .unknownQPU: return .notFound
        case .invalidRequest: return .invalidArgument
        case .deleteRefused: return .conflict
        case .batchNotFound: return .notFound
        case .ambiguousBatchPrefix: return .ambiguousID
        case .invalidBatchID: return .invalidID
        case .idempotencyMismatch, .idempotencyKeyUsed: return .idempotencyConflict
        case .tokenNotFound: return .notFound
        case .ambiguousTokenPrefix: return .ambiguousID
        case .invalidTokenID: return .invalidID
        }
    }

    /// The code's exit status, except for a task with no results because it ended Failed,
    /// PayloadProcessingError (3) or Cancelled (6): the status a wait for it gives.
    public var exitStatus: ExitStatus {
        if case .noResults(_, let status, _, _) = self, status.isUnsuccessful || status == .cancelled {
            return ExitStatus(endOf: [status])
        }
        return code.exitStatus
    }

    public var message: String {
        switch self {
        case .notFound(let id):
            return "task '\(id)' not found"
        case .ambiguousPrefix(let prefix, let candidates):
            return "task id prefix '\(prefix)' is ambiguous; candidates: " + candidates.joined(separator: ", ")
        case .invalidID(let text):
            return "'\(text)' is not a task id; give a task id or a unique prefix of at least 4 hexadecimal digits"
        case .illegalTransition(let id, let from, let to):
            return "task '\(id)' cannot move from \(from.rawValue) to \(to.rawValue)"
        case .cancelRefused(let id, let status):
            return "task '\(id)' cannot be cancelled: it is \(status.rawValue) and execution has started"
        case .noResults(let id, let status, let errorClass, let reasons):
            guard status.isUnsuccessful else { return "task '\(id)' has no results (it is \(status.rawValue))" }
            var text = "task '\(id)' has no results: it ended \(status.rawValue)"
            if let errorClass { text += " (\(errorClass.rawValue))" }
            if !reasons.isEmpty { text += ": " + reasons.joined(separator: "; ") }
            return text
        case .unknownQPU(let id):
            return "QPU '\(id)' not found"
        case .invalidRequest(let reason):
            return reason
        case .deleteRefused(let id, let status):
            return "task '\(id)' cannot be deleted: it is \(status.rawValue), too late to cancel; "
                + "wait for it to end, or use --force to delete it anyway"
        case .batchNotFound(let id):
            return "batch '\(id)' not found"
        case .ambiguousBatchPrefix(let prefix, let candidates):
            return "batch id prefix '\(prefix)' is ambiguous; candidates: " + candidates.joined(separator: ", ")
        case .invalidBatchID(let text):
            return "'\(text)' is not a batch id; give a batch id or a unique prefix of at least 4 hexadecimal digits"
        case .idempotencyMismatch(let key):
            return "idempotency key '\(key)' was used for a different request; use a new key for a new request"
        case .idempotencyKeyUsed(let key):
            return "idempotency key '\(key)' is already used"
        case .tokenNotFound(let id):
            return "token '\(id)' not found; 'qsh tokens list' shows the tokens"
        case .ambiguousTokenPrefix(let prefix, let candidates):
            return "token id prefix '\(prefix)' is ambiguous; candidates: " + candidates.joined(separator: ", ")
        case .invalidTokenID(let text):
            return "'\(text)' is not a token id; give a token id or a unique prefix of at least 4 hexadecimal digits"
        }
    }

    /// The task id the error is about, for the JSON error object.
    public var taskID: String? {
        switch self {
        case .notFound(let id), .illegalTransition(let id, _, _), .cancelRefused(let id, _),
            .noResults(let id, _, _, _), .deleteRefused(let id, _):
            return id
        case .ambiguousPrefix(let prefix, _): return prefix
        case .invalidID(let text): return text
        case .unknownQPU, .invalidRequest, .batchNotFound, .ambiguousBatchPrefix, .invalidBatchID,
            .idempotencyMismatch, .idempotencyKeyUsed, .tokenNotFound, .ambiguousTokenPrefix, .invalidTokenID:
            return nil
        }
    }

    /// The batch id (or prefix, or text) the error is about, for the JSON error object.
    public var batchID: String? {
        switch self {
        case .batchNotFound(let id): return id
        case .ambiguousBatchPrefix(let prefix, _): return prefix
        case .invalidBatchID(let text): return text
        default: return nil
        }
    }

    /// The token id (or prefix, or text) the error is about, for the JSON error object.
    public var tokenID: String? {
        switch self {
        case .tokenNotFound(let id): return id
        case .ambiguousTokenPrefix(let prefix, _): return prefix
        case .invalidTokenID(let text): return text
        default: return nil
        }
    }

    /// The idempotency key the error is about, for the JSON error object.
    public var idempotencyKey: String? {
        switch self {
        case .idempotencyMismatch(let key), .idempotencyKeyUsed(let key): return key
        default: return nil
        }
    }
}
