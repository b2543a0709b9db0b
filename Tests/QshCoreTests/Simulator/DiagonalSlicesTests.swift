// A diagonal gate sliced at fixed values of some of its qubits equals the gate on
// the amplitudes with those values.
import Testing
@testable import QshCore

@Suite("Diagonal slices")
struct DiagonalSlicesTests {
    static let cu1 = KernelControlled.gate(.cu1, qubits: [5, 2], parameters: [0.7])

    @Test("a control fixed at 0 leaves nothing; at 1 it is dropped")
    func controls() throws {
        #expect(Self.cu1.diagonalSlice(fixing: [5: false]) == nil)
        let g = try #require(Self.cu1.diagonalSlice(fixing: [5: true]))
        #expect(g.targets == [2] && g.controls.isEmpty)
        #expect(g.matrix == .diagonal([.one, .phase(0.7)]))
    }

    @Test("a fixed target leaves a phase on the remaining control, or nothing")
    func targets() throws {
        #expect(Self.cu1.diagonalSlice(fixing: [2: false]) == nil)
        let g = try #require(Self.cu1.diagonalSlice(fixing: [2: true]))
        #expect(g.targets == [5] && g.controls.isEmpty)
        #expect(g.matrix == .diagonal([.one, .phase(0.7)]))
    }

    @Test("every qubit fixed leaves a global phase on the slice, carried by qubit 0")
    func globalPhase() throws {
        let rz = FusedGate(targets: [3, 7], matrix: .diagonal([.phase(0.1), .phase(0.2), .phase(0.3), .phase(0.4)]), sourceGates: 1)
        let g = try #require(rz.diagonalSlice(fixing: [3: false, 7: true]))
        #expect(g.targets == [0])
        #expect(g.matrix == .diagonal([.phase(0.3), .phase(0.3)]))
    }

    @Test("slices agree with the whole gate on every amplitude", arguments: [0, 1, 2, 3])
    func agree(fixedValue: Int) throws {
        // A 3-qubit diagonal on qubits 1, 4, 6; qubits 4 and 6 fixed.
        let entries = (0..<8).map { Complex.phase(0.3 * Double($0) + 0.05) }
        let gate = FusedGate(targets: [6, 1, 4], matrix: .diagonal(entries), sourceGates: 3)
        let fixed: [Int: Bool] = [4: fixedValue & 1 == 1, 6: fixedValue & 2 == 2]
        var random = TestRandom(UInt64(fixedValue))
        let start = random.state(7, as: Double.self)
        let whole = copy(start)
        ReferenceKernels.apply(gate.matrix, targets: gate.targets, controls: [], to: whole)
        let sliced = copy(start)
        if let s = gate.diagonalSlice(fixing: fixed) {
            ReferenceKernels.apply(s.matrix, targets: s.targets, controls: s.controls, to: sliced)
        }
        for i in 0..<(1 << 7) where (i >> 4 & 1 == 1) == fixed[4]! && (i >> 6 & 1 == 1) == fixed[6]! {
            #expect(abs(whole[i].re - sliced[i].re) < 1e-12 && abs(whole[i].im - sliced[i].im) < 1e-12)
        }
    }
}
