// End-to-end: a program over the memory limit is told to use single precision only
// when it would fit in single precision; otherwise only to use fewer qubits.
import Foundation
import Testing
import TestSupport

@Suite struct MemoryAdviceTests {
    static func program(qubits: Int) -> String {
        "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[\(qubits)];\ncreg c[1];\nh q[\(qubits - 1)];\nmeasure q[0] -> c[0];\n"
    }

    /// The reason a dry run gives under a 40 MiB limit.
    static func reason(qubits: Int) throws -> String {
        let box = try TaskSandbox()
        try box.program("p.qasm", program(qubits: qubits))
        let run = try box.run(["tasks", "submit", "p.qasm", "--dry-run", "-o", "json"], extra: ["QSH_MEMORY_LIMIT": "40M"])
        return try J.parse(run.stdout)["error_reasons"][0].string ?? ""
    }

    @Test func singlePrecisionIsSuggestedOnlyWhereItFits() throws {
        // 22 qubits: 64 MiB in double precision, 32 MiB in single: it fits.
        #expect(
            try Self.reason(qubits: 22)
                == "the program needs 64 MiB for 22 qubits in double precision, over the limit of 40 MiB; "
                + "use --precision single or fewer qubits")
        // 23 qubits: 64 MiB even in single precision.
        #expect(
            try Self.reason(qubits: 23)
                == "the program needs 128 MiB for 23 qubits in double precision, over the limit of 40 MiB; use fewer qubits")
        #expect(try Self.reason(qubits: 21) == "")
    }

    @Test func qasmRunAdvisesTheSameWay() throws {
        let run = try Qsh.run(["qasm", "run", "-", "--precision", "single", "-o", "table"], stdin: Self.program(qubits: 40))
        #expect(run.status == 1)
        #expect(run.stderr.hasPrefix("qsh: the program needs 8192 GiB for 40 qubits in single precision, over the limit of "))
        #expect(run.stderr.hasSuffix("; use fewer qubits\n"))
    }
}
