// End-to-end: when JSON output was asked for (--json, -o json|ndjson, QSH_OUTPUT, the
// shell's .output), every error is exactly one JSON document on stderr, usage errors and
// program diagnostics included, with the exit status the text error has — through both doors
// (local, and qsh as a client of `qsh serve` on the same database).
import Foundation
import Testing
import TestSupport

@Suite struct JSONErrorTests {
    static let bad = "OPENQASM 2.0;\nqreg q[1];\nh q[0];\nfoo q;\n"

    /// A sandbox with a database (one queued task), bell.qasm, bad.qasm and a file that is not a database.
    static func sandbox(_ door: Door) throws -> (TaskSandbox, String) {
        let box = try TaskSandbox(door)
        let id = try box.submit()
        try box.program("bad.qasm", bad)
        _ = try box.dir.write("junk.sqlite", "hello, not a database\n")
        return (box, id)
    }

    /// stdout empty, stderr one line holding one JSON object {"error": {"code", "message", ...}}.
    func jsonError(_ run: QshRun, _ label: String) throws -> J {
        #expect(run.stderr.hasSuffix("\n") && run.stderr.split(separator: "\n").count == 1, "\(label): \(run.stderr)")
        let error = try J.parse(run.stderr)["error"]
        #expect(error["message"].string?.isEmpty == false, "\(label)")
        return error
    }

    @Test(arguments: [
        // (JSON asked for, the same in text, exit status, code)
        (["qasm", "run", "bell.qasm", "--shots", "0", "-o", "json"], ["qasm", "run", "bell.qasm", "--shots", "0"], 2, "usage"),
        (["tasks", "list", "--bogus", "-o", "json"], ["tasks", "list", "--bogus"], 2, "usage"),
        (["--bogus", "-o", "json"], ["--bogus"], 2, "usage"),
        (["bogus", "--json"], ["bogus"], 2, "usage"),
        (["tasks", "bogus", "-o", "json"], ["tasks", "bogus"], 2, "usage"),
        (["tasks", "-o", "json"], ["tasks"], 2, "usage"),
        (["-o", "json", "qasm", "run"], ["qasm", "run"], 2, "usage"),
        (["tasks", "list", "--limit", "x", "-o", "ndjson"], ["tasks", "list", "--limit", "x"], 2, "usage"),
        (["tasks", "list", "-ojson", "--sort", "nope"], ["tasks", "list", "--sort", "nope"], 2, "usage"),
        (["tasks", "list", "-o", "table", "--json"], ["tasks", "list", "-o", "table", "-o", "csv"], 2, "usage"),
        (["tasks", "submit", "bell.qasm", "--seed", "9223372036854775807", "--json"],
         ["tasks", "submit", "bell.qasm", "--seed", "9223372036854775807"], 2, "usage"),
        (["qpus", "get", "sim:nothing", "--json"], ["qpus", "get", "sim:nothing"], 5, "not_found"),
        (["tasks", "get", "0000", "-o", "json"], ["tasks", "get", "0000"], 5, "not_found"),
        (["tasks", "get", "xyz!", "--output=json"], ["tasks", "get", "xyz!"], 2, "invalid_id"),
        (["qasm", "run", "nope.qasm", "--json"], ["qasm", "run", "nope.qasm"], 1, "file_not_found"),
        (["qasm", "check", "nope.qasm", "--json"], ["qasm", "check", "nope.qasm"], 1, "file_not_found"),
        (["qasm", "run", "bad.qasm", "-o", "ndjson"], ["qasm", "run", "bad.qasm"], 1, "invalid_program"),
        // `--db` names a local database, in client mode too.
        (["--db", "junk.sqlite", "tasks", "list", "--json"], ["--db", "junk.sqlite", "tasks", "list"], 1, "foreign_database"),
    ])
    func everyErrorIsOneJSONDocumentWithTheTextStatus(json: [String], text: [String], status: Int32, code: String) throws {
        var answers: [Door: [String]] = [:]
        for door in Door.allCases {
            let (box, _) = try Self.sandbox(door)
            let run = try box.run(json)
            #expect(run.status == status, "\(door) \(json)")
            #expect(run.stdout == "", "\(door) \(json)")
            #expect(try jsonError(run, "\(door) \(json)")["code"].string == code, "\(door) \(json)")
            let plain = try box.run(text)
            #expect(plain.status == status, "\(door) \(text)")
            #expect(plain.stderr.hasPrefix("qsh: ") || plain.stderr.hasPrefix("bad.qasm:") || plain.stderr.hasPrefix("usage: "),
                    "\(door) \(text): \(plain.stderr)")
            answers[door] = [run, plain].map { "\($0.status)\n\($0.stdout)\($0.stderr)" }
        }
        // The two doors answer byte for byte the same.
        #expect(answers[.client] == answers[.local], "\(json)")
    }

    /// Local only: `qasm run` never uses a server.
    @Test func aUsageErrorCarriesTheSynopsis() throws {
        let run = try Qsh.run(["qasm", "run", "x.qasm", "--shots", "0", "-o", "json"])
        #expect(run.status == 2)
        #expect(run.stderr == """
            {"error": {"code": "usage", "message": "option '--shots' must be between 1 and 100000000, got 0", \
            "usage": ["qsh qasm run [--shots <n>] [--seed <n>] [--threads <n>] [--precision (double | single)] \
            [--probabilities] [--json | -o <format>] (<file> | -)"]}}

            """)
        // The same in text: the message, then the synopsis.
        let text = try Qsh.run(["qasm", "run", "x.qasm", "--shots", "0"])
        #expect(text.stderr.hasPrefix("qsh: option '--shots' must be between 1 and 100000000, got 0\nusage: qsh qasm run "))
    }

    @Test(arguments: Door.allCases) func diagnosticsOfABadProgramAreAnArray(door: Door) throws {
        let (box, _) = try Self.sandbox(door)
        let expected = #"[{"code":"unknown_gate","column":1,"line":3,"message":"'h' is not defined in this scope","#
            + #""notes":["'h' is defined in qelib1.inc; add 'include \"qelib1.inc\";' after the OPENQASM line"]},"#
            + #"{"code":"unknown_gate","column":1,"line":4,"message":"'foo' is not defined in this scope"}]"#
        let run = try box.run(["qasm", "run", "bad.qasm", "-o", "json"])
        #expect(run.status == 1)
        #expect(run.stdout == "")
        let error = try jsonError(run, "qasm run")
        #expect(error["code"].string == "invalid_program")
        #expect(error["message"].string == "2 errors in 'bad.qasm'")
        #expect(error["diagnostics"].text == expected)
        // The dry run keeps its verdict on stdout and reports the error like qasm run.
        let dry = try box.run(["tasks", "submit", "bad.qasm", "--dry-run", "-o", "json"])
        #expect(dry.status == 1)
        #expect(try J.parse(dry.stdout)["ok"].bool == false)
        let dryError = try jsonError(dry, "dry run")
        #expect(dryError["code"].string == "invalid_program")
        #expect(dryError["diagnostics"].text == expected)
        // In text: the diagnostics, then one summary line.
        let text = try box.run(["qasm", "run", "bad.qasm", "-o", "table"])
        #expect(text.stderr == """
            bad.qasm:3:1: error: 'h' is not defined in this scope
            note: 'h' is defined in qelib1.inc; add 'include "qelib1.inc";' after the OPENQASM line
            bad.qasm:4:1: error: 'foo' is not defined in this scope
            qsh: 2 errors in 'bad.qasm'

            """)
    }

    @Test(arguments: Door.allCases) func theEnvironmentAndTheShellAskForJSONToo(door: Door) throws {
        let (box, _) = try Self.sandbox(door)
        let env = try box.run(["tasks", "get", "0000"], extra: ["QSH_OUTPUT": "ndjson"])
        #expect(env.status == 5)
        #expect(try jsonError(env, "QSH_OUTPUT")["task_id"].string == "0000")
        // In a script, the error names the line it stopped at.
        let script = try box.run([], stdin: ".output json\ntasks get 0000\n")
        #expect(script.status == 5)
        #expect(script.stderr
            == #"{"error": {"code": "not_found", "message": "task '0000' not found", "task_id": "0000", "script_line": 2}}"# + "\n")
        let usage = try box.run(["repl"], stdin: "# a comment\n.output ndjson\ntasks list --bogus\n")
        #expect(usage.status == 2)
        let error = try jsonError(usage, "repl usage")
        #expect(error["code"].string == "usage")
        #expect(error["script_line"].int == 3)
        // The shell's own errors too.
        let meta = try box.run(["repl", "--json"], stdin: ".timer sometimes\n")
        #expect(meta.status == 2)
        #expect(try jsonError(meta, "meta")["message"].string == "'.timer' does not accept 'sometimes'; use one of: on, off")
    }

    @Test(arguments: Door.allCases) func jsonThatIsOnlyThePipesDefaultLeavesErrorsAsText(door: Door) throws {
        let (box, _) = try Self.sandbox(door)
        let run = try box.run(["tasks", "get", "0000"])
        #expect(run.status == 5)
        #expect(run.stderr == "qsh: task '0000' not found\n")
        let usage = try box.run(["tasks", "list", "--bogus"])
        #expect(usage.status == 2)
        #expect(usage.stderr.hasPrefix("qsh: unknown option '--bogus'\nusage: qsh tasks list "))
        // An explicit non-JSON format wins over QSH_OUTPUT=json.
        let table = try box.run(["tasks", "get", "0000", "-o", "tsv"], extra: ["QSH_OUTPUT": "json"])
        #expect(table.stderr == "qsh: task '0000' not found\n")
        // `--name -o`: the -o is the name's value, not a format ('json' is then a second
        // file of a batch, and the error is text).
        let named = try box.run(["tasks", "submit", "nope.qasm", "--name", "-o", "json"])
        #expect(named.status == 1)
        #expect(named.stderr == "qsh: cannot read 'nope.qasm': No such file or directory\n")
    }
}
