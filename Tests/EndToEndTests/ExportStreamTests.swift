// GET /v2/export end to end: `tasks export` in client mode prints what the local one prints
// (the server's end line is checked, not written); curl gets the same lines and the end
// line, which `tasks import` checks, so a file cut short is refused.
import Foundation
import Testing
import TestSupport

@Suite struct ExportStreamTests {
    @Test func clientModeExportsWhatLocalDoesAndTheStreamEndsWithItsCount() throws {
        let box = try TaskSandbox(.local)
        let server = try ServerFixture(box, user: TaskSandbox.user, workers: 0)
        defer { server.stop() }
        let first = try box.submit(["--shots", "10"])
        _ = try box.submit(["--tag", "k=v"], text: TaskSandbox.badArity, name: "bad.qasm")
        for selection in [[], ["--tag", "k=v"], [String(first.prefix(8))], ["--status", "Completed"]] {
            let local = try box.run(["tasks", "export"] + selection)
            #expect(local.status == 0 && local.stderr == "")
            let client = try box.run(["tasks", "export"] + selection, extra: server.clientEnvironment(box))
            #expect(client.stdout == local.stdout, "\(selection)")
            #expect(client.stderr == local.stderr && client.status == local.status)
        }
        let local = try box.run(["tasks", "export"]).stdout
        let curl = try Subprocess.run(
            "/usr/bin/curl", ["-s", "-S", "--max-time", "60", server.url + "/v2/export", "-H", "Authorization: Bearer \(server.token)"],
            timeout: 90)
        #expect(curl.status == 0)
        #expect(curl.stdout == local + #"{"qsh_export": 1, "record": "end", "tasks": 2, "definitions": 2}"# + "\n")

        // What curl saved imports as the local file does; cut short, it is refused whole.
        _ = try box.dir.write("saved.ndjson", curl.stdout)
        _ = try box.dir.write("local.ndjson", local)
        let saved = try box.run(["tasks", "import", "saved.ndjson", "-o", "table"], extra: ["QSH_DB": box.dir.file("a.sqlite")])
        let plain = try box.run(["tasks", "import", "local.ndjson", "-o", "table"], extra: ["QSH_DB": box.dir.file("b.sqlite")])
        #expect(saved.status == 0 && saved.stdout == "imported 2 tasks (2 new programs)\n" && saved.stderr == "")
        #expect(plain.stdout == saved.stdout)
        var lines = curl.stdout.split(separator: "\n").map(String.init)
        lines.remove(at: 3)
        _ = try box.dir.write("cut.ndjson", lines.joined(separator: "\n") + "\n")
        let cut = try box.run(["tasks", "import", "cut.ndjson"], extra: ["QSH_DB": box.dir.file("c.sqlite")])
        #expect(cut.status == 1)
        #expect(cut.stdout == "")
        #expect(cut.stderr == "qsh: line 4 of 'cut.ndjson' is not a task export record: its end line counts 2 tasks "
            + "and 2 programs, but 1 and 2 come before it: the file is incomplete or was changed; nothing was imported\n")
    }
}
