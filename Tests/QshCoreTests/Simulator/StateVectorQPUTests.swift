// The QPU end to end on small circuits: registers and bitstrings, seeds and threads,
// memory limits, exact probabilities, and mid-circuit measurement, reset and `if`.
import Testing
@testable import QshCore

@Suite("StateVectorQPU")
struct StateVectorQPUTests {
    let qpu = StateVectorQPU(memoryLimit: 1 << 30)

    static func circuit(qubits: Int, cregs: [(String, Int)], _ ops: [Operation]) -> Circuit {
        var offset = 0
        var registers: [Register] = []
        for (name, size) in cregs {
            registers.append(Register(name: name, size: size, offset: offset))
            offset += size
        }
        return Circuit(
            quantumRegisters: [Register(name: "q", size: qubits, offset: 0)], classicalRegisters: registers,
            operations: ops)
    }

    static func g(_ kind: GateKind, _ q: Int..., p: [Double] = [], if c: Condition? = nil) -> Operation {
        .gate(kind, qubits: q, parameters: p, condition: c)
    }

    static let bell = circuit(qubits: 2, cregs: [("c", 2), ("flag", 1)], [
        g(.h, 0), g(.cx, 0, 1), .measure(qubit: 0, clbit: 0, condition: nil), .measure(qubit: 1, clbit: 1, condition: nil),
    ])

    func run(_ c: Circuit, shots: Int = 1000, seed: UInt64 = 7, threads: Int = 1, precision: Precision = .double) throws -> RunResult {
        try qpu.run(RunRequest(circuit: c, shots: shots, seed: seed, threads: threads, precision: precision)) { _ in true }
    }

    @Test("a Bell pair: every register, exact widths, unwritten registers read zeros")
    func bellCounts() throws {
        let r = try run(Self.bell)
        #expect(r.registers.map(\.name) == ["c", "flag"])
        let c = r.registers[0].counts
        #expect(Set(c.keys).isSubset(of: ["00", "11"]))
        #expect(c.values.reduce(0, +) == 1000)
        #expect(c["00", default: 0] > 400 && c["11", default: 0] > 400)
        #expect(r.registers[1].counts == ["0": 1000])
        #expect(r.metadata["method"] == "sampled")
        #expect(r.metrics.qubits == 2 && r.metrics.clbits == 3)
        #expect(r.metrics.gateCounts == ["h": 1, "cx": 1, "measure": 2])
        #expect(r.metrics.depth == 3)
    }

    @Test("bit order: highest index leftmost, last measure into a bit wins")
    func bitOrder() throws {
        let c = Self.circuit(qubits: 3, cregs: [("c", 3)], [
            Self.g(.x, 0), .measure(qubit: 1, clbit: 2, condition: nil), .measure(qubit: 0, clbit: 2, condition: nil),
            .measure(qubit: 0, clbit: 1, condition: nil),
        ])
        let r = try run(c, shots: 10)
        #expect(r.registers[0].counts == ["110": 10])
        let p = try qpu.probabilities(RunRequest(circuit: c, shots: 1, seed: 0, threads: 1, precision: .double))
        #expect(p[0].probabilities == ["110": 1.0])
    }

    @Test("the same seed gives the same counts with 1, 2 and 3 threads", arguments: [Precision.double, .single])
    func seedAcrossThreads(precision: Precision) throws {
        var random = TestRandom(5)
        var ops: [Operation] = []
        for layer in 0..<6 {
            for q in 0..<16 { ops.append(Self.g(.u3, q, p: [random.angle(), random.angle(), random.angle()])) }
            for q in stride(from: layer % 2, to: 15, by: 2) { ops.append(Self.g(.cx, q, q + 1)) }
        }
        for q in 0..<16 { ops.append(.measure(qubit: q, clbit: q, condition: nil)) }
        let c = Self.circuit(qubits: 16, cregs: [("c", 16)], ops)
        let counts = try [1, 2, 3].map { try run(c, shots: 2000, seed: 123, threads: $0, precision: precision).registers }
        #expect(counts[0] == counts[1])
        #expect(counts[0] == counts[2])
        let other = try run(c, shots: 2000, seed: 124, threads: 1, precision: precision).registers
        #expect(other != counts[0])
    }

    @Test("a request over the memory limit is refused before anything is allocated")
    func memoryLimit() throws {
        let small = StateVectorQPU(memoryLimit: 12 << 30)
        let big = Self.circuit(qubits: 32, cregs: [("c", 1)], [Self.g(.h, 31)])
        let request = RunRequest(circuit: big, shots: 1, seed: 1, threads: 1, precision: .double)
        // 2^32 × 16 B = 64 GiB: if this allocated, the test process would die.
        do {
            _ = try small.run(request) { _ in true }
            Issue.record("expected a resource limit error")
        } catch let error as QPUError {
            #expect(error.code == "resource_limit")
            // Single precision would need 32 GiB: over the limit too, so it is not suggested.
            #expect(error.message == "the program needs 64 GiB for 32 qubits in double precision, over the limit of 12 GiB; use fewer qubits")
        }
        // Where single precision fits (32 GiB within 40 GiB), it is suggested.
        do {
            try StateVectorQPU(memoryLimit: 40 << 30).validate(request)
            Issue.record("expected a resource limit error")
        } catch let error as QPUError {
            #expect(error.message == "the program needs 64 GiB for 32 qubits in double precision, over the limit of 40 GiB; use --precision single or fewer qubits")
        }
        var single = request
        single.precision = .single
        #expect(throws: QPUError.self) { try small.validate(single) }
        let huge = Self.circuit(qubits: 200, cregs: [], [])
        #expect(throws: QPUError.self) { try small.validate(RunRequest(circuit: huge, shots: 1, seed: 1, threads: 1, precision: .single)) }
        #expect(StateVector<Double>.memoryNeeded(qubits: 30, precision: .double) == 16 << 30)
        #expect(StateVector<Float>.memoryNeeded(qubits: 30, precision: .single) == 8 << 30)
    }

    @Test("malformed requests are refused, not trapped on")
    func malformed() {
        let bad = Self.circuit(qubits: 2, cregs: [("c", 1)], [Self.g(.cx, 0, 5)])
        #expect(throws: QPUError.self) { try run(bad) }
        #expect(throws: QPUError.self) { try run(Self.bell, shots: 0) }
        #expect(throws: QPUError.self) { try run(Self.bell, threads: 0) }
    }

    @Test("exact probabilities of a terminal-measurement circuit")
    func probabilities() throws {
        let c = Self.circuit(qubits: 3, cregs: [("a", 1), ("b", 2)], [
            Self.g(.h, 0), Self.g(.ry, 2, p: [2 * 0.5235987755982988]),  // P(q2 = 1) = sin²(π/6) = 1/4
            .measure(qubit: 0, clbit: 0, condition: nil), .measure(qubit: 2, clbit: 2, condition: nil),
        ])
        let p = try qpu.probabilities(RunRequest(circuit: c, shots: 1, seed: 1, threads: 2, precision: .double))
        #expect(p.map(\.name) == ["a", "b"])
        #expect(abs(p[0].probabilities["0", default: 0] - 0.5) < 1e-12)
        #expect(abs(p[0].probabilities["1", default: 0] - 0.5) < 1e-12)
        #expect(abs(p[1].probabilities["00", default: 0] - 0.75) < 1e-12)
        #expect(abs(p[1].probabilities["10", default: 0] - 0.25) < 1e-12)
        #expect(p[1].probabilities.count == 2)
    }

    @Test("probabilities are undefined with mid-circuit measurement")
    func probabilitiesUndefined() {
        let c = Self.circuit(qubits: 1, cregs: [("c", 1)], [
            .measure(qubit: 0, clbit: 0, condition: nil), Self.g(.x, 0),
        ])
        #expect(throws: QPUError.self) {
            try qpu.probabilities(RunRequest(circuit: c, shots: 1, seed: 1, threads: 1, precision: .double))
        }
    }

    @Test("mid-circuit measurement collapses the state")
    func midCircuit() throws {
        // h; measure -> c0; cx q0,q1; measure q1 -> c1: both bits always agree.
        let c = Self.circuit(qubits: 2, cregs: [("c", 2)], [
            Self.g(.h, 0), .measure(qubit: 0, clbit: 0, condition: nil), Self.g(.cx, 0, 1),
            .measure(qubit: 1, clbit: 1, condition: nil), Self.g(.h, 0),
        ])
        var reports = 0
        let r = try qpu.run(RunRequest(circuit: c, shots: 400, seed: 3, threads: 1, precision: .double)) { p in
            reports += 1
            // Reports between passes over the state carry no shots and no counts.
            #expect((p.partial.first.map { $0.counts.values.reduce(0, +) } ?? 0) == p.shotsDone)
            return true
        }
        #expect(r.metadata["method"] == "branch-by-branch")
        #expect(Set(r.registers[0].counts.keys).isSubset(of: ["00", "11"]))
        #expect(r.registers[0].counts.count == 2)
        #expect(reports >= 1)
    }

    @Test("reset returns a qubit to zero")
    func reset() throws {
        let c = Self.circuit(qubits: 1, cregs: [("c", 2)], [
            Self.g(.h, 0), .measure(qubit: 0, clbit: 1, condition: nil), .reset(qubit: 0, condition: nil),
            .measure(qubit: 0, clbit: 0, condition: nil),
        ])
        let r = try run(c, shots: 300, precision: .single)
        #expect(Set(r.registers[0].counts.keys).isSubset(of: ["00", "10"]))
        #expect(r.registers[0].counts.count == 2)
    }

    @Test("if (creg == value) applies the gate only when the register matches")
    func conditional() throws {
        // Teleport-like feed-forward: measure q0 (random), x q1 if c == 1, measure q1 -> c[1].
        let c = Self.circuit(qubits: 2, cregs: [("c", 2), ("d", 1)], [
            Self.g(.h, 0), .measure(qubit: 0, clbit: 0, condition: nil),
            Self.g(.x, 1, if: Condition(register: 0, value: 1)),
            .measure(qubit: 1, clbit: 1, condition: nil),
            Self.g(.x, 0, if: Condition(register: 1, value: 1)),
            .measure(qubit: 0, clbit: 2, condition: Condition(register: 0, value: 3)),
        ])
        let r = try run(c, shots: 500)
        #expect(Set(r.registers[0].counts.keys).isSubset(of: ["00", "11"]))
        #expect(r.registers[0].counts.count == 2)
        // d[0] is written only when c == 3, with q0 (still 1): d counts equal c's "11" count.
        #expect(r.registers[1].counts["1", default: 0] == r.registers[0].counts["11", default: 0])
    }

    @Test("many random mid-circuit outcomes fall back to shot by shot, with the same statistics")
    func shotByShot() throws {
        // 13 random measurements before a gate: 8192 histories, over the branch cap.
        var ops: [Operation] = []
        for q in 0..<13 { ops += [Self.g(.h, q), .measure(qubit: q, clbit: q, condition: nil)] }
        ops += [Self.g(.cx, 0, 13), .measure(qubit: 13, clbit: 13, condition: nil)]
        let c = Self.circuit(qubits: 14, cregs: [("c", 14)], ops)
        let r = try run(c, shots: 400)
        #expect(r.metadata["method"] == "shot-by-shot")
        // Bit 13 always equals bit 0.
        for key in r.registers[0].counts.keys { #expect(key.first == key.last) }
        let ones = r.registers[0].counts.filter { $0.key.last == "1" }.values.reduce(0, +)
        #expect(ones > 120 && ones < 280)
    }

    @Test("certain outcomes do not branch: resetting a disentangled ancilla")
    func certainOutcomes() throws {
        // The ancilla q1 is computed and uncomputed; its reset is certain each round.
        var ops: [Operation] = [Self.g(.h, 0)]
        for _ in 0..<20 { ops += [Self.g(.cx, 0, 1), Self.g(.cx, 0, 1), .reset(qubit: 1, condition: nil)] }
        ops += [.measure(qubit: 0, clbit: 0, condition: nil), .measure(qubit: 1, clbit: 1, condition: nil)]
        let r = try run(Self.circuit(qubits: 2, cregs: [("c", 2)], ops), shots: 1000)
        #expect(r.metadata["method"] == "branch-by-branch")
        #expect(Set(r.registers[0].counts.keys) == ["00", "01"])
    }

    @Test("cache-blocked sweeps give the same state as gate-by-gate application", arguments: [(3, 1), (3, 2), (4, 3), (2, 4)])
    func sweeps(low: Int, high: Int) throws {
        let ops = FusionTests.randomGates(11, count: 150, seed: UInt64(low * 10 + high))
        let c = Self.circuit(qubits: 11, cregs: [("c", 11)], ops + (0..<11).map { .measure(qubit: $0, clbit: $0, condition: nil) })
        try Self.expectBlockedMatchesPlain(c, low: low, high: high)
        let steps = Sweeps.plan(
            Fuser(options: FusionOptions(maxQubits: 2)).fuse(FusionTests.randomGates(11, count: 150, seed: 1), qubitCount: 11)
                .compactMap { if case .gate(let g, _) = $0 { return g } else { return nil } },
            qubitCount: 11, options: SweepOptions(lowQubits: low, highQubits: high))
        for case .local(let h, let gates) in steps {
            #expect(h.count <= high)
            // Diagonal gates may also act on qubits outside the sweep (DiagonalSlices.swift).
            for g in gates where !g.isDiagonal { #expect(g.qubits.allSatisfy { $0 < low || h.contains($0) }) }
        }
    }

    @Test("QFT's runs of controlled phases stay inside sweeps and give the unblocked state", arguments: [(3, 1), (4, 2), (2, 3)])
    func diagonalSweeps(low: Int, high: Int) throws {
        let n = 11
        var ops: [Operation] = (0..<n).map { Self.g(.u3, $0, p: [0.3 * Double($0) + 0.1, 0.7, -0.2 * Double($0)]) }
        for i in (0..<n).reversed() {
            ops.append(Self.g(.h, i))
            for j in (0..<i).reversed() { ops.append(Self.g(.cu1, j, i, p: [Double.pi / Double(1 << (i - j))])) }
        }
        ops += [Self.g(.cz, 10, 1), Self.g(.rzz, 9, 2, p: [0.4]), Self.g(.t, 8), Self.g(.u1, 10, p: [1.1])]
        let c = Self.circuit(qubits: n, cregs: [("c", n)], ops + (0..<n).map { .measure(qubit: $0, clbit: $0, condition: nil) })
        let gates = Fuser(options: .default(precision: .double)).fuse(ops, qubitCount: n)
            .compactMap { if case .gate(let g, _) = $0 { return g } else { return nil } }
        let steps = Sweeps.plan(gates, qubitCount: n, options: SweepOptions(lowQubits: low, highQubits: high))
        // Diagonal blocks on high qubits outside a sweep's set ride along in it.
        var riders = 0
        for case .local(let h, let gs) in steps {
            for g in gs {
                let local = g.qubits.allSatisfy { $0 < low || h.contains($0) }
                if g.isDiagonal { riders += local ? 0 : 1 } else { #expect(local) }
            }
        }
        #expect(riders > 0)
        try Self.expectBlockedMatchesPlain(c, low: low, high: high)
    }

    @Test("the product-state prefix runs by default and changes no probability")
    func productPrefix() throws {
        let n = 12
        let ops = FusionTests.randomGates(n, count: 120, seed: 21)
        let c = Self.circuit(qubits: n, cregs: [("c", n)], ops + (0..<n).map { .measure(qubit: $0, clbit: $0, condition: nil) })
        var off = qpu
        off.productClusterQubits = 0
        for precision in [Precision.double, .single] {
            let request = RunRequest(circuit: c, shots: 100, seed: 5, threads: 2, precision: precision)
            let a = try qpu.probabilities(request)[0].probabilities
            let b = try off.probabilities(request)[0].probabilities
            for (k, v) in b { #expect(abs(v - a[k, default: 0]) < (precision == .double ? 1e-12 : 1e-5)) }
            // Clusters of up to n - 4 = 8 qubits take the first gates.
            let blocks = try qpu.run(request) { _ in true }.metadata["product_blocks"].flatMap { Int($0) } ?? 0
            #expect(blocks > 0)
            #expect(try off.run(request) { _ in true }.metadata["product_blocks"] == "0")
        }
    }

    @Test(
        "the first sweep writes the product state and the last works out the sampler's block sums",
        arguments: [(8, 2), (10, 3), (13, 4), (3, 2)])
    func sweepEnds(low: Int, high: Int) throws {
        try expectSweepEnds(low: low, high: high, as: Double.self)
        try expectSweepEnds(low: low, high: high, as: Float.self)
    }

    func expectSweepEnds<T: SimulatorScalar>(low: Int, high: Int, as _: T.Type) throws {
        let n = 14
        let gates = Fuser(options: .default(precision: T.precision)).fuse(FusionTests.randomGates(n, count: 200, seed: 4), qubitCount: n)
        var blocked = qpu
        blocked.sweeps = SweepOptions(lowQubits: low, highQubits: high)
        var plain = qpu
        plain.sweeps = SweepOptions(lowQubits: 64, highQubits: 0)
        plain.productClusterQubits = 0
        for loop in testLoops {
            let expected = StateVector<T>(qubits: n)
            expected.setFreshZeroState()
            try plain.applyUnitary(gates, toZeroState: expected, clusterQubits: 0, loop: loop)
            let state = StateVector<T>(qubits: n)
            state.setFreshZeroState()
            let work = try blocked.applyUnitary(gates, toZeroState: state, clusterQubits: n - 4, loop: loop, blockSums: true)
            #expect(work.productBlocks > 0 && work.sweeps > 1)
            #expect(maxDifference(state, expected) < tolerance(T.self), "\(T.self), \(loop.threads) threads")
            // Bit for bit the sums the sampler works out on its own (runs of 2^3 or 2^4
            // are shorter than a block: the sums then take a pass of their own).
            #expect(work.blockSums == Sampler.blockSums(state, loop: SequentialLoop()), "\(T.self), \(loop.threads) threads")
        }
    }

    /// The probabilities of `c` with sweeps of (low, high) equal those without sweeps,
    /// in both precisions, at 1 and 2 threads.
    static func expectBlockedMatchesPlain(_ c: Circuit, low: Int, high: Int) throws {
        for precision in [Precision.double, .single] {
            var blocked = StateVectorQPU(memoryLimit: 1 << 30)
            blocked.sweeps = SweepOptions(lowQubits: low, highQubits: high)
            blocked.productClusterQubits = 0
            var plain = StateVectorQPU(memoryLimit: 1 << 30)
            plain.sweeps = SweepOptions(lowQubits: 64, highQubits: 0)
            plain.productClusterQubits = 0
            for threads in [1, 2] {
                let request = RunRequest(circuit: c, shots: 1, seed: 1, threads: threads, precision: precision)
                let a = try blocked.probabilities(request)[0].probabilities
                let b = try plain.probabilities(request)[0].probabilities
                for (k, v) in b { #expect(abs(v - a[k, default: 0]) < (precision == .double ? 1e-12 : 1e-5)) }
            }
        }
    }

    @Test("a stopped run reports interruption")
    func interrupted() {
        let c = Self.circuit(qubits: 1, cregs: [("c", 1)], [
            .measure(qubit: 0, clbit: 0, condition: nil), Self.g(.x, 0),
        ])
        #expect(throws: QPUError.self) {
            try qpu.run(RunRequest(circuit: c, shots: 1000, seed: 1, threads: 1, precision: .double)) { _ in false }
        }
    }

    @Test("single and double precision agree on a 10-qubit circuit")
    func precisionsAgree() throws {
        let ops = FusionTests.randomGates(10, count: 80, seed: 8)
        let c = Self.circuit(qubits: 10, cregs: [("c", 10)], ops + (0..<10).map { .measure(qubit: $0, clbit: $0, condition: nil) })
        let pd = try qpu.probabilities(RunRequest(circuit: c, shots: 1, seed: 1, threads: 1, precision: .double))[0].probabilities
        let ps = try qpu.probabilities(RunRequest(circuit: c, shots: 1, seed: 1, threads: 2, precision: .single))[0].probabilities
        for (k, v) in pd { #expect(abs(v - ps[k, default: 0]) < 1e-5) }
        // And against the unfused reference.
        var s = StateVector<Double>(qubits: 10)
        s.re[0] = 1
        s = FusionTests.reference(ops, start: s)
        for i in 0..<1024 {
            let key = String(String(i, radix: 2).reversed()).padding(10).reversed()
            let p = Double(s.re[i] * s.re[i] + s.im[i] * s.im[i])
            #expect(abs(p - pd[String(key), default: 0]) < 1e-10)
        }
    }

    @Test("progress returning false stops a run in every method", arguments: [false, true])
    func progressStopsTheRun(midCircuit: Bool) throws {
        // Terminal measurements are sampled; a measurement first (no unitary prefix) makes
        // the whole circuit run branch by branch, so the branch runner is the one asking.
        var ops: [Operation] = midCircuit ? [.measure(qubit: 0, clbit: 0, condition: nil)] : []
        ops += [Self.g(.h, 0), Self.g(.cx, 0, 1), Self.g(.h, 1), .measure(qubit: 1, clbit: 1, condition: nil)]
        let c = Self.circuit(qubits: 2, cregs: [("c", 2)], ops)
        var reports: [Int] = []
        #expect(throws: QPUError.interrupted) {
            _ = try qpu.run(RunRequest(circuit: c, shots: 100, seed: 1, threads: 1, precision: .double)) { p in
                reports.append(p.shotsDone)
                return false
            }
        }
        // Asked once, before any shot was done: the run stopped early, not at its end.
        #expect(reports == [0])
    }
}

extension String {
    /// Right-padded with "0" to `width` characters.
    fileprivate func padding(_ width: Int) -> String { self + String(repeating: "0", count: max(0, width - count)) }
}

/// The request's stop: asked by every method of running, from the first question to the last.
extension StateVectorQPUTests {
    /// Sampled (terminal measurements), branch by branch (a mid-circuit measurement),
    /// shot by shot (a reset, too many branches for the shots).
    static let stopCircuits: [(String, Circuit, Int)] = [
        ("sampled", bell, 2 * Sampler.batch + 1),
        ("branch-by-branch", circuit(qubits: 2, cregs: [("c", 2)], [
            g(.h, 0), .measure(qubit: 0, clbit: 0, condition: nil), g(.x, 1, if: Condition(register: 0, value: 1)),
            .measure(qubit: 1, clbit: 1, condition: nil),
        ]), 2 * Sampler.batch + 5),
        ("shot-by-shot", circuit(qubits: 3, cregs: [("c", 3)], [
            g(.h, 0), g(.h, 1), g(.h, 2), .measure(qubit: 0, clbit: 0, condition: nil), .reset(qubit: 0, condition: nil),
            .measure(qubit: 1, clbit: 1, condition: nil), .reset(qubit: 1, condition: nil),
            .measure(qubit: 2, clbit: 2, condition: nil),
        ]), 16),
    ]

    func request(_ c: Circuit, shots: Int, stop: Cancellation) -> RunRequest {
        RunRequest(circuit: c, shots: shots, seed: 3, threads: 2, precision: .double, stop: stop)
    }

    @Test("a stop asked at the first, a middle or the last question ends the run", arguments: 0..<3)
    func stopAnywhere(_ which: Int) throws {
        let (method, c, shots) = Self.stopCircuits[which]
        let counting = StopAfter(.max)
        let full = try qpu.run(request(c, shots: shots, stop: counting.cancellation)) { _ in true }
        #expect(full.metadata["method"] == method)
        let total = counting.questions
        #expect(total >= 3, "\(method) asked \(total) times")
        for after in [1, total / 2, total] {
            let stop = StopAfter(after)
            #expect(throws: QPUError.interrupted, "\(method), stopped at question \(after) of \(total)") {
                try qpu.run(request(c, shots: shots, stop: stop.cancellation)) { _ in true }
            }
        }
    }

    @Test func exactProbabilitiesStopToo() throws {
        let counting = StopAfter(.max)
        _ = try qpu.probabilities(request(Self.bell, shots: 1, stop: counting.cancellation))
        let stop = StopAfter(counting.questions)
        #expect(throws: QPUError.interrupted) { try qpu.probabilities(request(Self.bell, shots: 1, stop: stop.cancellation)) }
    }

    @Test func validationStopsOnALongCircuit() throws {
        let ops = (0..<20_000).map { i in Self.g(.h, i % 3) }
        let long = Self.circuit(qubits: 3, cregs: [], ops)
        let stop = StopAfter(2)
        #expect(throws: QPUError.interrupted) { try qpu.validate(request(long, shots: 1, stop: stop.cancellation)) }
        #expect(stop.questions == 2)
    }

    @Test func aSweepOfManyGatesStopsBetweenGatesOnEveryThread() throws {
        // 14 qubits in sweeps of 4 low and 2 high qubits: chunks of 2^6 amplitudes,
        // every gate asked about on every chunk.
        var random = TestRandom(40)
        let gates = (0..<400).map { _ in SweepScheduleTests.gate(random.qubits(2, of: 14)) }
        let options = SweepOptions(lowQubits: 4, highQubits: 2)
        let steps = Sweeps.plan(gates, qubitCount: 14, options: options)
        let state = StateVector<Double>(qubits: 14)
        state.setFreshZeroState()
        let counting = StopAfter(.max)
        #expect(Sweeps.apply(steps, to: state, options: options, loop: ParallelLoop(threads: 3), stop: counting.cancellation))
        #expect(counting.questions > 400 * 16)
        let stop = StopAfter(counting.questions / 2)
        #expect(!Sweeps.apply(steps, to: state, options: options, loop: ParallelLoop(threads: 3), stop: stop.cancellation))
    }
}
