// End-to-end: Ctrl-C (SIGINT) stops a long `qasm run` between passes over the state;
// the process ends with status 130, an error on stderr and nothing on stdout.
import Foundation
import Testing
import TestSupport

@Suite struct QasmRunInterruptTests {
    /// A 24-qubit program of many layers: seconds even in a release build.
    static func longProgram() -> String {
        var text = "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[24];\ncreg c[24];\n"
        for layer in 0..<120 {
            for q in 0..<24 { text += "u3(0.\(layer % 9 + 1),0.2,0.3) q[\(q)];\n" }
            for q in stride(from: layer % 2, to: 23, by: 2) { text += "cx q[\(q)],q[\(q + 1)];\n" }
        }
        return text + "measure q -> c;\n"
    }

    @Test func sigintStopsTheSimulationWithStatus130() throws {
        let dir = try TempDirectory()
        let file = try dir.write("long.qasm", Self.longProgram())
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Qsh.binary)
        process.arguments = ["qasm", "run", file, "--json", "--threads", "1"]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        let outBox = DataBox(), errBox = DataBox()
        let group = DispatchGroup()
        for (pipe, box) in [(out, outBox), (err, errBox)] {
            group.enter()
            DispatchQueue.global().async {
                box.data = pipe.fileHandleForReading.readDataToEndOfFile()
                group.leave()
            }
        }
        try process.run()
        // Wait until the simulation is under way, then press Ctrl-C once.
        Thread.sleep(forTimeInterval: 2.0)
        #expect(process.isRunning, "the program finished before it could be interrupted")
        process.interrupt()
        let deadline = Date().addingTimeInterval(60)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        group.wait()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 130)
        #expect(String(decoding: outBox.data, as: UTF8.self) == "")
        #expect(
            String(decoding: errBox.data, as: UTF8.self)
                == #"{"error": {"code": "interrupted", "message": "interrupted; the simulation was stopped"}}"# + "\n")
    }
}
