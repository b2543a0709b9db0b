// End-to-end: submit (file, stdin, -q, --json, --dry-run), waiting with its
// timeout and Ctrl-C, and the exit status of every outcome.
import Foundation
import Testing
import TestSupport

@Suite struct SubmitWaitTests {
    @Test func submitPrintsTheTaskAndANotice() throws {
        let box = try TaskSandbox()
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

    @Test func quietPrintsOnlyTheIdAndStdinWorks() throws {
        let box = try TaskSandbox()
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

    @Test func waitTimesOutWith124() throws {
        let box = try TaskSandbox()
        let id = try box.submit()
        let run = try box.run(["tasks", "wait", id, "--timeout", "300ms", "-o", "json"])
        #expect(run.status == 124)
        #expect(run.stdout == "")
        let error = try J.parse(run.stderr)
        #expect(error["error"]["code"].string == "timeout")
        #expect(error["error"]["task_id"].string == id)
        #expect(error["error"]["message"].string == "timed out after 300ms: task '\(id)' is still Created")
    }

    @Test func submitWaitTimesOutToo() throws {
        let box = try TaskSandbox()
        let path = try box.program()
        let run = try box.run(["tasks", "submit", path, "--wait", "--timeout", "0.2", "-o", "ndjson"])
        #expect(run.status == 124)
        let lines = try ndjson(run.stdout)
        #expect(lines.count == 1)
        #expect(lines.first?["event"].string == "status")
        #expect(lines.first?["task_status"].string == "Created")
    }

    @Test func firstCtrlCStopsWaitingWith130() throws {
        let box = try TaskSandbox()
        let id = try box.submit()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Qsh.binary)
        process.arguments = ["tasks", "wait", id, "--timeout", "60"]
        process.environment = box.environment
        let err = Pipe()
        process.standardError = err
        process.standardOutput = Pipe()
        try process.run()
        // Give it time to start waiting; an early SIGINT would also end it with 130.
        Thread.sleep(forTimeInterval: 0.5)
        process.interrupt()
        process.waitUntilExit()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 130)
        #expect(stderr.contains("stopped waiting (\(id.prefix(8)) is Created); the task keeps running. Follow it with: qsh tasks wait \(id.prefix(8))"))
        #expect(try box.status(id) == "Created")
    }

    @Test func missingFileIsAnError() throws {
        let box = try TaskSandbox()
        let run = try box.run(["tasks", "submit", box.dir.file("nope.qasm")])
        #expect(run.status == 1)
        #expect(run.stdout == "")
        #expect(run.stderr == "{\"error\": {\"code\": \"not_found\", \"message\": \"cannot read '\(box.dir.file("nope.qasm"))': No such file or directory\"}}\n")
    }

    @Test(arguments: [
        (["--qpu", "sim:statevektor"], "qsh: unknown QPU 'sim:statevektor'; see 'qsh qpus list' (did you mean 'sim:statevector'?)\n"),
        (["--shots", "0"], "qsh: option '--shots' must be between 1 and 100000000, got 0\n"),
        (["--tag", "novalue"], "qsh: option '--tag' expects KEY=VALUE, got 'novalue'\n"),
        (["--timeout", "5"], "qsh: option '--timeout' needs '--wait'\n"),
        (["--seed", "-1"], "qsh: option '--seed' expects a non-negative integer below 2^64, got '-1'\n"),
    ])
    func usageErrorsExit2(arguments: [String], message: String) throws {
        let box = try TaskSandbox()
        let run = try box.run(["tasks", "submit", try box.program()] + arguments)
        #expect(run.status == 2)
        #expect(run.stdout == "")
        #expect(run.stderr.hasPrefix(message))
        #expect(!FileManager.default.fileExists(atPath: box.db))
    }

    @Test func notFoundAndAmbiguousIds() throws {
        let box = try TaskSandbox()
        let id = try box.submit()
        let missing = id.hasPrefix("0") ? "ffff" : "0000"
        let notFound = try box.run(["tasks", "get", missing])
        #expect(notFound.status == 5)
        #expect(notFound.stderr == "{\"error\": {\"code\": \"not_found\", \"message\": \"task '\(missing)' not found\", \"task_id\": \"\(missing)\"}}\n")
        let table = try box.run(["tasks", "results", missing, "-o", "table"])
        #expect(table.status == 5)
        #expect(table.stderr == "qsh: task '\(missing)' not found\n")
        let short = try box.run(["tasks", "get", "ab", "-o", "table"])
        #expect(short.status == 2)
        #expect(short.stderr == "qsh: 'ab' is not a task id; give a task id or a unique prefix of at least 4 hexadecimal digits\n")
    }
}

extension SubmitWaitTests {
    @Test func ctrlCWithCancelOnInterruptCancelsTheTask() throws {
        let box = try TaskSandbox()
        let id = try box.submit()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Qsh.binary)
        process.arguments = ["tasks", "wait", id, "--cancel-on-interrupt", "-o", "table"]
        process.environment = box.environment
        let err = Pipe()
        process.standardError = err
        process.standardOutput = Pipe()
        try process.run()
        Thread.sleep(forTimeInterval: 0.5)
        process.interrupt()
        process.waitUntilExit()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 130)
        #expect(stderr == "qsh: stopped waiting and asked to cancel: \(id.prefix(8)) is Cancelled\n")
        #expect(try box.status(id) == "Cancelled")
    }
}
