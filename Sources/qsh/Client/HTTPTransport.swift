// The HTTP seam of client mode: a request goes out, a status, headers and a body come back,
// or a stream of lines (Server-Sent Events). CurlTransport.swift is the real one; tests put
// a double here. A transport knows nothing of qsh's routes or JSON.

/// One HTTP request.
struct HTTPRequest: Sendable, Equatable {
    var method: String
    /// The absolute URL, query included.
    var url: String
    /// Header lines as (name, value), in order.
    var headers: [(String, String)] = []
    var body: [UInt8]? = nil

    init(method: String, url: String, headers: [(String, String)] = [], body: [UInt8]? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }

    /// The value of header `name` (case-insensitive), nil when absent.
    func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }

    static func == (a: HTTPRequest, b: HTTPRequest) -> Bool {
        a.method == b.method && a.url == b.url && a.body == b.body && a.headers.map(\.0) == b.headers.map(\.0)
            && a.headers.map(\.1) == b.headers.map(\.1)
    }
}

/// One HTTP response.
struct HTTPResponse: Sendable {
    var status: Int
    /// Header lines as (name, value), names as received.
    var headers: [(String, String)] = []
    var body: [UInt8] = []

    /// The value of header `name` (case-insensitive), nil when absent.
    func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }
}

/// Why a request got no HTTP response at all.
struct TransportError: Error, Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        /// Nothing listens there (connection refused), or the host is unreachable.
        case connect
        /// The host name does not resolve.
        case resolve
        /// No answer in time.
        case timeout
        /// The connection broke during the exchange (reset, closed early).
        case broken
        /// TLS failed (handshake, certificate).
        case tls
        /// The URL itself is wrong (scheme, syntax).
        case badURL
        /// The caller stopped it (Ctrl-C, a closed output).
        case stopped
        /// libcurl cannot be loaded.
        case unavailable
    }

    var kind: Kind
    /// What went wrong, in the library's words (`Connection refused`).
    var detail: String
}

/// Sends requests; conformers are not shared between threads.
protocol HTTPTransport: AnyObject {
    /// Sends `request` and returns the whole response.
    /// - Throws: `TransportError` when no response came.
    func send(_ request: HTTPRequest) throws -> HTTPResponse

    /// Sends `request` and, when the status is 200, hands each line of the body to `line` as it
    /// arrives (without its line break) until the server closes or `line` returns false.
    /// `keepGoing` is asked at least once a second while nothing arrives; false stops.
    /// - Returns: the response; its body is empty for a 200 (the lines went to `line`) and
    ///   the whole body for any other status.
    /// - Throws: `TransportError` (`.stopped` when `keepGoing` or `line` stopped it).
    func stream(_ request: HTTPRequest, keepGoing: () -> Bool, line: (String) -> Bool) throws -> HTTPResponse
}
