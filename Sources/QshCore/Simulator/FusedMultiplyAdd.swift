// Whole-vector fused multiply-add for the kernels: `v.fusedAddingProduct(b, c)` is
// one vector FMA instruction, through the header-only CSIMD module (csimd.h says why
// Swift's own `addingProduct` is not enough).

import CSIMD

/// A SIMD vector with a fused multiply-add that is one vector instruction (CSIMD).
public protocol FusedMultiplyAdd: SIMD where Scalar: FloatingPoint {
    /// self + b × c in every lane, rounded once: `addingProduct`, but never split
    /// into lanes by the compiler (csimd.h says why).
    func fusedAddingProduct(_ b: Self, _ c: Self) -> Self
    /// self - b × c in every lane, rounded once: one FNMADD instruction.
    func fusedSubtractingProduct(_ b: Self, _ c: Self) -> Self
}

/// The scalars of the vectors that conform to FusedMultiplyAdd: each width's FMA.
/// (A type conforms to a protocol once, so SIMD8 of Double and of Float go through
/// its scalar.) Widths the simulator does not use fall back to `addingProduct`.
public protocol FusedMultiplyAddScalar: SIMDScalar, FloatingPoint, Codable {
    static func fma(_ a: SIMD4<Self>, _ b: SIMD4<Self>, _ c: SIMD4<Self>) -> SIMD4<Self>
    static func fma(_ a: SIMD8<Self>, _ b: SIMD8<Self>, _ c: SIMD8<Self>) -> SIMD8<Self>
    static func fma(_ a: SIMD16<Self>, _ b: SIMD16<Self>, _ c: SIMD16<Self>) -> SIMD16<Self>
    static func fnma(_ a: SIMD4<Self>, _ b: SIMD4<Self>, _ c: SIMD4<Self>) -> SIMD4<Self>
    static func fnma(_ a: SIMD8<Self>, _ b: SIMD8<Self>, _ c: SIMD8<Self>) -> SIMD8<Self>
    static func fnma(_ a: SIMD16<Self>, _ b: SIMD16<Self>, _ c: SIMD16<Self>) -> SIMD16<Self>
}

extension Double: FusedMultiplyAddScalar {
    @inline(__always)
    public static func fma(_ a: SIMD4<Double>, _ b: SIMD4<Double>, _ c: SIMD4<Double>) -> SIMD4<Double> {
        qsh_fma_double4(a, b, c)
    }
    @inline(__always)
    public static func fma(_ a: SIMD8<Double>, _ b: SIMD8<Double>, _ c: SIMD8<Double>) -> SIMD8<Double> {
        qsh_fma_double8(a, b, c)
    }
    @inline(__always)
    public static func fma(_ a: SIMD16<Double>, _ b: SIMD16<Double>, _ c: SIMD16<Double>) -> SIMD16<Double> {
        a.addingProduct(b, c)
    }
    @inline(__always)
    public static func fnma(_ a: SIMD4<Double>, _ b: SIMD4<Double>, _ c: SIMD4<Double>) -> SIMD4<Double> {
        qsh_fnma_double4(a, b, c)
    }
    @inline(__always)
    public static func fnma(_ a: SIMD8<Double>, _ b: SIMD8<Double>, _ c: SIMD8<Double>) -> SIMD8<Double> {
        qsh_fnma_double8(a, b, c)
    }
    @inline(__always)
    public static func fnma(_ a: SIMD16<Double>, _ b: SIMD16<Double>, _ c: SIMD16<Double>) -> SIMD16<Double> {
        a.addingProduct(-b, c)
    }
}

extension Float: FusedMultiplyAddScalar {
    @inline(__always)
    public static func fma(_ a: SIMD4<Float>, _ b: SIMD4<Float>, _ c: SIMD4<Float>) -> SIMD4<Float> {
        a.addingProduct(b, c)
    }
    @inline(__always)
    public static func fma(_ a: SIMD8<Float>, _ b: SIMD8<Float>, _ c: SIMD8<Float>) -> SIMD8<Float> {
        qsh_fma_float8(a, b, c)
    }
    @inline(__always)
    public static func fma(_ a: SIMD16<Float>, _ b: SIMD16<Float>, _ c: SIMD16<Float>) -> SIMD16<Float> {
        qsh_fma_float16(a, b, c)
    }
    @inline(__always)
    public static func fnma(_ a: SIMD4<Float>, _ b: SIMD4<Float>, _ c: SIMD4<Float>) -> SIMD4<Float> {
        a.addingProduct(-b, c)
    }
    @inline(__always)
    public static func fnma(_ a: SIMD8<Float>, _ b: SIMD8<Float>, _ c: SIMD8<Float>) -> SIMD8<Float> {
        qsh_fnma_float8(a, b, c)
    }
    @inline(__always)
    public static func fnma(_ a: SIMD16<Float>, _ b: SIMD16<Float>, _ c: SIMD16<Float>) -> SIMD16<Float> {
        qsh_fnma_float16(a, b, c)
    }
}

extension SIMD4: FusedMultiplyAdd where Scalar: FusedMultiplyAddScalar {
    @inline(__always)
    public func fusedAddingProduct(_ b: Self, _ c: Self) -> Self { Scalar.fma(self, b, c) }
    @inline(__always)
    public func fusedSubtractingProduct(_ b: Self, _ c: Self) -> Self { Scalar.fnma(self, b, c) }
}

extension SIMD8: FusedMultiplyAdd where Scalar: FusedMultiplyAddScalar {
    @inline(__always)
    public func fusedAddingProduct(_ b: Self, _ c: Self) -> Self { Scalar.fma(self, b, c) }
    @inline(__always)
    public func fusedSubtractingProduct(_ b: Self, _ c: Self) -> Self { Scalar.fnma(self, b, c) }
}

extension SIMD16: FusedMultiplyAdd where Scalar: FusedMultiplyAddScalar {
    @inline(__always)
    public func fusedAddingProduct(_ b: Self, _ c: Self) -> Self { Scalar.fma(self, b, c) }
    @inline(__always)
    public func fusedSubtractingProduct(_ b: Self, _ c: Self) -> Self { Scalar.fnma(self, b, c) }
}
