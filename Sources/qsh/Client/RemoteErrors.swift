// A server's error answers turned back into the errors local use raises: the body's code
// (`{"error": {"code", "message", ...}}`) goes through ErrorCode(rawValue:), and where the
// members name a TaskError whose message is the body's, that TaskError (so the commands
// that catch one, and its exit status, behave as locally); otherwise a CommandFailure with
// the same code, message and members. Failures to reach the server are one line naming it.
import QshCore

enum RemoteErrors {
    /// The code of a server out of reach (client side only; exit status 1).
    static let networkError = ErrorCode(rawValue: "network_error")

    /// The error of a non-2xx answer.
    static func error(status: Int, body: [UInt8], server: ServerAddress) -> any Error {
        guard let json = try? JSONValue.parse(String(decoding: body, as: UTF8.self)),
            let error = json["error"], let code = error["code"]?.stringValue,
            let message = error["message"]?.stringValue
        else {
            return CommandFailure(
                code: networkError,
                message: "the qsh server at '\(server.url)' answered \(status) \(reason(status)) without a qsh error; "
                    + "check that --api or $QSH_API names a qsh server")
        }
        let details = (error.objectValue ?? []).filter { $0.0 != "code" && $0.0 != "message" }
        if let taskError = taskError(code: code, message: message, details: details) { return taskError }
        var failure = CommandFailure(code: ErrorCode(rawValue: code), message: message, details: details)
        if code == "unauthenticated" {
            failure.message += "; log in with 'qsh login \(server.url)' or set $QSH_TOKEN"
        }
        return failure
    }

    /// The TaskError with this code, these members and exactly this message, if one is.
    static func taskError(code: String, message: String, details: [(String, JSONValue)]) -> TaskError? {
        func member(_ key: String) -> JSONValue? { details.first { $0.0 == key }?.1 }
        let taskID = member("task_id")?.stringValue
        let batchID = member("batch_id")?.stringValue
        let key = member("idempotency_key")?.stringValue
        let candidates = member("candidates")?.arrayValue?.compactMap(\.stringValue) ?? []
        var guesses: [TaskError] = []
        switch code {
        case "not_found":
            if let taskID { guesses.append(.notFound(id: taskID)) }
            if let batchID { guesses.append(.batchNotFound(id: batchID)) }
            if message.hasPrefix("QPU '"), message.hasSuffix("' not found") {
                guesses.append(.unknownQPU(id: String(message.dropFirst(5).dropLast(11))))
            }
        case "ambiguous_id":
            if let taskID { guesses.append(.ambiguousPrefix(prefix: taskID, candidates: candidates)) }
            if let batchID { guesses.append(.ambiguousBatchPrefix(prefix: batchID, candidates: candidates)) }
        case "invalid_id":
            if let taskID { guesses.append(.invalidID(text: taskID)) }
            if let batchID { guesses.append(.invalidBatchID(text: batchID)) }
        case "conflict":
            if let taskID {
                for status in TaskStatus.allCases {
                    guesses.append(.cancelRefused(id: taskID, status: status))
                    guesses.append(.deleteRefused(id: taskID, status: status))
                }
            }
        case "no_results":
            if let taskID {
                if let status = member("task_status")?.stringValue.flatMap(TaskStatus.init(rawValue:)) {
                    let errorClass = member("error_class")?.stringValue.map { ErrorClass(rawValue: $0) }
                    let reasons = member("error_reasons")?.arrayValue?.compactMap(\.stringValue) ?? []
                    guesses.append(.noResults(id: taskID, status: status, errorClass: errorClass, reasons: reasons))
                }
                for status in TaskStatus.allCases { guesses.append(.noResults(id: taskID, status: status)) }
            }
        case "invalid_argument":
            guesses.append(.invalidRequest(reason: message))
        case "idempotency_conflict":
            if let key { guesses += [.idempotencyMismatch(key: key), .idempotencyKeyUsed(key: key)] }
        default: break
        }
        return guesses.first { $0.code.rawValue == code && $0.message == message }
    }

    /// Why a request got no answer, as one line: what, which server, what to check.
    static func unreachable(_ error: TransportError, server: ServerAddress) -> CommandFailure {
        switch error.kind {
        case .unavailable:
            return CommandFailure(
                code: networkError, message: "client mode needs libcurl: cannot load 'libcurl.so.4' (install libcurl4)")
        case .badURL:
            return CommandFailure(
                code: networkError,
                message: "cannot use the qsh server URL '\(server.url)': \(lowerFirst(error.detail)); check --api or $QSH_API")
        case .resolve:
            return CommandFailure(
                code: networkError,
                message: "cannot reach the qsh server at '\(server.url)': host '\(server.host)' is not known "
                    + "(check --api or $QSH_API, and the network)")
        case .timeout:
            return CommandFailure(
                code: networkError,
                message: "cannot reach the qsh server at '\(server.url)': no answer in time "
                    + "(is 'qsh serve' running there? check --api or $QSH_API, and the network)")
        case .tls:
            return CommandFailure(
                code: networkError,
                message: "cannot reach the qsh server at '\(server.url)': TLS failed: \(lowerFirst(error.detail)) "
                    + "(check the server's certificate, or use http:// for a plain server)")
        case .connect, .broken, .stopped:
            return CommandFailure(
                code: networkError,
                message: "cannot reach the qsh server at '\(server.url)': \(lowerFirst(error.detail)) "
                    + "(is 'qsh serve' running there? check --api or $QSH_API)")
        }
    }

    static func lowerFirst(_ text: String) -> String {
        guard let first = text.first else { return text }
        // "Connection refused" reads "connection refused"; an acronym ("TLS ...") stays.
        if text.count > 1, text.dropFirst().first?.isUppercase == true { return text }
        return first.lowercased() + text.dropFirst()
    }

    static func reason(_ status: Int) -> String {
        switch status {
        case 400: return "Bad Request"
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        case 404: return "Not Found"
        case 405: return "Method Not Allowed"
        case 413: return "Content Too Large"
        case 429: return "Too Many Requests"
        case 500: return "Internal Server Error"
        case 502: return "Bad Gateway"
        case 503: return "Service Unavailable"
        case 504: return "Gateway Timeout"
        default: return "(HTTP)"
        }
    }
}
