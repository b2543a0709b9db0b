// Controlled gates (cx, ccx, c3x, c4x, c3sqrtx, cswap, ...) as controls plus a small
// target matrix: high controls select groups through a mask, so the kernel touches
// only the 2^-c of the state where they are all one; low controls are folded into
// the matrix by KernelDispatch.prepare.

/// Builds the fused gate of a controlled gate without expanding it to a dense matrix.
enum KernelControlled {
    /// The kernel-ready form of `kind` on `qubits` (controls first, as in OpenQASM).
    static func gate(_ kind: GateKind, qubits: [Int], parameters: [Double]) -> FusedGate {
        let cm = GateMatrices.controlled(kind, parameters)
        let controls = Array(qubits.prefix(cm.controls))
        let targets = Array(qubits.dropFirst(cm.controls))
        return FusedGate(targets: targets, controls: controls, matrix: cm.target, sourceGates: 1)
    }
}
