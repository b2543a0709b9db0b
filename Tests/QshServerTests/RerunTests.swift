// POST .../tasks/{id}/rerun with an Idempotency-Key: a retry returns the task the first
// re-run made (200, Idempotent-Replayed) and stores no second one; the key with another
// request is 409, on both the plain and the mode routes.
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import QshCore
import Testing

@testable import QshServer

@Suite struct RerunTests {
    /// Headers with a token and, when given, an idempotency key.
    func headers(_ secret: String, key: String? = nil) -> HTTPFields {
        var headers = jsonHeaders(secret)
        if let key { headers[Handlers.idempotencyKeyHeader] = key }
        return headers
    }

    func body(_ json: JSONValue) -> ByteBuffer { ByteBuffer(string: json.serialized()) }

    /// The `total` of GET /v2/tasks for `secret`.
    func total(_ client: any TestClientProtocol, _ secret: String) async throws -> Int? {
        try await client.execute(uri: "/v2/tasks", method: .get, headers: bearer(secret)) { $0.json["total"]?.intValue }
    }

    @Test func aRetriedRerunReturnsTheFirstTaskAndMakesNoSecond() async throws {
        try await withTestServer { client, tokens, _ in
            let earlier = try await client.execute(
                uri: "/v2/tasks", method: .post, headers: jsonHeaders(tokens.alice), body: submitBody()
            ) { $0.json }
            let id = earlier["id"]?.stringValue ?? ""
            let asked = body(["shots": 5, "new_seed": true])
            let first = try await client.execute(
                uri: "/v2/tasks/\(id)/rerun", method: .post, headers: headers(tokens.alice, key: "rerun-1"), body: asked
            ) { response -> JSONValue in
                #expect(response.status == .created)
                #expect(response.headers[Handlers.replayedHeader] == nil)
                #expect(response.json["rerun_of"]?.stringValue == id)
                #expect(response.json["shots"] == 5)
                return response.json
            }
            let newID = first["id"]?.stringValue ?? ""
            try await client.execute(
                uri: "/v2/tasks/\(id)/rerun", method: .post, headers: headers(tokens.alice, key: "rerun-1"), body: asked
            ) { response in
                #expect(response.status == .ok)
                #expect(response.headers[Handlers.replayedHeader] == "true")
                #expect(response.headers[.location] == "/v2/tasks/\(newID)")
                // The seed drawn the first time, not a new one.
                #expect(response.json == first)
            }
            // The mode route is the same operation.
            let mode = QPUMode.derived(from: earlier["qpu_id"]?.stringValue ?? "")
            try await client.execute(
                uri: "/v2/\(mode)/tasks/\(id)/rerun", method: .post, headers: headers(tokens.alice, key: "rerun-1"),
                body: asked
            ) { response in
                #expect(response.status == .ok)
                #expect(response.json["id"]?.stringValue == newID)
            }
            #expect(try await total(client, tokens.alice) == 2)
            try await client.execute(uri: "/v2/tasks/\(id)/history", method: .get, headers: bearer(tokens.alice)) {
                #expect($0.json["elements"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == [id, newID])
            }
        }
    }

    @Test func theKeyWithAnotherRequestIsAConflict() async throws {
        try await withTestServer { client, tokens, _ in
            var submitHeaders = jsonHeaders(tokens.alice)
            submitHeaders[Handlers.idempotencyKeyHeader] = "submit-1"
            let id = try await client.execute(uri: "/v2/tasks", method: .post, headers: submitHeaders, body: submitBody()) {
                $0.json["id"]?.stringValue ?? ""
            }
            let other = try await client.execute(
                uri: "/v2/tasks", method: .post, headers: jsonHeaders(tokens.alice), body: submitBody(shots: 3)
            ) { $0.json["id"]?.stringValue ?? "" }
            try await client.execute(
                uri: "/v2/tasks/\(id)/rerun", method: .post, headers: headers(tokens.alice, key: "k"), body: body(["shots": 5])
            ) { #expect($0.status == .created) }
            // Other overrides, another task, a submit's key: refused, nothing stored.
            let refused: [(String, String, JSONValue)] = [
                (id, "k", ["shots": 6]), (id, "k", ["shots": 5, "seed": 1]), (other, "k", ["shots": 5]),
                (id, "submit-1", ["shots": 5]),
            ]
            for (task, key, json) in refused {
                try await client.execute(
                    uri: "/v2/tasks/\(task)/rerun", method: .post, headers: headers(tokens.alice, key: key), body: body(json)
                ) { response in
                    #expect(response.status == .conflict)
                    #expect(response.errorCode == "idempotency_conflict")
                    #expect(response.json["error"]?["idempotency_key"]?.stringValue == key)
                }
            }
            // A submit cannot take the re-run's key either.
            try await client.execute(uri: "/v2/tasks", method: .post, headers: headers(tokens.alice, key: "k"), body: submitBody()) {
                #expect($0.status == .conflict)
                #expect($0.errorCode == "idempotency_conflict")
            }
            try await client.execute(
                uri: "/v2/tasks/\(id)/rerun", method: .post, headers: headers(tokens.alice, key: String(repeating: "x", count: 256)),
                body: body([:])
            ) { response in
                #expect(response.status == .unprocessableContent)
                #expect(response.json["error"]?["message"] == "an idempotency key must be 1 to 255 bytes long")
            }
            #expect(try await total(client, tokens.alice) == 3)
            // Without a key, each re-run is a task of its own.
            for _ in 0..<2 {
                try await client.execute(
                    uri: "/v2/tasks/\(id)/rerun", method: .post, headers: headers(tokens.alice), body: body([:])
                ) { #expect($0.status == .created) }
            }
            #expect(try await total(client, tokens.alice) == 5)
        }
    }

    @Test func anotherUsersTaskStaysHiddenWhateverTheKey() async throws {
        try await withTestServer { client, tokens, _ in
            let id = try await client.execute(
                uri: "/v2/tasks", method: .post, headers: jsonHeaders(tokens.alice), body: submitBody()
            ) { $0.json["id"]?.stringValue ?? "" }
            try await client.execute(
                uri: "/v2/tasks/\(id)/rerun", method: .post, headers: headers(tokens.alice, key: "mine"), body: body([:])
            ) { #expect($0.status == .created) }
            try await client.execute(
                uri: "/v2/tasks/\(id)/rerun", method: .post, headers: headers(tokens.bob, key: "mine"), body: body([:])
            ) { #expect($0.status == .notFound) }
        }
    }
}
