// The API's one responder: request id, route, token, rate limit, handler, and at the edge
// every error turned into its JSON answer (a failure of the server itself is a logged
// 500, never a crash); then the access-log line and the metrics of the request.
import HTTPTypes
import Hummingbird
import QshCore
import Synchronization

/// What the handlers share: the database, the QPUs, the submit queue, the workers.
final class API: Sendable {
    let options: ServerOptions
    let database: Database
    let submits: SubmitQueue
    let workers: WorkerPool?
    let metrics = Metrics()
    let limiter: RateLimiter
    let authenticator: (any Authenticator)?
    /// Where log lines go (stderr in qsh-server).
    let log: @Sendable (String) -> Void
    private let stopping = Atomic<Bool>(false)

    init(
        options: ServerOptions, database: Database, workers: WorkerPool?, authenticator: (any Authenticator)?,
        log: @escaping @Sendable (String) -> Void
    ) {
        self.options = options
        self.database = database
        self.workers = workers
        self.authenticator = authenticator
        self.log = log
        limiter = RateLimiter(rate: options.rateLimit)
        submits = SubmitQueue(database: database, stored: { [workers] in workers?.wake() })
    }

    var qpus: QPURegistry { options.qpus }

    /// True once the server was asked to stop: event streams end.
    var isStopping: Bool { stopping.load(ordering: .relaxed) }

    func beginStopping() {
        stopping.store(true, ordering: .relaxed)
        database.changes?.stop()
    }
}

/// The HTTP responder of the API.
struct APIResponder: HTTPResponder {
    typealias Context = BasicRequestContext
    let api: API

    static let requestIDHeader = HTTPField.Name("X-Request-ID")!

    func respond(to request: Request, context: BasicRequestContext) async throws -> Response {
        let start = ContinuousClock.now
        let requestID = Self.requestID(request)
        let endpoint = Endpoint(path: request.uri.path)
        var response: Response
        do {
            response = try await handle(request, endpoint: endpoint)
        } catch {
            let (apiError, isInternal) = APIError.from(error)
            if isInternal {
                api.log("\(requestID) internal error on \(request.method) \(request.uri.path): \(error)")
            }
            response = apiError.response(requestID: requestID)
        }
        response.headers[Self.requestIDHeader] = requestID
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let status = Int(response.status.code)
        api.metrics.observe(
            route: endpoint?.template ?? "unmatched", method: request.method.rawValue, status: status, seconds: seconds)
        api.log(AccessLog.line(
            at: SystemClock().now(), requestID: requestID, method: request.method.rawValue, path: request.uri.path,
            status: status, seconds: seconds))
        return response
    }

    /// The request's `X-Request-ID` when it is a sensible one (1 to 128 visible ASCII
    /// characters), else a new one.
    static func requestID(_ request: Request) -> String {
        if let given = request.headers[requestIDHeader], !given.isEmpty, given.utf8.count <= 128,
            given.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F })
        {
            return given
        }
        var rng = SystemRandomNumberGenerator()
        let value = rng.next()
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    private func handle(_ request: Request, endpoint: Endpoint?) async throws -> Response {
        guard let endpoint else { throw APIError.noRoute(request.uri.path) }
        if !endpoint.methods.contains(request.method) {
            let allow = endpoint.methods.map(\.rawValue).joined(separator: ", ")
            if request.method == .options {
                return Response(status: .noContent, headers: [.allow: allow])
            }
            throw APIError(
                .methodNotAllowed, "\(endpoint.template) does not take \(request.method.rawValue); it takes \(allow)",
                headers: [.allow: allow])
        }
        var principal: Principal?
        if let needed = endpoint.scope(for: request.method) {
            let found = try await authenticate(request)
            if let retry = api.limiter.take(found.tokenID) {
                let seconds = max(1, Int(retry.rounded(.up)))
                throw APIError(
                    .rateLimited, "too many requests for this token; try again in \(seconds)s",
                    headers: [.retryAfter: String(seconds)])
            }
            guard found.scope >= needed else {
                throw APIError(
                    .forbidden,
                    "this token's scope is '\(found.scope.name)': \(request.method.rawValue) \(endpoint.template) "
                        + "needs '\(needed.name)'")
            }
            principal = found
        }
        let handlers = Handlers(api: api, request: request, principal: principal)
        return try await handlers.respond(endpoint)
    }

    /// The principal of the request's bearer token.
    /// - Throws: 401 unauthenticated when there is none or it is not valid.
    private func authenticate(_ request: Request) async throws -> Principal {
        guard let secret = request.bearerSecret else {
            throw APIError.unauthenticated("this route needs a token: send 'Authorization: Bearer <token>' ('qsh tokens create' makes one)")
        }
        guard let authenticator = api.authenticator, let principal = try await authenticator.principal(secret: secret)
        else {
            throw APIError.unauthenticated("the token is not valid: unknown, revoked or expired")
        }
        return principal
    }
}

/// The access log: one line per request.
enum AccessLog {
    /// `<rfc3339> <request-id> <METHOD> <path> <status> <ms>ms`; the path without its query
    /// (which may carry secrets), with control characters escaped.
    static func line(at: Timestamp, requestID: String, method: String, path: String, status: Int, seconds: Double)
        -> String
    {
        let ms = (seconds * 1000 * 10).rounded() / 10
        return "\(at.rfc3339) \(requestID) \(method) \(visible(path)) \(status) \(ms)ms"
    }

    /// `text` with bytes below 0x21 and above 0x7E as %XX, so a line stays one line.
    static func visible(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            if byte > 0x20 && byte < 0x7F {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" : "") + hex
            }
        }
        return out
    }
}
