// An error on the wire: `{"error": {"code", "message", ...details}}`, the one shape of a
// failure in JSON (the CLI's stderr with -o json, every API error), and the details a
// task error adds to it.

/// The JSON of one error.
public enum ErrorWire {
    /// `{"error": {"code", "message", ...details}}`.
    public static func document(code: ErrorCode, message: String, details: [(String, JSONValue)] = []) -> JSONValue {
        .object([("error", .object([("code", .string(code.rawValue)), ("message", .string(message))] + details))])
    }
}

extension TaskError {
    /// The members the error adds to its JSON object: the task's, batch's or token's id (the
    /// prefix of an ambiguous one, with the candidates), the idempotency key, and why a
    /// task with no results failed.
    public var wireDetails: [(String, JSONValue)] {
        var details: [(String, JSONValue)] = []
        if let id = taskID { details.append(("task_id", .string(id))) }
        if let id = batchID { details.append(("batch_id", .string(id))) }
        if let id = tokenID { details.append(("token_id", .string(id))) }
        if let key = idempotencyKey { details.append(("idempotency_key", .string(key))) }
        switch self {
        case .ambiguousPrefix(_, let candidates), .ambiguousBatchPrefix(_, let candidates),
            .ambiguousTokenPrefix(_, let candidates):
            details.append(("candidates", .array(candidates.map { .string($0) })))
        default: break
        }
        if case .noResults(_, let taskStatus, let errorClass, let reasons) = self, taskStatus.isUnsuccessful {
            details += [
                ("task_status", .string(taskStatus.rawValue)), ("error_class", .string(errorClass?.rawValue)),
                ("error_reasons", .array(reasons.map { .string($0) })),
            ]
        }
        return details
    }
}
