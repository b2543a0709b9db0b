// What the fuser fuses: a circuit gate by name, or a matrix that phase separation
// made (a real rotation, or a diagonal of phases) on a list of qubits.

/// One unitary step of the fuser's input.
enum FuserItem {
    /// A circuit gate, kept by name so that a lone one keeps its controlled form.
    case gate(GateKind, qubits: [Int], parameters: [Double])
    /// A dense matrix whose index bit j is `qubits[j]`, standing for `sources` circuit
    /// gates (the real part of a split gate counts it; its phases count for none).
    case matrix(GateMatrix, qubits: [Int], sources: Int)

    /// What a block of items costs to apply, by the cheapest kernel that takes it.
    enum Class: Comparable {
        /// Every matrix is diagonal: one complex factor per amplitude.
        case diagonal
        /// Every entry is real: the real and imaginary parts never mix.
        case real
        case complex
    }

    var qubits: [Int] {
        switch self {
        case .gate(_, let qubits, _), .matrix(_, let qubits, _): return qubits
        }
    }

    /// The matrix in the order of `qubits`.
    var dense: GateMatrix {
        switch self {
        case .gate(let kind, _, let parameters): return GateMatrices.dense(kind, parameters)
        case .matrix(let m, _, _): return m
        }
    }

    var itemClass: Class {
        let m = dense
        if m.isDiagonal { return .diagonal }
        return m.entries.allSatisfy { $0.im == 0 } ? .real : .complex
    }

    /// The circuit gates it stands for.
    var sourceGates: Int {
        switch self {
        case .gate: return 1
        case .matrix(_, _, let sources): return sources
        }
    }
}
