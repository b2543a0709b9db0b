// End-to-end: submit (file, stdin, -q, --json, --dry-run), waiting with its
// timeout and Ctrl-C, and the exit status of every outcome — through both doors (local, and
// qsh as a client of `qsh serve`) but for these local-only ones: databaseIsCreatedPrivate and
// dbOptionWinsOverTheEnvironment (the local database file and --db), autostartedWorkerRunsTheTask
// (only a local submit starts a worker).
import Foundation
import Testing
import TestSupport

@Suite struct SubmitWaitTests {
    @Test(arguments: Door.allCases) func submitPrintsTheTaskAndANotice(door: Door) throws {
        let box = try TaskSandbox(door)
        let path = try box.program()
        let run = try box.run(["tasks", "submit", path, "--shots", "100", "--seed", "5", "--name", "b",
                               "--tag", "x=1", "-o", "json"])
        #expect(run.status == 0)
        let task = try J.parse(run.stdout)
        let id = try #require(task["id"].string)
        #expect(run.stderr == "submitted task \(id)\n")
        #expect(task["task_status"].string == "Created")
        #expect(task["qpu_id"].string == "sim:statevector")
        #expect(task["shots"].int == 100)
        #expect(task["seed"].int == 5)
        #expect(task["tags"].text == #"{"x":"1"}"#)
        #expect(task["error_reasons"].text == "[]")
        #expect(task["created_date"].string?.hasSuffix("Z") == true)
        let order = run.stdout.split(separator: "\n").dropFirst().prefix(10).map {
            $0.trimmingCharacters(in: .whitespaces).split(separator: "\"")[0]
        }
        #expect(order == ["id", "task_status", "qpu_id", "shots", "definition_id", "compilation_id", "created_by",
                          "created_date", "updated_date", "error_reasons"])
        #expect(id.count == 36)
        #expect(Array(id)[14] == "4")
    }

    @Test(arguments: Door.allCases) func quietPrintsOnlyTheIdAndStdinWorks(door: Door) throws {
        let box = try TaskSandbox(door)
        let run = try box.run(["tasks", "submit", "-", "-q"], stdin: TaskSandbox.bell)
        #expect(run.status == 0)
        #expect(run.stderr == "")
        let id = run.stdout.trimmingCharacters(in: .newlines)
        #expect(run.stdout == id + "\n")
        #expect(try box.status(String(id.prefix(6))) == "Created")
    }

    @Test func databaseIsCreatedPrivate() throws {
        let box = try TaskSandbox()
        _ = try box.submit()
        let attributes = try FileManager.default.attributesOfItem(atPath: box.db)
        let dirAttributes = try FileManager.default.attributesOfItem(atPath: box.dir.file("data"))
        #expect(attributes[.posixPermissions] as? Int == 0o600)
        #expect(dirAttributes[.posixPermissions] as? Int == 0o700)
    }

    @Test func dbOptionWinsOverTheEnvironment() throws {
        let box = try TaskSandbox()
        let other = box.dir.file("other.sqlite")
        let run = try box.run(["--db", other, "tasks", "submit", "-", "-q"], stdin: TaskSandbox.bell)
        #expect(run.status == 0)
        #expect(FileManager.default.fileExists(atPath: other))
        #expect(!FileManager.default.fileExists(atPath: box.db))
    }

    @Test(arguments: Door.allCases) func waitTimesOutWith124(door: Door) throws {
        let box = try TaskSandbox(door)
        let id = try box.submit()
        let run = try box.run(["tasks", "wait", id, "--timeout", "300ms", "-o", "json"])
        #expect(run.status == 124)
        #expect(run.stdout == "")
        let error = try J.parse(run.stderr)
        #expect(error["error"]["code"].string == "timeout")
        #expect(error["error"]["task_id"].string == id)
        #expect(
            error["error"]["message"].string == "timed out after 300ms: task '\(id)' is still Created, and no worker "
                + "is running: start one with 'qsh worker' ('tasks submit' starts one unless --no-autostart or "
                + "QSH_NO_AUTOSTART=1)")
    }

    @Test(arguments: Door.allCases) func submitWaitTimesOutToo(door: Door) throws {
        let box = try TaskSandbox(door)
        let path = try box.program()
        let run = try box.run(["tasks", "submit", path, "--wait", "--timeout", "0.2", "-o", "ndjson"])
        #expect(run.status == 124)
        let lines = try ndjson(run.stdout)
        #expect(lines.count == 1)
        #expect(lines.first?["event"].string == "status")
        #expect(lines.first?["task_status"].string == "Created")
    }

    @Test(arguments: Door.allCases) func firstCtrlCStopsWaitingWith130(door: Door) throws {
        let box = try TaskSandbox(door)
        let id = try box.submit()
        let child = try Subprocess.start(Qsh.binary, ["tasks", "wait", id, "--timeout", "60"],
                                         environment: box.environment(for: ["tasks"]))
        // Ctrl-C once the wait has started (it blocks SIGINT and takes it with sigtimedwait).
        #expect(SignalReadiness.waitUntilReady(pid: child.process.processIdentifier, for: SIGINT))
        child.process.interrupt()
        let run = child.finish()
        let stderr = run.stderr
        #expect(run.status == 130)
        #expect(stderr.contains("stopped waiting (\(id.prefix(8)) is Created); the task keeps running. Follow it with: qsh tasks wait \(id.prefix(8))"))
        #expect(try box.status(id) == "Created")
    }

    @Test(arguments: Door.allCases) func missingFileIsAnError(door: Door) throws {
        let box = try TaskSandbox(door)
        let run = try box.run(["tasks", "submit", box.dir.file("nope.qasm"), "--json"])
        #expect(run.status == 1)
        #expect(run.stdout == "")
        #expect(run.stderr == "{\"error\": {\"code\": \"file_not_found\", \"message\": \"cannot read '\(box.dir.file("nope.qasm"))': No such file or directory\"}}\n")
        // JSON only by default (stdout is a pipe): the error is for people.
        let piped = try box.run(["tasks", "submit", box.dir.file("nope.qasm")])
        #expect(piped.status == 1)
        #expect(piped.stderr == "qsh: cannot read '\(box.dir.file("nope.qasm"))': No such file or directory\n")
    }

    @Test(arguments: [
        (["--qpu", "sim:statevektor"], "qsh: unknown QPU 'sim:statevektor'; see 'qsh qpus list' (did you mean 'sim:statevector'?)\n"),
        (["--shots", "0"], "qsh: option '--shots' must be between 1 and 100000000, got 0\n"),
        (["--tag", "novalue"], "qsh: option '--tag' expects KEY=VALUE, got 'novalue'\n"),
        (["--timeout", "5"], "qsh: option '--timeout' needs '--wait'\n"),
        (["--seed", "-1"],
         "qsh: option '--seed' must be an integer from 0 to 9007199254740992 (2^53, the largest that JSON keeps exact), got '-1'\n"),
        // The same range as `qasm run --seed`, so a task's seed survives any JSON reader.
        (["--seed", "9007199254740993"],
         "qsh: option '--seed' must be an integer from 0 to 9007199254740992 (2^53, the largest that JSON keeps exact), got '9007199254740993'\n"),
        (["--shots", "99999999999999999999"], "qsh: option '--shots' must be between 1 and 100000000, got 99999999999999999999\n"),
    ], Door.allCases)
    func usageErrorsExit2(usage: ([String], String), door: Door) throws {
        let (arguments, message) = usage
        let box = try TaskSandbox(door)
        let run = try box.run(["tasks", "submit", try box.program()] + arguments)
        #expect(run.status == 2)
        #expect(run.stdout == "")
        #expect(run.stderr.hasPrefix(message))
        // Nothing was stored: no database locally; no task on the server (whose database exists).
        if door == .local {
            #expect(!FileManager.default.fileExists(atPath: box.db))
        } else {
            #expect(try J.parse(try box.run(["tasks", "list", "-o", "json"]).stdout)["total"].int == 0)
        }
    }

    @Test(arguments: Door.allCases) func notFoundAndAmbiguousIds(door: Door) throws {
        let box = try TaskSandbox(door)
        let id = try box.submit()
        let missing = id.hasPrefix("0") ? "ffff" : "0000"
        let notFound = try box.run(["tasks", "get", missing], extra: ["QSH_OUTPUT": "json"])
        #expect(notFound.status == 5)
        #expect(notFound.stderr == "{\"error\": {\"code\": \"not_found\", \"message\": \"task '\(missing)' not found\", \"task_id\": \"\(missing)\"}}\n")
        let table = try box.run(["tasks", "results", missing, "-o", "table"])
        #expect(table.status == 5)
        #expect(table.stderr == "qsh: task '\(missing)' not found\n")
        let short = try box.run(["tasks", "get", "ab", "-o", "table"])
        #expect(short.status == 2)
        #expect(short.stderr == "qsh: 'ab' is not a task id; give a task id or a unique prefix of at least 4 hexadecimal digits\n")
    }

    @Test(arguments: Door.allCases) func happyPathEndsCompletedWithCounts(door: Door) throws {
        let box = try TaskSandbox(door)
        let id = try box.submit(["--shots", "1000", "--seed", "42"])
        let twin = try box.submit(["--shots", "1000", "--seed", "42"])
        let worker = try box.run(["worker", "--once"])
        #expect(worker.status == 0)
        let wait = try box.run(["tasks", "wait", id, "-o", "json"])
        #expect(wait.status == 0)
        #expect(wait.stderr == "")
        let task = try J.parse(wait.stdout)[0]
        #expect(task["task_status"].string == "Completed")
        #expect(task["shots_done"].int == 1000)
        #expect(!task["compilation_id"].isNull)
        let results = try box.run(["tasks", "results", String(id.prefix(8)), "-o", "json"])
        #expect(results.status == 0)
        let r = try J.parse(results.stdout)
        #expect(r["task_id"].string == id)
        #expect(r["partial"].bool == false)
        #expect(r["data"]["c"].keys == ["00", "11"])
        #expect((r["data"]["c"]["00"].int ?? 0) + (r["data"]["c"]["11"].int ?? 0) == 1000)
        #expect(r["timings"].keys == ["compile", "execute", "queued", "sample", "simulate", "total"])
        #expect(r["metrics"]["qubits"].int == 2)
        // The seed is a number in the metadata as in the task, and so is the thread count.
        #expect(r["metadata"]["seed"].text == "42")
        #expect(r["metadata"]["threads"].int != nil)
        // `qasm run --json` with the same seed and shots prints the same data and metrics, key for key.
        let local = try box.run(["qasm", "run", "--json", "--seed", "42", "--shots", "1000", "bell.qasm"])
        #expect(local.status == 0)
        let l = try J.parse(local.stdout)
        #expect(l["data"].text == r["data"].text)
        #expect(l["metrics"].text == r["metrics"].text)
        // The same seed gives the same counts.
        let again = try J.parse(try box.run(["tasks", "results", twin, "-o", "json"]).stdout)
        #expect(again["data"].text == r["data"].text)
        let events = try ndjson(try box.run(["tasks", "events", id, "-o", "ndjson"]).stdout)
        #expect(events.map { $0["to"].string ?? "" } == [
            "Created", "PayloadProcessing", "Scheduled", "ExecutionStarted", "ExecutionCompleted", "Completed",
        ])
        let table = try box.run(["tasks", "results", id, "-o", "table"])
        #expect(table.stdout.hasPrefix("REGISTER  BITS  COUNT   SHARE\nc         00  "))
    }

    @Test(arguments: Door.allCases) func submitWaitStreamsStatesThenTheTaskAndResults(door: Door) throws {
        let box = try TaskSandbox(door)
        let worker = try box.start(["worker", "--idle-exit", "20"])
        defer { worker.terminate(); worker.waitUntilExit() }
        let run = try box.run(["tasks", "submit", try box.program(), "--shots", "100", "--wait", "-o", "ndjson"])
        #expect(run.status == 0)
        let lines = try ndjson(run.stdout)
        let statuses = lines.filter { $0["event"].string == "status" }.compactMap { $0["task_status"].string }
        let order = ["Created", "PayloadProcessing", "Scheduled", "ExecutionStarted", "ExecutionCompleted", "Completed"]
        #expect(statuses.last == "Completed")
        #expect(statuses.map { order.firstIndex(of: $0) ?? -1 } == statuses.map { order.firstIndex(of: $0) ?? -1 }.sorted())
        let tail = lines.suffix(2)
        #expect(tail.first?["task_status"].string == "Completed")
        #expect(tail.last?["data"]["c"].keys.isEmpty == false)
    }

    @Test(arguments: Door.allCases) func payloadProcessingErrorCarriesItsReasonsAndExits3(door: Door) throws {
        let box = try TaskSandbox(door)
        let id = try box.submit(text: TaskSandbox.badArity, name: "bell.qasm")
        #expect(try box.run(["worker", "--once"]).status == 0)
        let run = try box.run(["tasks", "wait", id, "-o", "json"])
        #expect(run.status == 3)
        let task = try J.parse(run.stdout)[0]
        #expect(task["task_status"].string == "PayloadProcessingError")
        #expect(task["error_class"].string == "invalid_program")
        #expect(task["error_reasons"].text == #"["bell.qasm:4:1: 'cx' takes 2 quantum arguments, but got 1"]"#)
        #expect(task["compilation_id"].isNull)
        try box.program("bad.qasm", TaskSandbox.badArity)
        let dry = try box.run(["tasks", "submit", "--dry-run", "bad.qasm", "-o", "json"])
        #expect(dry.status == 1)
        let report = try J.parse(dry.stdout)
        #expect(report["ok"].bool == false)
        #expect(report["error_class"].string == "invalid_program")
        // JSON was asked for, so the error is one JSON document with the diagnostics.
        let error = try J.parse(dry.stderr)["error"]
        #expect(error["code"].string == "invalid_program")
        #expect(error["message"].string == "1 error in 'bad.qasm'")
        #expect(error["diagnostics"].text
            == #"[{"code":"wrong_qubit_count","column":1,"line":4,"message":"'cx' takes 2 quantum arguments, but got 1"}]"#)
        let text = try box.run(["tasks", "submit", "--dry-run", "bad.qasm", "-o", "table"])
        #expect(text.status == 1)
        #expect(text.stdout == "")
        #expect(text.stderr == "bad.qasm:4:1: error: 'cx' takes 2 quantum arguments, but got 1\nqsh: 1 error in 'bad.qasm'\n")
        let good = try box.run(["tasks", "submit", "--dry-run", try box.program(), "-o", "table"])
        #expect(good.status == 0)
        #expect(good.stdout.hasPrefix("ok: "))
        #expect(good.stdout.hasSuffix(" is valid for sim:statevector (2 qubits, 2 bits, 4 operations)\n"))
        #expect(try J.parse(try box.run(["tasks", "list"]).stdout)["total"].int == 1)
    }

    @Test(arguments: Door.allCases) func tooManyQubitsIsAResourceLimit(door: Door) throws {
        let box = try TaskSandbox(door)
        let big = "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[40];\ncreg c[1];\nh q[0];\nmeasure q[0] -> c[0];\n"
        let id = try box.submit(text: big, name: "big.qasm", extra: ["QSH_MEMORY_LIMIT": "64M"])
        #expect(try box.run(["worker", "--once"], extra: ["QSH_MEMORY_LIMIT": "64M"]).status == 0)
        let task = try box.task(id)
        #expect(task["task_status"].string == "PayloadProcessingError")
        #expect(task["error_class"].string == "resource_limit")
    }

    @Test(.enabled(if: TaskSandbox.sqlite3 != nil))
    func autostartedWorkerRunsTheTask() throws {
        let box = try TaskSandbox()
        let run = try Qsh.run(
            ["tasks", "submit", try box.program(), "--shots", "10", "--wait", "--timeout", "60", "-o", "json"],
            environment: ["QSH_DB": box.db, "QSH_NO_AUTOSTART": ""])
        let pids = try box.workerPIDs()
        for pid in pids { kill(pid, SIGTERM) }
        #expect(run.status == 0)
        #expect(try J.parse(run.stdout)["task_status"].string == "Completed")
        #expect(pids.count == 1)
    }
}

extension SubmitWaitTests {
    @Test(arguments: Door.allCases) func ctrlCWithCancelOnInterruptCancelsTheTask(door: Door) throws {
        let box = try TaskSandbox(door)
        let id = try box.submit()
        let child = try Subprocess.start(Qsh.binary, ["tasks", "wait", id, "--cancel-on-interrupt", "-o", "table"],
                                         environment: box.environment(for: ["tasks"]))
        // Ctrl-C once the wait has started (it blocks SIGINT and takes it with sigtimedwait).
        #expect(SignalReadiness.waitUntilReady(pid: child.process.processIdentifier, for: SIGINT))
        child.process.interrupt()
        let run = child.finish()
        let stderr = run.stderr
        #expect(run.status == 130)
        #expect(stderr == "qsh: stopped waiting and asked to cancel: \(id.prefix(8)) is Cancelled\n")
        #expect(try box.status(id) == "Cancelled")
    }
}
