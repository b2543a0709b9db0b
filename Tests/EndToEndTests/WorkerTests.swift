// End-to-end: the worker and the database file — a foreign file and a newer
// schema are refused untouched; `worker --once` drains the queue. The worker always works on
// the local database; the tasks it runs are submitted and read through both doors (local, and
// qsh as a client of `qsh serve` on that database).
import Foundation
import Testing
import TestSupport

@Suite struct WorkerTests {
    /// Local only: `qsh serve` refuses to start on such a file, so no client can reach it.
    @Test(.enabled(if: TaskSandbox.sqlite3 != nil))
    func foreignFileIsRefusedUntouched() throws {
        let box = try TaskSandbox()
        try FileManager.default.createDirectory(atPath: box.dir.file("data"), withIntermediateDirectories: true)
        let made = try box.sqlite("PRAGMA application_id = 42; CREATE TABLE notes (x); INSERT INTO notes VALUES (1);")
        try #require(made.status == 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: box.db))
        for arguments in [["tasks", "list"], ["tasks", "submit", "-"], ["worker", "--once"]] {
            let run = try box.run(arguments, stdin: TaskSandbox.bell)
            #expect(run.status == 1)
            #expect(run.stdout == "")
            #expect(run.stderr.contains("'\(box.db)' is not a qsh task database (application id 42); it was left untouched"))
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: box.db)) == before)
    }

    /// Local only: the schema is read when a database is opened, and a server opened it before.
    @Test(.enabled(if: TaskSandbox.sqlite3 != nil))
    func newerSchemaIsRefusedUntouched() throws {
        let box = try TaskSandbox()
        _ = try box.submit()
        let bumped = try box.sqlite("PRAGMA user_version = 999; PRAGMA journal_mode = DELETE;")
        try #require(bumped.status == 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: box.db))
        let run = try box.run(["tasks", "list", "-o", "json"])
        #expect(run.status == 1)
        #expect(run.stdout == "")
        let error = try J.parse(run.stderr)
        #expect(error["error"]["code"].string == "newer_database")
        #expect(error["error"]["message"].string?.contains("was written by a newer qsh (schema version 999") == true)
        #expect(try Data(contentsOf: URL(fileURLWithPath: box.db)) == before)
    }

    /// Local only: the file deleted under a worker is what a client never sees.
    @Test func aDatabaseDeletedUnderARunningWorkerIsAnIOErrorThatSaysWhatToCheck() throws {
        // The worker keeps the -wal and -shm files open; a new database file under the
        // old name meets them, and SQLite reports an I/O error instead of guessing.
        // Reading commands say there is no database instead of making one. The worker is
        // held after Completed, so it cannot notice the deleted file and exit first.
        let box = try TaskSandbox()
        let id = try box.submit()
        let worker = try box.start(["worker"], extra: ["QSH_TEST_QPU": "1", "QSH_TEST_HOLD_AFTER": "Completed"])
        defer {
            kill(worker.processIdentifier, SIGCONT)
            worker.terminate()
            worker.waitUntilExit()
        }
        #expect(try box.waitFor(id, ["Completed"]) == "Completed")
        // Held still, as a worker busy with a long run is: an idle one notices the deleted
        // file within a pause and exits, and its last close removes the -wal and -shm files.
        kill(worker.processIdentifier, SIGSTOP)
        try FileManager.default.removeItem(atPath: box.db)
        // A read never creates a database where one was expected.
        let list = try box.run(["tasks", "list"])
        #expect(list.status == 1)
        #expect(list.stderr == "qsh: no task database at '\(box.db)'; 'qsh tasks submit' creates one, or check --db/QSH_DB\n")
        #expect(!FileManager.default.fileExists(atPath: box.db))
        // A submit would create one, and meets the old -wal and -shm files.
        let run = try box.run(["tasks", "submit", try box.program(), "-o", "json"])
        #expect(run.status == 1)
        #expect(run.stdout == "")
        let error = try J.parse(run.stderr)
        #expect(error["error"]["code"].string == "database_error")
        #expect(error["error"]["message"].string == """
            database error: disk I/O error on '\(box.db)'; check that the disk has space, and that the file \
            and the -wal and -shm files beside it were not deleted or replaced while a qsh process \
            (a worker: 'pgrep -af "qsh worker"') had them open
            """)
    }

    @Test(arguments: Door.allCases) func onceDrainsTheQueueAndExits(door: Door) throws {
        let box = try TaskSandbox(door)
        let ids = [try box.submit(), try box.submit()]
        let run = try box.run(["worker", "--once"])
        #expect(run.status == 0)
        #expect(run.stdout == "")
        for id in ids {
            #expect(run.stderr.contains("task \(id) "))
            #expect(try box.status(id) != "Created")
        }
    }

    @Test(arguments: Door.allCases) func badProgramEndsInPayloadProcessingErrorAndWaitExits3(door: Door) throws {
        let box = try TaskSandbox(door)
        let id = try box.submit(text: TaskSandbox.badArity)
        #expect(try box.run(["worker", "--once"]).status == 0)
        let run = try box.run(["tasks", "wait", id, "-o", "json"])
        #expect(run.status == 3)
        let task = try J.parse(run.stdout)[0]
        #expect(task["task_status"].string == "PayloadProcessingError")
        #expect(!task["error_reasons"].array.isEmpty)
        #expect(try box.run(["tasks", "results", id]).status == 3)
    }

    @Test(arguments: Door.allCases) func killedWorkerIsSweptToFailedAndTheNextTaskRuns(door: Door) throws {
        // The test QPU is the server's too in the client door (a submit names it there).
        let slow = ["QSH_TEST_QPU": "1", "QSH_TEST_SHOT_MS": "20"]
        let box = try TaskSandbox(door, serverEnvironment: slow)
        let lost = try box.submit(["--qpu", "test:sleep", "--shots", "1000"], extra: slow)
        let worker = try box.start(["worker", "--lease", "1"], extra: slow)
        #expect(try box.waitFor(lost, ["ExecutionStarted"]) == "ExecutionStarted")
        kill(worker.processIdentifier, SIGKILL)
        worker.waitUntilExit()
        let next = try box.submit(["--shots", "10"])
        Thread.sleep(forTimeInterval: 1.5)
        let sweeper = try box.run(["worker", "--once"])
        #expect(sweeper.status == 0)
        let task = try box.task(lost)
        #expect(task["task_status"].string == "Failed")
        #expect(task["error_class"].string == "internal_error")
        let reason = task["error_reasons"][0].string ?? ""
        #expect(reason.hasPrefix("worker 'pid \(worker.processIdentifier) on "))
        #expect(reason.contains("was lost: its lease expired at "))
        #expect(reason.hasSuffix(" while the task was ExecutionStarted"))
        #expect(try box.status(next) == "Completed")
        let wait = try box.run(["tasks", "wait", lost])
        #expect(wait.status == 3)
    }
}
