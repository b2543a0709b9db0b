// The worker and a paused QPU: a task is compiled, then waits in Scheduled unheld; after
// the QPU is resumed the next claim runs it (compiled again from its program) to the end,
// and its run records the timings, metrics and metadata of the diagnostics.
import QshCore
import Testing

@Suite struct WorkerPauseTests {
    func makeWorker(_ service: TaskService, owner: String = "w1") -> Worker {
        Worker(
            repository: service.repository, clock: service.clock, compiler: FakeCompilers.simple, qpus: [FakeQPU()],
            options: WorkerOptions(owner: owner, leaseSeconds: 10, progressInterval: 0, version: "9.9.9"))
    }

    @Test func aPausedQPUsTaskWaitsInScheduledThenRunsOnResume() throws {
        let clock = ManualClock()
        let service = try makeService(clock)
        let first = try service.submit(bellRequest())
        clock.advance(seconds: 1)
        let second = try service.submit(bellRequest())
        try service.setQPUPaused("test:fake", paused: true)
        let worker = makeWorker(service)
        #expect(try worker.runNext()?.status == .scheduled)
        #expect(try worker.runNext()?.status == .scheduled)
        #expect(try worker.runNext() == nil)
        #expect(try service.queuePosition(taskID: first.id) == QueuePosition(position: 1, length: 2))
        #expect(try service.queuePosition(taskID: second.id) == QueuePosition(position: 2, length: 2))
        #expect(try service.get(second.id).leaseOwner == nil)
        // A held task can still be cancelled.
        #expect(try service.cancel(second.id).task.status == .cancelled)

        clock.advance(seconds: 5)
        try service.setQPUPaused("test:fake", paused: false)
        let done = try #require(try makeWorker(service, owner: "w2").runNext())
        #expect(done.id == first.id && done.status == .completed)
        #expect(try service.repository.events(taskID: first.id).map(\.to) == [
            .created, .payloadProcessing, .scheduled, .executionStarted, .executionCompleted, .completed,
        ])
        let diagnostics = try service.diagnostics(first.id)
        #expect(diagnostics.runs.count == 1)
        let result = try #require(diagnostics.runs[0].result)
        #expect(result.timings.map(\.0) == ["queued", "compile", "execute", "simulate", "sample", "total"])
        // The wait for the QPU counts as queued: the five seconds it was paused and the one before.
        let timings = Dictionary(uniqueKeysWithValues: result.timings)
        #expect(timings["queued"] == 6)
        #expect(timings["total"] == 6)
        #expect(result.metrics["gate_count"] == 2 && result.metrics["two_qubit_gates"] == 1)
        #expect(result.metrics["multi_qubit_gates"] == 0 && result.metrics["fused_gates"] != nil)
        #expect(result.metadata["qsh_version"] == "9.9.9")
        #expect(result.metadata["precision"] == "double" && result.metadata["seed"] == .int(7))
    }

    @Test func eachQPURunsInItsOwnPrecisionUnlessTheWorkerSaysOtherwise() throws {
        let registry = QPURegistry.standard(memoryLimit: 1 << 30)
        let program = ProgramSnapshot(
            main: SourceFile(
                name: "b.qasm",
                text: "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[1];\ncreg c[1];\nx q[0];\nmeasure q -> c;\n"))
        func precision(_ qpu: String, _ asked: Precision?) -> Precision? {
            try? Worker.prepare(
                program, qpuID: qpu, shots: 10, seed: 1, compiler: .openQASM(), qpus: registry, threads: 1,
                precision: asked
            ).get().request.precision
        }
        #expect(precision("sim:statevector", nil) == .double)
        #expect(precision("sim:statevector-single", nil) == .single)
        #expect(precision("sim:native", nil) == .double)
        #expect(precision("sim:statevector", .single) == .single)
        // A precision the QPU does not run in is refused, not changed.
        #expect(precision("sim:statevector-single", .double) == nil)
    }
}
