// The simulator's three ways of running, pinned: for a fixed seed each gives the
// counts, the method, the stop questions and the progress reports it gave before the
// runner was split into a file per strategy (values recorded from that code).
import Testing
@testable import QshCore

@Suite struct RunStrategyTests {
    let qpu = StateVectorQPU(memoryLimit: 1 << 30)

    typealias C = StateVectorQPUTests

    /// Terminal measurements only, two registers, one bit never written: sampled.
    static let sampled: Circuit = {
        let n = 6
        let ops = FusionTests.randomGates(n, count: 60, seed: 3)
        let measures: [Operation] = [0, 2, 3, 5, 1].enumerated().map { .measure(qubit: $0.element, clbit: $0.offset, condition: nil) }
        return C.circuit(qubits: n, cregs: [("a", 3), ("b", 3)], ops + measures)
    }()

    /// A measurement, an `if` and a reset after a unitary prefix: branch by branch.
    static let branching = C.circuit(qubits: 3, cregs: [("c", 3)], [
        C.g(.h, 0), C.g(.ry, 2, p: [0.7]), C.g(.cx, 2, 1), .measure(qubit: 0, clbit: 0, condition: nil),
        C.g(.x, 1, if: Condition(register: 0, value: 1)), C.g(.h, 1), .reset(qubit: 2, condition: nil),
        C.g(.rx, 2, p: [1.1]), .measure(qubit: 1, clbit: 1, condition: nil), .measure(qubit: 2, clbit: 2, condition: nil),
    ])

    /// Six random mid-circuit outcomes, more histories than 200 shots allow branches
    /// (shots / 8): shot by shot.
    static let shotByShot: Circuit = {
        var ops: [Operation] = [C.g(.ry, 6, p: [0.4])]
        for q in 0..<6 { ops += [C.g(.h, q), .measure(qubit: q, clbit: q, condition: nil)] }
        ops += [C.g(.cx, 0, 6), C.g(.x, 5, if: Condition(register: 0, value: 5)), .measure(qubit: 6, clbit: 6, condition: nil)]
        return C.circuit(qubits: 7, cregs: [("c", 7)], ops)
    }()

    /// FNV-1a of the counts, register by register, keys sorted: one number to pin.
    static func digest(_ registers: [RegisterCounts]) -> UInt64 {
        var text = ""
        for r in registers {
            text += r.name + ":"
            for key in r.counts.keys.sorted() { text += "\(key)=\(r.counts[key]!);" }
        }
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 { h = (h ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return h
    }

    struct Pinned: Sendable, CustomTestStringConvertible {
        var name: String
        var circuit: Circuit
        var shots: Int
        var seed: UInt64
        var precision: Precision
        var method: String
        var digest: UInt64
        /// Stop questions with 1 and with 2 threads.
        var questions: [Int]
        var reports: [Int]
        var testDescription: String { name }
    }

    /// `n` reports of no shots done: the questions between passes over the state.
    static func zeros(_ n: Int) -> [Int] { Array(repeating: 0, count: n) }

    static let pinned: [Pinned] = [
        Pinned(
            name: "sampled, double", circuit: sampled, shots: 5000, seed: 11, precision: .double, method: "sampled",
            digest: 4202045047447355541, questions: [85, 85], reports: zeros(44)),
        Pinned(
            name: "sampled, single", circuit: sampled, shots: 5000, seed: 12, precision: .single, method: "sampled",
            digest: 7160463737131301545, questions: [85, 85], reports: zeros(44)),
        Pinned(
            name: "sampled, two batches", circuit: C.bell, shots: Sampler.batch + 3, seed: 13, precision: .double,
            method: "sampled", digest: 10480081153056790968, questions: [5, 5], reports: zeros(4)),
        Pinned(
            name: "branch by branch", circuit: branching, shots: 3000, seed: 5, precision: .double,
            method: "branch-by-branch", digest: 4004258890918493053, questions: [14, 14], reports: zeros(12) + [3000]),
        Pinned(
            name: "branch by branch, single", circuit: branching, shots: 3000, seed: 6, precision: .single,
            method: "branch-by-branch", digest: 10498203332741733182, questions: [14, 14], reports: zeros(12) + [3000]),
        Pinned(
            name: "shot by shot", circuit: shotByShot, shots: 200, seed: 9, precision: .double, method: "shot-by-shot",
            digest: 8461153779990098431, questions: [214, 214], reports: zeros(12) + Array(stride(from: 2, through: 200, by: 2))),
    ]

    @Test("each strategy gives the counts, questions and reports it gave before the split", arguments: pinned)
    func pinnedRuns(_ p: Pinned) throws {
        for (k, threads) in [1, 2].enumerated() {
            let stop = StopAfter(.max)
            var reports: [Int] = []
            let result = try qpu.run(
                RunRequest(
                    circuit: p.circuit, shots: p.shots, seed: p.seed, threads: threads, precision: p.precision,
                    stop: stop.cancellation)
            ) { progress in
                reports.append(progress.shotsDone)
                return true
            }
            #expect(result.metadata["method"] == p.method)
            #expect(Self.digest(result.registers) == p.digest, "\(p.name), \(threads) threads")
            #expect(result.registers.map { $0.counts.values.reduce(0, +) } == p.circuit.classicalRegisters.map { _ in p.shots })
            #expect(stop.questions == p.questions[k], "\(p.name), \(threads) threads")
            #expect(reports == p.reports, "\(p.name), \(threads) threads")
        }
    }
}

extension RunStrategyTests {
    /// The probabilities of `sampled` (register a, then b, outcomes in order) as the
    /// runner gave them before the split, as bit patterns, from a build with portable SIMD.
    static let pinnedProbabilities: [Precision: [UInt64]] = [
        .double: [
            4591145740686679415, 4593258389773561697, 4593322551902344732, 4594824042626570508,
            4592389294695594700, 4591797897014052246, 4591851882286190610, 4596651178783747353,
            4597369266332852776, 4597430710850890872, 4598311136180780347, 4598814533863177058,
        ],
        .single: [
            4591145738820037769, 4593258389343958130, 4593322551601169999, 4594824042353779715,
            4592389292980485039, 4591797896340671268, 4591851881742443165, 4596651177604755914,
            4597369265031944926, 4597430710109056632, 4598311135683404212, 4598814533273618613,
        ],
    ]

    @Test("exact probabilities are what they were before the split", arguments: [Precision.double, .single])
    func pinnedProbabilities(_ precision: Precision) throws {
        let expected = Self.pinnedProbabilities[precision]!.map(Double.init(bitPattern:))
        for threads in [1, 2] {
            let stop = StopAfter(.max)
            var reports = 0
            let p = try qpu.probabilities(
                RunRequest(
                    circuit: Self.sampled, shots: 1, seed: 1, threads: threads, precision: precision,
                    stop: stop.cancellation)
            ) { _ in
                reports += 1
                return true
            }
            let values = p.flatMap { r in r.probabilities.keys.sorted().map { r.probabilities[$0]! } }
            #expect(p.map(\.name) == ["a", "b"] && p.map(\.probabilities.count) == [8, 4])
            #if QSH_AVX512 || QSH_AVX2
                // Wider vectors add in another order: the same to within rounding.
                let tolerance = precision == .double ? 1e-12 : 1e-6
                #expect(zip(values, expected).allSatisfy { abs($0 - $1) < tolerance } && values.count == expected.count)
            #else
                #expect(values.map(\.bitPattern) == expected.map(\.bitPattern))
            #endif
            #expect(stop.questions == 85)
            #expect(reports == 43)
        }
    }
}
