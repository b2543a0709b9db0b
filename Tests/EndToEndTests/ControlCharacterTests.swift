// End-to-end: text a user typed or stored (ids, file names, task names) never reaches the
// terminal as control characters; it shows as visible symbols, and JSON keeps it exact.
import Foundation
import Testing
import TestSupport

@Suite struct ControlCharacterTests {
    @Test func badTaskIdInAHumanErrorIsDefused() throws {
        let sandbox = try TaskSandbox()
        let run = try sandbox.run(["tasks", "get", "-o", "table", "\u{1B}]0;pwned\u{07}"])
        #expect(run.status == 2)
        #expect(run.stdout == "")
        #expect(
            run.stderr
                == "qsh: '\u{241B}]0;pwned\u{2407}' is not a task id; give a task id or a unique prefix of at least 4 hexadecimal digits\n"
        )
    }

    @Test func taskNameInATableIsDefusedButExactInJSON() throws {
        let sandbox = try TaskSandbox()
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
}
