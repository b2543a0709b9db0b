// Helpers for the simulator tests: random states and gates, comparisons of states.
@testable import QshCore

/// A small deterministic source of test data.
struct TestRandom {
    var generator: SeededGenerator
    init(_ seed: UInt64) { generator = SeededGenerator(seed: seed) }

    mutating func unit() -> Double { generator.nextUnit() }
    mutating func angle() -> Double { (unit() * 2 - 1) * Double.pi * 2 }
    mutating func int(_ n: Int) -> Int { Int(generator.next() % UInt64(n)) }

    /// `k` distinct qubits below `n`, in random order.
    mutating func qubits(_ k: Int, of n: Int) -> [Int] {
        var all = Array(0..<n)
        for i in 0..<k { all.swapAt(i, i + int(n - i)) }
        return Array(all.prefix(k))
    }

    /// A random unitary on k qubits: products of random u3 and cx layers.
    mutating func unitary(qubits k: Int) -> GateMatrix {
        var u = GateMatrix.identity(qubits: k)
        for _ in 0..<3 {
            for q in 0..<k {
                let g = GateMatrices.dense(.u3, [angle(), angle(), angle()])
                u = GateMatrices.embed(g, on: [q], qubits: k).multiplied(by: u)
            }
            if k > 1 {
                for q in 0..<(k - 1) {
                    u = GateMatrices.embed(GateMatrices.dense(.cx, []), on: [q, q + 1], qubits: k).multiplied(by: u)
                }
            }
        }
        return u
    }

    /// A random diagonal unitary on k qubits.
    mutating func diagonal(qubits k: Int) -> GateMatrix {
        var m = GateMatrix.identity(qubits: k)
        for i in 0..<(1 << k) { m[i, i] = .phase(angle()) }
        return m
    }

    /// A random (unnormalised is fine for kernels) state.
    mutating func state<T: SimulatorScalar>(_ n: Int, as _: T.Type) -> StateVector<T> {
        let s = StateVector<T>(qubits: n)
        for i in 0..<s.count {
            s.re[i] = T(unit() - 0.5)
            s.im[i] = T(unit() - 0.5)
        }
        return s
    }
}

func copy<T: SimulatorScalar>(_ s: StateVector<T>) -> StateVector<T> {
    let c = StateVector<T>(qubits: s.qubitCount)
    c.assign(from: s)
    return c
}

/// The largest difference between two states' amplitudes.
func maxDifference<T: SimulatorScalar>(_ a: StateVector<T>, _ b: StateVector<T>) -> Double {
    var d = 0.0
    for i in 0..<a.count {
        d = max(d, abs(Double(a.re[i] - b.re[i])), abs(Double(a.im[i] - b.im[i])))
    }
    return d
}

func tolerance<T: SimulatorScalar>(_: T.Type) -> Double { T.self == Double.self ? 1e-11 : 2e-5 }

/// The loops the kernel tests run: sequential, and parallel with 2 and 3 threads.
let testLoops: [ParallelLoop] = [ParallelLoop(threads: 1), ParallelLoop(threads: 2), ParallelLoop(threads: 3)]
