// Where the 1- and 2-qubit kernels read their coefficient vectors: from memory at
// each use, as broadcast scalars when every lane holds the same coefficient, or from
// registers loaded once before the loop, when they fit.

/// Coefficient k of `p` as a vector of its first lane: for coefficients that are the
/// same in every lane, an FMA then reads it from memory as a broadcast scalar
/// ({1to8} at 512 bits), with no vector load of its own.
@inline(__always)
func broadcast<V: SIMD>(_ p: UnsafePointer<V>, _ k: Int) -> V {
    V(repeating: UnsafeRawPointer(p + k).load(as: V.Scalar.self))
}

/// A plan's coefficient vectors, read by an index that is constant once inlined.
protocol CoefficientVectors {
    associatedtype V: SIMD
    /// Takes the vectors starting at `p` (loading them now, if they are held).
    init(_ p: UnsafePointer<V>)
    subscript(_ k: Int) -> V { get }
}

/// Coefficient vectors held in values (registers in a loop), a fixed number of them.
protocol HeldCoefficients: CoefficientVectors {
    static var count: Int { get }
}

/// Read from memory at each use: stores to the state may alias the plan's arrays, so
/// the compiler reloads them in every group (the load ports have room for that).
struct CoefficientsInMemory<V: SIMD>: CoefficientVectors {
    let p: UnsafePointer<V>
    @inline(__always) init(_ p: UnsafePointer<V>) { self.p = p }
    @inline(__always) subscript(_ k: Int) -> V { p[k] }
}

/// Four vectors loaded once.
struct Coefficients4<V: SIMD>: HeldCoefficients {
    let c0, c1, c2, c3: V
    static var count: Int { 4 }
    @inline(__always) init(_ p: UnsafePointer<V>) { (c0, c1, c2, c3) = (p[0], p[1], p[2], p[3]) }
    /// The first `count` (0 to 4) vectors at `p`, zero after them: never reads past them.
    @inline(__always) init(_ p: UnsafePointer<V>, count: Int) {
        c0 = count > 0 ? p[0] : V()
        c1 = count > 1 ? p[1] : V()
        c2 = count > 2 ? p[2] : V()
        c3 = count > 3 ? p[3] : V()
    }
    @inline(__always) subscript(_ k: Int) -> V {
        switch k { case 0: c0; case 1: c1; case 2: c2; default: c3 }
    }
}

/// Twice `Half`'s vectors loaded once: the first half, then the next.
struct CoefficientPair<Half: HeldCoefficients>: HeldCoefficients {
    let low, high: Half
    static var count: Int { 2 * Half.count }
    @inline(__always) init(_ p: UnsafePointer<Half.V>) { (low, high) = (Half(p), Half(p + Half.count)) }
    @inline(__always) subscript(_ k: Int) -> Half.V { k < Half.count ? low[k] : high[k &- Half.count] }
}

/// 8 or 16 coefficient vectors: the real ones of Kernel2QLow and Kernel2Q, and the
/// c + d and d - c ones of Kernel2QLow's 3M product. With 32 zmm registers they stay in
/// registers next to the accumulators and inputs; with 16 ymm registers they cannot,
/// so they are read from memory.
#if QSH_AVX512
typealias CoefficientsHeld8<V: SIMD> = CoefficientPair<Coefficients4<V>>
typealias CoefficientsHeld16<V: SIMD> = CoefficientPair<CoefficientPair<Coefficients4<V>>>
#else
typealias CoefficientsHeld8<V: SIMD> = CoefficientsInMemory<V>
typealias CoefficientsHeld16<V: SIMD> = CoefficientsInMemory<V>
#endif
