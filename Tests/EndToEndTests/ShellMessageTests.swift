// End-to-end: messages inside the shell speak its language: a failing line of a script is
// named, commands are named without 'qsh', and a meta-command is named as it was typed.
import Foundation
import Testing
import TestSupport

@Suite struct ShellMessageTests {
    @Test func aScriptNamesTheLineItStoppedAt() throws {
        let box = try TaskSandbox()
        _ = try box.submit()
        let run = try box.run([], stdin: "version\n\n# a comment\ntasks get 0000 -o table\nversion\n")
        #expect(run.status == 5)
        #expect(run.stderr == "qsh: line 4: task '0000' not found\n")
        try box.program("bad.qasm", "OPENQASM 2.0;\nqreg q[1];\nfoo q[0];\n")
        let bad = try box.run(["repl", "-k"], stdin: "qasm run bad.qasm\nqasm check bad.qasm -o table\ntasks get\n")
        #expect(bad.status == 2)
        #expect(bad.stderr == """
            bad.qasm:3:1: error: 'foo' is not defined in this scope
            qsh: line 1: 1 error in 'bad.qasm'
            bad.qasm:3:1: error: 'foo' is not defined in this scope
            qsh: line 2: 1 error in 'bad.qasm'
            qsh: line 3: 'tasks get' needs more arguments
            usage: qsh tasks get [--diagnostics] [--wait [--timeout <seconds>]] <id>

            """)
    }

    @Test func aGroupWithoutItsCommandNamesTheLineToo() throws {
        let run = try Qsh.run([], stdin: "version\nqpus\n")
        #expect(run.status == 2)
        #expect(run.stderr.hasPrefix("qsh: line 2: 'qpus' needs a command\nusage: qsh qpus list\n   or: qsh qpus get <id>\n"))
        #expect(run.stderr.contains("\nCommands:\n  list "))
        // On the command line, the group's help alone, as before.
        let line = try Qsh.run(["qpus"])
        #expect(line.status == 2)
        #expect(line.stderr.hasPrefix("usage: qsh qpus list\n"))
    }

    @Test func commandsAreNamedWithoutQsh() throws {
        let box = try TaskSandbox()
        try box.program()
        let run = try box.run(["repl", "-k"], stdin: "tsks list\ntasks submit bell.qasm --qpu sim:nope\n--db x version\n")
        #expect(run.status == 2)
        #expect(run.stderr == """
            qsh: line 1: 'tsks' is not a qsh command. See 'help'.

            The most similar command is
            \ttasks
            qsh: line 2: unknown QPU 'sim:nope'; see 'qpus list'
            usage: qsh tasks submit [--qpu <id>] [--shots <n>] [--seed <n>] [--name <name>] [--tag <key>=<value>]... \
            [--idempotency-key <key>] [--dry-run] [--wait [--timeout <seconds>] [--cancel-on-interrupt]] \
            [--no-autostart] [-q] (<file> | -)
               or: qsh tasks submit [<options>] <file> <file>... | --batch <manifest>
            qsh: line 3: option '--db' does not apply to 'version'
            usage: qsh version

            """)
        // On the command line, the same errors name 'qsh ...'.
        let line = try box.run(["tsks", "list"])
        #expect(line.stderr.hasPrefix("qsh: 'tsks' is not a qsh command. See 'qsh help'.\n"))
    }

    @Test func exitAndQuitAreNamedAsTyped() throws {
        let exit = try Qsh.run(["repl"], stdin: ".exit 999\n")
        #expect(exit.status == 2)
        #expect(exit.stderr == "qsh: line 1: '.exit' expects a status between 0 and 255, got '999'\n")
        let quit = try Qsh.run(["repl"], stdin: "\n.quit 1 2\n")
        #expect(quit.status == 2)
        #expect(quit.stderr == "qsh: line 2: usage: .quit [<status>]\n")
        let ok = try Qsh.run(["repl"], stdin: ".exit 7\n")
        #expect(ok.status == 7)
        #expect(ok.stderr == "")
    }
}
