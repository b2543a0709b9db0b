// The API over a live socket: the routes' answers (the CLI's JSON), every error status,
// and each token case.
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import QshCore
import Testing

@testable import QshServer

@Suite struct APITests {
    @Test func healthMetricsAndTheDocumentNeedNoToken() async throws {
        try await withTestServer { client, _, _ in
            try await client.execute(uri: "/health", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.json["status"] == "ok")
                #expect(response.json["database"] == "ok")
                #expect(response.json["stranded"] == 0)
                #expect(response.headers[APIResponder.requestIDHeader]?.count == 16)
            }
            try await client.execute(uri: "/v2/openapi.json", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.json["openapi"] == "3.1.0")
            }
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/plain; version=0.0.4; charset=utf-8")
                #expect(response.text.contains("qsh_http_requests_total{route=\"/health\",method=\"GET\",status=\"200\"} 1\n"))
                #expect(response.text.contains("qsh_tasks{status=\"Created\"} 0\n"))
                #expect(response.text.contains("qsh_queue_depth{qpu=\"sim:statevector\"} 0\n"))
            }
        }
    }

    @Test func aGivenRequestIDIsEchoed() async throws {
        try await withTestServer { client, _, _ in
            try await client.execute(uri: "/health", method: .get, headers: [APIResponder.requestIDHeader: "abc-123"]) {
                #expect($0.headers[APIResponder.requestIDHeader] == "abc-123")
            }
        }
    }

    @Test func everyTokenCase() async throws {
        try await withTestServer { client, tokens, _ in
            for (headers, message) in [
                ([:], "this route needs a token"), (bearer("qsh_wrong"), "the token is not valid"),
                (bearer(tokens.expired), "the token is not valid"), (bearer(tokens.revoked), "the token is not valid"),
                ([HTTPField.Name.authorization: "Basic abc"], "this route needs a token"),
            ] as [(HTTPFields, String)] {
                try await client.execute(uri: "/v2/tasks", method: .get, headers: headers) { response in
                    #expect(response.status == .unauthorized)
                    #expect(response.headers[.wwwAuthenticate] == "Bearer realm=\"qsh\"")
                    #expect(response.errorCode == "unauthenticated")
                    #expect(response.json["error"]?["message"]?.stringValue?.hasPrefix(message) == true)
                }
            }
            // A read token reads but cannot submit, cancel or pause.
            try await client.execute(uri: "/v2/tasks", method: .get, headers: bearer(tokens.reader)) {
                #expect($0.status == .ok)
            }
            try await client.execute(uri: "/v2/tasks", method: .post, headers: jsonHeaders(tokens.reader), body: submitBody()) {
                #expect($0.status == .forbidden)
                #expect($0.errorCode == "forbidden")
                #expect($0.json["error"]?["message"] == "this token's scope is 'read': POST /v2/tasks needs 'submit'")
            }
            try await client.execute(uri: "/v2/qpus/sim:statevector/pause", method: .post, headers: bearer(tokens.alice)) {
                #expect($0.status == .forbidden)
            }
        }
    }

    @Test func submitGetAndTheCLIsJSON() async throws {
        try await withTestServer { client, tokens, server in
            let created = try await client.execute(
                uri: "/v2/tasks", method: .post, headers: jsonHeaders(tokens.alice),
                body: submitBody(shots: 50, [("name", "bell"), ("tags", ["k": "v"]), ("seed", 7)])
            ) { response in
                #expect(response.status == .created)
                #expect(response.json["task_status"] == "Created")
                #expect(response.json["created_by"] == "alice")
                #expect(response.json["shots"] == 50)
                #expect(response.json["seed"] == 7)
                #expect(response.headers[.location] == "/v2/tasks/" + (response.json["id"]?.stringValue ?? ""))
                return response.json
            }
            let id = try #require(created["id"]?.stringValue)
            let stored = try SQLiteTaskStore.open(path: server.options.databasePath, access: .read)
            let task = try #require(try stored.task(id: id))
            // The answer is exactly the task's wire JSON, and GET adds the queue member while it waits.
            #expect(created == task.wireJSON)
            try await client.execute(uri: "/v2/tasks/\(id.prefix(8))", method: .get, headers: bearer(tokens.alice)) { response in
                #expect(response.status == .ok)
                let queue = TaskQueueInfo(position: QueuePosition(position: 1, length: 1), qpuPaused: false)
                #expect(response.text == task.wireJSON(queue: queue).prettySerialized() + "\n")
            }
            // Under its mode it is found; under another mode it is not.
            try await client.execute(uri: "/v2/sim-statevector/tasks/\(id)", method: .get, headers: bearer(tokens.alice)) {
                #expect($0.status == .ok)
            }
            try await client.execute(uri: "/v2/sim-native/tasks/\(id)", method: .get, headers: bearer(tokens.alice)) {
                #expect($0.status == .notFound)
                #expect($0.errorCode == "not_found")
            }
            try await client.execute(uri: "/v2/no-such-mode/tasks/\(id)", method: .get, headers: bearer(tokens.alice)) {
                #expect($0.status == .notFound)
            }
        }
    }

    @Test func anotherUsersTaskIsNotFoundButAdminSeesIt() async throws {
        try await withTestServer { client, tokens, _ in
            let id = try await client.execute(
                uri: "/v2/tasks", method: .post, headers: jsonHeaders(tokens.alice), body: submitBody()
            ) { $0.json["id"]?.stringValue ?? "" }
            for path in ["/v2/tasks/\(id)", "/v2/tasks/\(id)/events", "/v2/tasks/\(id)/history"] {
                try await client.execute(uri: path, method: .get, headers: bearer(tokens.bob)) { response in
                    #expect(response.status == .notFound)
                    #expect(response.json["error"]?["task_id"] == .string(id))
                }
            }
            try await client.execute(uri: "/v2/tasks/\(id)/cancel", method: .post, headers: bearer(tokens.bob)) {
                #expect($0.status == .notFound)
            }
            try await client.execute(uri: "/v2/tasks", method: .get, headers: bearer(tokens.bob)) {
                #expect($0.json["total"] == 0)
            }
            try await client.execute(uri: "/v2/tasks", method: .get, headers: bearer(tokens.alice)) {
                #expect($0.json["total"] == 1)
            }
            try await client.execute(uri: "/v2/tasks/\(id)", method: .get, headers: bearer(tokens.admin)) {
                #expect($0.status == .ok)
            }
            try await client.execute(uri: "/v2/tasks", method: .get, headers: bearer(tokens.admin)) {
                #expect($0.json["total"] == 1)
            }
        }
    }

    @Test func cancelIsIdempotentOnAnEndedTask() async throws {
        try await withTestServer { client, tokens, _ in
            let id = try await client.execute(
                uri: "/v2/tasks", method: .post, headers: jsonHeaders(tokens.alice), body: submitBody()
            ) { $0.json["id"]?.stringValue ?? "" }
            try await client.execute(uri: "/v2/tasks/\(id)/cancel", method: .post, headers: bearer(tokens.alice)) { response in
                #expect(response.status == .ok)
                #expect(response.json["outcome"] == "cancelled")
                #expect(response.json["task"]?["task_status"] == "Cancelled")
            }
            try await client.execute(uri: "/v2/tasks/\(id)/cancel", method: .post, headers: bearer(tokens.alice)) { response in
                #expect(response.status == .ok)
                #expect(response.json["outcome"] == "already_terminal")
            }
            try await client.execute(uri: "/v2/tasks/\(id)/results", method: .get, headers: bearer(tokens.alice)) { response in
                #expect(response.status == .conflict)
                #expect(response.errorCode == "no_results")
                #expect(response.json["error"]?["task_status"] == "Cancelled")
            }
        }
    }

    @Test func idempotencyKeyReplaysAndRefusesAnotherRequest() async throws {
        try await withTestServer { client, tokens, _ in
            var headers = jsonHeaders(tokens.alice)
            headers[Handlers.idempotencyKeyHeader] = "key-1"
            let first = try await client.execute(uri: "/v2/tasks", method: .post, headers: headers, body: submitBody()) {
                #expect($0.status == .created)
                return $0.json["id"]
            }
            try await client.execute(uri: "/v2/tasks", method: .post, headers: headers, body: submitBody()) { response in
                #expect(response.status == .ok)
                #expect(response.headers[Handlers.replayedHeader] == "true")
                #expect(response.json["id"] == first)
            }
            try await client.execute(uri: "/v2/tasks", method: .post, headers: headers, body: submitBody(shots: 7)) { response in
                #expect(response.status == .conflict)
                #expect(response.errorCode == "idempotency_conflict")
            }
        }
    }

    @Test func malformedRequestsGetTheirStatus() async throws {
        try await withTestServer(maxBody: 2048) { client, tokens, _ in
            let headers = jsonHeaders(tokens.alice)
            let cases: [(String, HTTPRequest.Method, HTTPFields, String?, HTTPResponse.Status, String)] = [
                ("/v2/nothing", .get, headers, nil, .notFound, "not_found"),
                ("/v3/tasks", .get, headers, nil, .notFound, "not_found"),
                ("/v2/tasks", .put, headers, nil, .methodNotAllowed, "method_not_allowed"),
                ("/v2/tasks", .post, headers, "{not json", .badRequest, "invalid_json"),
                ("/v2/tasks", .post, headers, "[1]", .unprocessableContent, "invalid_argument"),
                ("/v2/tasks", .post, bearer(tokens.alice, [.contentType: "text/plain"]), "{}", .unsupportedMediaType,
                 "unsupported_media_type"),
                ("/v2/tasks", .post, headers, "{\"program\": \"x\", \"shots\": 0}", .unprocessableContent, "invalid_argument"),
                ("/v2/tasks", .post, headers, "{\"program\": \"x\", \"shots\": 5, \"shot\": 1}", .unprocessableContent,
                 "invalid_argument"),
                ("/v2/tasks", .post, headers, "{\"program\": \"x\", \"shots\": 5, \"qpu\": \"sim:nope\"}", .unprocessableContent,
                 "invalid_argument"),
                ("/v2/tasks", .post, headers, "{\"program\": \"" + String(repeating: "x", count: 4000) + "\", \"shots\": 5}",
                 .contentTooLarge, "payload_too_large"),
                ("/v2/tasks/zz", .get, headers, nil, .badRequest, "invalid_id"),
                ("/v2/tasks/abcd", .get, headers, nil, .notFound, "not_found"),
                ("/v2/tasks?size=0", .get, headers, nil, .unprocessableContent, "invalid_argument"),
                ("/v2/tasks?status=Nope", .get, headers, nil, .unprocessableContent, "invalid_argument"),
                ("/v2/tasks?colour=red", .get, headers, nil, .unprocessableContent, "invalid_argument"),
                ("/v2/qpus/sim:nope", .get, headers, nil, .notFound, "not_found"),
            ]
            for (uri, method, headers, body, status, code) in cases {
                try await client.execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }) {
                    response in
                    #expect(response.status == status, "\(method) \(uri)")
                    #expect(response.errorCode == code, "\(method) \(uri): \(response.text)")
                    #expect(response.headers[.contentType] == "application/json")
                }
            }
            try await client.execute(uri: "/v2/tasks", method: .put, headers: headers) {
                #expect($0.headers[.allow] == "GET, POST")
            }
            try await client.execute(uri: "/v2/tasks", method: .post, headers: headers, body: ByteBuffer(string: "{\"program\": \"x\", \"shots\": 0}")) {
                #expect($0.json["error"]?["message"] == "\"shots\": must be an integer from 1 to 100000000")
                #expect($0.json["error"]?["field"] == "shots")
            }
        }
    }

    @Test func anInvalidProgramIsAcceptedAndEndsPayloadProcessingError() async throws {
        try await withTestServer(workers: 1) { client, tokens, _ in
            let id = try await client.execute(
                uri: "/v2/tasks", method: .post, headers: jsonHeaders(tokens.alice),
                body: submitBody(program: "OPENQASM 2.0;\nqreg q[1];\nfoo q[0];\n")
            ) {
                #expect($0.status == .created)
                return $0.json["id"]?.stringValue ?? ""
            }
            var status: JSONValue?
            for _ in 0..<1200 {
                status = try await client.execute(uri: "/v2/tasks/\(id)", method: .get, headers: bearer(tokens.alice)) {
                    $0.json["task_status"]
                }
                if status == "PayloadProcessingError" { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(status == "PayloadProcessingError")
            try await client.execute(uri: "/v2/tasks/\(id)/results", method: .get, headers: bearer(tokens.alice)) { response in
                #expect(response.status == .conflict)
                #expect(response.json["error"]?["error_class"] == "invalid_program")
            }
        }
    }

    @Test func aDryRunStoresNothing() async throws {
        try await withTestServer { client, tokens, _ in
            try await client.execute(
                uri: "/v2/sim-statevector/tasks?dry_run=true", method: .post, headers: jsonHeaders(tokens.alice),
                body: submitBody()
            ) { response in
                #expect(response.status == .ok)
                #expect(response.json["ok"] == true)
                #expect(response.json["qubits"] == 2)
                #expect(response.json["qpu_id"] == "sim:statevector")
            }
            try await client.execute(
                uri: "/v2/tasks?dry_run=true", method: .post, headers: jsonHeaders(tokens.alice),
                body: submitBody(program: "OPENQASM 2.0;\nqreg q[1];\nfoo q[0];\n")
            ) { response in
                #expect(response.json["ok"] == false)
                #expect(response.json["error_class"] == "invalid_program")
                #expect(response.json["diagnostics"]?.arrayValue?.first?["line"] == 3)
            }
            try await client.execute(uri: "/v2/tasks", method: .get, headers: bearer(tokens.alice)) {
                #expect($0.json["total"] == 0)
            }
        }
    }

    @Test func theRateLimitAnswers429WithRetryAfter() async throws {
        // One request per 100 s, in bursts of one: the second request is over, however slowly
        // the test runs.
        try await withTestServer(rateLimit: 0.01) { client, tokens, _ in
            try await client.execute(uri: "/v2/qpus", method: .get, headers: bearer(tokens.reader)) {
                #expect($0.status == .ok)
            }
            try await client.execute(uri: "/v2/qpus", method: .get, headers: bearer(tokens.reader)) { response in
                #expect(response.status == .tooManyRequests)
                #expect(response.errorCode == "rate_limited")
                let retry = Int(response.headers[.retryAfter] ?? "") ?? 0
                #expect(retry > 90 && retry <= 100)
            }
            // Another token has its own budget; the server's own routes have none.
            try await client.execute(uri: "/v2/qpus", method: .get, headers: bearer(tokens.alice)) {
                #expect($0.status == .ok)
            }
            try await client.execute(uri: "/health", method: .get) { #expect($0.status == .ok) }
        }
    }

    @Test func batchesAndQPUs() async throws {
        try await withTestServer { client, tokens, _ in
            let items: JSONValue = [
                ["label": "a", "program": .string(bellProgram), "shots": 10],
                ["label": "b", "program": .string(bellProgram), "shots": 20, "qpu": "sim:native"],
            ]
            let id = try await client.execute(
                uri: "/v2/batches", method: .post, headers: jsonHeaders(tokens.alice),
                body: ByteBuffer(string: JSONValue.object([("name", "sweep"), ("items", items)]).serialized())
            ) { response in
                #expect(response.status == .created)
                #expect(response.json["size"] == 2)
                #expect(response.json["created_by"] == "alice")
                return response.json["id"]?.stringValue ?? ""
            }
            try await client.execute(uri: "/v2/batches/\(id)?items=true", method: .get, headers: bearer(tokens.alice)) {
                #expect($0.json["elements"]?.arrayValue?.last?["label"] == "b")
            }
            try await client.execute(uri: "/v2/batches/\(id)", method: .get, headers: bearer(tokens.bob)) {
                #expect($0.status == .notFound)
            }
            try await client.execute(uri: "/v2/batches/\(id)/cancel", method: .post, headers: bearer(tokens.alice)) {
                #expect($0.status == .ok)
                #expect($0.json["cancelled"]?.arrayValue?.count == 2)
                #expect($0.json["batch_status"] == "Cancelled")
            }
            try await client.execute(uri: "/v2/qpus", method: .get, headers: bearer(tokens.reader)) {
                #expect($0.json["elements"]?.arrayValue?.first?["id"] == "sim:statevector")
            }
            try await client.execute(uri: "/v2/qpus/sim:native/pause", method: .post, headers: bearer(tokens.admin)) {
                #expect($0.json["status"] == "paused")
            }
            try await client.execute(uri: "/v2/qpus/sim%3Anative", method: .get, headers: bearer(tokens.reader)) {
                #expect($0.json["status"] == "paused")
            }
        }
    }
}
