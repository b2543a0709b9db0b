// The local task client on a real database in a temporary folder: what each operation
// returns, the events a follow reports, the dry run's verdict, and the database it will
// not create for a read.
import Foundation
import QshCore
import Testing
import TestSupport
@testable import qsh

@Suite struct LocalTaskClientTests {
    static let bell = "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[2];\ncreg c[2];\nh q[0];\ncx q[0], q[1];\nmeasure q -> c;\n"

    func client(_ dir: TempDirectory, option: String? = nil) -> LocalTaskClient {
        LocalTaskClient(
            database: LocalDatabase(
                option: option ?? dir.file("data/tasks.sqlite"), environment: [:], home: dir.path,
                currentDirectory: { dir.path }),
            environment: ["QSH_MEMORY_LIMIT": "64M"], user: "tester", workerExecutable: nil)
    }

    func submission(_ text: String = bell, shots: Int = 100) -> TaskSubmission {
        TaskSubmission(
            program: ProgramSnapshot(main: SourceFile(name: "bell.qasm", text: text)), qpuID: "sim:statevector",
            shots: shots, seed: 7, name: "bell", tags: ["k": "v"])
    }

    @Test func submittedTasksCanBeReadListedAndCancelled() throws {
        let dir = try TempDirectory()
        let client = client(dir)
        let receipt = try client.submit(submission())
        #expect(receipt.warnings.isEmpty)
        let task = receipt.task
        #expect(task.status == .created && task.createdBy == "tester" && task.tags == ["k": "v"])
        #expect(try client.get(String(task.id.prefix(8))).id == task.id)
        var query = TaskQuery()
        query.statuses = [.created]
        #expect(try client.list(query).tasks.map(\.id) == [task.id])
        guard case .cancelled(let cancelled) = try client.cancel(task.id) else {
            Issue.record("not cancelled")
            return
        }
        #expect(cancelled.status == .cancelled)
        guard case .alreadyTerminal = try client.cancel(task.id) else {
            Issue.record("a second cancel changed the task")
            return
        }
        let events = try client.events(task.id).events
        #expect(events.map(\.to) == [.created, .cancelled])
        #expect(events.last?.actor == "cli tester")
        #expect(throws: TaskError.noResults(id: task.id, status: .cancelled)) { try client.results(task.id) }
    }

    @Test func followReportsEachNewStateAndHowItEnded() throws {
        let dir = try TempDirectory()
        let writer = client(dir)
        let task = try writer.submit(submission()).task
        let reader = client(dir)
        var events: [FollowEvent] = []
        let outcome = try reader.follow(
            [task.id], timeout: 60,
            pause: { _ in
                // Another client cancels the task while this one waits.
                _ = try? writer.cancel(task.id)
                return true
            },
            receive: { events.append($0) })
        guard case .finished(let tasks) = outcome else {
            Issue.record("the follow did not finish: \(outcome)")
            return
        }
        #expect(tasks.map(\.status) == [.cancelled])
        // No worker runs here, so the queued task is reported unattended once.
        #expect(events.map(label) == ["status Created", "unattended Created", "status Cancelled"])
    }

    func label(_ event: FollowEvent) -> String {
        switch event {
        case .status(let task): return "status \(task.status.rawValue)"
        case .progress(let task, _): return "progress \(task.shotsDone)"
        case .unattended(let task): return "unattended \(task.status.rawValue)"
        }
    }

    @Test func aFollowThatRunsOutOfTimeSaysNoWorkerRuns() throws {
        let dir = try TempDirectory()
        let client = client(dir)
        let task = try client.submit(submission()).task
        var events: [FollowEvent] = []
        let outcome = try client.follow([task.id], timeout: 0, pause: { _ in true }, receive: { events.append($0) })
        guard case .timedOut(let tasks, let noWorker) = outcome else {
            Issue.record("the follow did not time out: \(outcome)")
            return
        }
        #expect(tasks.map(\.id) == [task.id] && noWorker)
        #expect(events.map(label) == ["status Created", "unattended Created"])
    }

    @Test func aFollowStoppedByItsPauseIsInterrupted() throws {
        let dir = try TempDirectory()
        let client = client(dir)
        let task = try client.submit(submission()).task
        let outcome = try client.follow([task.id], timeout: .infinity, pause: { _ in false }, receive: { _ in })
        guard case .interrupted(let tasks) = outcome else {
            Issue.record("not interrupted: \(outcome)")
            return
        }
        #expect(tasks.map(\.status) == [.created])
    }

    @Test func aDryRunGivesTheVerdictAndStoresNothing() throws {
        let dir = try TempDirectory()
        let client = client(dir)
        let ok = try client.dryRun(submission(), stop: .never)
        #expect(ok.ok && ok.circuit == CircuitSize(qubits: 2, clbits: 2, operations: ok.circuit?.operations ?? -1))
        #expect((ok.circuit?.operations ?? 0) > 0)
        let bad = try client.dryRun(submission("OPENQASM 2.0;\nqreg q[1];\nfoo q[0];\n"), stop: .never)
        #expect(bad.errorClass == .invalidProgram && bad.circuit == nil)
        #expect(bad.diagnostics.map(\.code) == ["unknown_gate"])
        let tooMany = try client.dryRun(submission(shots: 200_000_000), stop: .never)
        #expect(tooMany.errorClass == .resourceLimit)
        #expect(!FileManager.default.fileExists(atPath: dir.file("data/tasks.sqlite")))
        #expect(throws: Interrupted.self) { try client.dryRun(submission(), stop: Cancellation { true }) }
    }

    @Test func readsNeverCreateADatabase() throws {
        let dir = try TempDirectory()
        let client = client(dir)
        do {
            _ = try client.get("550e8400")
            Issue.record("a task was read from no database")
        } catch let failure as CommandFailure {
            #expect(failure.code == .noDatabase)
            #expect(failure.message == "no task database at '\(dir.file("data/tasks.sqlite"))'; 'qsh tasks submit' "
                + "creates one, or check --db/QSH_DB")
        }
        #expect(!FileManager.default.fileExists(atPath: dir.file("data")))
        #expect(throws: UsageError.self) { try self.client(dir, option: "").list(TaskQuery()) }
    }

    @Test func theQPUsAreTheOnesThisQshRuns() throws {
        let dir = try TempDirectory()
        let qpus = try client(dir).qpus()
        #expect(qpus.map(\.id) == ["sim:statevector", "sim:statevector-single", "sim:native"])
        #expect(qpus[0].capabilities.memoryLimit == 64 << 20)
    }
}
