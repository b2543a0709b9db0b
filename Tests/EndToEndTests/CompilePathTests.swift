// End-to-end: `tasks submit --dry-run` and the worker compile through one path, so a
// program refused by its QPU gets the same class and reasons from both; the QPU a task
// names is found before its program is compiled; unknown QPU ids get a "did you mean".
import Foundation
import Testing
import TestSupport

@Suite struct CompilePathTests {
    static let header = "OPENQASM 2.0;\ninclude \"qelib1.inc\";\n"

    struct Refusal: Sendable, CustomTestStringConvertible {
        var name: String
        var program: String
        var arguments: [String]
        var environment: [String: String]
        var errorClass: String
        var reasons: [String]
        var testDescription: String { name }
    }

    static let refusals: [Refusal] = [
        Refusal(
            name: "more qubits than test:sleep has",
            program: header + "qreg q[31];\ncreg c[1];\nh q[30];\nmeasure q[0] -> c[0];\n",
            arguments: ["--qpu", "test:sleep"], environment: ["QSH_TEST_QPU": "1"], errorClass: "resource_limit",
            reasons: ["the program uses 31 qubits; 'test:sleep' has 30"]),
        Refusal(
            name: "more shots than test:sleep allows",
            program: TaskSandbox.bell, arguments: ["--qpu", "test:sleep", "--shots", "2000000"],
            environment: ["QSH_TEST_QPU": "1"], errorClass: "resource_limit",
            reasons: ["2000000 shots exceed the limit of 1000000 of QPU 'test:sleep'"]),
        Refusal(
            name: "a mid-circuit program over the memory limit",
            program: header + "qreg q[22];\ncreg c[1];\nh q[21];\nmeasure q[0] -> c[0];\nreset q[0];\n",
            arguments: [], environment: ["QSH_MEMORY_LIMIT": "40M"], errorClass: "resource_limit",
            reasons: ["the program needs 128 MiB for 22 qubits in double precision, over the limit of 40 MiB; use fewer qubits"]),
        Refusal(
            name: "an opaque gate applied",
            program: header + "opaque magic a;\nqreg q[1];\nmagic q[0];\n", arguments: [], environment: [:],
            errorClass: "unsupported_feature",
            reasons: ["p.qasm:5:1: 'magic' is an opaque gate: it has no definition, so it cannot be applied"]),
    ]

    @Test("the dry run gives the verdict the worker gives", arguments: refusals)
    func dryRunAndWorkerAgree(_ refusal: Refusal) throws {
        let box = try TaskSandbox()
        try box.program("p.qasm", refusal.program)
        let dry = try box.run(
            ["tasks", "submit", "p.qasm", "--dry-run", "-o", "json"] + refusal.arguments, extra: refusal.environment)
        #expect(dry.status == 1)
        let verdict = try J.parse(dry.stdout)
        #expect(verdict["error_class"].string == refusal.errorClass)
        #expect(verdict["error_reasons"].array.compactMap(\.string) == refusal.reasons)
        let id = try box.submit(refusal.arguments, text: refusal.program, name: "p.qasm", extra: refusal.environment)
        #expect(try box.run(["worker", "--once"], extra: refusal.environment).status == 0)
        let task = try box.task(id)
        #expect(task["task_status"].string == "PayloadProcessingError")
        #expect(task["error_class"].string == refusal.errorClass)
        #expect(task["error_reasons"].array.compactMap(\.string) == refusal.reasons)
    }

    @Test func aTaskForAQPUTheWorkerLacksFailsBeforeItsProgramIsCompiled() throws {
        let box = try TaskSandbox()
        let test = ["QSH_TEST_QPU": "1"]
        let invalid = try box.submit(["--qpu", "test:sleep"], text: TaskSandbox.badArity, extra: test)
        let valid = try box.submit(["--qpu", "test:sleep"], extra: test)
        #expect(try box.run(["worker", "--once"]).status == 0)
        for id in [invalid, valid] {
            let task = try box.task(id)
            #expect(task["task_status"].string == "PayloadProcessingError")
            #expect(task["error_class"].string == "unsupported_feature")
            #expect(task["error_reasons"].array.compactMap(\.string) == ["QPU 'test:sleep' is not available"])
        }
    }

    @Test func anUnknownQPUIsAUsageErrorThatOffersTheNearestId() throws {
        let box = try TaskSandbox()
        try box.program()
        let run = try box.run(
            ["tasks", "submit", "bell.qasm", "--qpu", "test:slep", "--dry-run"], extra: ["QSH_TEST_QPU": "1"])
        #expect(run.status == 2)
        #expect(run.stdout == "")
        #expect(run.stderr.hasPrefix("qsh: unknown QPU 'test:slep'; see 'qsh qpus list' (did you mean 'test:sleep'?)\n"))
        // Without the test QPU, the nearest id is the simulator's.
        let other = try box.run(["tasks", "submit", "bell.qasm", "--qpu", "sim:statevectr", "--dry-run"])
        #expect(other.stderr.hasPrefix("qsh: unknown QPU 'sim:statevectr'; see 'qsh qpus list' (did you mean 'sim:statevector'?)\n"))
        #expect(!FileManager.default.fileExists(atPath: box.db))
    }
}
