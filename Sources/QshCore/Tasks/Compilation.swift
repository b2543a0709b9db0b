// A program compiled for one QPU: what a task's `compilation_id` names. The record
// keeps the circuit's size and gate counts, not the circuit itself.

/// The compilation of a definition for a QPU.
public struct Compilation: Hashable, Sendable {
    public var id: String
    /// The program that was compiled.
    public var definitionID: String
    /// The QPU it was compiled for.
    public var qpuID: String
    public var created: Timestamp
    /// The circuit's qubits; nil for a compilation recorded before schema version 3
    /// whose task left no metrics to recover it from (and the same for the fields below).
    public var qubits: Int?
    public var clbits: Int?
    /// Operations in the lowered circuit (gates, measurements, resets, barriers).
    public var operations: Int?
    /// Operations by name (`h`, `cx`, `measure`, `reset`); barriers are not counted.
    public var gateCounts: [String: Int]?

    public init(
        id: String, definitionID: String, qpuID: String, created: Timestamp, qubits: Int?, clbits: Int?,
        operations: Int?, gateCounts: [String: Int]?
    ) {
        self.id = id
        self.definitionID = definitionID
        self.qpuID = qpuID
        self.created = created
        self.qubits = qubits
        self.clbits = clbits
        self.operations = operations
        self.gateCounts = gateCounts
    }

    /// The record of `circuit`, compiled from definition `definitionID` for `qpuID`.
    public init(id: String, definitionID: String, qpuID: String, created: Timestamp, circuit: Circuit) {
        var counts: [String: Int] = [:]
        for operation in circuit.operations {
            switch operation {
            case .gate(let kind, _, _, _): counts[kind.rawValue, default: 0] += 1
            case .measure: counts["measure", default: 0] += 1
            case .reset: counts["reset", default: 0] += 1
            case .barrier: continue
            }
        }
        self.init(
            id: id, definitionID: definitionID, qpuID: qpuID, created: created, qubits: circuit.qubitCount,
            clbits: circuit.clbitCount, operations: circuit.operations.count, gateCounts: counts)
    }
}
