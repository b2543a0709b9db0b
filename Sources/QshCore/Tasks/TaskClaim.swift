// How a repository claims the oldest Created task without relying on its store to
// serialise claims: read a few candidates, take the first whose compare-and-set wins,
// and read again when others won them all. Only a queue found empty is an empty queue.

/// The claim loop every repository runs in `claimNext`.
public enum TaskClaim {
    /// Candidates read at a time. Arbitrary: enough that a handful of workers racing
    /// for the head of the queue rarely need a second read, few enough to read cheaply.
    public static let batch = 8

    /// Claims a task: `candidates(n)` reads the ids of up to `n` Created tasks, oldest
    /// first; `take(id)` makes the compare-and-set and returns the claimed task, or nil
    /// when another claimer moved that task first.
    /// - Returns: the claimed task, or nil when no Created task was left to claim. A
    ///   candidate that stays Created yet cannot be taken (a conformance's bug, not a
    ///   race) ends the loop with nil rather than spinning.
    public static func next(
        candidates: (_ limit: Int) throws -> [String], take: (_ id: String) throws -> QuantumTask?
    ) throws -> QuantumTask? {
        var lost: Set<String> = []
        while true {
            let ids = try candidates(batch)
            if ids.isEmpty || ids.allSatisfy(lost.contains) { return nil }
            for id in ids where !lost.contains(id) {
                if let task = try take(id) { return task }
                lost.insert(id)
            }
        }
    }
}
