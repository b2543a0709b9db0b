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
    /// Also cut the circuit with phase separation (PhaseSeparation.swift) and keep
    /// whichever of the two costs fewer FMAs.
    public var separatePhases: Bool

    public init(maxQubits: Int, maxDiagonalQubits: Int? = nil, separatePhases: Bool = false) {
        self.maxQubits = maxQubits
        self.maxDiagonalQubits = max(maxQubits, maxDiagonalQubits ?? maxQubits)
        self.separatePhases = separatePhases
    }

    /// The default, chosen by measurement on 24-qubit random circuits (see the sim
    /// branch notes): 2-qubit blocks run at memory speed with AVX2 in both precisions,
    /// while 3-qubit and larger dense blocks are compute bound and cost more per gate
    /// than they save in passes.
    /// Diagonal blocks go to 6 qubits: a k-qubit diagonal costs one complex multiply
    /// per amplitude for any k, and its plan holds 2^k phases per slice
    /// (DiagonalSlices.swift), which stays small at 6.
    public static func `default`(precision: Precision) -> FusionOptions {
        FusionOptions(maxQubits: 2, maxDiagonalQubits: 6, separatePhases: true)
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
        var items: [FuserItem]
        /// The most costly class of its items.
        var itemClass: FuserItem.Class
    }

    /// The fuser's input: unitary items, and the operations that end blocks.
    private enum Step {
        case item(FuserItem)
        case other(Operation)
    }

    /// The fused form of `operations` (barriers dropped).
    public func fuse(_ operations: [Operation], qubitCount: Int) -> [FusedOperation] {
        let plain = fuse(steps(operations, separate: false), qubitCount: qubitCount, keepClasses: false)
        guard options.separatePhases && options.maxQubits >= 1 else { return plain }
        let separated = fuseSeparated(operations, qubitCount: qubitCount)
        return Self.cost(separated) < Self.cost(plain) ? separated : plain
    }

    /// The phase-separated cut alone (PhaseSeparation.swift).
    func fuseSeparated(_ operations: [Operation], qubitCount: Int) -> [FusedOperation] {
        fuse(steps(operations, separate: true), qubitCount: qubitCount, keepClasses: true)
    }

    /// Estimated work of a fused circuit, in real FMAs per amplitude: 4·2^k for a
    /// complex k-qubit block, 2·2^k for a real 1- or 2-qubit one (KernelDispatch's real
    /// kernels), 4 for a diagonal, plus 4 for reading and writing the amplitudes;
    /// a controlled gate does the share of the state its controls select.
    static func cost(_ operations: [FusedOperation]) -> Double {
        var total = 0.0
        for case .gate(let g, _) in operations {
            let m = g.matrix, k = g.targets.count
            let work: Double
            if m.isDiagonal {
                work = 4
            } else if k <= 2 && m.entries.allSatisfy({ $0.im == 0 }) {
                work = Double(2 << k)
            } else {
                work = Double(4 << k)
            }
            total += (work + 4) / Double(1 << g.controls.count)
        }
        return total
    }

    private func steps(_ operations: [Operation], separate: Bool) -> [Step] {
        var steps: [Step] = []
        var run: [(GateKind, [Int], [Double])] = []
        func endRun() {
            if separate {
                steps += PhaseSeparation.items(run, maxTermQubits: options.maxDiagonalQubits).map(Step.item)
            } else {
                steps += run.map { Step.item(.gate($0.0, qubits: $0.1, parameters: $0.2)) }
            }
            run = []
        }
        for op in operations {
            switch op {
            case .barrier:
                continue
            case .gate(let kind, let qubits, let parameters, nil):
                run.append((kind, qubits, parameters))
            default:
                endRun()
                steps.append(.other(op))
            }
        }
        endRun()
        return steps
    }

    private func fuse(_ steps: [Step], qubitCount: Int, keepClasses: Bool) -> [FusedOperation] {
        var out: [FusedOperation] = []
        var blocks: [Int: Block] = [:]  // id → block
        var owner = [Int](repeating: -1, count: qubitCount)  // qubit → block id
        var nextID = 0
        var lastDiagonal: Int?
        let limit = max(1, options.maxQubits)

        func close(_ id: Int) {
            guard let block = blocks.removeValue(forKey: id) else { return }
            for q in block.qubits where q < owner.count && owner[q] == id { owner[q] = -1 }
            out.append(.gate(Self.build(block.qubits, block.items), condition: nil))
        }
        func closeAll() {
            for id in blocks.keys.sorted() { close(id) }
        }

        for step in steps {
            guard case .item(let item) = step else {
                closeAll()
                switch step {
                case .other(.measure(let q, let c, let cond)): out.append(.measure(qubit: q, clbit: c, condition: cond))
                case .other(.reset(let q, let cond)): out.append(.reset(qubit: q, condition: cond))
                case .other(.gate(let kind, let qubits, let parameters, let condition)):
                    out.append(.gate(KernelControlled.gate(kind, qubits: qubits, parameters: parameters), condition: condition))
                default: break
                }
                continue
            }
            let qubits = item.qubits
            let itemClass = item.itemClass
            var touched = Set(qubits.compactMap { $0 < owner.count && owner[$0] >= 0 ? owner[$0] : nil }).sorted()
            if keepClasses {
                // Diagonal and real blocks stay apart: together they would make a complex one.
                for id in touched where Set([blocks[id]!.itemClass, itemClass]) == [.diagonal, .real] { close(id) }
                touched = touched.filter { blocks[$0] != nil }
            }
            // A diagonal gate joining diagonal blocks only may make a larger block.
            let limit = itemClass == .diagonal && touched.allSatisfy({ blocks[$0]!.itemClass == .diagonal })
                ? max(limit, options.maxDiagonalQubits) : limit
            if qubits.count > limit || options.maxQubits < 1 {
                // Too wide to fuse: emit alone.
                for id in touched { close(id) }
                out.append(.gate(Self.build(qubits, [item]), condition: nil))
                continue
            }
            // Join the touched blocks that fit, smallest first; close the rest
            // (they are emitted before the gate, which comes after them).
            var merged = Block(qubits: [], items: [], itemClass: itemClass)
            var size = qubits.count
            let bySize = touched.sorted { (blocks[$0]!.qubits.count, $0) < (blocks[$1]!.qubits.count, $1) }
            var joining: [Int] = []
            // Diagonal items that touch nothing open join the newest diagonal block
            // with room: they commute with it, so its phases can wait for theirs.
            if keepClasses, itemClass == .diagonal, touched.isEmpty, let d = lastDiagonal,
                let block = blocks[d], block.itemClass == .diagonal, size + block.qubits.count <= limit
            {
                size += block.qubits.count
                joining.append(d)
            }
            for id in bySize {
                let extra = blocks[id]!.qubits.filter { !qubits.contains($0) }.count
                if size + extra <= limit {
                    size += extra
                    joining.append(id)
                } else {
                    close(id)
                }
            }
            for id in joining.sorted() {
                let b = blocks.removeValue(forKey: id)!
                merged.qubits += b.qubits
                merged.items += b.items
                merged.itemClass = max(merged.itemClass, b.itemClass)
            }
            for q in qubits where !merged.qubits.contains(q) { merged.qubits.append(q) }
            merged.items.append(item)
            let id = nextID
            nextID += 1
            for q in merged.qubits { owner[q] = id }
            blocks[id] = merged
            if merged.itemClass == .diagonal { lastDiagonal = id }
        }
        closeAll()
        return out
    }

    /// One block as a kernel gate: a lone circuit gate keeps its controlled form;
    /// anything else becomes one matrix on the block's qubits in ascending order.
    static func build(_ qubits: [Int], _ items: [FuserItem]) -> FusedGate {
        let sources = items.reduce(0) { $0 + $1.sourceGates }
        if items.count == 1, case .gate(let kind, let q, let p) = items[0] {
            return KernelControlled.gate(kind, qubits: q, parameters: p)
        }
        let sorted = qubits.sorted()
        var position = [Int: Int]()
        for (i, q) in sorted.enumerated() { position[q] = i }
        let local = items.map { ($0.dense, $0.qubits.map { position[$0]! }) }
        if let diagonal = diagonalProduct(sorted.count, local) {
            return FusedGate(targets: sorted, matrix: .diagonal(diagonal), sourceGates: sources)
        }
        var u = GateMatrix.identity(qubits: sorted.count)
        for (m, q) in local {
            u = GateMatrices.embed(m, on: q, qubits: sorted.count).multiplied(by: u)
        }
        return FusedGate(targets: sorted, matrix: u, sourceGates: sources)
    }

    /// The diagonal of a product of diagonal matrices on k qubits (qubits given as
    /// positions 0..<k), in O(2^k) per matrix; nil when some matrix is not diagonal.
    static func diagonalProduct(_ k: Int, _ matrices: [(GateMatrix, [Int])]) -> [Complex]? {
        var d = [Complex](repeating: .one, count: 1 << k)
        for (m, positions) in matrices {
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
