// The classical side of a run: which qubit each classical bit finally holds, the
// counting of outcomes into per-register bitstrings, and whether an `if` holds for
// the bits a shot or a branch has so far.

/// Which qubit each classical bit finally holds, and the counting of outcomes into
/// per-register bitstrings (highest index leftmost; unwritten bits read 0).
struct ClbitMap {
    let circuit: Circuit
    /// clbit → index into `measuredQubits`, or nil when never written.
    let source: [Int?]
    /// The distinct measured qubits, in order of first use.
    let measuredQubits: [Int]

    init(_ circuit: Circuit) {
        self.circuit = circuit
        var last = [Int?](repeating: nil, count: circuit.clbitCount)
        for op in circuit.operations {
            if case .measure(let q, let c, _) = op, c >= 0, c < last.count { last[c] = q }
        }
        var qubits: [Int] = []
        var position: [Int: Int] = [:]
        var source = [Int?](repeating: nil, count: circuit.clbitCount)
        for (c, q) in last.enumerated() {
            guard let q else { continue }
            if position[q] == nil {
                position[q] = qubits.count
                qubits.append(q)
            }
            source[c] = position[q]
        }
        self.source = source
        measuredQubits = qubits
    }

    /// The bitstring of `register` for a pattern of the measured qubits.
    func bitstring(_ register: Register, measuredPattern pattern: Int) -> String {
        var bytes = [UInt8]()
        bytes.reserveCapacity(register.size)
        for i in stride(from: register.size - 1, through: 0, by: -1) {
            let bit = source[register.offset + i].map { pattern >> $0 & 1 } ?? 0
            bytes.append(bit == 1 ? 0x31 : 0x30)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Per register: bitstring → count.
    func emptyTallies() -> [[String: Int]] { circuit.classicalRegisters.map { _ in [:] } }

    /// Counts `count` shots of basis state `index` (sampled runs).
    func tally(_ index: Int, count: Int, into tallies: inout [[String: Int]]) {
        var pattern = 0
        for (j, q) in measuredQubits.enumerated() where index >> q & 1 == 1 { pattern |= 1 << j }
        for (k, register) in circuit.classicalRegisters.enumerated() {
            tallies[k][bitstring(register, measuredPattern: pattern), default: 0] += count
        }
    }

    /// Counts `count` shots (one by default) given their classical bits.
    func tally(bits: [UInt8], count: Int = 1, into tallies: inout [[String: Int]]) {
        for (k, register) in circuit.classicalRegisters.enumerated() {
            var bytes = [UInt8]()
            bytes.reserveCapacity(register.size)
            for i in stride(from: register.size - 1, through: 0, by: -1) {
                bytes.append(bits[register.offset + i] == 1 ? 0x31 : 0x30)
            }
            tallies[k][String(decoding: bytes, as: UTF8.self), default: 0] += count
        }
    }

    func counts(_ tallies: [[String: Int]]) -> [RegisterCounts] {
        zip(circuit.classicalRegisters, tallies).map {
            RegisterCounts(name: $0.0.name, width: $0.0.size, counts: $0.1)
        }
    }
}

extension Condition {
    /// Whether `if (creg == value)` holds for the classical bits `bits` of `circuit`.
    func holds(bits: [UInt8], in circuit: Circuit) -> Bool {
        let r = circuit.classicalRegisters[register]
        for i in 0..<r.size {
            let want: UInt8 = i < 64 ? UInt8(truncatingIfNeeded: value >> UInt64(i) & 1) : 0
            if bits[r.offset + i] != want { return false }
        }
        // A value wider than the register can never match.
        return r.size >= 64 || value >> UInt64(r.size) == 0
    }
}
