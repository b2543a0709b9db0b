// `qsh serve` end to end: the built server on a free loopback port with a temporary
// database, driven with curl: the lifecycle (its JSON byte for byte what the CLI prints),
// cancel rules, every error status, each token case, the event stream, and stopping
// with a task running.
import Foundation
import Testing
import TestSupport

@Suite(.serialized) struct ServerTests {
    @Test func theWholeLifecycleAnswersWhatTheCLIPrints() throws {
        let sandbox = try TaskSandbox()
        let alice = try sandbox.token("alice")
        let server = try ServerProcess(sandbox)
        let created = try server.request(
            "POST", "/v2/sim-statevector/tasks", token: alice, json: submitJSON(shots: 200, extra: "\"seed\": 5, \"name\": \"bell\""))
        #expect(created.status == 201)
        #expect(created.headers["content-type"] == "application/json")
        let id = try #require(created.json["id"].string)
        #expect(created.headers["location"] == "/v2/tasks/\(id)")
        #expect(created.json["created_by"].string == "alice")
        #expect(try server.waitFor(id, ["Completed"], token: alice) == "Completed")
        // Each answer is byte for byte what the matching command prints with --json.
        for (path, command) in [
            ("/v2/tasks/\(id)", ["tasks", "get", id, "--json"]),
            ("/v2/sim-statevector/tasks/\(id.prefix(8))", ["tasks", "get", id, "--json"]),
            ("/v2/tasks/\(id)?diagnostics=true", ["tasks", "get", id, "--diagnostics", "--json"]),
            ("/v2/tasks/\(id)/results", ["tasks", "results", id, "--json"]),
            ("/v2/tasks/\(id)/events", ["tasks", "events", id, "--json"]),
            ("/v2/tasks/\(id)/history", ["tasks", "history", id, "--json"]),
            ("/v2/tasks?size=20", ["tasks", "list", "--json"]),
            ("/v2/qpus", ["qpus", "list", "--json"]),
            ("/v2/qpus/sim:native", ["qpus", "get", "sim:native", "--json"]),
        ] {
            let answer = try server.request("GET", path, token: alice)
            let cli = try sandbox.run(command)
            #expect(answer.status == 200, "\(path)")
            #expect(answer.body == cli.stdout, "\(path) vs qsh \(command.joined(separator: " "))")
        }
        let results = try server.request("GET", "/v2/tasks/\(id)/results", token: alice).json
        #expect(results["data"]["c"].keys == ["00", "11"])
        // A re-run repeats the counts; the history lists both.
        let rerun = try server.request("POST", "/v2/tasks/\(id)/rerun", token: alice, json: "{}")
        #expect(rerun.status == 201)
        let second = try #require(rerun.json["id"].string)
        #expect(rerun.json["rerun_of"].string == id)
        #expect(try server.waitFor(second, ["Completed"], token: alice) == "Completed")
        #expect(try server.request("GET", "/v2/tasks/\(second)/results", token: alice).json["data"].text == results["data"].text)
        #expect(try server.request("GET", "/v2/tasks/\(id)/history", token: alice).json["elements"].array.count == 2)
        // Delete answers as `tasks delete --json` for one task.
        let deleted = try server.request("DELETE", "/v2/tasks/\(second)", token: alice)
        #expect(deleted.status == 200)
        #expect(deleted.json["count"].int == 1)
        #expect(try server.request("GET", "/v2/tasks/\(second)", token: alice).status == 404)
        // Every request got one access-log line, and the token never appears.
        #expect(server.stop() == 0)
        let lines = server.stderr.split(separator: "\n")
        #expect(lines.first?.hasPrefix("listening on http://127.0.0.1:\(server.port)") == true)
        #expect(lines.contains { $0.contains(" POST /v2/sim-statevector/tasks 201 ") })
        #expect(!server.stderr.contains(alice))
        #expect(lines.last == "qsh serve: stopped")
    }

    @Test func cancelRules() throws {
        let sandbox = try TaskSandbox()
        let alice = try sandbox.token("alice")
        // One worker that holds each task once it starts executing.
        let server = try ServerProcess(
            sandbox, ["--grace", "1"], extra: ["QSH_TEST_QPU": "1", "QSH_TEST_HOLD_AFTER": "ExecutionStarted"])
        let running = try #require(
            try server.request("POST", "/v2/tasks", token: alice, json: submitJSON(shots: 5, extra: "\"qpu\": \"test:sleep\"")).json["id"].string)
        #expect(try server.waitFor(running, ["ExecutionStarted"], token: alice) == "ExecutionStarted")
        let refused = try server.request("POST", "/v2/tasks/\(running)/cancel", token: alice)
        #expect(refused.status == 409)
        #expect(refused.json["error"]["code"].string == "conflict")
        #expect(refused.json["error"]["task_id"].string == running)
        // A task queued behind it is cancelled; cancelling it again says it already ended.
        let queued = try #require(
            try server.request("POST", "/v2/tasks", token: alice, json: submitJSON()).json["id"].string)
        let cancelled = try server.request("POST", "/v2/tasks/\(queued)/cancel", token: alice)
        #expect(cancelled.status == 200)
        #expect(cancelled.json["outcome"].string == "cancelled")
        #expect(cancelled.json["task"]["task_status"].string == "Cancelled")
        let again = try server.request("POST", "/v2/tasks/\(queued)/cancel", token: alice)
        #expect(again.status == 200)
        #expect(again.json["outcome"].string == "already_terminal")
        let noResults = try server.request("GET", "/v2/tasks/\(queued)/results", token: alice)
        #expect(noResults.status == 409)
        #expect(noResults.json["error"]["code"].string == "no_results")
        #expect(noResults.json["error"]["task_status"].string == "Cancelled")
        #expect(server.stop() == 0)
    }

    @Test func everyErrorStatus() throws {
        let sandbox = try TaskSandbox()
        let alice = try sandbox.token("alice")
        let server = try ServerProcess(sandbox, ["--workers", "0", "--max-body", "2K", "--rate-limit", "1000"])
        let json = "Content-Type: application/json"
        let cases: [(String, String, [String], String?, Int, String)] = [
            ("POST", "/v2/tasks", [json], "{\"program\": ", 400, "invalid_json"),
            ("GET", "/v2/tasks/xyz", [], nil, 400, "invalid_id"),
            ("GET", "/v2/tasks/abcdef", [], nil, 404, "not_found"),
            ("GET", "/v2/teapot", [], nil, 404, "not_found"),
            ("DELETE", "/v2/qpus", [], nil, 405, "method_not_allowed"),
            ("POST", "/v2/tasks", [json], submitJSON(String(repeating: "x", count: 3000)), 413, "payload_too_large"),
            ("POST", "/v2/tasks", ["Content-Type: text/plain"], submitJSON(), 415, "unsupported_media_type"),
            ("POST", "/v2/tasks", [json], submitJSON(shots: 0), 422, "invalid_argument"),
            ("GET", "/v2/tasks?page=-1", [], nil, 422, "invalid_argument"),
        ]
        for (method, path, headers, body, status, code) in cases {
            let answer = try server.request(method, path, token: alice, headers: headers, body: body)
            #expect(answer.status == status, "\(method) \(path)")
            #expect(answer.json["error"]["code"].string == code, "\(method) \(path): \(answer.body)")
            #expect(answer.headers["x-request-id"]?.isEmpty == false)
        }
        let notAllowed = try server.request("DELETE", "/v2/qpus", token: alice)
        #expect(notAllowed.headers["allow"] == "GET")
        let unprocessable = try server.request("POST", "/v2/tasks", token: alice, json: submitJSON(shots: 0))
        #expect(unprocessable.json["error"]["message"].string == "\"shots\": must be an integer from 1 to 100000000")
        // Content-Length over the limit is refused before the body is read.
        let declared = try server.request(
            "POST", "/v2/tasks", token: alice, headers: [json], body: String(repeating: " ", count: 4096))
        #expect(declared.status == 413)
        #expect(server.stop() == 0)
        // 429 once a token's requests outrun its rate (one per 100 s, in bursts of one).
        let limited = try ServerProcess(sandbox, ["--workers", "0", "--rate-limit", "0.01"])
        #expect(try limited.request("GET", "/v2/qpus", token: alice).status == 200)
        let over = try limited.request("GET", "/v2/qpus", token: alice)
        #expect(over.status == 429)
        #expect(over.json["error"]["code"].string == "rate_limited")
        #expect((Int(over.headers["retry-after"] ?? "") ?? 0) > 90)
        #expect(limited.stop() == 0)
    }

    @Test func eachTokenCase() throws {
        let sandbox = try TaskSandbox()
        let alice = try sandbox.token("alice")
        let bob = try sandbox.token("bob")
        let reader = try sandbox.token("reader", scope: "read")
        let admin = try sandbox.token("root", scope: "admin")
        let revoked = try sandbox.token("alice")
        let expired = try sandbox.token("alice")
        let list = try sandbox.run(["tokens", "list", "--json"])
        let tokens = try J.parse(list.stdout)["elements"].array
        let ids = tokens.compactMap { $0["id"].string }
        #expect(ids.count == 6)
        #expect(try sandbox.run(["tokens", "revoke", ids[4]]).status == 0)
        #expect(try sandbox.sqlite("UPDATE api_tokens SET expires_ms = 1000 WHERE id = '\(ids[5])'").status == 0)
        let server = try ServerProcess(sandbox, ["--workers", "0"])
        for (token, why) in [(nil, "missing"), ("qsh_" + String(repeating: "a", count: 40), "wrong"), (expired, "expired"), (revoked, "revoked")] {
            let answer = try server.request("GET", "/v2/tasks", token: token)
            #expect(answer.status == 401, "\(why)")
            #expect(answer.headers["www-authenticate"] == "Bearer realm=\"qsh\"", "\(why)")
            #expect(answer.json["error"]["code"].string == "unauthenticated", "\(why)")
        }
        // No token is needed for the server's own routes.
        #expect(try server.request("GET", "/health").status == 200)
        #expect(try server.request("GET", "/metrics").status == 200)
        #expect(try server.request("GET", "/v2/openapi.json").json["openapi"].string == "3.1.0")
        // A read token reads but cannot submit or cancel.
        #expect(try server.request("GET", "/v2/tasks", token: reader).status == 200)
        let forbidden = try server.request("POST", "/v2/tasks", token: reader, json: submitJSON())
        #expect(forbidden.status == 403)
        #expect(forbidden.json["error"]["code"].string == "forbidden")
        // Another user's task is not found (nor listed); admin sees it; created_by is the token's user.
        let id = try #require(try server.request("POST", "/v2/tasks", token: alice, json: submitJSON()).json["id"].string)
        #expect(try server.request("GET", "/v2/tasks/\(id)", token: bob).status == 404)
        #expect(try server.request("POST", "/v2/tasks/\(id)/cancel", token: bob).status == 404)
        #expect(try server.request("DELETE", "/v2/tasks/\(id)", token: bob).status == 404)
        #expect(try server.request("GET", "/v2/tasks", token: bob).json["total"].int == 0)
        #expect(try server.request("GET", "/v2/tasks/\(id)", token: admin).json["created_by"].string == "alice")
        #expect(try server.request("GET", "/v2/tasks", token: admin).json["total"].int == 1)
        #expect(try server.request("POST", "/v2/qpus/sim:native/pause", token: alice).status == 403)
        #expect(try server.request("POST", "/v2/qpus/sim:native/pause", token: admin).json["status"].string == "paused")
        #expect(server.stop() == 0)
    }

    @Test func theEventStreamFollowsATaskToItsEnd() throws {
        let sandbox = try TaskSandbox()
        let alice = try sandbox.token("alice")
        let server = try ServerProcess(sandbox, [], extra: ["QSH_TEST_QPU": "1", "QSH_TEST_SHOT_MS": "20"])
        let id = try #require(
            try server.request("POST", "/v2/tasks", token: alice, json: submitJSON(shots: 10, extra: "\"qpu\": \"test:sleep\"")).json["id"].string)
        let stream = try server.request("GET", "/v2/tasks/\(id)/events?follow=true", token: alice)
        #expect(stream.status == 200)
        #expect(stream.headers["content-type"] == "text/event-stream")
        let events = stream.body.components(separatedBy: "\n\n").filter { !$0.isEmpty }
        let kinds = events.compactMap { $0.split(separator: "\n").first.map(String.init) }
        #expect(kinds.first == "event: status")
        #expect(kinds.last == "event: end")
        #expect(events.last == "event: end\ndata: {}")
        let states = events.filter { $0.hasPrefix("event: status") }.compactMap { event -> String? in
            let data = event.split(separator: "\n").last.map { String($0.dropFirst("data: ".count)) } ?? ""
            return (try? J.parse(data))?["task_status"].string
        }
        #expect(states.last == "Completed")
        // The multi-task stream of `tasks wait A B` ends when both ended.
        let many = try server.request("GET", "/v2/events?task_id=\(id)&task_id=\(id.prefix(8))", token: alice)
        #expect(many.body.hasSuffix("event: end\ndata: {}\n\n"))
        #expect(server.stop() == 0)
    }

    @Test func stoppingLetsARunningTaskFinishThenExitsZero() throws {
        let sandbox = try TaskSandbox()
        let alice = try sandbox.token("alice")
        let server = try ServerProcess(sandbox, ["--grace", "20"], extra: ["QSH_TEST_QPU": "1", "QSH_TEST_SHOT_MS": "20"])
        let id = try #require(
            try server.request("POST", "/v2/tasks", token: alice, json: submitJSON(shots: 40, extra: "\"qpu\": \"test:sleep\"")).json["id"].string)
        #expect(try server.waitFor(id, ["ExecutionStarted"], token: alice) == "ExecutionStarted")
        #expect(server.stop(SIGTERM) == 0)
        #expect(try sandbox.status(id) == "Completed")
        #expect(server.stderr.contains("qsh serve: SIGTERM: stopping"))
    }

    @Test func aTaskStillRunningWhenTheGraceEndsFailsNamingTheSignal() throws {
        let sandbox = try TaskSandbox()
        let alice = try sandbox.token("alice")
        let server = try ServerProcess(sandbox, ["--grace", "0.3"], extra: ["QSH_TEST_QPU": "1", "QSH_TEST_SHOT_MS": "50"])
        let id = try #require(
            try server.request("POST", "/v2/tasks", token: alice, json: submitJSON(shots: 1000, extra: "\"qpu\": \"test:sleep\"")).json["id"].string)
        #expect(try server.waitFor(id, ["ExecutionStarted"], token: alice) == "ExecutionStarted")
        #expect(server.stop(SIGINT) == 0)
        let task = try sandbox.task(id)
        #expect(task["task_status"].string == "Failed")
        #expect(task["error_class"].string == "internal_error")
        #expect(task["error_reasons"][0].string?.contains("was interrupted (SIGINT)") == true)
        // Nothing is left registered or leased.
        #expect(try sandbox.sqlite("SELECT count(*) FROM workers").stdout == "0\n")
    }

    @Test func serveRefusesPlainHTTPOffLoopbackAndSaysWhenTheServerIsMissing() throws {
        let sandbox = try TaskSandbox()
        let refused = try sandbox.run(["serve", "--listen", "0.0.0.0:0"])
        #expect(refused.status == 2)
        #expect(refused.stdout == "")
        #expect(refused.stderr.hasPrefix(
            "qsh serve: refusing to serve plain HTTP on '0.0.0.0', which is not a loopback address: give --tls-cert and --tls-key, or --allow-plain-http\n"))
        let half = try sandbox.run(["serve", "--tls-cert", "c.pem"])
        #expect(half.status == 2)
        #expect(half.stderr.hasPrefix("qsh serve: options '--tls-cert' and '--tls-key' go together: give both for HTTPS\n"))
        // A qsh with no qsh-server beside it or on PATH.
        let lonely = sandbox.dir.file("bin/qsh")
        try FileManager.default.createDirectory(atPath: sandbox.dir.file("bin"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: URL(fileURLWithPath: Qsh.binary).resolvingSymlinksInPath().path, toPath: lonely)
        let missing = try Subprocess.run(lonely, ["serve"], environment: sandbox.environment.merging(["PATH": "/nonexistent"]) { a, _ in a })
        #expect(missing.status == 1)
        #expect(missing.stderr == "qsh: cannot find 'qsh-server' beside '\(lonely)' or on PATH; install it with qsh ('make install' installs both)\n")
    }

    @Test func tlsFilesServeHTTPS() throws {
        let sandbox = try TaskSandbox()
        let alice = try sandbox.token("alice")
        let cert = sandbox.dir.file("cert.pem"), key = sandbox.dir.file("key.pem")
        let made = try Subprocess.run(
            "/usr/bin/openssl",
            ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=127.0.0.1"])
        try #require(made.status == 0)
        let server = try ServerProcess(sandbox, ["--tls-cert", cert, "--tls-key", key, "--workers", "0"])
        #expect(server.stderr.hasPrefix("listening on https://127.0.0.1:\(server.port)"))
        server.scheme = "https"
        #expect(try server.request("GET", "/v2/qpus", token: alice).status == 200)
        // Plain HTTP to the TLS port gets no answer.
        let plain = try Subprocess.run("/usr/bin/curl", ["-s", "--max-time", "5", "http://127.0.0.1:\(server.port)/health"])
        #expect(plain.status != 0)
        #expect(server.stop() == 0)
    }

    @Test func theBatchStreamEndsWhenEveryItemEnded() throws {
        let sandbox = try TaskSandbox()
        let alice = try sandbox.token("alice")
        let server = try ServerProcess(sandbox)
        let program = String(decoding: try JSONSerialization.data(withJSONObject: TaskSandbox.bell, options: [.fragmentsAllowed]), as: UTF8.self)
        let batch = try server.request(
            "POST", "/v2/batches", token: alice, headers: ["Idempotency-Key: b-1"],
            json: "{\"name\": \"two\", \"items\": [{\"label\": \"a\", \"program\": \(program), \"shots\": 10}, "
                + "{\"label\": \"b\", \"program\": \(program), \"shots\": 20, \"qpu\": \"sim:native\"}]}")
        #expect(batch.status == 201)
        let id = try #require(batch.json["id"].string)
        let again = try server.request(
            "POST", "/v2/batches", token: alice, headers: ["Idempotency-Key: b-1"],
            json: "{\"name\": \"two\", \"items\": [{\"label\": \"a\", \"program\": \(program), \"shots\": 10}, "
                + "{\"label\": \"b\", \"program\": \(program), \"shots\": 20, \"qpu\": \"sim:native\"}]}")
        #expect(again.status == 200)
        #expect(again.headers["idempotent-replayed"] == "true")
        #expect(again.json["id"].string == id)
        let stream = try server.request("GET", "/v2/batches/\(id)/events", token: alice)
        #expect(stream.headers["content-type"] == "text/event-stream")
        #expect(stream.body.hasPrefix("event: batch\ndata: "))
        #expect(stream.body.hasSuffix("event: end\ndata: {}\n\n"))
        let results = try server.request("GET", "/v2/batches/\(id)/results", token: alice)
        #expect(results.body == (try sandbox.run(["batches", "results", id, "--json"])).stdout)
        #expect(try server.request("GET", "/v2/batches/\(id)?items=true", token: alice).body
            == (try sandbox.run(["batches", "get", id, "--json"])).stdout)
        #expect(server.stop() == 0)
    }
}
