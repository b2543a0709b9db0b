// End-to-end: Ctrl-C (SIGINT) stops `qasm run` in every phase — the check of a large
// program, its compilation, the simulation, the sampling of 10^8 shots, a write to a
// pipe nobody reads — and `qasm check`, on the command line and in the shell: status
// 130, an error on stderr, nothing (more) on stdout.
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

    /// About 40 MB of gate statements: seconds of parsing and checking in the debug build.
    static func largeProgram() -> String {
        var lines = ["OPENQASM 2.0;", "include \"qelib1.inc\";", "qreg q[8];", "creg c[8];"]
        lines.reserveCapacity(2_000_000)
        for i in 0..<2_000_000 { lines.append("u3(0.1,0.2,0.3) q[\(i % 8)];") }
        return lines.joined(separator: "\n") + "\nmeasure q -> c;\n"
    }

    /// 10^7 operations from a few lines: gates of gates, lowered and fused for seconds.
    static func expandingProgram() -> String {
        var text = "OPENQASM 2.0;\ninclude \"qelib1.inc\";\ngate g0 a, b { cx a, b; h a; }\n"
        for level in 1...6 { text += "gate g\(level) a, b { " + String(repeating: "g\(level - 1) a, b; ", count: 10) + "}\n" }
        return text + "qreg q[4];\ncreg c[4];\ng6 q[0], q[1];\ng6 q[2], q[3];\nmeasure q -> c;\n"
    }

    static let bell = "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[2];\ncreg c[2];\nh q[0];\ncx q[0], q[1];\nmeasure q -> c;\n"

    /// The JSON error of a run stopped in `phase`.
    static func stopped(_ phase: String) -> String {
        #"{"error": {"code": "interrupted", "message": "interrupted; "# + phase + #""}}"# + "\n"
    }

    static let anyPhase = ["the check was stopped", "the compilation was stopped", "the simulation was stopped"]
        .map(stopped)

    /// Starts `qsh arguments...` with SIGINT at its default (env(1): a shell starts
    /// background jobs with SIGINT ignored, which exec keeps), waits until qsh takes
    /// Ctrl-C itself (it does once the program is read), presses it once, and collects
    /// the run. A run that ignored it would still be going when `finish` gives up.
    static func interrupt(_ arguments: [String], delay: Double = 0) throws -> QshRun {
        let child = try Subprocess.start("/usr/bin/env", ["--default-signal=INT", Qsh.binary] + arguments)
        #expect(SignalReadiness.waitUntilReady(pid: child.process.processIdentifier, for: SIGINT))
        if delay > 0 { Thread.sleep(forTimeInterval: delay) }
        #expect(child.process.isRunning, "the program finished before it could be interrupted")
        child.process.interrupt()
        return child.finish(timeout: 60)
    }

    @Test func sigintStopsTheSimulationWithStatus130() throws {
        let dir = try TempDirectory()
        let file = try dir.write("long.qasm", Self.longProgram())
        // Once the simulation is under way (the program is small: it parses in a moment).
        let run = try Self.interrupt(["qasm", "run", file, "--json", "--threads", "1"], delay: 1.5)
        #expect(!run.signalled)
        #expect(run.status == 130)
        #expect(run.stdout == "")
        #expect(run.stderr == Self.stopped("the simulation was stopped"))
    }

    @Test func sigintStopsTheCheckOfALargeProgram() throws {
        let dir = try TempDirectory()
        let file = try dir.write("large.qasm", Self.largeProgram())
        for command in ["run", "check"] {
            let run = try Self.interrupt(["qasm", command, file, "--json"])
            #expect(!run.signalled)
            #expect(run.status == 130)
            #expect(run.stdout == "")
            // The check takes seconds; what follows it, for a run, is as long.
            let expected = command == "check" ? [Self.stopped("the check was stopped")] : Self.anyPhase
            #expect(expected.contains(run.stderr), "\(run.stderr)")
        }
    }

    @Test func sigintStopsTheCompilationOfAProgramThatExpands() throws {
        let dir = try TempDirectory()
        let file = try dir.write("expands.qasm", Self.expandingProgram())
        let run = try Self.interrupt(["qasm", "run", file, "--json"], delay: 0.5)
        #expect(!run.signalled)
        #expect(run.status == 130)
        #expect(run.stdout == "")
        #expect(Self.anyPhase.contains(run.stderr), "\(run.stderr)")
    }

    @Test func sigintStopsTheSamplingOf100MillionShots() throws {
        let dir = try TempDirectory()
        let file = try dir.write("bell.qasm", Self.bell)
        // The program is checked and simulated in a moment; then the sampler draws 10^8 shots.
        let run = try Self.interrupt(["qasm", "run", file, "--shots", "100000000", "--json"], delay: 1)
        #expect(!run.signalled)
        #expect(run.status == 130)
        #expect(run.stdout == "")
        #expect(run.stderr == Self.stopped("the simulation was stopped"))
    }

    @Test func sigintStopsAWriteThatNobodyReads() throws {
        let dir = try TempDirectory()
        let file = try dir.write("h16.qasm", "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[16];\ncreg c[16];\nh q;\nmeasure q -> c;\n")
        // About 65536 outcomes of 30 bytes each: far more than a pipe holds.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["--default-signal=INT", Qsh.binary, "qasm", "run", file, "--shots", "200000", "--json"]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        let errors = DataBox()
        let reading = DispatchGroup()
        reading.enter()
        DispatchQueue.global().async {
            errors.data = err.fileHandleForReading.readDataToEndOfFile()
            reading.leave()
        }
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        #expect(BlockedWrite.waitUntilBlocked(pid: process.processIdentifier))
        process.interrupt()
        // Now read what it wrote before, so that it can end.
        let written = out.fileHandleForReading.readDataToEndOfFile()
        reading.wait()
        process.waitUntilExit()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 130)
        #expect(written.count >= 65536)
        #expect(String(decoding: errors.data, as: UTF8.self) == Self.stopped("the output was cut short"))
    }

    @Test func sigintStopsARunInTheShellWhichGoesOn() throws {
        let dir = try TempDirectory()
        try dir.write("bell.qasm", Self.bell)
        // A script on stdin: the run is interrupted, the script stops there with its status.
        let script = "qasm run bell.qasm --shots 100000000 -o table\nversion\n"
        let child = try Subprocess.start(
            "/usr/bin/env", ["--default-signal=INT", Qsh.binary], stdin: script, directory: dir.path)
        #expect(SignalReadiness.waitUntilReady(pid: child.process.processIdentifier, for: SIGINT))
        Thread.sleep(forTimeInterval: 1)
        #expect(child.process.isRunning)
        child.process.interrupt()
        let run = child.finish(timeout: 60)
        #expect(!run.signalled)
        #expect(run.status == 130)
        #expect(run.stdout == "")
        #expect(run.stderr == "qsh: line 1: interrupted; the simulation was stopped\n")
    }
}

extension QasmRunInterruptTests {
    @Test(.enabled(if: TmuxSession.tmux != nil))
    func ctrlCInTheInteractiveShellStopsTheRunAndThePromptComesBack() throws {
        let dir = try TempDirectory()
        try dir.write("bell.qasm", Self.bell)
        let command = "cd '\(dir.path)' && env -i PATH=/usr/bin:/bin TERM=screen INPUTRC=/dev/null LC_ALL=C "
            + "HOME='\(dir.path)' XDG_STATE_HOME='\(dir.path)/state' '\(Qsh.binary)'"
        let tmux = try TmuxSession(command: command)
        let last: ([String]) -> String = { $0.last ?? "" }
        tmux.waitFor { last($0) == "qsh>" }
        try tmux.type("qasm run bell.qasm --shots 100000000")
        try tmux.keys("Enter")
        tmux.waitFor { last($0) == "qsh> qasm run bell.qasm --shots 100000000" }
        // Ctrl-C (again, until the run sees it: a press before the run starts only clears the line).
        let stopped = "qsh: interrupted; the simulation was stopped"
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline && !tmux.screen().contains(stopped) {
            try tmux.keys("C-c")
            tmux.waitFor(1) { $0.contains(stopped) }
        }
        var screen = tmux.waitFor { $0.contains(stopped) && last($0) == "qsh>" }
        #expect(screen.contains(stopped))
        #expect(last(screen) == "qsh>")
        try tmux.type(".status")
        try tmux.keys("Enter")
        screen = tmux.waitFor { $0.contains("130  interrupted (Ctrl-C)") && last($0) == "qsh>" }
        #expect(screen.contains("130  interrupted (Ctrl-C)"))
    }
}
