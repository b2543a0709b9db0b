// The task model's wire shape: DESIGN.md's field order, then qsh's additions (the batch and
// the re-run's origin only when the task has them).
import QshCore
import Testing

@Suite struct QuantumTaskTests {
    @Test func wireShapeFollowsDesignOrder() throws {
        let task = QuantumTask(
            id: "550e8400-e29b-41d4-a716-446655440000", status: .completed, qpuID: "sim:statevector", shots: 1000,
            seed: 7, definitionID: "d", createdBy: "alice", createdDate: Timestamp(milliseconds: 1_769_421_600_000),
            updatedDate: Timestamp(milliseconds: 1_769_421_690_000), batchID: "b")
        let keys = task.wireJSON.objectValue?.map(\.0) ?? []
        #expect(Array(keys.prefix(10)) == [
            "id", "task_status", "qpu_id", "shots", "definition_id", "compilation_id", "created_by",
            "created_date", "updated_date", "error_reasons",
        ])
        #expect(task.wireJSON["updated_date"] == "2026-01-26T10:01:30Z")
        #expect(task.wireJSON["compilation_id"] == .null)
        #expect(task.wireJSON["error_reasons"] == [])
        // The batch (and a re-run's origin) follow qsh's additions, only when the task has them.
        #expect(Array(keys.suffix(3)) == ["shots_done", "batch_id", "batch_label"])
        #expect(task.wireJSON["batch_label"] == .null)
        var alone = task
        alone.batchID = nil
        #expect(alone.wireJSON.objectValue?.last?.0 == "shots_done")
        alone.rerunOf = "550e0000-e29b-41d4-a716-446655440000"
        #expect(alone.wireJSON["rerun_of"] == "550e0000-e29b-41d4-a716-446655440000")
        #expect(alone.wireJSON.objectValue?.last?.0 == "rerun_of")
    }
}
