// End-to-end: Ctrl-C (SIGINT) stops a long `qasm run` between passes over the state;
// the process ends with status 130, an error on stderr and nothing on stdout.
import Foundation
import Testing
import TestSupport

@Suite struct QasmRunInterruptTests {
    /// A 16-qubit program of 400 layers: minutes in the debug build that `make test` runs,
    /// and every fused gate is its own pass over the state, so a stop request is seen at once.
    static func longProgram() -> String {
        var text = "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[16];\ncreg c[16];\n"
        for layer in 0..<400 {
            for q in 0..<16 { text += "u3(0.\(layer % 9 + 1),0.2,0.3) q[\(q)];\n" }
            for q in stride(from: layer % 2, to: 15, by: 2) { text += "cx q[\(q)],q[\(q + 1)];\n" }
        }
        return text + "measure q -> c;\n"
    }

    @Test func sigintStopsTheSimulationWithStatus130() throws {
        let dir = try TempDirectory()
        let file = try dir.write("long.qasm", Self.longProgram())
        // A shell starts background jobs with SIGINT ignored, and an ignored signal stays
        // ignored across exec; env(1) gives the child the default disposition back, so the
        // test behaves the same however the test runner itself was started.
        let child = try Subprocess.start(
            "/usr/bin/env", ["--default-signal=INT", Qsh.binary, "qasm", "run", file, "--json", "--threads", "1"])
        // Wait until the simulation is under way, then press Ctrl-C once.
        #expect(SignalReadiness.waitUntilReady(pid: child.process.processIdentifier, for: SIGINT))
        Thread.sleep(forTimeInterval: 1.5)
        #expect(child.process.isRunning, "the program finished before it could be interrupted")
        child.process.interrupt()
        let run = child.finish(timeout: 30)
        #expect(!run.signalled)
        #expect(run.status == 130)
        #expect(run.stdout == "")
        #expect(
            run.stderr
                == #"{"error": {"code": "interrupted", "message": "interrupted; the simulation was stopped"}}"# + "\n")
    }
}
