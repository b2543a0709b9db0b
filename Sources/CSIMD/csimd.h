// Fused multiply-add on whole SIMD vectors, for the simulator's kernels.
//
// Swift's SIMD `addingProduct` is written as a loop over the lanes, which LLVM must
// vectorise again after inlining; in the larger kernels it vectorised only part of
// the loop and left lanes in scalar registers (the 3M 2-qubit kernel ran 2.6 times
// slower). These functions are one vector `llvm.fma` each, whatever the context.
// Clang's ext_vector_type vectors of 4, 8 and 16 lanes import into Swift as
// SIMD4, SIMD8 and SIMD16. Header only: nothing is compiled or linked.
#ifndef QSH_CSIMD_H
#define QSH_CSIMD_H

typedef double qsh_double4 __attribute__((ext_vector_type(4)));
typedef double qsh_double8 __attribute__((ext_vector_type(8)));
typedef float qsh_float8 __attribute__((ext_vector_type(8)));
typedef float qsh_float16 __attribute__((ext_vector_type(16)));

/// a + b * c, rounded once, in every lane.
static inline __attribute__((always_inline)) qsh_double4 qsh_fma_double4(qsh_double4 a, qsh_double4 b, qsh_double4 c) {
    return __builtin_elementwise_fma(b, c, a);
}
static inline __attribute__((always_inline)) qsh_double8 qsh_fma_double8(qsh_double8 a, qsh_double8 b, qsh_double8 c) {
    return __builtin_elementwise_fma(b, c, a);
}
static inline __attribute__((always_inline)) qsh_float8 qsh_fma_float8(qsh_float8 a, qsh_float8 b, qsh_float8 c) {
    return __builtin_elementwise_fma(b, c, a);
}
static inline __attribute__((always_inline)) qsh_float16 qsh_fma_float16(qsh_float16 a, qsh_float16 b, qsh_float16 c) {
    return __builtin_elementwise_fma(b, c, a);
}

/// a - b * c, rounded once, in every lane: one FNMADD. (Swift's prefix minus on a
/// vector is 0 - x, which the compiler may not fold into an FMA: signed zeros differ.)
static inline __attribute__((always_inline)) qsh_double4 qsh_fnma_double4(qsh_double4 a, qsh_double4 b, qsh_double4 c) {
    return __builtin_elementwise_fma(-b, c, a);
}
static inline __attribute__((always_inline)) qsh_double8 qsh_fnma_double8(qsh_double8 a, qsh_double8 b, qsh_double8 c) {
    return __builtin_elementwise_fma(-b, c, a);
}
static inline __attribute__((always_inline)) qsh_float8 qsh_fnma_float8(qsh_float8 a, qsh_float8 b, qsh_float8 c) {
    return __builtin_elementwise_fma(-b, c, a);
}
static inline __attribute__((always_inline)) qsh_float16 qsh_fnma_float16(qsh_float16 a, qsh_float16 b, qsh_float16 c) {
    return __builtin_elementwise_fma(-b, c, a);
}

#endif
