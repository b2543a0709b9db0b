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

    /// The members a task error adds to its JSON object (`TaskError.wireDetails`).
    static func details(of error: TaskError) -> [(String, JSONValue)] { error.wireDetails }
}
