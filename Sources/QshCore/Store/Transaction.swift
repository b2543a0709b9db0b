// Scoped transactions: `BEGIN IMMEDIATE` takes the write lock up front (no
// upgrade deadlocks in WAL), the closure runs, a throw rolls back.

/// How a read-write transaction starts.
public enum TransactionKind: String, Sendable {
    /// Takes the write lock at once; waits up to the busy timeout.
    case immediate = "IMMEDIATE"
    /// Takes locks lazily; use for reads only.
    case deferred = "DEFERRED"
}

extension Connection {
    /// Runs `body` in a transaction: commits when it returns, rolls back when it throws.
    /// - Returns: what `body` returned.
    /// - Throws: what `body` threw, or `SQLiteError` from BEGIN/COMMIT.
    public func transaction<T>(_ kind: TransactionKind = .immediate, _ body: (Connection) throws -> T) throws -> T {
        try execute("BEGIN \(kind.rawValue)")
        let value: T
        do {
            value = try body(self)
        } catch {
            if inTransaction { try? execute("ROLLBACK") }
            throw error
        }
        do {
            try execute("COMMIT")
        } catch {
            if inTransaction { try? execute("ROLLBACK") }
            throw error
        }
        return value
    }
}
