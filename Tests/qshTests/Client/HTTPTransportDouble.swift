// A scripted HTTPTransport for the client's tests: it records every request and answers
// each with the next reply of its script (a response, a lost connection, or an event stream).
import QshCore
@testable import qsh

final class HTTPTransportDouble: HTTPTransport {
    enum Reply {
        case answer(Int, JSONValue, headers: [(String, String)] = [])
        case raw(Int, String)
        case failure(TransportError.Kind, String)
        /// A 200 event stream of these lines, then the server closes.
        case stream([String])
        /// A 200 stream of these lines, then the connection breaks.
        case brokenStream([String], String)
    }

    var script: [Reply]
    private(set) var requests: [HTTPRequest] = []

    init(_ script: [Reply] = []) { self.script = script }

    private func next(_ request: HTTPRequest) -> Reply {
        requests.append(request)
        guard !script.isEmpty else { return .failure(.connect, "the script has no more replies") }
        return script.removeFirst()
    }

    func send(_ request: HTTPRequest) throws -> HTTPResponse {
        switch next(request) {
        case .answer(let status, let json, let headers):
            return HTTPResponse(status: status, headers: headers, body: Array(json.serialized().utf8))
        case .raw(let status, let text): return HTTPResponse(status: status, body: Array(text.utf8))
        case .failure(let kind, let detail): throw TransportError(kind: kind, detail: detail)
        case .stream, .brokenStream: return HTTPResponse(status: 500, body: Array("a stream where none was expected".utf8))
        }
    }

    func stream(_ request: HTTPRequest, keepGoing: () -> Bool, line: (String) -> Bool) throws -> HTTPResponse {
        switch next(request) {
        case .stream(let lines):
            for text in lines {
                guard keepGoing() else { throw TransportError(kind: .stopped, detail: "stopped") }
                if !line(text) { break }
            }
            return HTTPResponse(status: 200)
        case .brokenStream(let lines, let detail):
            for text in lines where !line(text) { return HTTPResponse(status: 200) }
            throw TransportError(kind: .broken, detail: detail)
        case .answer(let status, let json, let headers):
            return HTTPResponse(status: status, headers: headers, body: Array(json.serialized().utf8))
        case .raw(let status, let text): return HTTPResponse(status: status, body: Array(text.utf8))
        case .failure(let kind, let detail): throw TransportError(kind: kind, detail: detail)
        }
    }

    /// `METHOD URL` of each request.
    var lines: [String] { requests.map { "\($0.method) \($0.url)" } }
}

/// The error body of a qsh server.
func errorBody(_ code: String, _ message: String, _ details: [(String, JSONValue)] = []) -> JSONValue {
    .object([("error", .object([("code", .string(code)), ("message", .string(message))] + details))])
}
