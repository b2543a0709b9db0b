// Diagonal gates in cache-blocked sweeps. A diagonal gate mixes no amplitudes, so a
// chunk of a sweep can take it whatever qubits it acts on: on one chunk, the qubits
// outside the chunk have fixed values, and the gate is a smaller diagonal on the rest
// (or a phase, or nothing). Sweeps therefore never end for a diagonal gate, and QFT's
// long runs of controlled phases cost no extra passes over the state.

extension FusedGate {
    /// True when the gate only multiplies amplitudes by phases.
    var isDiagonal: Bool { matrix.isDiagonal }

    /// This diagonal gate on the amplitudes where each qubit in `fixed` has the value
    /// given: a diagonal on its other qubits, or nil where it is the identity there.
    func diagonalSlice(fixing fixed: [Int: Bool]) -> FusedGate? {
        precondition(isDiagonal, "only diagonal gates can be sliced")
        var controls: [Int] = []
        for c in self.controls {
            if let value = fixed[c] {
                if !value { return nil }
            } else {
                controls.append(c)
            }
        }
        // The diagonal over the targets left free, the fixed targets' bits set.
        var freeTargets: [Int] = []
        var freeBits: [Int] = []
        var setBits = 0
        for (j, t) in targets.enumerated() {
            if let value = fixed[t] {
                if value { setBits |= 1 << j }
            } else {
                freeTargets.append(t)
                freeBits.append(j)
            }
        }
        let k = freeTargets.count
        var diagonal = [Complex](repeating: .one, count: 1 << k)
        for y in 0..<(1 << k) {
            var x = setBits
            for (i, j) in freeBits.enumerated() where y >> i & 1 == 1 { x |= 1 << j }
            diagonal[y] = matrix[x, x]
        }
        if k > 0 {
            if controls.isEmpty && diagonal.allSatisfy({ $0 == .one }) { return nil }
            return FusedGate(
                targets: freeTargets, controls: controls, matrix: .diagonal(diagonal), sourceGates: sourceGates)
        }
        // No target left: one phase where the remaining controls are all one.
        let phase = diagonal[0]
        if phase == .one { return nil }
        if let last = controls.last {
            return FusedGate(
                targets: [last], controls: Array(controls.dropLast()), matrix: .diagonal([.one, phase]),
                sourceGates: sourceGates)
        }
        // A global phase on the slice: any qubit carries it; qubit 0 is in every chunk.
        return FusedGate(targets: [0], matrix: .diagonal([phase, phase]), sourceGates: sourceGates)
    }
}
