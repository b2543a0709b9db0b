// The QPUs end to end: the hardware-like sim:native refusing a Toffoli and a cx its
// coupling map lacks (reasons, located diagnostics, exit statuses), a program of native
// gates running on it, a paused QPU holding tasks in Scheduled with their queue positions
// and running them once resumed, `qpus list|get` in JSON and table, `qsh config` with its
// precedence, and the diagnostics of a run in `tasks get --diagnostics`. Every test runs
// through both doors (local, and qsh as a client of `qsh serve`).
import Foundation
import Testing
import TestSupport

@Suite struct QPUTests {
    static let toffoli = """
        OPENQASM 2.0;
        include "qelib1.inc";
        qreg q[3];
        creg c[3];
        ccx q[0],q[1],q[2];
        cx q[0],q[2];
        measure q -> c;

        """

    static let native = """
        OPENQASM 2.0;
        include "qelib1.inc";
        gate flip a,b { x a; cx a,b; }
        qreg q[2];
        creg c[2];
        flip q[0],q[1];
        rz(pi/4) q[1];
        sx q[1];
        sx q[1];
        measure q -> c;

        """

    @Test(arguments: Door.allCases) func theNativeQPURefusesToffoliAndAnUnconnectedCX(door: Door) throws {
        let box = try TaskSandbox(door)
        try box.program("t.qasm", Self.toffoli)
        let dry = try box.run(["tasks", "submit", "t.qasm", "--qpu", "sim:native", "--dry-run", "-o", "table"])
        #expect(dry.status == 1)
        #expect(dry.stdout == "")
        #expect(dry.stderr == """
            t.qasm:5:1: error: Unsupported gate: ccx - The ccx (Toffoli) gate is not supported by qpu sim:native
            t.qasm:6:1: error: Unsupported gate: cx on q[0], q[2] - qubits 0 and 2 are not connected on qpu sim:native
            qsh: 2 errors in 't.qasm'

            """)
        let id = try box.submit(["--qpu", "sim:native"], text: Self.toffoli, name: "t.qasm")
        let worker = try box.run(["worker", "--once"])
        #expect(worker.status == 0)
        let wait = try box.run(["tasks", "wait", id, "-o", "json"])
        #expect(wait.status == 3)
        let task = try box.task(id)
        #expect(task["task_status"].string == "PayloadProcessingError")
        #expect(task["error_class"].string == "unsupported_feature")
        #expect(task["error_reasons"].array.compactMap(\.string) == [
            "Unsupported gate: ccx - The ccx (Toffoli) gate is not supported by qpu sim:native",
            "Unsupported gate: cx on q[0], q[2] - qubits 0 and 2 are not connected on qpu sim:native",
        ])
        let diagnostics = try box.run(["tasks", "get", id, "--diagnostics", "-o", "json"])
        #expect(diagnostics.status == 0 && diagnostics.stderr == "")
        let document = try J.parse(diagnostics.stdout)
        #expect(document["runs"].array.isEmpty)
        #expect(document["diagnostics"].text == """
            [{"code":"unsupported_feature","column":1,"line":5,"message":"Unsupported gate: ccx - The ccx (Toffoli) gate is not supported by qpu sim:native"},\
            {"code":"unsupported_feature","column":1,"line":6,"message":"Unsupported gate: cx on q[0], q[2] - qubits 0 and 2 are not connected on qpu sim:native"}]
            """)
        let table = try box.run(["tasks", "get", id, "--diagnostics", "-o", "table"])
        let tail = """

            runs: none (the task has not run)

            diagnostics:
              t.qasm:5:1: error: Unsupported gate: ccx - The ccx (Toffoli) gate is not supported by qpu sim:native
              t.qasm:6:1: error: Unsupported gate: cx on q[0], q[2] - qubits 0 and 2 are not connected on qpu sim:native

            """
        #expect(table.stdout.hasSuffix(tail))
        #expect(document["program_name"].string == "t.qasm")
        // The same program runs on the simulator, which takes every gate.
        let plain = try box.submit([], text: Self.toffoli, name: "t.qasm")
        #expect(try box.run(["worker", "--once"]).status == 0)
        #expect(try box.status(plain) == "Completed")
    }

    @Test(arguments: Door.allCases) func aProgramOfNativeGatesRunsOnTheNativeQPUWithItsDiagnostics(door: Door) throws {
        let box = try TaskSandbox(door)
        let id = try box.submit(["--qpu", "sim:native", "--shots", "64", "--seed", "5"], text: Self.native, name: "n.qasm")
        #expect(try box.run(["worker", "--once"]).status == 0)
        let run = try box.run(["tasks", "get", id, "--diagnostics", "-o", "json"])
        #expect(run.status == 0)
        let document = try J.parse(run.stdout)
        #expect(document["task_status"].string == "Completed")
        #expect(document["queue"].isNull)
        let last = document["runs"][0]
        #expect(last["attempt"].int == 1)
        #expect(last["timings"].keys == ["compile", "execute", "queued", "sample", "simulate", "total"])
        #expect(last["metrics"]["gates"].text == #"{"cx":1,"measure":2,"rz":1,"sx":2,"x":1}"#)
        #expect(last["metrics"]["gate_count"].int == 5)
        #expect(last["metrics"]["two_qubit_gates"].int == 1)
        #expect(last["metrics"]["qubits"].int == 2)
        #expect(last["metadata"]["precision"].string == "double")
        #expect(last["metadata"]["qsh_version"].string != nil)
        #expect(last["metadata"]["simd"].string != nil)
        #expect(last["metadata"]["seed"].int == 5)
        #expect(last["metadata"]["threads"].int != nil)
        // The single-precision QPU runs in single precision.
        let single = try box.submit(["--qpu", "sim:statevector-single"], name: "n.qasm")
        #expect(try box.run(["worker", "--once"]).status == 0)
        let singleRun = try J.parse(try box.run(["tasks", "get", single, "--diagnostics", "-o", "json"]).stdout)
        #expect(singleRun["runs"][0]["metadata"]["precision"].string == "single")
    }

    @Test(arguments: Door.allCases) func aPausedQPUHoldsItsTasksInScheduledThenRunsThemOnResume(door: Door) throws {
        let box = try TaskSandbox(door)
        // The database is created by the first submit; pausing needs none yet.
        let pause = try box.run(["qpus", "pause", "sim:statevector", "-o", "tsv"])
        #expect(pause.status == 0)
        #expect(pause.stderr == "qpu sim:statevector paused\n")
        #expect(pause.stdout.hasPrefix("sim:statevector\tpaused\t0\t40\t"))
        let first = try box.submit()
        let second = try box.submit()
        let other = try box.submit(["--qpu", "sim:statevector-single"])
        #expect(try box.run(["worker", "--once"]).status == 0)
        #expect(try box.status(other) == "Completed")
        for id in [first, second] { #expect(try box.status(id) == "Scheduled") }
        let json = try box.task(second)
        #expect(json["queue"].text == #"{"length":2,"position":2,"qpu_status":"paused"}"#)
        #expect(try box.task(first)["queue"].text == #"{"length":2,"position":1,"qpu_status":"paused"}"#)
        let table = try box.run(["tasks", "get", second, "-o", "table"])
        #expect(table.stdout.contains("\nqueue:   2 of 2 for sim:statevector (paused)\n"))
        let list = try box.run(["qpus", "list", "-o", "table"])
        #expect(list.stdout.split(separator: "\n")[1].hasPrefix("sim:statevector         paused       2      40"))
        // Another worker pass leaves them waiting.
        #expect(try box.run(["worker", "--once"]).status == 0)
        #expect(try box.status(first) == "Scheduled")

        let resume = try box.run(["qpus", "resume", "sim:statevector", "-o", "json"])
        #expect(resume.status == 0 && resume.stderr == "qpu sim:statevector online\n")
        let status = try J.parse(resume.stdout)
        #expect(status["status"].string == "online" && status["queued"].int == 2)
        #expect(try box.run(["worker", "--once"]).status == 0)
        for id in [first, second] {
            #expect(try box.status(id) == "Completed")
            #expect(try box.task(id)["queue"].isNull)
        }
        let events = try J.parse(try box.run(["tasks", "events", first, "-o", "json"]).stdout)
        #expect(events.array.compactMap { $0["to"].string } == [
            "Created", "PayloadProcessing", "Scheduled", "ExecutionStarted", "ExecutionCompleted", "Completed",
        ])
    }

    @Test(arguments: Door.allCases) func unknownQPUsAreNotFound(door: Door) throws {
        let box = try TaskSandbox(door)
        for words in [["qpus", "get", "sim:nope"], ["qpus", "pause", "sim:nope"], ["qpus", "resume", "sim:nope"]] {
            let run = try box.run(words)
            #expect(run.status == 5)
            #expect(run.stdout == "")
            #expect(run.stderr == "qsh: QPU 'sim:nope' not found\n")
        }
        let json = try box.run(["qpus", "get", "sim:nope", "--json"])
        #expect(json.stderr == #"{"error": {"code": "not_found", "message": "QPU 'sim:nope' not found"}}"# + "\n")
    }

    @Test(arguments: Door.allCases) func qpusGetShowsTheNativeGatesAndCouplingMap(door: Door) throws {
        // The memory limit is the machine's that runs the tasks: qsh's locally, the server's.
        let limit = ["QSH_MEMORY_LIMIT": "64M"]
        let box = try TaskSandbox(door, serverEnvironment: limit)
        let run = try box.run(["qpus", "get", "sim:native", "-o", "table"], extra: door == .local ? limit : [:])
        #expect(run.status == 0 && run.stderr == "")
        #expect(run.stdout == """
            id:           sim:native
            summary:      hardware-like: gates rz sx x cx, 20 qubits in a line (i coupled to i+1)
            status:       online
            queued:       0 tasks
            qubits:       20
            max shots:    100000000
            memory:       64 MiB
            precisions:   double
            mid-circuit:  measure, reset and if
            native gates: CX cx rz sx x (and measure, reset, barrier)
            coupling:     0-1 1-2 2-3 3-4 ... 18-19 (19 pairs; -o wide lists all)

            """)
        let json = try J.parse(try box.run(["qpus", "get", "sim:native", "-o", "json"]).stdout)
        #expect(json["native_gates"].text == #"["CX","cx","rz","sx","x"]"#)
        #expect(json["coupling_map"].array.count == 19)
        #expect(json["coupling_map"][18].text == "[18,19]")
        #expect(json["mode"].string == "sim-native")
    }

    @Test(arguments: Door.allCases) func configKeepsSettingsWithFlagOverEnvironmentOverFileOverDefault(door: Door) throws {
        let box = try TaskSandbox(door)
        #expect(try box.run(["config", "set", "default_qpu", "sim:native"]).status == 0)
        let set = try box.run(["config", "set", "shots", "64"])
        #expect(set.status == 0 && set.stdout == "" && set.stderr == "")
        let file = try String(contentsOfFile: box.dir.file("config/qsh/config"), encoding: .utf8)
        #expect(file == "default_qpu = sim:native\nshots = 64\n")
        let get = try box.run(["config", "get", "default_qpu", "-o", "table"])
        #expect(get.stdout == "sim:native\n" && get.status == 0)
        let list = try box.run(["config", "list", "-o", "table"], extra: ["QSH_SHOTS": "32"])
        #expect(list.stdout == """
            KEY          VALUE                                SOURCE       IN FILE
            default_qpu  sim:native                           config       sim:native
            shots        32                                   environment  64
            output       table on a terminal, json in a pipe  default      -
            api          none (the local task database)       default      -
            file: \(box.dir.file("config/qsh/config"))

            """)
        let fromFile = try box.task(try box.submit())
        #expect(fromFile["qpu_id"].string == "sim:native" && fromFile["shots"].int == 64)
        let fromEnvironment = try box.task(
            try box.submit([], extra: ["QSH_QPU": "sim:statevector-single", "QSH_SHOTS": "32"]))
        #expect(fromEnvironment["qpu_id"].string == "sim:statevector-single" && fromEnvironment["shots"].int == 32)
        let fromFlags = try box.task(
            try box.submit(["--qpu", "sim:statevector", "--shots", "16"], extra: ["QSH_QPU": "sim:statevector-single"]))
        #expect(fromFlags["qpu_id"].string == "sim:statevector" && fromFlags["shots"].int == 16)
        // The output format: the file's, unless the environment or a flag says otherwise.
        #expect(try box.run(["config", "set", "output", "tsv"]).status == 0)
        #expect(try box.run(["config", "get", "output"]).stdout == "output\ttsv\tconfig\ttsv\n")
        #expect(try box.run(["config", "get", "output"], extra: ["QSH_OUTPUT": "table"]).stdout == "table\n")
        #expect(try box.run(["config", "get", "output", "-o", "table"]).stdout == "tsv\n")
        #expect(try box.run(["config", "unset", "default_qpu"]).status == 0)
        #expect(try box.run(["config", "unset", "output"]).status == 0)
        #expect(try box.task(try box.submit())["qpu_id"].string == "sim:statevector")
        // Bad values are refused, and so is a file that does not parse.
        let bad = try box.run(["config", "set", "output", "yaml"])
        #expect(bad.status == 2 && bad.stdout == "")
        #expect(bad.stderr.hasPrefix(
            "qsh: 'yaml' is not an output format; use one of: table, wide, json, ndjson, csv, tsv\n"))
        try box.dir.write("config/qsh/config", "shots: 5\n")
        let broken = try box.run(["tasks", "list"])
        #expect(broken.status == 2 && broken.stdout == "")
        #expect(broken.stderr == "qsh: config file '\(box.dir.file("config/qsh/config"))' line 1: expected 'key = value', "
            + "got 'shots: 5'; fix it or run 'qsh config unset <key>'\n")
    }
}
