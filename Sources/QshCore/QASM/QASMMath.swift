// The C maths library behind OpenQASM's functions and the real-literal reader.
// QshCore's only use of Glibc: Swift's standard library has no sin, exp or strtod.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Arithmetic for expression folding, evaluation and literal parsing.
enum QASMMath {
    /// Applies a unary function node kind (`sin` ... `sqrt`, `negate`) to `x`.
    static func apply(_ kind: ExpressionKind, _ x: Double) -> Double {
        switch kind {
        case .negate: return -x
        case .sin: return sin(x)
        case .cos: return cos(x)
        case .tan: return tan(x)
        case .exp: return exp(x)
        case .ln: return log(x)
        case .sqrt: return x.squareRoot()
        default: return .nan
        }
    }

    /// Applies a binary operator node kind to `a` and `b`.
    static func apply(_ kind: ExpressionKind, _ a: Double, _ b: Double) -> Double {
        switch kind {
        case .add: return a + b
        case .subtract: return a - b
        case .multiply: return a * b
        case .divide: return a / b
        case .power: return pow(a, b)
        default: return .nan
        }
    }

    /// Exact powers of ten: every one up to 1e22 is representable in a Double.
    private static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    /// 10^0 ... 10^19: every power of ten that fits in a UInt64.
    private static let integerPowersOfTen: [UInt64] = (0...19).map { k in
        var p: UInt64 = 1
        for _ in 0..<k { p *= 10 }
        return p
    }

    /// `n / d` correctly rounded to the nearest double (ties to even), for n, d > 0.
    ///
    /// The quotient is computed to 62 or more bits with a 128-by-64-bit division; the
    /// bits below the 53 kept, plus the remainder, decide the rounding exactly.
    static func divide(_ n: UInt64, _ d: UInt64) -> Double {
        let shiftN = n.leadingZeroBitCount
        let normalised = n << UInt64(shiftN)
        let b = 64 - d.leadingZeroBitCount  // d is in [2^(b-1), 2^b)
        let t = b - 1  // numerator = normalised * 2^t; its high word is below d
        let high: UInt64 = t == 0 ? 0 : normalised >> UInt64(64 - t)
        let low: UInt64 = t == 0 ? normalised : normalised << UInt64(t)
        let (q, r) = d.dividingFullWidth((high: high, low: low))
        // q is in [2^62, 2^64); keep 53 bits.
        let bits = 64 - q.leadingZeroBitCount
        let shift = bits - 53
        var mantissa = q >> UInt64(shift)
        let rest = q & ((1 << UInt64(shift)) - 1)
        let half: UInt64 = 1 << UInt64(shift - 1)
        if rest > half || (rest == half && (r != 0 || mantissa & 1 == 1)) {
            mantissa += 1
        }
        // value = q * 2^-(shiftN + t), and q is about mantissa * 2^shift.
        let exponent = shift - shiftN - t
        return Double(sign: .plus, exponent: exponent, significand: Double(mantissa))
    }

    /// The correctly rounded value of the real literal in `count` bytes at `p`.
    ///
    /// Clinger's fast path (significand below 2^53, power of ten up to 22: one exact
    /// operation, so one rounding) covers most literals; the rest go to strtod.
    static func parseReal(_ p: UnsafePointer<UInt8>, _ count: Int) -> Double {
        var significand: UInt64 = 0
        var digits = 0
        var fractionDigits = 0
        var exponent = 0
        var exponentSign = 1
        var inFraction = false
        var fast = true
        var i = 0
        while i < count {
            let c = p[i]
            if c >= 0x30 && c <= 0x39 {
                if significand != 0 || c != 0x30 { digits += 1 }
                if digits > 19 {
                    fast = false
                    break
                }
                significand = significand &* 10 &+ UInt64(c - 0x30)
                if inFraction { fractionDigits += 1 }
            } else if c == UInt8(ascii: ".") {
                inFraction = true
            } else {
                // An exponent: [eE][+-]?digits.
                i += 1
                if i < count && (p[i] == UInt8(ascii: "+") || p[i] == UInt8(ascii: "-")) {
                    if p[i] == UInt8(ascii: "-") { exponentSign = -1 }
                    i += 1
                }
                while i < count {
                    exponent = min(exponent * 10 + Int(p[i] - 0x30), 100_000)
                    i += 1
                }
                break
            }
            i += 1
        }
        if fast {
            let e = exponentSign * exponent - fractionDigits
            if significand <= (1 << 53) {
                if e >= 0 && e <= 22 { return Double(significand) * powersOfTen[e] }
                if e < 0 && e >= -22 { return Double(significand) / powersOfTen[-e] }
            }
            if significand == 0 { return 0 }
            if e >= 0 && e <= 19 {
                // An integer below 2^64: one correctly rounded conversion.
                let (product, overflow) = significand.multipliedReportingOverflow(by: integerPowersOfTen[e])
                if !overflow { return Double(product) }
            } else if e < 0 && e >= -19 {
                return divide(significand, integerPowersOfTen[-e])
            }
        }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: count + 1) { buffer in
            for k in 0..<count { buffer[k] = CChar(bitPattern: p[k]) }
            buffer[count] = 0
            return strtod(buffer.baseAddress!, nil)
        }
    }
}
