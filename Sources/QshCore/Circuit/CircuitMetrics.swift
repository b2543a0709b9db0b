// Metrics of a circuit: qubits, clbits, gate counts by name, depth, and the number of
// blocks the simulator applies after fusion.

extension CircuitMetrics {
    /// The metrics of `circuit`; `fusedGates` comes from the fuser.
    public init(circuit: Circuit, fusedGates: Int) {
        self.init(circuit: circuit, fusedGates: fusedGates, perOperation: {})
    }

    /// The metrics of `circuit`, asking `stop` every few thousand operations.
    /// - Throws: `Interrupted` when `stop` asked to stop.
    public init(circuit: Circuit, fusedGates: Int, stop: Cancellation) throws(Interrupted) {
        var poll = CancellationPoll(stop)
        try self.init(
            circuit: circuit, fusedGates: fusedGates, perOperation: { () throws(Interrupted) in try poll.tick() })
    }

    /// The metrics, calling `perOperation` before each operation (with a closure that
    /// cannot throw, `E` is `Never`).
    private init<E: Error>(circuit: Circuit, fusedGates: Int, perOperation: () throws(E) -> Void) throws(E) {
        var counts: [String: Int] = [:]
        let nq = circuit.qubitCount, nc = circuit.clbitCount
        // Depth over qubit and clbit wires, as Qiskit counts it: a measurement touches
        // its clbit, a conditional operation every bit of its register.
        var level = [Int](repeating: 0, count: nq + nc)
        var depth = 0
        var gates = 0, twoQubit = 0, multiQubit = 0
        func touch(_ wires: [Int]) {
            let valid = wires.filter { $0 >= 0 && $0 < level.count }
            let l = (valid.map { level[$0] }.max() ?? 0) + 1
            for w in valid { level[w] = l }
            depth = max(depth, l)
        }
        func conditionWires(_ c: Condition?) -> [Int] {
            guard let c, c.register >= 0, c.register < circuit.classicalRegisters.count else { return [] }
            let r = circuit.classicalRegisters[c.register]
            return (0..<r.size).map { nq + r.offset + $0 }
        }
        for op in circuit.operations {
            try perOperation()
            switch op {
            case .gate(let kind, let qubits, _, let condition):
                counts[kind.rawValue, default: 0] += 1
                gates += 1
                if qubits.count == 2 { twoQubit += 1 } else if qubits.count > 2 { multiQubit += 1 }
                touch(qubits + conditionWires(condition))
            case .measure(let q, let c, let condition):
                counts["measure", default: 0] += 1
                touch([q, nq + c] + conditionWires(condition))
            case .reset(let q, let condition):
                counts["reset", default: 0] += 1
                touch([q] + conditionWires(condition))
            case .barrier:
                // Counted as Qiskit's count_ops counts it; it adds no depth.
                counts["barrier", default: 0] += 1
            }
        }
        self.init(
            qubits: nq, clbits: nc, gateCounts: counts, depth: depth, fusedGates: fusedGates, gateCount: gates,
            twoQubitGates: twoQubit, multiQubitGates: multiQubit)
    }
}
