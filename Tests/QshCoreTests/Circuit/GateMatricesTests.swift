// Every gate matrix is unitary and matches its qelib1.inc definition up to global phase.
import Testing
@testable import QshCore

/// True when a = e^{iφ} b for some φ.
func equalUpToPhase(_ a: GateMatrix, _ b: GateMatrix, tolerance: Double = 1e-10) -> Bool {
    guard a.qubitCount == b.qubitCount else { return false }
    // The phase from the largest entry of b.
    var k = 0
    for i in b.entries.indices where b.entries[i].norm > b.entries[k].norm { k = i }
    let bk = b.entries[k], ak = a.entries[k]
    guard ak.norm > 1e-12 else { return false }
    let phase = Complex(
        (ak.re * bk.re + ak.im * bk.im) / bk.norm, (ak.im * bk.re - ak.re * bk.im) / bk.norm)
    for i in a.entries.indices {
        let d = a.entries[i] - phase * b.entries[i]
        if d.norm > tolerance * tolerance { return false }
    }
    return true
}

@Suite("Gate matrices")
struct GateMatricesTests {
    typealias Step = GateMatrices.Step

    @Test("every gate is unitary", arguments: GateKind.allCases)
    func unitary(kind: GateKind) {
        let p = [0.3, -1.1, 2.2, 0.7].prefix(kind.parameterCount)
        let m = GateMatrices.dense(kind, Array(p))
        #expect(m.qubitCount == kind.qubitCount)
        let product = m.adjoint.multiplied(by: m)
        let identity = GateMatrix.identity(qubits: m.qubitCount)
        let error = zip(product.entries, identity.entries).map { ($0 - $1).norm }.max() ?? 0
        #expect(error < 1e-20, "\(kind.rawValue) is not unitary")
    }

    static let t = 0.37, f = -1.21, l = 2.05
    /// (gate, parameters, qelib1.inc body) for gates whose bodies are easy to write down.
    static let definitions: [(GateKind, [Double], Int, [Step])] = [
        (.u2, [f, l], 1, [(.u3, [0], [.pi / 2, f, l])]),
        (.u1, [l], 1, [(.u3, [0], [0, 0, l])]),
        (.U, [t, f, l], 1, [(.u3, [0], [t, f, l])]),
        (.h, [], 1, [(.u2, [0], [0, .pi])]),
        (.x, [], 1, [(.u3, [0], [.pi, 0, .pi])]),
        (.y, [], 1, [(.u3, [0], [.pi, .pi / 2, .pi / 2])]),
        (.z, [], 1, [(.u1, [0], [.pi])]),
        (.s, [], 1, [(.u1, [0], [.pi / 2])]),
        (.sdg, [], 1, [(.u1, [0], [-.pi / 2])]),
        (.t, [], 1, [(.u1, [0], [.pi / 4])]),
        (.tdg, [], 1, [(.u1, [0], [-.pi / 4])]),
        (.rx, [t], 1, [(.u3, [0], [t, -.pi / 2, .pi / 2])]),
        (.ry, [t], 1, [(.u3, [0], [t, 0, 0])]),
        (.rz, [f], 1, [(.u1, [0], [f])]),
        (.sx, [], 1, [(.sdg, [0], []), (.h, [0], []), (.sdg, [0], [])]),
        (.sxdg, [], 1, [(.s, [0], []), (.h, [0], []), (.s, [0], [])]),
        (.u0, [t], 1, [(.id, [0], [])]),
        (.p, [l], 1, [(.u1, [0], [l])]),
        (.u, [t, f, l], 1, [(.u3, [0], [t, f, l])]),
        (.CX, [], 2, [(.cx, [0, 1], [])]),
        (.cz, [], 2, [(.h, [1], []), (.cx, [0, 1], []), (.h, [1], [])]),
        (.cy, [], 2, [(.sdg, [1], []), (.cx, [0, 1], []), (.s, [1], [])]),
        (.swap, [], 2, [(.cx, [0, 1], []), (.cx, [1, 0], []), (.cx, [0, 1], [])]),
        (.ch, [], 2, [
            (.h, [1], []), (.sdg, [1], []), (.cx, [0, 1], []), (.h, [1], []), (.t, [1], []),
            (.cx, [0, 1], []), (.t, [1], []), (.h, [1], []), (.s, [1], []), (.x, [1], []), (.s, [0], []),
        ]),
        (.crz, [l], 2, [(.u1, [1], [l / 2]), (.cx, [0, 1], []), (.u1, [1], [-l / 2]), (.cx, [0, 1], [])]),
        (.cu1, [l], 2, [
            (.u1, [0], [l / 2]), (.cx, [0, 1], []), (.u1, [1], [-l / 2]), (.cx, [0, 1], []), (.u1, [1], [l / 2]),
        ]),
        (.cp, [l], 2, [(.cu1, [0, 1], [l])]),
        (.cu3, [t, f, l], 2, [
            (.u1, [0], [(l + f) / 2]), (.u1, [1], [(l - f) / 2]), (.cx, [0, 1], []),
            (.u3, [1], [-t / 2, 0, -(f + l) / 2]), (.cx, [0, 1], []), (.u3, [1], [t / 2, f, 0]),
        ]),
        (.crx, [t], 2, [
            (.u1, [1], [.pi / 2]), (.cx, [0, 1], []), (.u3, [1], [-t / 2, 0, 0]), (.cx, [0, 1], []),
            (.u3, [1], [t / 2, -.pi / 2, 0]),
        ]),
        (.cry, [t], 2, [(.ry, [1], [t / 2]), (.cx, [0, 1], []), (.ry, [1], [-t / 2]), (.cx, [0, 1], [])]),
        (.csx, [], 2, [(.h, [1], []), (.cu1, [0, 1], [.pi / 2]), (.h, [1], [])]),
        (.rxx, [t], 2, [
            (.u3, [0], [.pi / 2, t, 0]), (.h, [1], []), (.cx, [0, 1], []), (.u1, [1], [-t]), (.cx, [0, 1], []),
            (.h, [1], []), (.u2, [0], [-.pi, .pi - t]),
        ]),
        (.rzz, [t], 2, [(.cx, [0, 1], []), (.u1, [1], [t]), (.cx, [0, 1], [])]),
        (.ccx, [], 3, [
            (.h, [2], []), (.cx, [1, 2], []), (.tdg, [2], []), (.cx, [0, 2], []), (.t, [2], []),
            (.cx, [1, 2], []), (.tdg, [2], []), (.cx, [0, 2], []), (.t, [1], []), (.t, [2], []), (.h, [2], []),
            (.cx, [0, 1], []), (.t, [0], []), (.tdg, [1], []), (.cx, [0, 1], []),
        ]),
        (.cswap, [], 3, [(.cx, [2, 1], []), (.ccx, [0, 1, 2], []), (.cx, [2, 1], [])]),
        (.c3x, [], 4, [
            (.h, [3], []), (.cp, [0, 3], [.pi / 4]), (.h, [3], []), (.cx, [0, 1], []), (.h, [3], []),
            (.cp, [1, 3], [-.pi / 4]), (.h, [3], []), (.cx, [0, 1], []), (.h, [3], []), (.cp, [1, 3], [.pi / 4]),
            (.h, [3], []), (.cx, [1, 2], []), (.h, [3], []), (.cp, [2, 3], [-.pi / 4]), (.h, [3], []),
            (.cx, [0, 2], []), (.h, [3], []), (.cp, [2, 3], [.pi / 4]), (.h, [3], []), (.cx, [1, 2], []),
            (.h, [3], []), (.cp, [2, 3], [-.pi / 4]), (.h, [3], []), (.cx, [0, 2], []), (.h, [3], []),
            (.cp, [2, 3], [.pi / 4]), (.h, [3], []),
        ]),
        (.c3sqrtx, [], 4, [
            (.h, [3], []), (.cu1, [0, 3], [.pi / 8]), (.h, [3], []), (.cx, [0, 1], []), (.h, [3], []),
            (.cu1, [1, 3], [-.pi / 8]), (.h, [3], []), (.cx, [0, 1], []), (.h, [3], []), (.cu1, [1, 3], [.pi / 8]),
            (.h, [3], []), (.cx, [1, 2], []), (.h, [3], []), (.cu1, [2, 3], [-.pi / 8]), (.h, [3], []),
            (.cx, [0, 2], []), (.h, [3], []), (.cu1, [2, 3], [.pi / 8]), (.h, [3], []), (.cx, [1, 2], []),
            (.h, [3], []), (.cu1, [2, 3], [-.pi / 8]), (.h, [3], []), (.cx, [0, 2], []), (.h, [3], []),
            (.cu1, [2, 3], [.pi / 8]), (.h, [3], []),
        ]),
        (.c4x, [], 5, [
            (.h, [4], []), (.cu1, [3, 4], [.pi / 2]), (.h, [4], []), (.c3x, [0, 1, 2, 3], []), (.h, [4], []),
            (.cu1, [3, 4], [-.pi / 2]), (.h, [4], []), (.c3x, [0, 1, 2, 3], []), (.c3sqrtx, [0, 1, 2, 4], []),
        ]),
    ]

    @Test("gates equal their qelib1.inc definitions up to global phase")
    func definitionsMatch() {
        for (kind, params, k, body) in Self.definitions {
            let expected = GateMatrices.compose(qubits: k, body)
            let actual = GateMatrices.dense(kind, params)
            #expect(equalUpToPhase(actual, expected), "\(kind.rawValue)")
        }
    }

    @Test("controlled gates have the exact target phase")
    func controlledPhase() {
        // cu1(λ) must be diag(1, 1, 1, e^{iλ}), not just equal up to a phase.
        let m = GateMatrices.dense(.cu1, [0.5])
        #expect(m[0, 0] == .one && m[1, 1] == .one && m[2, 2] == .one)
        #expect(abs(m[3, 3].re - cosine(0.5)) < 1e-15)
        // cx: control is the first argument (bit 0), target the second.
        let cx = GateMatrices.dense(.cx, [])
        #expect(cx[3, 1] == .one && cx[1, 3] == .one && cx[0, 0] == .one && cx[2, 2] == .one)
    }

    @Test("relative-phase Toffolis act as Toffolis on basis states up to phases")
    func relativePhase() {
        for (kind, k) in [(GateKind.rccx, 3), (.rc3x, 4)] {
            let m = GateMatrices.dense(kind, [])
            let all = (1 << k) - 1, top = 1 << (k - 1)
            for col in 0..<(1 << k) {
                let expectedRow = (col | top) == all ? col ^ top : col
                #expect(abs(m[expectedRow, col].norm - 1) < 1e-12, "\(kind.rawValue) column \(col)")
            }
        }
    }
}

private func cosine(_ x: Double) -> Double {
    GateMatrices.dense(.u1, [x])[1, 1].re
}
