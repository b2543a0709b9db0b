// Gate fusion: consecutive gates on a small set of qubits become one dense k-qubit
// matrix, so the simulator sweeps the state once per block instead of once per gate.
// Blocks never span a measurement, a reset or a conditional gate; barriers do not
// stop fusion (they have no effect on the state, and Aer fuses across them too).

/// A gate as the kernels take it: a matrix on `targets` (matrix index bit j is
/// `targets[j]`) applied where every qubit of `controls` is one.
public struct FusedGate: Hashable, Sendable {
    public var targets: [Int]
    public var controls: [Int]
    public var matrix: GateMatrix
    /// How many circuit gates this block stands for.
    public var sourceGates: Int

    public init(targets: [Int], controls: [Int] = [], matrix: GateMatrix, sourceGates: Int) {
        self.targets = targets
        self.controls = controls
        self.matrix = matrix
        self.sourceGates = sourceGates
    }

    /// Every qubit the gate touches.
    public var qubits: [Int] { targets + controls }

    /// The dense matrix on `targets + controls` (controls as the high index bits).
    public var denseMatrix: GateMatrix { controls.isEmpty ? matrix : matrix.controlled(by: controls.count) }
}

/// One step of a fused circuit.
public enum FusedOperation: Hashable, Sendable {
    case gate(FusedGate, condition: Condition?)
    case measure(qubit: Int, clbit: Int, condition: Condition?)
    case reset(qubit: Int, condition: Condition?)
}

/// How far to fuse.
public struct FusionOptions: Hashable, Sendable {
    /// The most qubits of one fused block; 0 turns fusion off (every gate alone).
    public var maxQubits: Int
    /// The most qubits of a block of diagonal gates only (z, s, t, rz, u1, cz, cu1,
    /// crz, rzz, ...), which stays diagonal: one phase per amplitude whatever its size.
    public var maxDiagonalQubits: Int

    public init(maxQubits: Int, maxDiagonalQubits: Int? = nil) {
        self.maxQubits = maxQubits
        self.maxDiagonalQubits = max(maxQubits, maxDiagonalQubits ?? maxQubits)
    }

    /// The default, chosen by measurement on 24-qubit random circuits (see the sim
    /// branch notes): 2-qubit blocks run at memory speed with AVX2 in both precisions,
    /// while 3-qubit and larger dense blocks are compute bound and cost more per gate
    /// than they save in passes.
    /// Diagonal blocks go to 6 qubits: a k-qubit diagonal costs one complex multiply
    /// per amplitude for any k, and its plan holds 2^k phases per slice
    /// (DiagonalSlices.swift), which stays small at 6.
    public static func `default`(precision: Precision) -> FusionOptions {
        FusionOptions(maxQubits: 2, maxDiagonalQubits: 6)
    }
}

/// Fuses gates greedily along each qubit's timeline: every qubit belongs to at most
/// one open block; a gate joins the open blocks it touches when their union stays
/// within `maxQubits`, and otherwise closes them (emitting them) and opens its own.
/// Gates on disjoint qubits commute, so emitting a block when it closes keeps the
/// order of operations on every qubit.
public struct Fuser: Sendable {
    public var options: FusionOptions

    public init(options: FusionOptions) {
        self.options = options
    }

    private struct Block {
        var qubits: [Int]
        var gates: [(GateKind, [Int], [Double])]
        /// Every gate of the block is diagonal.
        var diagonal: Bool
    }

    /// The fused form of `operations` (barriers dropped).
    public func fuse(_ operations: [Operation], qubitCount: Int) -> [FusedOperation] {
        fuse(operations, qubitCount: qubitCount, perOperation: {})
    }

    /// The fused form of `operations`, asking `stop` every few thousand operations
    /// whether to go on.
    /// - Throws: `Interrupted` when `stop` asked to stop.
    public func fuse(_ operations: [Operation], qubitCount: Int, stop: Cancellation) throws(Interrupted)
        -> [FusedOperation]
    {
        var poll = CancellationPoll(stop)
        return try fuse(operations, qubitCount: qubitCount, perOperation: { () throws(Interrupted) in try poll.tick() })
    }

    /// The fusion, calling `perOperation` before each operation (with a closure that
    /// cannot throw, `E` is `Never` and this costs nothing).
    private func fuse<E: Error>(
        _ operations: [Operation], qubitCount: Int, perOperation: () throws(E) -> Void
    ) throws(E) -> [FusedOperation] {
        var out: [FusedOperation] = []
        var blocks: [Int: Block] = [:]  // id → block
        var owner = [Int](repeating: -1, count: qubitCount)  // qubit → block id
        var nextID = 0
        let limit = max(1, options.maxQubits)

        func close(_ id: Int) throws(E) {
            guard let block = blocks.removeValue(forKey: id) else { return }
            for q in block.qubits where q < owner.count && owner[q] == id { owner[q] = -1 }
            out.append(.gate(try Self.build(block.qubits, block.gates, perGate: perOperation), condition: nil))
        }
        func closeAll() throws(E) {
            for id in blocks.keys.sorted() { try close(id) }
        }

        for op in operations {
            try perOperation()
            switch op {
            case .barrier:
                continue
            case .measure, .reset:
                try closeAll()
                if case .measure(let q, let c, let cond) = op { out.append(.measure(qubit: q, clbit: c, condition: cond)) }
                if case .reset(let q, let cond) = op { out.append(.reset(qubit: q, condition: cond)) }
            case .gate(let kind, let qubits, let parameters, let condition):
                if condition != nil {
                    try closeAll()
                    out.append(.gate(KernelControlled.gate(kind, qubits: qubits, parameters: parameters), condition: condition))
                    continue
                }
                let touched = Set(qubits.compactMap { $0 < owner.count && owner[$0] >= 0 ? owner[$0] : nil }).sorted()
                let diagonal = GateMatrices.controlled(kind, parameters).target.isDiagonal
                // A diagonal gate joining diagonal blocks only may make a larger block.
                let limit = diagonal && touched.allSatisfy({ blocks[$0]!.diagonal })
                    ? max(limit, options.maxDiagonalQubits) : limit
                if qubits.count > limit || options.maxQubits < 1 {
                    // Too wide to fuse: emit alone in its controlled form.
                    for id in touched { try close(id) }
                    out.append(.gate(KernelControlled.gate(kind, qubits: qubits, parameters: parameters), condition: nil))
                    continue
                }
                // Join the touched blocks that fit, smallest first; close the rest
                // (they are emitted before the gate, which comes after them).
                var merged = Block(qubits: [], gates: [], diagonal: diagonal)
                var size = qubits.count
                let bySize = touched.sorted { (blocks[$0]!.qubits.count, $0) < (blocks[$1]!.qubits.count, $1) }
                var joining: [Int] = []
                for id in bySize {
                    let extra = blocks[id]!.qubits.filter { !qubits.contains($0) }.count
                    if size + extra <= limit {
                        size += extra
                        joining.append(id)
                    } else {
                        try close(id)
                    }
                }
                // The joining blocks act on disjoint qubits, so their gates commute: the
                // block with the most gates is extended in place (a long run on the same
                // qubits stays linear), and the others are appended to it.
                let base = joining.max { (blocks[$0]!.gates.count, $1) < (blocks[$1]!.gates.count, $0) }
                if let base {
                    let b = blocks.removeValue(forKey: base)!
                    merged.qubits = b.qubits
                    merged.gates = b.gates
                    merged.diagonal = merged.diagonal && b.diagonal
                }
                for id in joining.sorted() where id != base {
                    let b = blocks.removeValue(forKey: id)!
                    merged.qubits += b.qubits
                    merged.gates += b.gates
                    merged.diagonal = merged.diagonal && b.diagonal
                }
                for q in qubits where !merged.qubits.contains(q) { merged.qubits.append(q) }
                merged.gates.append((kind, qubits, parameters))
                let id = nextID
                nextID += 1
                for q in merged.qubits { owner[q] = id }
                blocks[id] = merged
            }
        }
        try closeAll()
        return out
    }

    /// One block as a kernel gate: a lone gate keeps its controlled form; several
    /// become one dense matrix on the block's qubits in ascending order.
    /// `perGate` is called before each gate is multiplied in.
    static func build<E: Error>(
        _ qubits: [Int], _ gates: [(GateKind, [Int], [Double])], perGate: () throws(E) -> Void
    ) throws(E) -> FusedGate {
        if gates.count == 1, let (kind, q, p) = gates.first {
            return KernelControlled.gate(kind, qubits: q, parameters: p)
        }
        let sorted = qubits.sorted()
        var position = [Int: Int]()
        for (i, q) in sorted.enumerated() { position[q] = i }
        if let diagonal = try diagonalProduct(
            sorted.count, gates.map { ($0.0, $0.1.map { position[$0]! }, $0.2) }, perGate: perGate)
        {
            return FusedGate(targets: sorted, matrix: .diagonal(diagonal), sourceGates: gates.count)
        }
        var u = GateMatrix.identity(qubits: sorted.count)
        for (kind, q, p) in gates {
            try perGate()
            let m = GateMatrices.embed(GateMatrices.dense(kind, p), on: q.map { position[$0]! }, qubits: sorted.count)
            u = m.multiplied(by: u)
        }
        return FusedGate(targets: sorted, matrix: u, sourceGates: gates.count)
    }

    /// The diagonal of a product of diagonal gates on k qubits (qubits given as
    /// positions 0..<k), in O(2^k) per gate; nil when some gate is not diagonal.
    static func diagonalProduct<E: Error>(
        _ k: Int, _ gates: [(GateKind, [Int], [Double])], perGate: () throws(E) -> Void
    ) throws(E) -> [Complex]? {
        var d = [Complex](repeating: .one, count: 1 << k)
        for (kind, positions, parameters) in gates {
            try perGate()
            let m = GateMatrices.dense(kind, parameters)
            guard m.isDiagonal else { return nil }
            for x in 0..<(1 << k) {
                var y = 0
                for (j, p) in positions.enumerated() where x >> p & 1 == 1 { y |= 1 << j }
                d[x] = m[y, y] * d[x]
            }
        }
        return d
    }
}
