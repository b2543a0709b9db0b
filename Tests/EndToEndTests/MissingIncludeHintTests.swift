// End-to-end: a gate of qelib1.inc used without `include "qelib1.inc";` gets a note
// naming the include, in `qasm check` (text and JSON), `qasm run`, a dry run and a
// task's error_reasons alike.
import Foundation
import Testing
import TestSupport

@Suite struct MissingIncludeHintTests {
    static let program = "OPENQASM 2.0;\nqreg q[3];\ncreg c[3];\nh q[0];\nccx q[0], q[1], q[2];\nmeasure q -> c;\n"
    static func note(_ gate: String) -> String {
        "'\(gate)' is defined in qelib1.inc; add 'include \"qelib1.inc\";' after the OPENQASM line"
    }

    @Test func everyCommandGivesTheHint() throws {
        let box = try TaskSandbox()
        try box.program("toffoli.qasm", Self.program)
        let text = "toffoli.qasm:4:1: error: 'h' is not defined in this scope\nnote: \(Self.note("h"))\n"
            + "toffoli.qasm:5:1: error: 'ccx' is not defined in this scope\nnote: \(Self.note("ccx"))\n"
        let check = try box.run(["qasm", "check", "toffoli.qasm", "-o", "table"])
        #expect(check.status == 1)
        #expect(check.stderr == text + "qsh: 2 errors in 'toffoli.qasm'\n")
        let run = try box.run(["qasm", "run", "toffoli.qasm", "-o", "table"])
        #expect(run.status == 1)
        #expect(run.stderr == text + "qsh: 2 errors in 'toffoli.qasm'\n")
        let json = try J.parse(try box.run(["qasm", "check", "toffoli.qasm", "-o", "json"]).stdout)
        #expect(json["errors"][1]["notes"].array.compactMap(\.string) == [Self.note("ccx")])
        let dry = try box.run(["tasks", "submit", "toffoli.qasm", "--dry-run", "-o", "table"])
        #expect(dry.status == 1)
        #expect(dry.stderr == text + "qsh: 2 errors in 'toffoli.qasm'\n")
        let reasons = [
            "toffoli.qasm:4:1: 'h' is not defined in this scope (note: \(Self.note("h")))",
            "toffoli.qasm:5:1: 'ccx' is not defined in this scope (note: \(Self.note("ccx")))",
        ]
        let id = try box.submit(text: Self.program, name: "toffoli.qasm")
        #expect(try box.run(["worker", "--once"]).status == 0)
        #expect(try box.task(id)["error_reasons"].array.compactMap(\.string) == reasons)
    }

    @Test func withTheIncludeTheProgramRuns() throws {
        let fixed = Self.program.replacingOccurrences(of: "OPENQASM 2.0;\n", with: "OPENQASM 2.0;\ninclude \"qelib1.inc\";\n")
        let run = try Qsh.run(["qasm", "check", "-", "-o", "table"], stdin: fixed)
        #expect(run.status == 0)
        #expect(run.stdout == "<stdin>: ok, 3 qubits, 3 clbits, 5 operations (h 1, ccx 1, measure 3)\n")
    }
}
