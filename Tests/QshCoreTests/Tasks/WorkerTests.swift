// The worker with a fake compiler and QPU: the happy path with partial counts,
// compile errors with reasons and diagnostics, QPU refusals, execution errors,
// a cancel that lands while the worker holds the task, a stop request in each phase,
// and a database file deleted or replaced under it.
import Foundation
import QshCore
import Testing
import TestSupport

@Suite struct WorkerTests {
    func makeWorker(_ service: TaskService, qpu: FakeQPU = FakeQPU(), owner: String = "w1") -> Worker {
        Worker(
            repository: service.repository, clock: service.clock, compiler: FakeCompilers.simple, qpus: [qpu],
            options: WorkerOptions(owner: owner, leaseSeconds: 10, progressInterval: 0))
    }

    @Test func happyPathEndsCompletedWithCounts() throws {
        let clock = ManualClock()
        let service = try makeService(clock)
        let t = try service.submit(bellRequest(shots: 1000))
        var qpu = FakeQPU()
        qpu.onShot = { _ in clock.advance(seconds: 1) }
        let worker = makeWorker(service, qpu: qpu)
        let done = try worker.runNext()
        #expect(done?.status == .completed)
        #expect(done?.compilationID != nil)
        #expect(done?.shotsDone == 1000)
        #expect(done?.leaseOwner == nil)
        #expect(try service.repository.events(taskID: t.id).map(\.to) == [
            .created, .payloadProcessing, .scheduled, .executionStarted, .executionCompleted, .completed,
        ])
        let (_, result) = try service.results(t.id)
        #expect(result.partial == false)
        #expect(result.dataJSON == ["c": ["00": 500, "11": 500]])
        #expect(result.timings.map(\.0) == ["queued", "compile", "execute", "simulate", "sample", "total"])
        #expect(result.metrics["gates"] == ["cx": 1, "h": 1])
        // Numbers in the metadata are JSON numbers, as the task's own seed is; names stay strings.
        #expect(result.metadata["seed"] == .int(7))
        #expect(result.metadata["threads"]?.intValue != nil)
        #expect(result.metadata["simulator"] == "fake")
        #expect(try worker.runNext() == nil)
    }

    @Test func partialCountsAreVisibleWhileRunning() throws {
        let clock = ManualClock()
        let service = try makeService(clock)
        let t = try service.submit(bellRequest(shots: 400))
        let reader = service.repository
        var qpu = FakeQPU()
        qpu.onShot = { _ in clock.advance(seconds: 1) }
        // Observe from inside the run: after the second step the partial row exists.
        nonisolated(unsafe) var observed: [Int] = []
        nonisolated(unsafe) let observing = TaskService(repository: reader, clock: clock)
        qpu.onShot = { step in
            clock.advance(seconds: 1)
            if step == 3, let r = try? observing.results(t.id).1 {
                observed.append(r.shotsDone)
                observed.append(r.partial ? 1 : 0)
            }
        }
        _ = try makeWorker(service, qpu: qpu).runNext()
        #expect(observed == [200, 1])
    }

    @Test func compileErrorEndsInPayloadProcessingErrorWithReasons() throws {
        let service = try makeService()
        var request = bellRequest()
        request.program.main = SourceFile(name: "bell.qasm", text: "bad program")
        let t = try service.submit(request)
        let done = try makeWorker(service).runNext()
        #expect(done?.status == .payloadProcessingError)
        #expect(done?.errorClass == .invalidProgram)
        #expect(done?.errorReasons == ["bell.qasm:3:1: 'cx' takes 2 quantum arguments, but got 1"])
        #expect(try service.repository.diagnostics(taskID: t.id).map(\.code) == ["arity"])
    }

    @Test func qpuRefusalIsAPayloadProcessingError() throws {
        let service = try makeService()
        _ = try service.submit(bellRequest())
        var qpu = FakeQPU()
        qpu.validation = QPUError(.resourceLimit, "the program needs 40 qubits; the QPU has 30")
        let done = try makeWorker(service, qpu: qpu).runNext()
        #expect(done?.status == .payloadProcessingError)
        #expect(done?.errorClass == .resourceLimit)
        #expect(done?.errorReasons == ["the program needs 40 qubits; the QPU has 30"])
    }

    @Test func tooManyShotsAndUnknownQPUAreRefused() throws {
        let service = try makeService()
        _ = try service.submit(bellRequest(shots: 20_000))
        _ = try service.submit(bellRequest(qpu: "nowhere"))
        let worker = makeWorker(service)
        let first = try worker.runNext()
        #expect(first?.errorClass == .resourceLimit)
        #expect(first?.errorReasons == ["20000 shots exceed the limit of 10000 of QPU 'test:fake'"])
        let second = try worker.runNext()
        #expect(second?.errorClass == .unsupportedFeature)
        #expect(second?.errorReasons == ["QPU 'nowhere' is not available"])
    }

    @Test func executionErrorEndsFailed() throws {
        let service = try makeService()
        _ = try service.submit(bellRequest())
        var qpu = FakeQPU()
        qpu.failure = QPUError(.executionError, "the simulator stopped")
        let done = try makeWorker(service, qpu: qpu).runNext()
        #expect(done?.status == .failed)
        #expect(done?.errorClass == .executionError)
        #expect(done?.errorReasons == ["the simulator stopped"])
    }

    @Test func cancelWhileCompilingWinsAndTheWorkerLetsGo() throws {
        let clock = ManualClock()
        let service = try makeService(clock)
        let t = try service.submit(bellRequest())
        nonisolated(unsafe) let canceller = TaskService(repository: service.repository, clock: clock)
        let compiler = TaskCompiler { _ in
            _ = try? canceller.cancel(t.id)
            return .success(FakeCompilers.bell)
        }
        let worker = Worker(
            repository: service.repository, clock: clock, compiler: compiler, qpus: [FakeQPU()],
            options: WorkerOptions(owner: "w1"))
        let done = try worker.runNext()
        #expect(done?.status == .cancelled)
        #expect(done?.leaseOwner == nil)
        #expect(try service.repository.result(taskID: t.id) == nil)
    }

    @Test func completionWinsOverALateCancel() throws {
        let clock = ManualClock()
        let service = try makeService(clock)
        let t = try service.submit(bellRequest())
        nonisolated(unsafe) let canceller = TaskService(repository: service.repository, clock: clock)
        nonisolated(unsafe) var refusal: TaskError?
        var qpu = FakeQPU()
        qpu.onShot = { step in
            if step == 1 {
                do { _ = try canceller.cancel(t.id) } catch { refusal = error as? TaskError }
            }
        }
        let done = try makeWorker(service, qpu: qpu).runNext()
        #expect(done?.status == .completed)
        #expect(refusal == .cancelRefused(id: t.id, status: .executionStarted))
    }

    @Test func sweepAtStartFailsALostWorkersTaskAndTheNextOneRuns() throws {
        let clock = ManualClock()
        let service = try makeService(clock)
        let lost = try service.submit(bellRequest())
        _ = try service.repository.claimNext(owner: "dead", at: clock.now(), leaseSeconds: 5)
        let next = try service.submit(bellRequest())
        clock.advance(seconds: 6)
        let worker = makeWorker(service)
        #expect(try worker.sweep().map(\.id) == [lost.id])
        #expect(try worker.runNext()?.id == next.id)
        #expect(try service.get(next.id).status == .completed)
        #expect(try service.get(lost.id).errorReasons.first?.contains("worker 'dead' was lost") == true)
    }
}

/// A stop request, the database file and the sweep of a finished run.
extension WorkerTests {
    func stoppingWorker(_ service: TaskService, after: Int, qpu: FakeQPU = FakeQPU()) -> (Worker, StopAfter) {
        let stop = StopAfter(after)
        let worker = Worker(
            repository: service.repository, clock: service.clock, compiler: FakeCompilers.simple, qpus: [qpu],
            options: WorkerOptions(owner: "w1", leaseSeconds: 10, progressInterval: 0, stop: stop.cancellation))
        return (worker, stop)
    }

    /// The worker asks its stop request before claiming (1), after compiling and checking
    /// against the QPU (2), once Scheduled (3), then the QPU asks per step (4...): a stop
    /// at each of them ends the task Failed, saying where it was.
    @Test(arguments: [(2, TaskStatus.payloadProcessing), (3, .scheduled), (4, .executionStarted), (6, .executionStarted)])
    func aStopEndsTheTaskFailedWhereverItIs(after: Int, state: TaskStatus) throws {
        let service = try makeService()
        let t = try service.submit(bellRequest())
        let (worker, _) = stoppingWorker(service, after: after)
        let done = try worker.runNext()
        #expect(done?.status == .failed)
        #expect(done?.errorClass == .internalError)
        #expect(done?.errorReasons == ["worker 'w1' was interrupted (test stop) while the task was \(state.rawValue)"])
        #expect(done?.leaseOwner == nil)
        #expect(try service.repository.events(taskID: t.id).last?.from == state)
        // Stopped: it claims nothing more.
        _ = try service.submit(bellRequest())
        #expect(try worker.runNext() == nil)
    }

    @Test func aStopRequestedBeforeTheClaimLeavesTheQueueAlone() throws {
        let service = try makeService()
        let t = try service.submit(bellRequest())
        let (worker, _) = stoppingWorker(service, after: 1)
        #expect(try worker.runNext() == nil)
        #expect(try service.get(t.id).status == .created)
    }

    @Test func aRunThatFinishedBeforeTheStopIsRecorded() throws {
        let service = try makeService()
        let t = try service.submit(bellRequest())
        // Three questions before the run and four during it: the eighth comes after.
        let (worker, stop) = stoppingWorker(service, after: 8)
        let done = try worker.runNext()
        #expect(done?.status == .completed)
        #expect(try service.results(t.id).1.partial == false)
        #expect(try worker.runNext() == nil)
        #expect(stop.questions == 8)
    }

    @Test func aDeletedDatabaseFileStopsTheWorkerBeforeItClaims() throws {
        let dir = try TempDirectory()
        let path = dir.file("tasks.sqlite")
        let service = TaskService(repository: try SQLiteTaskStore.open(path: path), clock: ManualClock())
        let t = try service.submit(bellRequest())
        let worker = makeWorker(service)
        try FileManager.default.removeItem(atPath: path)
        #expect(throws: DatabaseFileChanged(path: path, replaced: false)) { try worker.runNext() }
        #expect(throws: DatabaseFileChanged(path: path, replaced: false)) { try worker.sweep() }
        #expect(try service.repository.task(id: t.id)?.status == .created)
    }

    @Test func aDatabaseFileReplacedDuringARunStopsItAndNamesTheTask() throws {
        let dir = try TempDirectory()
        let path = dir.file("tasks.sqlite")
        let service = TaskService(repository: try SQLiteTaskStore.open(path: path), clock: ManualClock())
        let t = try service.submit(bellRequest())
        var qpu = FakeQPU()
        qpu.onShot = { step in
            if step == 2 {
                let other = dir.file("other.sqlite")
                _ = FileManager.default.createFile(atPath: other, contents: Data("x".utf8))
                _ = rename(other, path)
            }
        }
        let worker = makeWorker(service, qpu: qpu)
        let error = DatabaseFileChanged(path: path, replaced: true, taskID: t.id)
        #expect(throws: error) { try worker.runNext() }
        #expect(error.message.hasPrefix("the task database '\(path)' was replaced by another file while a worker ran task '\(t.id)' on it, and that run is lost; "))
        // The old file, still open, saw nothing more: the task is where the run left it.
        #expect(try service.repository.task(id: t.id)?.status == .executionStarted)
    }

    @Test func theTransitionHookSeesEveryStateTheWorkerMovesTo() throws {
        let service = try makeService()
        let t = try service.submit(bellRequest())
        nonisolated(unsafe) var seen: [TaskStatus] = []
        let worker = Worker(
            repository: service.repository, clock: service.clock, compiler: FakeCompilers.simple, qpus: [FakeQPU()],
            options: WorkerOptions(owner: "w1", afterTransition: { id, to in if id == t.id { seen.append(to) } }))
        _ = try worker.runNext()
        #expect(seen == [.payloadProcessing, .scheduled, .executionStarted, .executionCompleted, .completed])
    }
}
