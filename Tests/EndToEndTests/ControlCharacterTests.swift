// End-to-end: text a user typed or stored (ids, file names, task names) never reaches the
// terminal as control characters; it shows as visible symbols, and JSON keeps it exact —
// through both doors (local, and qsh as a client of `qsh serve` on the same database).
import Foundation
import Testing
import TestSupport

@Suite struct ControlCharacterTests {
    @Test(arguments: Door.allCases) func badTaskIdInAHumanErrorIsDefused(door: Door) throws {
        let sandbox = try TaskSandbox(door)
        let run = try sandbox.run(["tasks", "get", "-o", "table", "\u{1B}]0;pwned\u{07}"])
        #expect(run.status == 2)
        #expect(run.stdout == "")
        #expect(
            run.stderr
                == "qsh: '\u{241B}]0;pwned\u{2407}' is not a task id; give a task id or a unique prefix of at least 4 hexadecimal digits\n"
        )
    }

    @Test(arguments: Door.allCases) func taskNameInATableIsDefusedButExactInJSON(door: Door) throws {
        let sandbox = try TaskSandbox(door)
        _ = try sandbox.dir.write("bell.qasm", TaskSandbox.bell)
        let name = "x\u{1B}[2J\ny"
        let submit = try sandbox.run(["tasks", "submit", "bell.qasm", "-q", "--name", name])
        #expect(submit.status == 0)
        let id = submit.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let table = try sandbox.run(["tasks", "get", id, "-o", "table"])
        #expect(table.status == 0)
        #expect(table.stderr == "")
        #expect(table.stdout.contains("x\u{241B}[2J\u{240A}y\n"))
        #expect(!table.stdout.contains("\u{1B}"))
        let json = try sandbox.run(["tasks", "get", id, "-o", "json"])
        #expect(json.status == 0)
        #expect(json.stdout.contains("\"name\": \"x\\u001b[2J\\ny\""))
    }

    /// Local only: `qasm check` never uses a server.
    @Test func fileNameInADiagnosticIsDefused() throws {
        let dir = try TempDirectory()
        _ = try dir.write("a\u{1B}[31m.qasm", "OPENQASM 2.0;\nqreg q[1];\nhh q[0];\n")
        let run = try Qsh.run(["qasm", "check", "-o", "table", "a\u{1B}[31m.qasm"], directory: dir.path)
        #expect(run.status == 1)
        #expect(run.stdout == "")
        #expect(
            run.stderr
                == "a\u{241B}[31m.qasm:3:1: error: 'hh' is not defined in this scope\nqsh: 1 error in 'a\u{241B}[31m.qasm'\n")
    }

    /// Local only: an unknown command reaches no server.
    @Test func aHugeUnknownCommandIsQuotedShort() throws {
        let word = String(repeating: "x", count: 100_000)
        let run = try Qsh.run([word])
        #expect(run.status == 2)
        #expect(run.stdout == "")
        #expect(run.stderr == "qsh: '\(String(repeating: "x", count: 60))…' is not a qsh command. See 'qsh help'.\n")
        let sub = try Qsh.run(["tasks", word])
        #expect(sub.status == 2)
        #expect(sub.stderr.hasPrefix("qsh: '\(String(repeating: "x", count: 60))…' is not a 'tasks' command\n"))
    }

    static let hostile = "\u{1B}]0;pwned\u{07}"
    /// Control and bidirectional characters a terminal would obey.
    static func obeyable(_ text: String) -> Bool {
        text.unicodeScalars.contains { c in
            (c.value < 0x20 && c != "\n" && c != "\t") || (0x7F...0x9F).contains(c.value)
                || [0x061C, 0x200E, 0x200F, 0x2028, 0x2029].contains(c.value) || (0x202A...0x202E).contains(c.value)
                || (0x2066...0x2069).contains(c.value)
        }
    }

    @Test(arguments: Door.allCases) func csvAndTsvShowControlCharactersAsSymbols(door: Door) throws {
        let sandbox = try TaskSandbox(door)
        let id = try sandbox.submit(["--name", Self.hostile, "--tag", "k=\u{1B}[41m\tred"])
        for command in [["tasks", "list"], ["tasks", "get", id], ["tasks", "cancel", id]] {
            for format in ["tsv", "csv"] {
                let run = try sandbox.run(command + ["-o", format])
                #expect(!Self.obeyable(run.stdout), "\(command) \(format)")
                #expect(run.stdout.contains("\u{241B}]0;pwned\u{2407}"), "\(command) \(format)")
            }
        }
        let tsv = try sandbox.run(["tasks", "list", "-o", "tsv"])
        #expect(tsv.stdout.split(separator: "\t").count == 11)
        #expect(tsv.stdout.contains(#"{"k": "\u001b[41m\tred"}"#))
        let json = try sandbox.run(["tasks", "get", id, "-o", "json"])
        #expect(json.stdout.contains(#""name": "\u001b]0;pwned\u0007""#))
    }

    @Test(arguments: Door.allCases) func bidirectionalControlsAreDefusedInTablesAndEscapedInJSON(door: Door) throws {
        let sandbox = try TaskSandbox(door)
        let name = "invoice\u{202E}fdp.exe\u{2066}x\u{200F}"
        let id = try sandbox.submit(["--name", name, "--tag", "t=\u{061C}v"])
        for command in [["tasks", "list", "-o", "table"], ["tasks", "list", "-o", "wide"], ["tasks", "get", id, "-o", "table"],
                        ["tasks", "list", "-o", "tsv"], ["tasks", "list", "-o", "csv"]] {
            let run = try sandbox.run(command)
            #expect(run.status == 0)
            #expect(!Self.obeyable(run.stdout), "\(command)")
            #expect(run.stdout.contains("invoice\u{FFFD}fdp.exe\u{FFFD}x\u{FFFD}"), "\(command)")
        }
        let json = try sandbox.run(["tasks", "get", id, "-o", "json"])
        #expect(!Self.obeyable(json.stdout))
        #expect(json.stdout.contains(#""name": "invoice\u202efdp.exe\u2066x\u200f""#))
        #expect(try J.parse(json.stdout)["name"].string == name)
        // Error messages and diagnostics too.
        let error = try sandbox.run(["tasks", "get", "ab\u{202E}cd", "-o", "table"])
        #expect(error.status == 2)
        #expect(!Self.obeyable(error.stderr))
        _ = try sandbox.dir.write("x\u{202E}y.qasm", "OPENQASM 2.0;\nqreg q[1];\nh q[0];\n")
        for command in [["qasm", "check", "x\u{202E}y.qasm", "-o", "table"], ["qasm", "run", "x\u{202E}y.qasm"],
                        ["tasks", "submit", "--dry-run", "x\u{202E}y.qasm"]] {
            let run = try sandbox.run(command)
            #expect(run.status == 1, "\(command)")
            #expect(run.stderr.contains("x\u{FFFD}y.qasm:3:1: error: 'h' is not defined in this scope\n"), "\(command)")
            #expect(!Self.obeyable(run.stderr), "\(command)")
        }
    }

    @Test(arguments: Door.allCases) func tagsAreQuotedSoThatOneTagNeverReadsAsTwo(door: Door) throws {
        let sandbox = try TaskSandbox(door)
        let id = try sandbox.submit(["--tag", "a,b=\"c\"=d", "--tag", "plain=x", "--tag", "sp=two words"])
        let get = try sandbox.run(["tasks", "get", id, "-o", "table"])
        #expect(get.stdout.contains("tags:    \"a,b\"=\"\\\"c\\\"=d\",plain=x,sp=\"two words\"\n"))
        let wide = try sandbox.run(["tasks", "list", "-o", "wide"])
        #expect(wide.stdout.contains("  \"a,b\"=\"\\\"c\\\"=d\",plain=x,sp=\"two words\"  "))
        let json = try sandbox.task(id)
        #expect(json["tags"].text == #"{"a,b":"\"c\"=d","plain":"x","sp":"two words"}"#)
    }

    @Test(arguments: Door.allCases) func eventDetailsWorkerLogsAndShellEchoesAreDefused(door: Door) throws {
        let sandbox = try TaskSandbox(door)
        let file = "bad\u{1B}[2J.qasm"
        let id = try sandbox.submit(text: TaskSandbox.badArity, name: file)
        let worker = try sandbox.run(["worker", "--once"])
        #expect(worker.status == 0)
        #expect(worker.stderr.contains("bad\u{241B}[2J.qasm:4:1"))
        #expect(!Self.obeyable(worker.stderr))
        for format in ["table", "wide", "tsv", "csv"] {
            let events = try sandbox.run(["tasks", "events", id, "-o", format])
            #expect(events.stdout.contains("bad\u{241B}[2J.qasm:4:1"), "\(format)")
            #expect(!Self.obeyable(events.stdout), "\(format)")
        }
        let script = try sandbox.run([], stdin: "tasks get '\u{1B}[31m\n")
        #expect(script.status == 2)
        #expect(script.stderr == "qsh: line 1: unterminated quote\n  tasks get '\u{241B}[31m\n            ^\n")
    }
}
