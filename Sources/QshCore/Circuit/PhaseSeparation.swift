// Phase separation, the fuser's other way to cut a circuit (FusionOptions.separatePhases).
// Every 1-qubit gate with complex entries becomes phases · real rotation · phases
// (U = D1 · R · D2), and the phases travel forward as a phase polynomial through x,
// cx and swap, which only permute basis states, until a gate that does not commute
// with them needs them applied. Gates go layer by layer (ASAP layers: the gates of a
// layer act on disjoint qubits, so they commute), and the phases a layer needs are
// written out together, ahead of it, where the fuser packs them into wide diagonal
// blocks. A circuit of u3 and cx layers becomes real 2-qubit blocks, which take half
// the FMAs of complex ones, and a few diagonal blocks.

enum PhaseSeparation {
    /// The items of a run of unconditioned gates, with every phase applied by its end.
    /// - Parameter maxTermQubits: the widest phase term carried through a cx; a wider
    ///   one is applied before the cx instead.
    static func items(_ gates: [(GateKind, [Int], [Double])], maxTermQubits: Int) -> [FuserItem] {
        var phases = PhasePolynomial()
        var out: [FuserItem] = []
        for layer in layers(gates) {
            var needy: UInt64 = 0
            var rotations: [(q: Int, r: GateMatrix, after: (Double, Double))] = []
            var rest: [(GateKind, [Int], [Double])] = []
            for (kind, qubits, parameters) in layer {
                let m = GateMatrices.dense(kind, parameters)
                if m.isDiagonal {
                    phases.add(diagonal: (0..<m.dimension).map { m[$0, $0] }, on: qubits)
                } else if qubits.count == 1 && !m.entries.allSatisfy({ $0.im == 0 }) {
                    let split = Self.split(m)
                    phases.add(mask: 1 << UInt64(qubits[0]), split.before)
                    needy |= 1 << UInt64(qubits[0])
                    rotations.append((qubits[0], split.rotation, split.after))
                } else {
                    if !isPermutation(kind) { for q in qubits { needy |= 1 << UInt64(q) } }
                    rest.append((kind, qubits, parameters))
                }
            }
            if phases.count > 512 { needy = ~0 }
            // A term that would grow past the limit through a cx is applied before it.
            for (kind, qubits, _) in rest where kind == .cx || kind == .CX {
                let c = UInt64(1) << UInt64(qubits[0]), t = UInt64(1) << UInt64(qubits[1])
                out += phases.take { $0 & t != 0 && $0 & c == 0 && ($0 | c).nonzeroBitCount > maxTermQubits }
            }
            out += phases.take { $0 & needy != 0 }
            for (q, r, after) in rotations {
                out.append(.matrix(r, qubits: [q], sources: 1))
                phases.add(mask: 0, after.0)
                phases.add(mask: 1 << UInt64(q), after.1 - after.0)
            }
            for (kind, qubits, parameters) in rest {
                switch kind {
                case .cx, .CX: phases.conjugate(cx: qubits[0], qubits[1])
                case .x: phases.conjugate(x: qubits[0])
                case .swap: phases.conjugate(swap: qubits[0], qubits[1])
                default: break
                }
                out.append(.gate(kind, qubits: qubits, parameters: parameters))
            }
        }
        return out + phases.takeAll()
    }

    /// Gates that only permute basis states, which phases pass through.
    static func isPermutation(_ kind: GateKind) -> Bool {
        kind == .cx || kind == .CX || kind == .x || kind == .swap
    }

    /// The gates grouped into ASAP layers: a gate goes one layer after the last gate
    /// on any of its qubits. Within a layer the gates keep their order.
    static func layers(_ gates: [(GateKind, [Int], [Double])]) -> [[(GateKind, [Int], [Double])]] {
        var depth: [Int: Int] = [:]
        var layers: [[(GateKind, [Int], [Double])]] = []
        for gate in gates {
            let d = gate.1.map { depth[$0, default: 0] }.max() ?? 0
            for q in gate.1 { depth[q] = d + 1 }
            if d == layers.count { layers.append([]) }
            layers[d].append(gate)
        }
        return layers
    }

    /// A 1-qubit unitary as D1 · R · D2: R real, D2 = diag(1, e^{i·before}),
    /// D1 = diag(e^{i·after.0}, e^{i·after.1}).
    static func split(_ u: GateMatrix) -> (before: Double, rotation: GateMatrix, after: (Double, Double)) {
        let a = u[0, 0], b = u[0, 1], c = u[1, 0], d = u[1, 1]
        let cosine = a.norm.squareRoot(), sine = c.norm.squareRoot()
        var g0 = 0.0, g1 = 0.0, d1 = 0.0
        if cosine >= sine {
            g0 = a.argument
            if sine > 0 {
                g1 = c.argument
                d1 = d.argument - g1
            } else {
                g1 = d.argument
            }
        } else {
            g1 = c.argument
            if cosine > 0 {
                g0 = a.argument
                d1 = (-b).argument - g0
            } else {
                g0 = (-b).argument
            }
        }
        let r = GateMatrix.m2(Complex(cosine), Complex(-sine), Complex(sine), Complex(cosine))
        return (d1, r, (g0, g1))
    }
}

/// Phases as a sum of angles on parities: basis state x gets the phase
/// Σ angle · parity(x & mask), mask bit q being qubit q. Mask 0 is the global phase.
/// Terms keep the order they first appeared in, so the output is deterministic.
struct PhasePolynomial {
    private var masks: [UInt64] = []
    private var angles: [Double] = []
    private var index: [UInt64: Int] = [:]

    var count: Int { masks.count }

    mutating func add(mask: UInt64, _ angle: Double) {
        if let i = index[mask] {
            angles[i] += angle
        } else {
            index[mask] = masks.count
            masks.append(mask)
            angles.append(angle)
        }
    }

    /// Adds a diagonal gate, `entries` indexed with bit j = `qubits[j]`: its phases
    /// α_x become parity terms by the Walsh–Hadamard transform, α_x = Σ_S β_S (-1)^{S·x},
    /// and (-1)^p = 1 - 2p.
    mutating func add(diagonal entries: [Complex], on qubits: [Int]) {
        let alpha = entries.map(\.argument)
        let k = qubits.count, size = 1 << k
        for s in 0..<size {
            var beta = 0.0
            for x in 0..<size { beta += (s & x).nonzeroBitCount & 1 == 0 ? alpha[x] : -alpha[x] }
            beta /= Double(size)
            add(mask: 0, beta)
            if s != 0 { add(mask: Self.mask(s, qubits), -2 * beta) }
        }
    }

    /// Moves the terms past cx(c, t), which maps x_t to x_t ⊕ x_c: a term on t toggles c.
    mutating func conjugate(cx c: Int, _ t: Int) {
        let cb = UInt64(1) << UInt64(c), tb = UInt64(1) << UInt64(t)
        remap { $0 & tb != 0 ? $0 ^ cb : $0 }
    }

    /// Moves the terms past x on q: a parity on q flips, angle · p = angle - angle · (1 - p).
    mutating func conjugate(x q: Int) {
        let qb = UInt64(1) << UInt64(q)
        for i in masks.indices where masks[i] & qb != 0 {
            add(mask: 0, angles[i])
            angles[i] = -angles[i]
        }
    }

    /// Moves the terms past swap(a, b).
    mutating func conjugate(swap a: Int, _ b: Int) {
        let ab = UInt64(1) << UInt64(a), bb = UInt64(1) << UInt64(b)
        remap { m in
            let hasA = m & ab != 0, hasB = m & bb != 0
            return hasA == hasB ? m : m ^ ab ^ bb
        }
    }

    /// Removes the terms (not the global phase) whose mask passes `test` and returns
    /// them as diagonal items.
    mutating func take(where test: (UInt64) -> Bool) -> [FuserItem] {
        var taken: [FuserItem] = []
        var keptMasks: [UInt64] = [], keptAngles: [Double] = []
        for (m, angle) in zip(masks, angles) {
            if m != 0 && test(m) {
                if let item = Self.item(m, angle) { taken.append(item) }
            } else {
                keptMasks.append(m)
                keptAngles.append(angle)
            }
        }
        rebuild(keptMasks, keptAngles)
        return taken
    }

    /// Every term as items, the global phase folded into the first (or on qubit 0).
    mutating func takeAll() -> [FuserItem] {
        let global = index[0].map { angles[$0] } ?? 0
        var items = take { _ in true }
        rebuild([], [])
        guard Self.significant(global) else { return items }
        let phase = Complex.phase(global)
        if case .matrix(var m, let qubits, let sources) = items.first {
            for i in m.entries.indices { m.entries[i] = phase * m.entries[i] }
            items[0] = .matrix(m, qubits: qubits, sources: sources)
        } else {
            items.append(.matrix(.diagonal([phase, phase]), qubits: [0], sources: 0))
        }
        return items
    }

    private mutating func remap(_ f: (UInt64) -> UInt64) {
        let old = zip(masks, angles).map { (f($0.0), $0.1) }
        rebuild([], [])
        for (m, angle) in old { add(mask: m, angle) }
    }

    private mutating func rebuild(_ newMasks: [UInt64], _ newAngles: [Double]) {
        masks = newMasks
        angles = newAngles
        index = [:]
        for (i, m) in masks.enumerated() { index[m] = i }
    }

    /// The circuit-qubit mask of the local subset `s` of `qubits`.
    private static func mask(_ s: Int, _ qubits: [Int]) -> UInt64 {
        var m: UInt64 = 0
        for (j, q) in qubits.enumerated() where s >> j & 1 == 1 { m |= 1 << UInt64(q) }
        return m
    }

    /// An angle that changes amplitudes by more than rounding does.
    private static func significant(_ angle: Double) -> Bool {
        abs(angle.remainder(dividingBy: 2 * Double.pi)) > 1e-13
    }

    /// The term as a diagonal on its qubits (ascending), nil when it does nothing.
    private static func item(_ m: UInt64, _ angle: Double) -> FuserItem? {
        guard significant(angle) else { return nil }
        var qubits: [Int] = []
        for q in 0..<64 where m >> UInt64(q) & 1 == 1 { qubits.append(q) }
        let phase = Complex.phase(angle)
        let d = (0..<(1 << qubits.count)).map { $0.nonzeroBitCount & 1 == 1 ? phase : Complex.one }
        return .matrix(.diagonal(d), qubits: qubits, sources: 0)
    }
}
