// GET /v2/export streamed a page at a time: the records `tasks export` writes, then an end
// line counting them; a named task that is not there is a 404 before the first byte, and a
// store failure after it ends the stream with an error line instead of the end line.
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import QshCore
@testable import QshServer

@Suite struct ExportTests {
    /// Submits `count` tasks for alice, the odd ones with a second program; their ids, oldest first.
    func submit(_ count: Int, _ client: any TestClientProtocol, _ tokens: TestTokens) async throws -> [String] {
        var ids: [String] = []
        for n in 0..<count {
            let program = n % 2 == 0 ? bellProgram : bellProgram + "// another\n"
            ids.append(try await client.execute(
                uri: "/v2/tasks", method: .post, headers: jsonHeaders(tokens.alice), body: submitBody(program: program, shots: n + 1)
            ) { $0.json["id"]?.stringValue ?? "" })
        }
        return ids
    }

    /// What `tasks export` writes for the same selection, from the store itself.
    func localExport(_ server: QshAPIServer, _ selection: ExportSelection = ExportSelection()) throws -> [String] {
        let store = try SQLiteTaskStore.open(path: server.api.options.databasePath, access: .write)
        var lines: [String] = []
        _ = try TaskService(repository: store, clock: SystemClock()).export(selection) { lines.append(TaskArchiveFormat.line($0)) }
        return lines
    }

    @Test(arguments: [1, 2, 200])
    func theRecordsComePageByPageThenTheEndLine(pageSize: Int) async throws {
        try await withTestServer(exportPageSize: pageSize) { client, tokens, server in
            let ids = try await submit(5, client, tokens)
            let expected = try localExport(server)
            try await client.execute(uri: "/v2/export", method: .get, headers: bearer(tokens.admin)) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/x-ndjson")
                let lines = response.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                #expect(lines == expected + [TaskArchiveFormat.endLine(tasks: 5, definitions: 2), ""])
                let tasks = lines.compactMap { try? TaskArchiveFormat.record($0, source: "x", lineNumber: 1) }
                    .filter { $0.kind == .task }.map(\.id)
                #expect(tasks == ids)
            }
            // Filters and named tasks page the same way.
            let named = try localExport(server, ExportSelection(ids: [ids[3], ids[1]])).map { $0 + "\n" }.joined()
            try await client.execute(uri: "/v2/export?id=\(ids[3])&id=\(ids[1].prefix(8))", method: .get, headers: bearer(tokens.admin)) {
                #expect($0.text == named + TaskArchiveFormat.endLine(tasks: 2, definitions: 1) + "\n")
            }
            try await client.execute(uri: "/v2/export?status=Completed", method: .get, headers: bearer(tokens.admin)) {
                #expect($0.text == TaskArchiveFormat.endLine(tasks: 0, definitions: 0) + "\n")
            }
        }
    }

    @Test func theStreamImportsBackWithItsEndLineChecked() async throws {
        try await withTestServer(exportPageSize: 2) { client, tokens, _ in
            _ = try await submit(3, client, tokens)
            let text = try await client.execute(uri: "/v2/export", method: .get, headers: bearer(tokens.admin)) { $0.text }
            let headers = bearer(tokens.admin, [.contentType: "application/x-ndjson"])
            try await client.execute(
                uri: "/v2/import?skip_existing=true", method: .post, headers: headers, body: ByteBuffer(string: text)
            ) { response in
                #expect(response.status == .ok)
                #expect(response.json["skipped"] == 3)
            }
            // Cut short after a record: its end line no longer fits, nothing is imported.
            var lines = text.split(separator: "\n").map(String.init)
            lines.remove(at: lines.count - 2)
            try await client.execute(
                uri: "/v2/import", method: .post, headers: headers, body: ByteBuffer(string: lines.joined(separator: "\n"))
            ) { response in
                #expect(response.status == .unprocessableContent)
                #expect(response.errorCode == "invalid_record")
                #expect(response.json["error"]?["message"]?.stringValue == "line \(lines.count) of 'request body' is not a "
                    + "task export record: its end line counts 3 tasks and 2 programs, but 2 and 2 come before it: the "
                    + "file is incomplete or was changed; nothing was imported")
            }
        }
    }

    @Test func aNamedTaskThatIsNotThereIsA404BeforeAnyRecord() async throws {
        try await withTestServer { client, tokens, _ in
            _ = try await submit(1, client, tokens)
            try await client.execute(
                uri: "/v2/export?id=00000000-0000-4000-8000-000000000000", method: .get, headers: bearer(tokens.admin)
            ) { response in
                #expect(response.status == .notFound)
                #expect(response.errorCode == "not_found")
                #expect(!response.text.contains("qsh_export"))
            }
        }
    }

    @Test func aStoreFailureAfterTheFirstRecordsEndsWithAnErrorLineNotTheEndLine() async throws {
        try await withTestServer(exportPageSize: 1) { client, tokens, server in
            let ids = try await submit(3, client, tokens)
            let store = try SQLiteTaskStore.open(path: server.api.options.databasePath, access: .write)
            try store.connection.run("UPDATE tasks SET tags = 'x' WHERE id = ?", [.text(ids[2])])
            try await client.execute(uri: "/v2/export", method: .get, headers: bearer(tokens.admin)) { response in
                // The first page went out with a 200: the failure can only be said in the stream.
                #expect(response.status == .ok)
                let lines = response.text.split(separator: "\n").map(String.init)
                #expect(lines.count >= 3)
                #expect(lines.first?.hasPrefix(#"{"qsh_export": 1, "record": "definition""#) == true)
                #expect(!lines.contains { $0.contains(#""record": "end""#) })
                let last = try JSONValue.parse(lines.last ?? "")
                #expect(last["error"]?["code"] == "database_error")
                #expect(last["error"]?["message"]?.stringValue?.contains("its tags is not valid JSON (x)") == true)
            }
        }
    }
}
