// The HTTP task client: every TaskClient operation as a request to `qsh serve` (the routes
// of the API: /v2/tasks..., /v2/batches..., /v2/qpus...), its answer decoded with the wire
// decoders, its errors turned back into local ones (RemoteErrors.swift). Terminal tasks,
// their results and events come from the cache (ResultCache.swift) when it has them.
// GETs (and submits and re-runs, which carry an idempotency key) retry on a lost connection
// and on 502/503/504, after 0.1, 0.3 and 0.9 seconds; every request retries after a 429, as
// its Retry-After says (at most 5 s). The operations are in RemoteTaskOperations.swift,
// RemoteBatchOperations.swift and RemoteFollow.swift.
import QshCore

/// A `TaskClient` that talks to a qsh server. Not Sendable: it owns a transport.
final class RemoteTaskClient {
    let server: ServerAddress
    /// The bearer token; nil sends none (the server then answers 401).
    let token: String?
    let transport: any HTTPTransport
    /// The cache of this server's finished tasks; nil when it cannot be opened.
    let cache: ResultCache?
    /// `--offline`: answer from the cache only, never send a request.
    let offline: Bool
    /// Sleeps between retries (tests pass one that records).
    let sleep: (Double) -> Void
    /// Makes an idempotency key for a submit that has none.
    let makeKey: () -> String
    let clock: any WallClock
    /// The seconds to wait before each retry.
    static let backoff: [Double] = [0.1, 0.3, 0.9]

    /// The QPU list with statuses, once asked in this command.
    var qpuAnswer: [(QPUInfo, QPUStatus)]?
    /// The `queue` member of each task read in this command, by full id.
    var queues: [String: QueuePosition] = [:]

    init(
        server: ServerAddress, token: String?, transport: any HTTPTransport, cache: ResultCache?, offline: Bool = false,
        clock: any WallClock = SystemClock(), sleep: @escaping (Double) -> Void, makeKey: @escaping () -> String
    ) {
        self.server = server
        self.token = token
        self.transport = transport
        self.cache = cache
        self.offline = offline
        self.clock = clock
        self.sleep = sleep
        self.makeKey = makeKey
    }

    // MARK: Requests

    /// How a request may be repeated when it got no answer or a gateway error.
    enum Retry {
        /// Never: the server might have acted on it.
        case never
        /// Up to three more times (GETs, and requests whose repeat is harmless).
        case safe
    }

    /// Sends a request and returns its decoded JSON body and the response.
    /// - Throws: the error of a non-2xx answer (RemoteErrors), `CommandFailure` when the
    ///   server cannot be reached, `WireDecodingError` when the body is not JSON.
    @discardableResult
    func call(
        _ method: String, _ path: String, query: [(String, String)] = [], body: JSONValue? = nil,
        headers: [(String, String)] = [], retry: Retry? = nil
    ) throws -> (json: JSONValue, response: HTTPResponse) {
        var request = makeRequest(method, path, query: query, headers: headers)
        if let body {
            request.body = Array(body.serialized().utf8)
            request.headers.append(("Content-Type", "application/json"))
        }
        let response = try send(request, retry: retry ?? (method == "GET" ? .safe : .never))
        return (try json(response), response)
    }

    /// The request with the headers every request carries.
    func makeRequest(_ method: String, _ path: String, query: [(String, String)] = [], headers: [(String, String)] = [])
        -> HTTPRequest
    {
        var request = HTTPRequest(method: method, url: server.url + path + URLText.query(query))
        request.headers.append(("Accept", "application/json"))
        if let token { request.headers.append(("Authorization", "Bearer \(token)")) }
        request.headers += headers
        return request
    }

    /// Sends `request`, retrying as `retry` allows (and after a 429, whatever `retry`); a
    /// 2xx answer is returned, any other becomes its error.
    func send(_ request: HTTPRequest, retry: Retry) throws -> HTTPResponse {
        try checkOnline()
        var attempt = 0
        while true {
            do {
                let response = try transport.send(request)
                if attempt < Self.backoff.count, let wait = Self.retryWait(response, attempt: attempt, retry: retry) {
                    sleep(wait)
                    attempt += 1
                    continue
                }
                guard (200..<300).contains(response.status) else {
                    throw RemoteErrors.error(status: response.status, body: response.body, server: server)
                }
                return response
            } catch let error as TransportError {
                if retry == .safe, attempt < Self.backoff.count, error.kind != .unavailable, error.kind != .badURL {
                    sleep(Self.backoff[attempt])
                    attempt += 1
                    continue
                }
                throw RemoteErrors.unreachable(error, server: server)
            }
        }
    }

    /// The longest wait a 429's `Retry-After` may ask for and still be waited out.
    static let longestRateLimitWait = 5.0

    /// The seconds to wait before sending a request again after `response`, or nil when it
    /// is not worth a retry. A 429 is answered before the server acts on the request, so
    /// any request is sent again, after the `Retry-After` it names in seconds (1 s when it
    /// names none, or a date; nil when that is longer than `longestRateLimitWait`: the
    /// answer is reported). A transient error (`isTransient`) is retried with the backoff
    /// when `retry` is `.safe`. The caller bounds the attempts (`backoff.count` retries).
    static func retryWait(_ response: HTTPResponse, attempt: Int, retry: Retry) -> Double? {
        if response.status == 429 {
            guard let text = response.header("Retry-After") else { return 1 }
            guard let seconds = Double(text.filter { $0 != " " && $0 != "\t" }), seconds.isFinite, seconds >= 0 else {
                return 1
            }
            return seconds <= longestRateLimitWait ? seconds : nil
        }
        return retry == .safe && isTransient(response) ? backoff[attempt] : nil
    }

    /// A gateway's error, or a server that is busy for a moment: worth a retry. A 503 that
    /// is a qsh error of another kind (no database) is not.
    static func isTransient(_ response: HTTPResponse) -> Bool {
        switch response.status {
        case 502, 504: return true
        case 503:
            guard let json = try? JSONValue.parse(String(decoding: response.body, as: UTF8.self)),
                let code = json["error"]?["code"]?.stringValue
            else { return true }
            return code == ErrorCode.databaseBusy.rawValue || code == ErrorCode.interrupted.rawValue
        default: return false
        }
    }

    /// The body as JSON.
    /// - Throws: `CommandFailure` naming the server when it is not JSON.
    func json(_ response: HTTPResponse) throws -> JSONValue {
        do {
            return try JSONValue.parse(String(decoding: response.body, as: UTF8.self))
        } catch {
            throw CommandFailure(
                code: RemoteErrors.networkError,
                message: "the qsh server at '\(server.url)' answered \(response.status) with a body that is not JSON: "
                    + error.message + "; check that --api or $QSH_API names a qsh server")
        }
    }

    /// Decodes an answer, turning a shape qsh does not expect into one line naming the server.
    func decode<T>(_ what: () throws -> T) throws -> T {
        do {
            return try what()
        } catch let error as WireDecodingError {
            throw CommandFailure(
                code: RemoteErrors.networkError,
                message: "the qsh server at '\(server.url)' answered with \(error.message); "
                    + "is it a qsh server of the same version?")
        }
    }

    /// - Throws: `CommandFailure` under `--offline`, for an operation the cache cannot answer.
    func checkOnline() throws {
        guard offline else { return }
        throw CommandFailure(
            code: RemoteErrors.networkError,
            message: "--offline: this needs the qsh server at '\(server.url)'; only finished tasks' "
                + "'tasks get', 'tasks results' and 'tasks events' are answered from the cache")
    }

    /// The path of a task route: `/v2/tasks/<id>` and `suffix`.
    static func taskPath(_ idOrPrefix: String, _ suffix: String = "") -> String {
        "/v2/tasks/" + URLText.encode(idOrPrefix.lowercased()) + suffix
    }

    /// The path of a batch route.
    static func batchPath(_ idOrPrefix: String, _ suffix: String = "") -> String {
        "/v2/batches/" + URLText.encode(idOrPrefix.lowercased()) + suffix
    }

    /// The idempotency key of a submit: the user's, checked as the local door checks it (an
    /// empty one would not even reach the server: libcurl drops a header without a value, and
    /// the task would be stored without a key), else a new one.
    /// - Throws: `TaskError.invalidRequest` for a key that cannot be one.
    func idempotencyKey(_ given: String?) throws -> String {
        guard let given else { return makeKey() }
        try TaskService.checkIdempotencyKey(given)
        return given
    }

    /// A new idempotency key: `qsh-` and a random UUID.
    static func generatedKey() -> String { "qsh-" + TaskID.generate() }
}
