// The two precisions the simulator runs in and the SIMD vector each uses.
//
// The vector width is chosen when qsh is built: 256 bits (four doubles or eight
// floats, AVX2) by default, 512 bits (eight doubles or sixteen floats) when the build
// defines QSH_AVX512, as `make` does on CPUs with AVX-512. The kernels are written
// for any width (KernelConventions.swift); only the lane permutations are spelled
// out per width, so that each compiles to one shuffle.

/// A floating-point type the simulator runs in, with the SIMD vector its kernels use.
public protocol SimulatorScalar: BinaryFloatingPoint, SIMDScalar, Sendable, Codable {
    /// The SIMD vector of the kernels.
    associatedtype Vector: FusedMultiplyAdd where Vector.Scalar == Self
    /// log2 of the lanes of `Vector`.
    static var laneBits: Int { get }
    /// The precision this type stands for.
    static var precision: Precision { get }
    /// `v` with lane ℓ taken from lane ℓ ^ x (x < lane count): the lane permutations
    /// that apply a gate to a qubit inside one vector.
    static func permute(_ v: Vector, xor x: Int) -> Vector
}

/// `v` with lane ℓ taken from lane ℓ ^ x, for a constant x once inlined.
@inline(__always)
func lanesSwapped<V: SIMD>(_ v: V, xor x: Int) -> V {
    var r = V()
    for i in 0..<V.scalarCount { r[i] = v[i ^ x] }
    return r
}

#if QSH_AVX512
extension Double: SimulatorScalar {
    public typealias Vector = SIMD8<Double>
    public static var laneBits: Int { 3 }
    public static var precision: Precision { .double }

    @inline(__always)
    public static func permute(_ v: SIMD8<Double>, xor x: Int) -> SIMD8<Double> {
        switch x {
        case 1: return lanesSwapped(v, xor: 1)
        case 2: return lanesSwapped(v, xor: 2)
        case 3: return lanesSwapped(v, xor: 3)
        case 4: return SIMD8(lowHalf: v.highHalf, highHalf: v.lowHalf)
        case 5: return lanesSwapped(v, xor: 5)
        case 6: return lanesSwapped(v, xor: 6)
        case 7: return lanesSwapped(v, xor: 7)
        default: return v
        }
    }
}

extension Float: SimulatorScalar {
    public typealias Vector = SIMD16<Float>
    public static var laneBits: Int { 4 }
    public static var precision: Precision { .single }

    @inline(__always)
    public static func permute(_ v: SIMD16<Float>, xor x: Int) -> SIMD16<Float> {
        switch x {
        case 1: return lanesSwapped(v, xor: 1)
        case 2: return lanesSwapped(v, xor: 2)
        case 3: return lanesSwapped(v, xor: 3)
        case 4: return lanesSwapped(v, xor: 4)
        case 5: return lanesSwapped(v, xor: 5)
        case 6: return lanesSwapped(v, xor: 6)
        case 7: return lanesSwapped(v, xor: 7)
        case 8: return SIMD16(lowHalf: v.highHalf, highHalf: v.lowHalf)
        case 9: return lanesSwapped(v, xor: 9)
        case 10: return lanesSwapped(v, xor: 10)
        case 11: return lanesSwapped(v, xor: 11)
        case 12: return lanesSwapped(v, xor: 12)
        case 13: return lanesSwapped(v, xor: 13)
        case 14: return lanesSwapped(v, xor: 14)
        case 15: return lanesSwapped(v, xor: 15)
        default: return v
        }
    }
}
#else
extension Double: SimulatorScalar {
    public typealias Vector = SIMD4<Double>
    public static var laneBits: Int { 2 }
    public static var precision: Precision { .double }

    @inline(__always)
    public static func permute(_ v: SIMD4<Double>, xor x: Int) -> SIMD4<Double> {
        switch x {
        case 1: return SIMD4(v[1], v[0], v[3], v[2])
        case 2: return SIMD4(lowHalf: v.highHalf, highHalf: v.lowHalf)
        case 3: return SIMD4(v[3], v[2], v[1], v[0])
        default: return v
        }
    }
}

extension Float: SimulatorScalar {
    public typealias Vector = SIMD8<Float>
    public static var laneBits: Int { 3 }
    public static var precision: Precision { .single }

    @inline(__always)
    public static func permute(_ v: SIMD8<Float>, xor x: Int) -> SIMD8<Float> {
        switch x {
        case 1: return SIMD8(v[1], v[0], v[3], v[2], v[5], v[4], v[7], v[6])
        case 2: return SIMD8(v[2], v[3], v[0], v[1], v[6], v[7], v[4], v[5])
        case 3: return SIMD8(v[3], v[2], v[1], v[0], v[7], v[6], v[5], v[4])
        case 4: return SIMD8(lowHalf: v.highHalf, highHalf: v.lowHalf)
        case 5: return SIMD8(v[5], v[4], v[7], v[6], v[1], v[0], v[3], v[2])
        case 6: return SIMD8(v[6], v[7], v[4], v[5], v[2], v[3], v[0], v[1])
        case 7: return SIMD8(v[7], v[6], v[5], v[4], v[3], v[2], v[1], v[0])
        default: return v
        }
    }
}
#endif

/// The instruction set the simulator's kernels were compiled for, as run metadata gives it.
public enum SIMDLevel {
    /// `avx512`, `avx2`, or `portable` (the compiler's default for the target).
    public static var name: String {
        #if QSH_AVX512
        return "avx512"
        #elseif QSH_AVX2
        return "avx2"
        #else
        return "portable"
        #endif
    }
}
