// How computed doubles reach output without float noise: a probability keeps only the
// digits the simulation's precision carries, a timing is rounded to the microsecond.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import QshCore

/// Rounding rules for the doubles qsh prints.
enum NumberText {
    /// Significant digits a double-precision simulation's probabilities are printed with:
    /// its rounding errors (a few units in the 16th or 17th digit) stay out of sight.
    static let doubleDigits = 15

    /// The double nearest to `x` rounded to `digits` significant decimal digits, so that
    /// its shortest round-trip text (what JSON prints) has at most that many digits:
    /// 0.4999999999999999 becomes 0.5.
    static func rounded(_ x: Double, significantDigits digits: Int) -> Double {
        guard x.isFinite, x != 0 else { return x }
        var buffer = [CChar](repeating: 0, count: 48)
        // "%.*e" with n digits after the point prints n + 1 significant digits.
        _ = withVaList([Int32(max(1, digits) - 1), x]) { vsnprintf(&buffer, buffer.count, "%.*e", $0) }
        return strtod(buffer, nil)
    }

    /// A probability as a simulation of `precision` knows it: 15 significant digits for
    /// double precision, the nearest Float's shortest form for single (0.49999997).
    static func probability(_ p: Double, precision: Precision) -> Double {
        switch precision {
        case .double: return rounded(p, significantDigits: doubleDigits)
        case .single: return Double(String(Float(p))) ?? p
        }
    }

    /// Seconds rounded to the microsecond (the resolution worth showing for a timing, and the
    /// one task results store): 0.00022347500000000002 becomes 0.000223.
    static func microseconds(_ seconds: Double) -> Double {
        guard seconds.isFinite else { return seconds }
        return (seconds * 1_000_000).rounded() / 1_000_000
    }
}
