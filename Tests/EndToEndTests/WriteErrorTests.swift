// End-to-end: a write to stdout that fails (a full disk, a closed descriptor) is an
// io_error with status 1 for every command, in the shell too, and ends a stream at once;
// a reader that went away (EPIPE) is not an error; a failing stderr never crashes qsh.
import Foundation
import Testing
import TestSupport

@Suite struct WriteErrorTests {
    static let full = "qsh: cannot write to standard output: No space left on device\n"
    static let closed = "qsh: cannot write to standard output: Bad file descriptor\n"
    static let fullJSON = #"{"error": {"code": "io_error", "message": "cannot write to standard output: No space left on device"}}"# + "\n"

    /// A sandbox with a database, a Completed task and a Created one.
    static func sandbox() throws -> (TaskSandbox, done: String, queued: String) {
        let box = try TaskSandbox()
        let done = try box.submit(["--shots", "100"])
        #expect(try box.run(["worker", "--once"]).status == 0)
        let queued = try box.submit()
        return (box, done, queued)
    }

    func run(_ box: TaskSandbox, _ arguments: [String], _ redirection: String, stdin: String? = nil) throws -> QshRun {
        try Qsh.run(arguments, redirection: redirection, stdin: stdin, environment: box.environment, directory: box.dir.path)
    }

    @Test func everyCommandReportsAFullDiskOnceAndExits1() throws {
        let (box, done, queued) = try Self.sandbox()
        let commands: [[String]] = [
            ["help"], ["--help"], ["--version"], ["version"], ["help", "exit-codes"], ["tasks", "submit", "--help"],
            ["tasks", "list"], ["tasks", "list", "-o", "tsv"], ["tasks", "get", done], ["tasks", "results", done],
            ["tasks", "events", done], ["tasks", "wait", done], ["tasks", "get", done, "--wait", "-o", "table"],
            ["qpus", "list"], ["qpus", "get", "sim:statevector", "-o", "csv"],
            ["qasm", "check", "bell.qasm"], ["qasm", "check", "bell.qasm", "-o", "table"],
            ["qasm", "run", "bell.qasm", "--shots", "100000"], ["qasm", "run", "bell.qasm", "--probabilities", "-o", "table"],
            ["tasks", "submit", "bell.qasm", "--dry-run", "-o", "table"],
            ["completion", "bash"], ["completion", "--complete", "--", "qsh ta"],
        ]
        for command in commands {
            let run = try run(box, command, ">/dev/full")
            #expect(run.status == 1, "\(command)")
            #expect(run.stderr == Self.full, "\(command)")
        }
        // Commands that also leave a notice on stderr: the error is still said exactly once.
        let submit = try run(box, ["tasks", "submit", "bell.qasm"], ">/dev/full")
        #expect(submit.status == 1)
        #expect(submit.stderr.hasPrefix("submitted task "))
        #expect(submit.stderr.hasSuffix("\n" + Self.full))
        #expect(submit.stderr.components(separatedBy: "cannot write").count == 2)
        let cancel = try run(box, ["tasks", "cancel", queued, "-o", "table"], ">/dev/full")
        #expect(cancel.status == 1)
        #expect(cancel.stderr == "cancelled task \(queued)\n" + Self.full)
    }

    @Test func aClosedStdoutIsABadFileDescriptor() throws {
        let (box, done, _) = try Self.sandbox()
        for command in [["tasks", "list"], ["help"], ["tasks", "results", done], ["qasm", "run", "bell.qasm"]] {
            let run = try run(box, command, ">&-")
            #expect(run.status == 1, "\(command)")
            #expect(run.stderr == Self.closed, "\(command)")
        }
        // The database is never opened on the closed descriptor: it is intact afterwards.
        let list = try box.run(["tasks", "list", "-o", "json"])
        #expect(list.status == 0)
        #expect(try J.parse(list.stdout)["total"].int == 2)
    }

    @Test func theErrorIsJSONWhenJSONWasAskedFor() throws {
        let (box, done, _) = try Self.sandbox()
        let json = Self.fullJSON
        for command in [["tasks", "list", "--json"], ["tasks", "get", done, "-o", "ndjson"], ["qpus", "list", "-o", "json"],
                        ["-o", "json", "tasks", "events", done]] {
            let run = try run(box, command, ">/dev/full")
            #expect(run.status == 1, "\(command)")
            #expect(run.stderr == json, "\(command)")
        }
        let env = try Qsh.run(["tasks", "list"], redirection: ">&-", environment: box.environment.merging(["QSH_OUTPUT": "json"]) { $1 })
        #expect(env.status == 1)
        #expect(env.stderr == #"{"error": {"code": "io_error", "message": "cannot write to standard output: Bad file descriptor"}}"# + "\n")
    }

    @Test func aStreamStopsAtItsFirstFailedWrite() throws {
        // Nothing runs the task: were the stream to go on, the wait would time out (124).
        // -o ndjson asks for JSON, so the error is JSON.
        let box = try TaskSandbox()
        let id = try box.submit()
        let stream = try run(box, ["tasks", "wait", id, "-o", "ndjson", "--timeout", "600"], ">/dev/full")
        #expect(stream.status == 1)
        #expect(stream.stderr == Self.fullJSON)
        let closed = try run(box, ["tasks", "wait", id, "-o", "ndjson", "--timeout", "600"], ">&-")
        #expect(closed.status == 1)
        #expect(closed.stderr == #"{"error": {"code": "io_error", "message": "cannot write to standard output: Bad file descriptor"}}"# + "\n")
        let submit = try run(box, ["tasks", "submit", "bell.qasm", "--wait", "-o", "ndjson", "--timeout", "600"], ">/dev/full")
        #expect(submit.status == 1)
        #expect(submit.stderr.hasSuffix("\n" + Self.fullJSON))
        #expect(try box.status(id) == "Created")
    }

    @Test func inTheShellTheFailingCommandsStatusIs1() throws {
        let box = try TaskSandbox()
        try box.program()
        let script = try run(box, [], ">/dev/full", stdin: "version\nversion\n")
        #expect(script.status == 1)
        #expect(script.stderr == "qsh: line 1: cannot write to standard output: No space left on device\n")
        let keepGoing = try run(box, ["repl", "-k"], ">/dev/full", stdin: "version\n.help\nqasm check bell.qasm\n")
        #expect(keepGoing.status == 1)
        #expect(keepGoing.stderr == """
            qsh: line 1: cannot write to standard output: No space left on device
            qsh: line 2: cannot write to standard output: No space left on device
            qsh: line 3: cannot write to standard output: No space left on device

            """)
        let meta = try run(box, ["repl"], ">&-", stdin: ".output\n")
        #expect(meta.status == 1)
        #expect(meta.stderr == "qsh: line 1: cannot write to standard output: Bad file descriptor\n")
    }

    @Test func aReaderThatWentAwayIsNotAnError() throws {
        let (box, done, _) = try Self.sandbox()
        for command in [["help"], ["tasks", "list"], ["tasks", "results", done, "-o", "table"], ["qasm", "run", "bell.qasm"]] {
            let run = try Qsh.runWithStdoutReaderGone(command, environment: box.environment, directory: box.dir.path)
            #expect(run.status == 0, "\(command)")
            #expect(run.stderr == "", "\(command)")
            #expect(!run.signalled)
        }
        // A stream cut short ends quietly with 0, without waiting for the task.
        let queued = try box.submit()
        let wait = try Qsh.runWithStdoutReaderGone(
            ["tasks", "wait", queued, "-o", "ndjson", "--timeout", "600"], environment: box.environment)
        #expect(wait.status == 0)
        #expect(wait.stderr == "")
    }

    @Test func aFailingStderrNeitherCrashesNorHangs() throws {
        let box = try TaskSandbox()
        for redirection in ["2>/dev/full", "2>&-"] {
            let usage = try Qsh.run(["tasks", "list", "--bogus"], redirection: redirection, environment: box.environment)
            #expect(usage.status == 2)
            #expect(!usage.signalled)
            let missing = try Qsh.run(["qasm", "run", "nope.qasm"], redirection: redirection, directory: box.dir.path)
            #expect(missing.status == 1)
            #expect(missing.stdout == "")
            let both = try Qsh.run(["help", "nothing"], redirection: ">/dev/full " + redirection)
            #expect(both.status == 2)
        }
    }
}
