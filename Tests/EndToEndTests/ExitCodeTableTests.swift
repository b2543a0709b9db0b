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

    /// Command lines that fail in each way, against a database with one Created task.
    @Test func eachFailureExitsWithItsCodesStatus() throws {
        let table = try table()
        let box = try TaskSandbox()
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
        ]
        for (arguments, code) in cases {
            let run = try box.run(arguments + ["-o", "json"])
            let error = try J.parse(run.stderr)["error"]
            #expect(error["code"].string == code, "\(arguments): \(run.stderr)")
            #expect(run.status == table[code], "\(arguments) exited \(run.status), the table gives \(code) \(table[code] ?? -1)")
        }
    }
}
