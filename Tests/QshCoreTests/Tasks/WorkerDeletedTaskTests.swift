// A task deleted under the worker (`tasks delete --force` while it runs): the worker lets
// it go, writes nothing for it, and goes on to the next task.
import Foundation
import QshCore
import Testing
import TestSupport

@Suite struct WorkerDeletedTaskTests {
    @Test func aTaskDeletedWhileItRunsIsLetGoAndTheNextOneRuns() throws {
        let dir = try TempDirectory()
        let path = dir.file("tasks.sqlite")
        let clock = ManualClock()
        let service = TaskService(repository: try SQLiteTaskStore.open(path: path), clock: clock)
        let first = try service.submit(bellRequest(shots: 100))
        clock.advance(seconds: 1)
        let second = try service.submit(bellRequest(shots: 100))
        var qpu = FakeQPU()
        // Another process deletes the first task while its run is under way.
        qpu.onShot = { step in
            if step == 2, let other = try? SQLiteTaskStore.open(path: path) {
                try? other.delete(ids: [first.id], unfinished: true)
            }
        }
        let worker = Worker(
            repository: service.repository, clock: clock, compiler: FakeCompilers.simple, qpus: [qpu],
            options: WorkerOptions(owner: "w1", leaseSeconds: 10, progressInterval: 0))
        #expect(try worker.drain() == 2)
        #expect(try service.repository.task(id: first.id) == nil)
        #expect(try service.repository.runs(taskID: first.id).isEmpty)
        #expect(try service.repository.task(id: second.id)?.status == .completed)
        // The second task shares the program: it was not deleted with the first.
        #expect(try service.repository.definition(id: second.definitionID) != nil)
    }
}
