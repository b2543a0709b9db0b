// The unitary of every GateKind with Qiskit qelib1.inc semantics (up to global
// phase for uncontrolled gates; exact on the target of controlled ones), as a dense
// matrix or as controls plus a small target matrix.

/// A complex number in double precision (matrices are built in double, then
/// converted to the simulator's precision).
public struct Complex: Hashable, Sendable {
    public var re: Double
    public var im: Double

    public init(_ re: Double, _ im: Double = 0) {
        self.re = re
        self.im = im
    }

    public static let zero = Complex(0, 0)
    public static let one = Complex(1, 0)

    /// e^{iθ}.
    public static func phase(_ theta: Double) -> Complex { Complex(cosine(theta), sine(theta)) }

    public static func + (a: Complex, b: Complex) -> Complex { Complex(a.re + b.re, a.im + b.im) }
    public static func - (a: Complex, b: Complex) -> Complex { Complex(a.re - b.re, a.im - b.im) }
    public static func * (a: Complex, b: Complex) -> Complex {
        Complex(a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re)
    }
    public static prefix func - (a: Complex) -> Complex { Complex(-a.re, -a.im) }
    public var conjugate: Complex { Complex(re, -im) }
    /// |z|².
    public var norm: Double { re * re + im * im }
}

/// A dense 2^k × 2^k complex matrix, row-major. Index bit j of a row or column is
/// the j-th qubit the matrix is applied to (Qiskit's little-endian convention).
public struct GateMatrix: Hashable, Sendable {
    /// k: the number of qubits the matrix acts on.
    public var qubitCount: Int
    /// The 4^k entries, row-major.
    public var entries: [Complex]

    public init(qubitCount: Int, entries: [Complex]) {
        precondition(entries.count == 1 << (2 * qubitCount), "a gate matrix needs 4^k entries")
        self.qubitCount = qubitCount
        self.entries = entries
    }

    /// 2^k.
    public var dimension: Int { 1 << qubitCount }

    public subscript(row: Int, column: Int) -> Complex {
        get { entries[row * dimension + column] }
        set { entries[row * dimension + column] = newValue }
    }

    /// The identity on k qubits.
    public static func identity(qubits k: Int) -> GateMatrix {
        var m = GateMatrix(qubitCount: k, entries: Array(repeating: .zero, count: 1 << (2 * k)))
        for i in 0..<(1 << k) { m[i, i] = .one }
        return m
    }

    /// The diagonal matrix with these 2^k entries.
    public static func diagonal(_ entries: [Complex]) -> GateMatrix {
        var k = 0
        while 1 << k < entries.count { k += 1 }
        precondition(1 << k == entries.count, "a diagonal needs 2^k entries")
        var m = GateMatrix(qubitCount: k, entries: Array(repeating: .zero, count: 1 << (2 * k)))
        for (i, d) in entries.enumerated() { m[i, i] = d }
        return m
    }

    /// A 2×2 matrix from its rows.
    static func m2(_ a: Complex, _ b: Complex, _ c: Complex, _ d: Complex) -> GateMatrix {
        GateMatrix(qubitCount: 1, entries: [a, b, c, d])
    }

    /// The product self · other (apply `other` first).
    public func multiplied(by other: GateMatrix) -> GateMatrix {
        let n = dimension
        var out = [Complex](repeating: .zero, count: n * n)
        for i in 0..<n {
            for k in 0..<n {
                let a = entries[i * n + k]
                if a.re == 0 && a.im == 0 { continue }
                for j in 0..<n { out[i * n + j] = out[i * n + j] + a * other.entries[k * n + j] }
            }
        }
        return GateMatrix(qubitCount: qubitCount, entries: out)
    }

    /// The conjugate transpose.
    public var adjoint: GateMatrix {
        var m = self
        for i in 0..<dimension { for j in 0..<dimension { m[i, j] = self[j, i].conjugate } }
        return m
    }

    /// True when only the diagonal is non-zero.
    public var isDiagonal: Bool {
        for i in 0..<dimension { for j in 0..<dimension where i != j && self[i, j] != .zero { return false } }
        return true
    }

    /// The matrix acting on `target` qubits with `controls` more qubits as controls:
    /// the result's qubit order is targets first, then the controls (bit positions
    /// k..k+c-1), so index bits above k must all be one for the target matrix to act.
    public func controlled(by controls: Int) -> GateMatrix {
        let k = qubitCount, total = k + controls
        var m = GateMatrix.identity(qubits: total)
        let block = (1 << total) - (1 << k)  // all control bits set
        for i in 0..<dimension { for j in 0..<dimension { m[block | i, block | j] = self[i, j] } }
        return m
    }

    /// The same operator with its qubits in a new order: qubit j of the result is
    /// qubit `order[j]` of self.
    public func permuted(_ order: [Int]) -> GateMatrix {
        let n = dimension
        var map = [Int](repeating: 0, count: n)
        for newIndex in 0..<n {
            var old = 0
            for (j, o) in order.enumerated() where newIndex >> j & 1 == 1 { old |= 1 << o }
            map[newIndex] = old
        }
        var m = self
        for i in 0..<n { for j in 0..<n { m[i, j] = self[map[i], map[j]] } }
        return m
    }
}

/// A gate as a number of leading control qubits and the matrix on the remaining
/// (target) qubits: `cx` is 1 control and X, `c4x` is 4 controls and X.
public struct ControlledMatrix: Hashable, Sendable {
    /// How many of the gate's first arguments are controls (all must be one).
    public var controls: Int
    /// The matrix on the remaining arguments.
    public var target: GateMatrix

    public init(controls: Int, target: GateMatrix) {
        self.controls = controls
        self.target = target
    }

    /// The dense matrix in the gate's argument order.
    public var dense: GateMatrix {
        if controls == 0 { return target }
        // controlled(by:) puts the target first; the gate's arguments put controls first.
        let m = target.controlled(by: controls)
        let k = target.qubitCount
        var order = [Int]()
        for c in 0..<controls { order.append(k + c) }
        for t in 0..<k { order.append(t) }
        return m.permuted(order)
    }
}

/// The matrices of the gates qsh simulates natively.
public enum GateMatrices {
    /// The gate as controls plus a target matrix.
    /// - Precondition: `parameters.count == kind.parameterCount` (lowering guarantees it).
    public static func controlled(_ kind: GateKind, _ parameters: [Double]) -> ControlledMatrix {
        let p = parameters + Array(repeating: 0, count: max(0, 4 - parameters.count))
        switch kind {
        case .CX, .cx: return ControlledMatrix(controls: 1, target: x)
        case .cz: return ControlledMatrix(controls: 1, target: z)
        case .cy: return ControlledMatrix(controls: 1, target: y)
        case .ch: return ControlledMatrix(controls: 1, target: h)
        case .crz: return ControlledMatrix(controls: 1, target: rz(p[0]))
        case .crx: return ControlledMatrix(controls: 1, target: rx(p[0]))
        case .cry: return ControlledMatrix(controls: 1, target: ry(p[0]))
        case .cu1, .cp: return ControlledMatrix(controls: 1, target: u1(p[0]))
        case .cu3: return ControlledMatrix(controls: 1, target: u3(p[0], p[1], p[2]))
        case .cu:
            var m = u3(p[0], p[1], p[2])
            let g = Complex.phase(p[3])
            for i in 0..<4 { m.entries[i] = g * m.entries[i] }
            return ControlledMatrix(controls: 1, target: m)
        case .csx: return ControlledMatrix(controls: 1, target: sx)
        case .ccx: return ControlledMatrix(controls: 2, target: x)
        case .c3x: return ControlledMatrix(controls: 3, target: x)
        case .c4x: return ControlledMatrix(controls: 4, target: x)
        case .c3sqrtx: return ControlledMatrix(controls: 3, target: sx)
        case .cswap: return ControlledMatrix(controls: 1, target: swap)
        default: return ControlledMatrix(controls: 0, target: matrix(kind, p))
        }
    }

    /// The dense matrix in the gate's argument order (2^k × 2^k, k = kind.qubitCount).
    public static func dense(_ kind: GateKind, _ parameters: [Double]) -> GateMatrix {
        controlled(kind, parameters).dense
    }

    /// Uncontrolled gates and the gates defined by a decomposition.
    private static func matrix(_ kind: GateKind, _ p: [Double]) -> GateMatrix {
        switch kind {
        case .U, .u3, .u: return u3(p[0], p[1], p[2])
        case .u2: return u3(Double.pi / 2, p[0], p[1])
        case .u1, .p: return u1(p[0])
        case .id, .u0: return .identity(qubits: 1)
        case .x: return x
        case .y: return y
        case .z: return z
        case .h: return h
        case .s: return u1(Double.pi / 2)
        case .sdg: return u1(-Double.pi / 2)
        case .t: return u1(Double.pi / 4)
        case .tdg: return u1(-Double.pi / 4)
        case .rx: return rx(p[0])
        case .ry: return ry(p[0])
        case .rz: return rz(p[0])
        case .sx: return sx
        case .sxdg: return sx.adjoint
        case .swap: return swap
        case .rxx:
            // exp(-iθ/2 X⊗X)
            let c = Complex(cosine(p[0] / 2)), s = Complex(0, -sine(p[0] / 2))
            var m = GateMatrix.identity(qubits: 2)
            for i in 0..<4 { m[i, i] = c; m[i, 3 - i] = s }
            return m
        case .rzz:
            let a = Complex.phase(-p[0] / 2), b = Complex.phase(p[0] / 2)
            var m = GateMatrix.identity(qubits: 2)
            m[0, 0] = a; m[1, 1] = b; m[2, 2] = b; m[3, 3] = a
            return m
        case .rccx: return compose(qubits: 3, rccxBody)
        case .rc3x: return compose(qubits: 4, rc3xBody)
        default: return controlled(kind, p).dense
        }
    }

    // MARK: the elementary matrices

    static let x = GateMatrix.m2(.zero, .one, .one, .zero)
    static let y = GateMatrix.m2(.zero, Complex(0, -1), Complex(0, 1), .zero)
    static let z = GateMatrix.m2(.one, .zero, .zero, Complex(-1))
    static let h: GateMatrix = {
        let r = Complex(1 / 2.0.squareRoot())
        return .m2(r, r, r, -r)
    }()
    static let sx = GateMatrix.m2(Complex(0.5, 0.5), Complex(0.5, -0.5), Complex(0.5, -0.5), Complex(0.5, 0.5))
    static let swap: GateMatrix = {
        var m = GateMatrix(qubitCount: 2, entries: Array(repeating: .zero, count: 16))
        m[0, 0] = .one; m[1, 2] = .one; m[2, 1] = .one; m[3, 3] = .one
        return m
    }()

    /// Qiskit's u3: [[cos θ/2, -e^{iλ} sin θ/2], [e^{iφ} sin θ/2, e^{i(φ+λ)} cos θ/2]].
    static func u3(_ theta: Double, _ phi: Double, _ lambda: Double) -> GateMatrix {
        let c = cosine(theta / 2), s = sine(theta / 2)
        return .m2(
            Complex(c), -(Complex.phase(lambda) * Complex(s)),
            Complex.phase(phi) * Complex(s), Complex.phase(phi + lambda) * Complex(c))
    }

    static func u1(_ lambda: Double) -> GateMatrix { .m2(.one, .zero, .zero, .phase(lambda)) }

    static func rx(_ theta: Double) -> GateMatrix {
        let c = Complex(cosine(theta / 2)), s = Complex(0, -sine(theta / 2))
        return .m2(c, s, s, c)
    }

    static func ry(_ theta: Double) -> GateMatrix {
        let c = Complex(cosine(theta / 2)), s = Complex(sine(theta / 2))
        return .m2(c, -s, s, c)
    }

    static func rz(_ phi: Double) -> GateMatrix { .m2(.phase(-phi / 2), .zero, .zero, .phase(phi / 2)) }

    // MARK: gates defined by their qelib1.inc bodies

    /// One step of a decomposition: a gate on argument positions of the composed gate.
    typealias Step = (GateKind, [Int], [Double])

    /// qelib1.inc: gate rccx a,b,c.
    static let rccxBody: [Step] = [
        (.u2, [2], [0, .pi]), (.u1, [2], [.pi / 4]), (.cx, [1, 2], []), (.u1, [2], [-.pi / 4]),
        (.cx, [0, 2], []), (.u1, [2], [.pi / 4]), (.cx, [1, 2], []), (.u1, [2], [-.pi / 4]),
        (.u2, [2], [0, .pi]),
    ]

    /// qelib1.inc: gate rc3x a,b,c,d.
    static let rc3xBody: [Step] = [
        (.u2, [3], [0, .pi]), (.u1, [3], [.pi / 4]), (.cx, [2, 3], []), (.u1, [3], [-.pi / 4]),
        (.u2, [3], [0, .pi]), (.cx, [0, 3], []), (.u1, [3], [.pi / 4]), (.cx, [1, 3], []),
        (.u1, [3], [-.pi / 4]), (.cx, [0, 3], []), (.u1, [3], [.pi / 4]), (.cx, [1, 3], []),
        (.u1, [3], [-.pi / 4]), (.u2, [3], [0, .pi]), (.u1, [3], [.pi / 4]), (.cx, [2, 3], []),
        (.u1, [3], [-.pi / 4]), (.u2, [3], [0, .pi]),
    ]

    /// The unitary of a sequence of steps on `qubits` qubits.
    static func compose(qubits: Int, _ steps: [Step]) -> GateMatrix {
        var u = GateMatrix.identity(qubits: qubits)
        for (kind, args, params) in steps {
            u = embed(dense(kind, params), on: args, qubits: qubits).multiplied(by: u)
        }
        return u
    }

    /// A matrix on `args` (positions among `qubits`) expanded to all `qubits`.
    public static func embed(_ m: GateMatrix, on args: [Int], qubits: Int) -> GateMatrix {
        let n = 1 << qubits, d = m.dimension
        var out = GateMatrix(qubitCount: qubits, entries: Array(repeating: .zero, count: n * n))
        var argMask = 0
        for a in args { argMask |= 1 << a }
        for col in 0..<n {
            var sub = 0
            for (j, a) in args.enumerated() where col >> a & 1 == 1 { sub |= 1 << j }
            let rest = col & ~argMask
            for r in 0..<d {
                let v = m[r, sub]
                if v == .zero { continue }
                var row = rest
                for (j, a) in args.enumerated() where r >> j & 1 == 1 { row |= 1 << a }
                out[row, col] = v
            }
        }
        return out
    }
}

// Sine and cosine from the C maths library, through the front end's one wrapper
// (QshCore imports Glibc in as few places as possible).
@inline(__always) fileprivate func sine(_ x: Double) -> Double { QASMMath.apply(.sin, x) }
@inline(__always) fileprivate func cosine(_ x: Double) -> Double { QASMMath.apply(.cos, x) }
