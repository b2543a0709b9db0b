// How a failure reaches the user, on stderr: rendered diagnostics and one `qsh: message`
// line, or, when JSON output was asked for, one JSON document {"error": {"code", "message", ...}}.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import QshCore

/// One error as qsh reports it, in both of its forms.
struct ErrorReport {
    /// The machine code (`usage`, `io_error`, `not_found`, ...).
    var code: ErrorCode
    /// One human sentence in the house voice (lower case, no full stop).
    var message: String
    /// Members of the JSON object after code and message (`task_id`, `diagnostics`, `usage`).
    var details: [(String, JSONValue)] = []
    /// Human form only: text before the `qsh:` line (rendered diagnostics).
    var before: String = ""
    /// Human form only: text after it (the synopsis of a usage error).
    var after: String = ""
    /// The message's own newlines and tabs are layout (git's "most similar command" block);
    /// any other control character, and any in a one-line message, is shown as a symbol.
    var multiline = false

    /// Writes the report in the form the context asks for. In a script on stdin the
    /// message names the script's line (`line 3: ...`, or `"script_line": 3` in JSON).
    func write(to context: CommandContext) {
        if context.errorsAsJSON {
            var members: [(String, JSONValue)] = [("code", .string(code.rawValue)), ("message", .string(message))]
            members += details
            if let line = context.scriptLine { members.append(("script_line", .int(line))) }
            context.stderr.line(JSONValue.object([("error", .object(members))]).serialized())
        } else {
            context.stderr.write(before)
            let place = context.scriptLine.map { "line \($0): " } ?? ""
            context.stderr.line("qsh: " + place + message.terminalSafe(keeping: multiline ? ["\n", "\t"] : []))
            context.stderr.write(after)
        }
        context.stderr.flush()
    }

    /// A failed write to standard output (EPIPE excepted: a closed pipe is not an error).
    static func outputFailure(_ code: Int32) -> ErrorReport {
        ErrorReport(code: .ioError, message: "cannot write to standard output: " + String(cString: strerror(code)))
    }

    /// A usage error with the synopsis of the command it concerns (nil: none known).
    static func usage(_ message: String, synopsis: [String] = [], usageText: String = "") -> ErrorReport {
        var report = ErrorReport(code: .usage, message: message, after: usageText)
        if !synopsis.isEmpty { report.details = [("usage", .array(synopsis.map { .string($0) }))] }
        return report
    }

    /// The report for any error a command throws.
    static func from(_ error: Error) -> ErrorReport {
        if let failure = error as? CommandFailure {
            return ErrorReport(
                code: failure.code, message: failure.message, details: failure.details, before: failure.before)
        }
        if let error = error as? TaskError {
            return ErrorReport(code: error.code, message: error.message, details: details(of: error))
        }
        if let error = error as? QshError { return ErrorReport(code: error.code, message: error.message) }
        return ErrorReport(code: .internalError, message: "internal error: \(error)")
    }

    /// The members a task error adds to its JSON object: the task's, batch's or token's id (the
    /// prefix of an ambiguous one, with the candidates), the idempotency key, and why a
    /// task with no results failed.
    static func details(of error: TaskError) -> [(String, JSONValue)] {
        var details: [(String, JSONValue)] = []
        if let id = error.taskID { details.append(("task_id", .string(id))) }
        if let id = error.batchID { details.append(("batch_id", .string(id))) }
        if let id = error.tokenID { details.append(("token_id", .string(id))) }
        if let key = error.idempotencyKey { details.append(("idempotency_key", .string(key))) }
        switch error {
        case .ambiguousPrefix(_, let candidates), .ambiguousBatchPrefix(_, let candidates),
            .ambiguousTokenPrefix(_, let candidates):
            details.append(("candidates", .array(candidates.map { .string($0) })))
        default: break
        }
        if case .noResults(_, let taskStatus, let errorClass, let reasons) = error, taskStatus.isUnsuccessful {
            details += [
                ("task_status", .string(taskStatus.rawValue)), ("error_class", .string(errorClass?.rawValue)),
                ("error_reasons", .array(reasons.map { .string($0) })),
            ]
        }
        return details
    }
}
