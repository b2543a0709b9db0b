// The flat circuit IR: what a checked OpenQASM program lowers to and what the
// simulator runs. User gates are expanded, broadcasts resolved and parameters
// evaluated; measurement, reset, barrier and `if` stay as operations.

/// A gate the simulator knows natively: OpenQASM's built-ins `U` and `CX`, and
/// every gate of the embedded `qelib1.inc`. Raw values are the OpenQASM names.
public enum GateKind: String, Sendable, Hashable, CaseIterable {
    // The built-ins of the OpenQASM 2.0 paper.
    case U, CX
    // The 23 gates of the paper's qelib1.inc.
    case u3, u2, u1, cx, id, x, y, z, h, s, sdg, t, tdg, rx, ry, rz, cz, cy, ch, ccx, crz, cu1, cu3
    // The extended gates of Qiskit's qelib1.inc.
    case u0, u, p, sx, sxdg, swap, cswap, crx, cry, cp, csx, cu, rxx, rzz, rccx, rc3x, c3x, c3sqrtx, c4x

    /// How many qubits the gate acts on.
    public var qubitCount: Int {
        switch self {
        case .U, .u3, .u2, .u1, .id, .x, .y, .z, .h, .s, .sdg, .t, .tdg, .rx, .ry, .rz,
            .u0, .u, .p, .sx, .sxdg:
            return 1
        case .CX, .cx, .cz, .cy, .ch, .crz, .cu1, .cu3, .swap, .crx, .cry, .cp, .csx, .cu, .rxx, .rzz:
            return 2
        case .ccx, .cswap, .rccx: return 3
        case .rc3x, .c3x, .c3sqrtx: return 4
        case .c4x: return 5
        }
    }

    /// How many real parameters the gate takes.
    public var parameterCount: Int {
        switch self {
        case .U, .u3, .cu3, .u: return 3
        case .cu: return 4
        case .u2: return 2
        case .u1, .rx, .ry, .rz, .crz, .cu1, .u0, .p, .crx, .cry, .cp, .rxx, .rzz: return 1
        default: return 0
        }
    }
}

/// The condition of an OpenQASM `if (creg == value)`.
public struct Condition: Hashable, Sendable {
    /// The index of the classical register in `Circuit.classicalRegisters`.
    public var register: Int
    /// The value the whole register must equal (bit 0 is the register's index 0).
    public var value: UInt64

    public init(register: Int, value: UInt64) {
        self.register = register
        self.value = value
    }
}

/// One step of a circuit. Qubit and clbit numbers are global: registers are laid
/// out one after another in declaration order.
public enum Operation: Hashable, Sendable {
    /// A native gate on `qubits` (in the gate's argument order) with evaluated parameters.
    case gate(GateKind, qubits: [Int], parameters: [Double], condition: Condition?)
    /// Measure `qubit` in the computational basis into `clbit`.
    case measure(qubit: Int, clbit: Int, condition: Condition?)
    /// Reset `qubit` to |0⟩.
    case reset(qubit: Int, condition: Condition?)
    /// A barrier: no effect on the state; it stops gate fusion across it.
    case barrier(qubits: [Int])

    /// The condition, if the operation is guarded by an `if`.
    public var condition: Condition? {
        switch self {
        case .gate(_, _, _, let c), .measure(_, _, let c), .reset(_, let c): return c
        case .barrier: return nil
        }
    }
}

/// A named register and where its bits start in the flat numbering.
public struct Register: Hashable, Sendable {
    public var name: String
    public var size: Int
    /// The global index of the register's bit 0.
    public var offset: Int

    public init(name: String, size: Int, offset: Int) {
        self.name = name
        self.size = size
        self.offset = offset
    }
}

/// The statement of the source an operation was lowered from: where it is and, when the
/// operation comes from the expansion of a gate defined in the program, that gate's name.
public struct OperationOrigin: Hashable, Sendable {
    /// The statement's position: the gate's name at a call site, the keyword otherwise.
    public var location: SourceLocation
    /// The user-defined gate the statement applies (whose body the operation comes from),
    /// nil for a gate of qelib1.inc, U, CX, measure, reset and barrier.
    public var definedGate: String?

    public init(location: SourceLocation, definedGate: String? = nil) {
        self.location = location
        self.definedGate = definedGate
    }
}

/// A lowered program: registers in declaration order and a flat list of operations.
/// Equality and hashing look at the registers and operations only, not at the origins.
public struct Circuit: Hashable, Sendable {
    public var quantumRegisters: [Register]
    public var classicalRegisters: [Register]
    public var operations: [Operation]
    /// Per operation, an index into `originTable` (the statement it was lowered from);
    /// empty for a circuit not lowered from source (built in code).
    public var origins: [Int32]
    /// The statements operations came from, each once.
    public var originTable: [OperationOrigin]

    public init(
        quantumRegisters: [Register], classicalRegisters: [Register], operations: [Operation],
        origins: [Int32] = [], originTable: [OperationOrigin] = []
    ) {
        self.quantumRegisters = quantumRegisters
        self.classicalRegisters = classicalRegisters
        self.operations = operations
        self.origins = origins
        self.originTable = originTable
    }

    /// Where operation `index` came from, or nil when the circuit does not say.
    public func origin(of index: Int) -> OperationOrigin? {
        guard index >= 0, index < origins.count else { return nil }
        let entry = Int(origins[index])
        return entry >= 0 && entry < originTable.count ? originTable[entry] : nil
    }

    public static func == (a: Circuit, b: Circuit) -> Bool {
        a.quantumRegisters == b.quantumRegisters && a.classicalRegisters == b.classicalRegisters
            && a.operations == b.operations
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(quantumRegisters)
        hasher.combine(classicalRegisters)
        hasher.combine(operations)
    }

    /// The total number of qubits.
    public var qubitCount: Int { quantumRegisters.reduce(0) { $0 + $1.size } }
    /// The total number of classical bits.
    public var clbitCount: Int { classicalRegisters.reduce(0) { $0 + $1.size } }
}

extension Circuit {
    /// True when every measurement is terminal: no reset, no `if`, and no gate on a
    /// qubit after it is measured. Such circuits are simulated once and sampled, and
    /// only they have exact probabilities.
    public var measurementsAreTerminal: Bool {
        var measured = Set<Int>()
        for op in operations {
            switch op {
            case .gate(_, let qubits, _, let c):
                if c != nil || qubits.contains(where: measured.contains) { return false }
            case .measure(let q, _, let c):
                if c != nil { return false }
                measured.insert(q)
            case .reset:
                return false
            case .barrier:
                continue
            }
        }
        return true
    }
}
