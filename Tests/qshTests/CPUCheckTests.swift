import Testing

@testable import qsh

@Suite("CPU check")
struct CPUCheckTests {
    static let zen4 = "flags\t\t: fpu vme sse2 avx fma avx2 avx512f avx512dq avx512bw avx512vl avx512cd"

    @Test("a CPU with every required feature passes")
    func allPresent() {
        #expect(CPUCheck.missingFeatures(flagsLine: Self.zen4, required: ["avx2", "fma", "avx512f", "avx512vl"]).isEmpty)
    }

    @Test("missing features are named in order, whole words only")
    func missing() {
        let haswell = "flags\t\t: fpu sse2 avx fma avx2 avx512_vp2intersect_not_real"
        #expect(CPUCheck.missingFeatures(flagsLine: haswell, required: ["avx2", "avx512f", "avx512bw"]) == ["avx512f", "avx512bw"])
    }

    @Test("a line without a colon counts as having nothing")
    func malformed() {
        #expect(CPUCheck.missingFeatures(flagsLine: "flags", required: ["avx2"]) == ["avx2"])
    }

    @Test("this machine runs the binary it built")
    func thisMachine() {
        #expect(CPUCheck.problem() == nil)
    }
}
