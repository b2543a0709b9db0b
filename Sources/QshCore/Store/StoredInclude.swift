// How one include's outcome is kept in `definition_includes` (columns outcome, bytes,
// reason), the same in SQLite and in PostgreSQL: one mapping each way for both stores.

extension IncludeResult {
    /// The outcome, bytes and reason columns of this result.
    var storedColumns: (outcome: String, bytes: SQLValue, reason: SQLValue) {
        switch self {
        case .loaded(let bytes): return ("loaded", .blob(bytes), .null)
        case .notFound: return ("not_found", .null, .null)
        case .failed(let why): return ("failed", .null, .text(why))
        case .tooLarge: return ("too_large", .null, .null)
        }
    }

    /// The result an outcome column names, reading the bytes or the reason column only
    /// where it matters; nil for an outcome qsh does not write.
    static func stored(outcome: String, bytes: () -> [UInt8], reason: () -> String) -> IncludeResult? {
        switch outcome {
        case "loaded": return .loaded(bytes())
        case "not_found": return .notFound
        case "failed": return .failed(reason())
        case "too_large": return .tooLarge
        default: return nil
        }
    }
}
