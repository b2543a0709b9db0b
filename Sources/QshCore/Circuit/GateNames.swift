// What each native gate is called in words, for messages: "The ccx (Toffoli) gate is
// not supported by qpu sim:native".

extension GateKind {
    /// The gate's common name: `Toffoli` for ccx, `Hadamard` for h.
    public var descriptiveName: String {
        switch self {
        case .U: return "generic single-qubit"
        case .CX, .cx: return "controlled-NOT"
        case .u3, .u: return "generic single-qubit rotation"
        case .u2: return "single-qubit rotation about the X+Z axis"
        case .u1, .p: return "phase"
        case .u0: return "idle"
        case .id: return "identity"
        case .x: return "Pauli-X"
        case .y: return "Pauli-Y"
        case .z: return "Pauli-Z"
        case .h: return "Hadamard"
        case .s: return "S"
        case .sdg: return "S-dagger"
        case .t: return "T"
        case .tdg: return "T-dagger"
        case .rx: return "X rotation"
        case .ry: return "Y rotation"
        case .rz: return "Z rotation"
        case .sx: return "square root of X"
        case .sxdg: return "inverse square root of X"
        case .cz: return "controlled-Z"
        case .cy: return "controlled-Y"
        case .ch: return "controlled-Hadamard"
        case .ccx: return "Toffoli"
        case .crz: return "controlled Z rotation"
        case .crx: return "controlled X rotation"
        case .cry: return "controlled Y rotation"
        case .cu1, .cp: return "controlled phase"
        case .cu3, .cu: return "controlled rotation"
        case .swap: return "SWAP"
        case .cswap: return "Fredkin"
        case .csx: return "controlled square root of X"
        case .rxx: return "XX rotation"
        case .rzz: return "ZZ rotation"
        case .rccx: return "simplified Toffoli"
        case .rc3x: return "simplified 3-controlled X"
        case .c3x: return "3-controlled X"
        case .c3sqrtx: return "3-controlled square root of X"
        case .c4x: return "4-controlled X"
        }
    }
}
