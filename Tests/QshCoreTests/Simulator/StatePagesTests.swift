// StatePages: large states come from mmap, zeroed, 2 MiB aligned and faulted in;
// small ones from malloc. Either way a new state reads as zero and takes writes.
import Foundation
@testable import QshCore
import Testing

@Suite struct StatePagesTests {
    /// Checks every amplitude of `state` is zero, then writes and reads back a pattern.
    func expectZeroAndWritable<T: SimulatorScalar>(_ state: StateVector<T>) {
        var nonzero = 0
        for i in 0..<state.count where state.re[i] != 0 || state.im[i] != 0 { nonzero += 1 }
        #expect(nonzero == 0)
        for i in stride(from: 0, to: state.count, by: 4099) {
            state.re[i] = T(Double(i))
            state.im[i] = -T(Double(i))
        }
        var wrong = 0
        for i in stride(from: 0, to: state.count, by: 4099) where state.re[i] != T(Double(i)) || state.im[i] != -T(Double(i)) {
            wrong += 1
        }
        #expect(wrong == 0)
    }

    @Test(arguments: [1, 2, 3])
    func aMappedDoubleStateIsZeroAlignedAndWritable(threads: Int) {
        // 2^18 doubles: 2 MiB per array, the smallest mapped size.
        let state = StateVector<Double>(qubits: 18, loop: ParallelLoop(threads: threads))
        #expect((1 << 18) * 8 >= StatePages.minimumBytes)
        #expect(Int(bitPattern: state.re) % StatePages.alignment == 0)
        #expect(Int(bitPattern: state.im) % StatePages.alignment == 0)
        expectZeroAndWritable(state)
    }

    @Test func aMappedSingleStateIsZeroAlignedAndWritable() {
        let state = StateVector<Float>(qubits: 20, loop: ParallelLoop(threads: 2))
        #expect(Int(bitPattern: state.re) % StatePages.alignment == 0)
        expectZeroAndWritable(state)
    }

    @Test func aSmallStateIsZeroAndWritable() {
        let state = StateVector<Double>(qubits: 10, loop: ParallelLoop(threads: 2))
        #expect((1 << 10) * 8 < StatePages.minimumBytes)
        expectZeroAndWritable(state)
    }

    @Test func statesComeAndGoWithoutLeakingMappings() throws {
        // Each state maps 4 MiB (and briefly 2 MiB more for alignment); were munmap
        // missing or given the wrong size, the address space would grow by that much
        // each time.
        func virtualBytes() throws -> Int {
            let statm = try String(contentsOfFile: "/proc/self/statm", encoding: .utf8)
            return (Int(statm.split(separator: " ")[0]) ?? 0) * Int(getpagesize())
        }
        _ = StateVector<Double>(qubits: 18)
        let before = try virtualBytes()
        for _ in 0..<64 {
            let state = StateVector<Double>(qubits: 18)
            state.re[state.count - 1] = 1
        }
        #expect(try virtualBytes() - before < 16 << 20)
    }
}
