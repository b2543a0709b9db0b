// The conventions every kernel follows, written down once: lanes, low and high
// qubits, groups, masks, and how vectors are loaded and stored.
//
// * Amplitude index i: bit q of i is qubit q (qubit 0 least significant), so the
//   amplitudes of a gate on qubit q pair i with i | 1 << q, Qiskit's convention.
// * Lanes: a SIMD vector holds L = 2^b consecutive amplitudes (b = T.laneBits: in a
//   256-bit build b = 2 for doubles and 3 for floats, in a 512-bit AVX-512 build 3 and
//   4; SimulatorScalar.swift), real parts in one vector and imaginary parts in another
//   (structure of arrays).
// * Low qubits are q < b: they index lanes inside one vector, and a gate on them mixes
//   lanes, which the kernels do with lane permutations (`T.permute(_:xor:)`: lane ℓ
//   takes lane ℓ ^ x). High qubits are q >= b: a gate on them mixes whole vectors.
// * A gate on k targets, kl of them low and kh high, has its matrix in sorted-target
//   order (matrix index bit j = j-th smallest target), so the low targets are the low
//   kl bits of a matrix index and the high targets the kh bits above them.
// * A group is the 2^kh vectors one application of the gate reads and writes: their
//   base index has zero lane bits, zero high-target bits and all control bits set;
//   vector c of the group starts at base + offset[c], offset[c] = the high-target bits
//   of c deposited at the targets' positions. Groups are numbered g = 0..<2^(n-b-kh-kc)
//   and the base is g << b with zero bits inserted at the sorted fixed positions (high
//   targets and high controls), then OR the control mask.
// * Controls on low qubits are folded into the matrix as extra targets; controls on
//   high qubits only select groups (the mask), so a controlled gate costs a fraction
//   of a pass.
// * States smaller than one vector (n < b) run on the scalar reference kernels.
// * Loads and stores go through raw pointers (`loadUnaligned`, `storeBytes`), no
//   bounds checks; index arithmetic wraps (&+, &<<) so hot loops have no trap branches.

/// Index helpers shared by the kernels.
enum KernelIndex {
    /// `value` with a zero bit inserted at each of `positions` (sorted ascending).
    @inline(__always)
    static func insertZeros(_ value: Int, _ positions: UnsafePointer<Int>, _ count: Int) -> Int {
        var i = value
        var j = 0
        while j < count {
            let p = positions[j]
            let low = i & ((1 &<< p) &- 1)
            i = ((i &>> p) &<< (p &+ 1)) | low
            j &+= 1
        }
        return i
    }

    /// The bits of `value` at the positions set in `mask`, packed to the low end (pext).
    @inline(__always)
    static func extract(_ value: Int, mask: Int) -> Int {
        var result = 0, bit = 0, m = mask
        while m != 0 {
            let low = m & -m
            if value & low != 0 { result |= 1 << bit }
            bit += 1
            m &= m - 1
        }
        return result
    }

    /// The low bits of `value` spread onto the positions set in `mask` (pdep).
    @inline(__always)
    static func deposit(_ value: Int, mask: Int) -> Int {
        var result = 0, bit = 0, m = mask
        while m != 0 {
            let low = m & -m
            if value >> bit & 1 != 0 { result |= low }
            bit += 1
            m &= m - 1
        }
        return result
    }
}

/// The base index of each group of a range, in order: worked out with insertZeros at
/// the start of the range, then stepped: adding one above the skipped bits (the lanes
/// and the fixed positions, set for the addition and cleared after it) carries past
/// them to the next base. Four integer operations with no branch, where working the
/// base out again at each run of consecutive groups took a chain of shifts as long as
/// the fixed positions, which the loads had to wait for: rqc_24 1.64 → 1.59 s and
/// qft_24 0.91 → 0.88 s at 1 thread (medians of five interleaved runs), qv_24 alike.
/// Every kernel walks its groups this way.
struct GroupBases {
    let fixed: UnsafePointer<Int>
    let count: Int
    let controlMask: Int
    let laneBits: Int
    /// The lane bits and the fixed positions: the bits a step from group to group skips.
    let skip: Int
    private var base = 0

    init(fixed: UnsafePointer<Int>, count: Int, controlMask: Int, laneBits: Int) {
        self.fixed = fixed
        self.count = count
        self.controlMask = controlMask
        self.laneBits = laneBits
        var skip = (1 << laneBits) - 1
        for i in 0..<count { skip |= 1 << fixed[i] }
        self.skip = skip
    }

    /// The base of group `g`; `first` for the first group of the range.
    @inline(__always)
    mutating func next(_ g: Int, first: Bool) -> Int {
        if first {
            base = KernelIndex.insertZeros(g &<< laneBits, fixed, count) | controlMask
        } else {
            base = (((base | skip) &+ 1) & ~skip) | controlMask
        }
        return base
    }
}

extension UnsafeMutablePointer where Pointee: SimulatorScalar {
    /// The vector of L amplitudes starting at `index`.
    @inline(__always)
    func vector(at index: Int) -> Pointee.Vector {
        UnsafeRawPointer(self + index).loadUnaligned(as: Pointee.Vector.self)
    }

    /// Stores a vector of L amplitudes at `index`.
    @inline(__always)
    func setVector(_ v: Pointee.Vector, at index: Int) {
        UnsafeMutableRawPointer(self + index).storeBytes(of: v, as: Pointee.Vector.self)
    }
}
