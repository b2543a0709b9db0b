// Exact outcome probabilities of a circuit whose measurements are all terminal: its
// gates simulated once, the final state marginalised onto the measured qubits, and
// each pattern of those mapped to every register's bitstring (ClbitMap.swift).

/// The probabilities strategy of `StateVectorQPU.probabilities`.
enum ExactProbabilities {
    /// Every register's outcome probabilities (p = 0 left out), asking the request and
    /// `progress` between passes, and the request between slices of the state.
    /// - Throws: `QPUError.interrupted` when either says stop.
    static func compute<T: SimulatorScalar>(_ simulation: Simulation<T>, progress: (RunProgress) -> Bool) throws
        -> [RegisterProbabilities]
    {
        let request = simulation.request, circuit = simulation.circuit
        let n = circuit.qubitCount
        let gates = circuit.operations.filter { if case .gate = $0 { return true } else { return false } }
        let fused = try simulation.forwardPhases(try simulation.fuse(gates))
        if request.stop.isRequested || !progress(RunProgress(shotsDone: 0, shots: 0, partial: [])) {
            throw QPUError.interrupted
        }
        let state = StateVector<T>(qubits: n, loop: simulation.loop)
        state.setFreshZeroState()
        try simulation.applyUnitary(fused, toZeroState: state, progress: progress)
        let map = ClbitMap(circuit)
        // Marginalise onto the measured qubits: pattern = their bits packed in order.
        let measured = map.measuredQubits
        let lowBits = min(n, 12)
        var lowTable = [Int](repeating: 0, count: 1 << lowBits)
        var highTable = [Int](repeating: 0, count: 1 << (n - lowBits))
        for (j, q) in measured.enumerated() {
            if q < lowBits {
                for i in lowTable.indices where i >> q & 1 == 1 { lowTable[i] |= 1 << j }
            } else {
                for i in highTable.indices where i >> (q - lowBits) & 1 == 1 { highTable[i] |= 1 << j }
            }
        }
        var marginal: [Int: Double] = [:]
        var dense = [Double]()
        let useDense = measured.count <= 20
        if useDense { dense = [Double](repeating: 0, count: 1 << measured.count) }
        // In slices of 2^16 amplitudes, asking the request between slices.
        for slice in stride(from: 0, to: state.count, by: 1 << 16) {
            if request.stop.isRequested { throw QPUError.interrupted }
            for i in slice..<min(state.count, slice + (1 << 16)) {
                let r = Double(state.re[i]), m = Double(state.im[i])
                let p = r * r + m * m
                if p == 0 { continue }
                let pattern = lowTable[i & ((1 << lowBits) - 1)] | highTable[i >> lowBits]
                if useDense { dense[pattern] += p } else { marginal[pattern, default: 0] += p }
            }
        }
        if useDense {
            for (pattern, p) in dense.enumerated() where p > 0 { marginal[pattern] = p }
        }
        var result = circuit.classicalRegisters.map {
            RegisterProbabilities(name: $0.name, width: $0.size, probabilities: [:])
        }
        for (n, (pattern, p)) in marginal.sorted(by: { $0.key < $1.key }).enumerated() {
            if n % 4096 == 4095, request.stop.isRequested { throw QPUError.interrupted }
            for (k, register) in circuit.classicalRegisters.enumerated() {
                let key = map.bitstring(register, measuredPattern: pattern)
                result[k].probabilities[key, default: 0] += p
            }
        }
        return result
    }
}
