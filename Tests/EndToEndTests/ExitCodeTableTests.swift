// The table of error codes as users see it: `qsh help exit-codes` lists every code with its
// exit status, the manual gives the same status, and a real failure of each kind exits
// with the status the table gives for the code of its JSON error.
import Foundation
import Testing
import TestSupport

@Suite struct ExitCodeTableTests {
    /// `code -> status` from `qsh help exit-codes`: the lines after the exit statuses.
    func table() throws -> [String: Int32] {
        let run = try Qsh.run(["help", "exit-codes"])
        #expect(run.status == 0)
        var table: [String: Int32] = [:]
        for line in run.stdout.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count >= 2, fields[0].contains(where: \.isLetter), let status = Int32(fields[1]) else { continue }
            table[String(fields[0])] = status
        }
        return table
    }

    @Test func helpListsEveryCodeWithTheStatusTheManualGives() throws {
        let table = try table()
        #expect(table["not_found"] == 5 && table["usage"] == 2 && table["timeout"] == 124)
        #expect(table["interrupted"] == 130 && table["no_results"] == 1 && table["database_error"] == 1)
        #expect(table.count >= 20)
        let manual = try String(
            contentsOfFile: Qsh.packageRoot.appendingPathComponent("man/qsh.1").path, encoding: .utf8)
        for (code, status) in table {
            #expect(manual.contains(".B \(code)\n\(status): "), "the manual does not give \(code) status \(status)")
        }
    }

    /// Command lines that fail in each way, against a database with one Created task, through
    /// both doors (the `--db` cases name a local database, which wins over the server).
    @Test(arguments: Door.allCases) func eachFailureExitsWithItsCodesStatus(door: Door) throws {
        let table = try table()
        let box = try TaskSandbox(door)
        let id = try box.submit()
        try box.program("bad.qasm", "OPENQASM 2.0;\nqreg q[1];\nfoo q[0];\n")
        try box.dir.write("garbage.sqlite", String(repeating: "not a database ", count: 300))
        let cases: [([String], String)] = [
            (["tasks", "get", "ffffffff"], "not_found"),
            (["tasks", "get", "zz"], "invalid_id"),
            (["tasks", "results", id], "no_results"),
            (["tasks", "wait", id, "--timeout", "0.2"], "timeout"),
            (["tasks", "list", "--limit", "0"], "usage"),
            (["tasks", "get", id, "--db", box.dir.file("none.sqlite")], "no_database"),
            (["tasks", "get", id, "--db", box.dir.file("garbage.sqlite")], "foreign_database"),
            (["qpus", "get", "sim:nothing"], "not_found"),
            (["qasm", "run", "missing.qasm"], "file_not_found"),
            (["qasm", "run", "bad.qasm"], "invalid_program"),
            (["tasks", "submit", "bad.qasm", "--dry-run"], "invalid_program"),
            (["tokens", "revoke", "ffff"], "not_found"),
            (["tokens", "revoke", "zz"], "invalid_id"),
            (["tokens", "create", "--user", "a b"], "usage"),
            (["batches", "get", "ffffffff"], "not_found"),
            (["tasks", "cancel", "fff"], "invalid_id"),
        ]
        for (arguments, code) in cases {
            let run = try box.run(arguments + ["-o", "json"])
            let error = try J.parse(run.stderr)["error"]
            #expect(error["code"].string == code, "\(door) \(arguments): \(run.stderr)")
            #expect(run.status == table[code],
                    "\(door) \(arguments) exited \(run.status), the table gives \(code) \(table[code] ?? -1)")
        }
    }

    /// The codes only client mode has: a token the server refuses, one whose scope is too
    /// small, a server that cannot be reached, `--api` beside `--db`.
    @Test func eachClientFailureExitsWithItsCodesStatus() throws {
        let table = try table()
        let box = try TaskSandbox(.client)
        let id = try box.submit()
        let reader = try box.token(TaskSandbox.user, scope: "read")
        // A port nothing listens on: the sandbox's own server, stopped.
        let gone = try TaskSandbox(.client)
        let goneURL = try #require(gone.server?.url)
        gone.server?.stop()
        let cases: [([String], [String: String], String)] = [
            (["tasks", "get", id], ["QSH_TOKEN": "qsh_wrong"], "unauthenticated"),
            (["tasks", "cancel", id], ["QSH_TOKEN": reader], "forbidden"),
            (["tasks", "get", id], ["QSH_API": goneURL], "network_error"),
            (["tasks", "get", id, "--api", goneURL, "--db", box.db], [:], "usage"),
        ]
        for (arguments, extra, code) in cases {
            let run = try box.run(arguments + ["-o", "json"], extra: extra)
            let error = try J.parse(run.stderr)["error"]
            #expect(error["code"].string == code, "\(arguments): \(run.stderr)")
            #expect(run.status == table[code], "\(arguments) exited \(run.status), the table gives \(code) \(table[code] ?? -1)")
        }
    }
}
