// A server for one test: a temporary database with a token per role (alice submit, bob
// submit, reader read, root admin), driven over a live loopback socket by Hummingbird's
// test client.
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import QshCore
import TestSupport

@testable import QshServer

/// The secrets of the test tokens.
struct TestTokens: Sendable {
    var alice: String
    var bob: String
    var reader: String
    var admin: String
    var expired: String
    var revoked: String
}

/// Runs `body` against a live server on a fresh database.
func withTestServer<T: Sendable>(
    workers: Int = 0, rateLimit: Double = 0, maxBody: Int = 16 << 20, environment: [String: String] = [:],
    exportPageSize: Int = 200, _ body: @Sendable (any TestClientProtocol, TestTokens, QshAPIServer) async throws -> T
) async throws -> T {
    let folder = try TempDirectory(prefix: "qsh-server")
    let path = folder.file("tasks.sqlite")
    let store = try SQLiteTaskStore.open(path: path, access: .create)
    let now = SystemClock().now()
    func token(_ user: String, _ scope: TokenScope, expires: Timestamp? = nil) throws -> String {
        try store.createToken(user: user, scope: scope, expires: expires, now: now).secret
    }
    let revoked = try store.createToken(user: "alice", scope: .submit, expires: nil, now: now)
    _ = try store.revokeToken(revoked.token.id, now: now)
    let tokens = TestTokens(
        alice: try token("alice", .submit), bob: try token("bob", .submit), reader: try token("reader", .read),
        admin: try token("root", .admin), expired: try token("alice", .submit, expires: Timestamp(milliseconds: now.milliseconds - 1000)),
        revoked: revoked.secret)
    var options = ServerOptions(
        host: "127.0.0.1", port: 0, databasePath: path, workers: workers, maxBody: maxBody, grace: 5,
        rateLimit: rateLimit, qpus: Backends.registry(environment.merging(["QSH_TEST_QPU": "1"]) { a, _ in a }),
        threads: 1, version: "test")
    options.streamPoll = 0.05
    options.exportPageSize = exportPageSize
    let server = try QshAPIServer(options: options, log: { _ in })
    let app = try server.application(onListening: { _ in server.api.workers?.start() })
    defer { withExtendedLifetime(folder) {} }
    return try await app.test(.live) { client in try await body(client, tokens, server) }
}

/// `Authorization: Bearer <secret>`.
func bearer(_ secret: String, _ more: HTTPFields = [:]) -> HTTPFields {
    var headers = more
    headers[.authorization] = "Bearer " + secret
    return headers
}

/// The JSON headers plus a token.
func jsonHeaders(_ secret: String) -> HTTPFields { bearer(secret, [.contentType: "application/json"]) }

extension TestResponse {
    /// The body as text.
    var text: String { String(buffer: body) }

    /// The body as JSON.
    var json: JSONValue { (try? JSONValue.parse(text)) ?? .null }

    /// The error code of an error body.
    var errorCode: String? { json["error"]?["code"]?.stringValue }
}

/// A small program.
let bellProgram = "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[2];\ncreg c[2];\nh q[0];\ncx q[0],q[1];\nmeasure q -> c;\n"

/// A submit's body.
func submitBody(program: String = bellProgram, shots: Int = 100, _ extra: [(String, JSONValue)] = []) -> ByteBuffer {
    ByteBuffer(string: JSONValue.object([("program", .string(program)), ("shots", .int(shots))] + extra).serialized())
}
