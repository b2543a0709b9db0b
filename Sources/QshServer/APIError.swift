// How a failure reaches an API client: a status from `ErrorCode.httpStatus` and the body
// `{"error": {"code", "message", ...}}`, for every error a handler throws. Anything that is
// not a qsh error is an internal_error (500), logged with its detail, never a crash.
import Hummingbird
import QshCore

/// An error answer of the API.
struct APIError: Error {
    var code: ErrorCode
    var message: String
    /// Members of the error object after code and message (`task_id`, `field`...).
    var details: [(String, JSONValue)] = []
    /// Headers the answer carries (`Allow`, `Retry-After`, `WWW-Authenticate`).
    var headers: HTTPFields = [:]

    init(_ code: ErrorCode, _ message: String, details: [(String, JSONValue)] = [], headers: HTTPFields = [:]) {
        self.code = code
        self.message = message
        self.details = details
        self.headers = headers
    }

    /// A value of the request that is out of bounds: 422 naming the field, as
    /// `"shots": must be an integer from 1 to 100000000`.
    static func invalid(_ field: String, _ problem: String) -> APIError {
        APIError(.invalidArgument, "\"\(field)\": \(problem)", details: [("field", .string(field))])
    }

    /// A query parameter that is out of bounds: 422 naming it.
    static func invalidQuery(_ name: String, _ problem: String) -> APIError {
        APIError(.invalidArgument, "query parameter '\(name)': \(problem)", details: [("parameter", .string(name))])
    }

    /// No route has this path.
    static func noRoute(_ path: String) -> APIError {
        APIError(.notFound, "no route '\(path)'; GET /v2/openapi.json lists the routes")
    }

    /// The error for `error`, as a client should see it. `internal` is true when it is a
    /// failure of the server itself (to be logged).
    static func from(_ error: any Error) -> (error: APIError, internal: Bool) {
        switch error {
        case let error as APIError: return (error, false)
        case let error as TaskError:
            var details = error.wireDetails
            // A client maps the end to its exit status (6 for Cancelled): always say it.
            if case .noResults(_, let status, _, _) = error, !details.contains(where: { $0.0 == "task_status" }) {
                details.append(("task_status", .string(status.rawValue)))
            }
            return (APIError(error.code, error.message, details: details), false)
        case let error as any QshError:
            return (APIError(error.code, error.message), error.code.httpStatus >= 500 && error.code != .databaseBusy)
        default:
            return (APIError(.internalError, "internal error: the server failed; its log has the details"), true)
        }
    }

    /// The answer: status, JSON body, headers.
    func response(requestID: String?) -> Response {
        var headers = self.headers
        headers[.contentType] = "application/json"
        let body = ErrorWire.document(code: code, message: message, details: details).serialized() + "\n"
        return Response(
            status: HTTPResponse.Status(code: code.httpStatus), headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }
}
