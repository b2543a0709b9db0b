// qsh as a client of `qsh serve`: the same commands, the same output and exit statuses as on
// the server's database locally (the two doors on one database), the cache of finished tasks
// (answers without the server, --offline, cache clear), login and logout, the REPL's
// .connect, and the one line a server out of reach gives.
import Foundation
import Testing
import TestSupport

@Suite(.serialized) struct ClientModeTests {
    /// Runs qsh as a client of `server`.
    func client(_ sandbox: TaskSandbox, _ server: ServerFixture, _ arguments: [String], stdin: String? = nil,
                extra: [String: String] = [:]) throws -> QshRun {
        var environment = server.clientEnvironment(sandbox)
        for (k, v) in extra { environment[k] = v }
        return try Qsh.run(arguments, stdin: stdin, environment: environment, directory: sandbox.dir.path)
    }

    /// Runs qsh locally on the server's database.
    func local(_ sandbox: TaskSandbox, _ arguments: [String]) throws -> QshRun { try sandbox.run(arguments) }

    @Test func theTwoDoorsGiveTheSameAnswers() throws {
        let sandbox = try TaskSandbox()
        let server = try ServerFixture(sandbox)
        defer { server.stop() }
        try sandbox.program()
        try sandbox.program("bad.qasm", TaskSandbox.badArity)
        let submit = try client(sandbox, server, ["tasks", "submit", "bell.qasm", "--shots", "100", "--seed", "7", "--wait",
                                                  "-o", "json"])
        #expect(submit.status == 0)
        let id = try #require(J.parse(submit.stdout)["id"].string)
        let bad = try client(sandbox, server, ["tasks", "submit", "bad.qasm", "--wait", "-q"])
        #expect(bad.status == 3)
        let badID = try #require(J.parse(try local(sandbox, ["tasks", "list", "--status", "PayloadProcessingError", "-o", "json"])
            .stdout)["elements"][0]["id"].string)
        let commands: [[String]] = [
            ["tasks", "get", id, "-o", "json"], ["tasks", "get", id, "-o", "wide"], ["tasks", "get", String(id.prefix(8))],
            ["tasks", "list", "-o", "json"], ["tasks", "list", "--status", "Completed", "-o", "table"],
            ["tasks", "results", id, "-o", "json"], ["tasks", "results", id, "-o", "table"],
            ["tasks", "events", id, "-o", "json"], ["tasks", "history", id, "-o", "json"],
            ["tasks", "results", badID], ["tasks", "results", badID, "-o", "json"], ["tasks", "get", "abcd"],
            ["tasks", "get", "zz"], ["tasks", "cancel", id], ["tasks", "wait", id, "-o", "json"],
            ["qpus", "list", "-o", "json"], ["qpus", "get", "sim:native"], ["qpus", "get", "sim:nope"],
        ]
        for command in commands {
            let there = try client(sandbox, server, command)
            let here = try local(sandbox, command)
            #expect(there.stdout == here.stdout, "\(command)")
            #expect(there.stderr == here.stderr, "\(command)")
            #expect(there.status == here.status, "\(command)")
        }
        // Nothing was written next to the client: no local database was opened.
        #expect(!FileManager.default.fileExists(atPath: sandbox.dir.file("no-local.sqlite")))
    }

    @Test func batchesRerunAndPauseWorkThroughTheServer() throws {
        let sandbox = try TaskSandbox()
        let server = try ServerFixture(sandbox)
        defer { server.stop() }
        try sandbox.program()
        _ = try sandbox.dir.write("two.qasm", TaskSandbox.bell)
        let batch = try client(sandbox, server, ["tasks", "submit", "bell.qasm", "two.qasm", "--seed", "3", "--wait", "-o", "json"])
        #expect(batch.status == 0, "\(batch.stderr)")
        let batchID = try #require(J.parse(try client(sandbox, server, ["batches", "list", "-o", "json"]).stdout)["elements"][0]["id"].string)
        for command in [["batches", "get", batchID, "-o", "json"], ["batches", "results", batchID, "-o", "json"],
                        ["batches", "list", "-o", "table"], ["batches", "cancel", batchID]] {
            let there = try client(sandbox, server, command)
            let here = try local(sandbox, command)
            #expect(there.stdout == here.stdout, "\(command)")
            #expect(there.stderr == here.stderr, "\(command)")
            #expect(there.status == here.status, "\(command)")
        }
        let first = try #require(J.parse(try local(sandbox, ["tasks", "list", "-o", "json"]).stdout)["elements"][0]["id"].string)
        let rerun = try client(sandbox, server, ["tasks", "rerun", first, "--shots", "10", "--wait", "-o", "json"])
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(try J.parse(rerun.stdout)["rerun_of"].string == first)
        let paused = try client(sandbox, server, ["qpus", "pause", "sim:native"])
        #expect(paused.status == 0 && paused.stderr == "qpu sim:native paused\n")
        #expect(try local(sandbox, ["qpus", "get", "sim:native", "-o", "json"]).stdout.contains("\"status\": \"paused\""))
    }

    @Test func finishedTasksAreReadFromTheCacheAndOfflineReadsOnlyIt() throws {
        let sandbox = try TaskSandbox()
        let server = try ServerFixture(sandbox)
        try sandbox.program()
        let submitted = try client(sandbox, server, ["tasks", "submit", "bell.qasm", "--wait", "-q"])
        #expect(submitted.status == 0)
        let full = submitted.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(full.count == 36)
        let before = try client(sandbox, server, ["tasks", "results", full, "-o", "json"])
        let events = try client(sandbox, server, ["tasks", "events", full])
        server.stop()
        // The server is gone: a finished task's results and events still come from the cache.
        let after = try client(sandbox, server, ["tasks", "results", full, "-o", "json"])
        #expect(after.status == 0 && after.stdout == before.stdout)
        #expect(try client(sandbox, server, ["tasks", "events", full]).stdout == events.stdout)
        let offline = try client(sandbox, server, ["--offline", "tasks", "get", String(full.prefix(6)), "-o", "json"])
        #expect(offline.status == 0 && offline.stdout.contains(full))
        let missing = try client(sandbox, server, ["tasks", "get", "abcd1234", "--offline"])
        #expect(missing.status == 1)
        #expect(missing.stderr == "qsh: --offline: the task of task 'abcd1234' is not in the cache of '\(server.url)'; "
            + "only finished tasks read before are; leave out --offline to ask the server\n")
        // Anything else needs the server: one line naming it and what to check.
        let list = try client(sandbox, server, ["tasks", "list"])
        #expect(list.status == 1)
        #expect(list.stdout == "")
        #expect(list.stderr == "qsh: cannot reach the qsh server at '\(server.url)': connection refused "
            + "(is 'qsh serve' running there? check --api or $QSH_API)\n")
        let cleared = try client(sandbox, server, ["cache", "clear"])
        #expect(cleared.status == 0 && cleared.stderr == "cleared 1 cache file\n")
        #expect(try client(sandbox, server, ["tasks", "results", full]).status == 1)
    }

    @Test func loginKeepsTheTokenAndLogoutForgetsIt() throws {
        let sandbox = try TaskSandbox()
        let server = try ServerFixture(sandbox)
        defer { server.stop() }
        let noToken = ["QSH_TOKEN": ""]
        let refused = try client(sandbox, server, ["tasks", "list"], extra: noToken)
        #expect(refused.status == 4)  // authentication, as the manual's EXIT STATUS says
        #expect(refused.stderr.hasSuffix("; log in with 'qsh login \(server.url)' or set $QSH_TOKEN\n"))
        let wrong = try client(sandbox, server, ["login", server.url], stdin: "qsh_wrong\n", extra: noToken)
        #expect(wrong.status == 4)
        let credentials = sandbox.dir.file("config/qsh/credentials")
        #expect(!FileManager.default.fileExists(atPath: credentials))
        let login = try client(sandbox, server, ["login", server.url], stdin: server.token + "\n", extra: noToken)
        #expect(login.status == 0 && login.stderr == "logged in to \(server.url)\n")
        let mode = try FileManager.default.attributesOfItem(atPath: credentials)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(try client(sandbox, server, ["tasks", "list", "-o", "json"], extra: noToken).status == 0)
        let logout = try client(sandbox, server, ["logout"], extra: noToken)
        #expect(logout.status == 0 && logout.stderr == "logged out of \(server.url)\n")
        #expect(try client(sandbox, server, ["tasks", "list"], extra: noToken).status == 4)
        let again = try client(sandbox, server, ["logout", server.url], extra: noToken)
        #expect(again.status == 0 && again.stderr == "not logged in to \(server.url)\n")
    }

    @Test func theShellConnectsAndDisconnects() throws {
        let sandbox = try TaskSandbox()
        let server = try ServerFixture(sandbox)
        defer { server.stop() }
        try sandbox.program()
        _ = try local(sandbox, ["tasks", "submit", "bell.qasm", "-q", "--name", "on-the-server"])
        var environment = server.clientEnvironment(sandbox)
        environment["QSH_API"] = nil
        let script = ".connect \(server.url)\n.connect\ntasks list -o csv\n.disconnect\n.connect\n"
        let run = try Qsh.run(["repl", "-k"], stdin: script, environment: environment, directory: sandbox.dir.path)
        #expect(run.stderr.hasPrefix("connected to \(server.url)\n"))
        #expect(run.stdout.hasPrefix("\(server.url)\n"))
        #expect(run.stdout.contains("on-the-server"))
        #expect(run.stdout.hasSuffix("none (the local task database)\n"))
    }

    /// `--db` on the command line names the local database, even with $QSH_API set (options
    /// win over the environment); `--api` with `--db` is a usage error; `qsh repl --db` is a
    /// local session.
    @Test func anExplicitDatabaseWinsOverTheServer() throws {
        let sandbox = try TaskSandbox()
        let server = try ServerFixture(sandbox)
        defer { server.stop() }
        try sandbox.program()
        _ = try local(sandbox, ["tasks", "submit", "bell.qasm", "-q", "--name", "on-the-server"])
        let other = sandbox.dir.file("other.sqlite")
        let none = try client(sandbox, server, ["tasks", "list", "--db", other])
        #expect(none.status == 1)
        #expect(none.stderr == "qsh: no task database at '\(other)'; 'qsh tasks submit' creates one, or check --db/QSH_DB\n")
        let here = try client(sandbox, server, ["--db", sandbox.db, "tasks", "list", "-o", "csv"])
        #expect(here.status == 0 && here.stdout.contains("on-the-server"))
        let both = try client(sandbox, server, ["tasks", "list", "--api", server.url, "--db", sandbox.db])
        #expect(both.status == 2)
        #expect(both.stderr.hasPrefix("qsh: options '--api' and '--db' cannot be used together: '--api' uses a qsh "
            + "server, '--db' a local database\n"))
        let shell = try client(sandbox, server, ["repl", "--db", sandbox.db], stdin: ".connect\ntasks list -o csv\n")
        #expect(shell.status == 0)
        #expect(shell.stdout.hasPrefix("none (the local task database)\n"))
        #expect(shell.stdout.contains("on-the-server"))
        let refused = try client(sandbox, server, ["repl", "--db", sandbox.db, "--api", server.url], stdin: "tasks list\n")
        #expect(refused.status == 2)
        #expect(refused.stderr.hasPrefix("qsh: options '--api' and '--db' cannot be used together"))
    }

    @Test func aBadURLIsAUsageError() throws {
        let sandbox = try TaskSandbox()
        let run = try sandbox.run(["tasks", "list"], extra: ["QSH_API": "ftp://x"])
        #expect(run.status == 2)
        #expect(run.stderr == "qsh: $QSH_API: 'ftp://x' is not a qsh server URL; give http://HOST:PORT or https://HOST\n")
        // Local-only commands do not care.
        #expect(try sandbox.run(["qasm", "check", try sandbox.program()], extra: ["QSH_API": "ftp://x"]).status == 0)
    }
}
