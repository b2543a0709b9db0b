// A follower's pause between looks (`tasks wait`, `batches wait`): woken by the store's
// announcements where it makes them (PostgreSQL), polling with backoff where it does not.

/// How a follower pauses between looks: on a store that announces changes, until one
/// concerns what it follows (or the waiter's fallback poll); otherwise for the backoff's
/// delay. The waiter is made at the first pause, and the follower looks once more right
/// after (a change made before it listened is not announced to it).
struct ChangeListener {
    let repository: any TaskRepository
    private var asked = false
    private var waiter: (any TaskChangeWaiter)?

    init(_ repository: any TaskRepository) { self.repository = repository }

    enum Outcome { case interrupted, lookAgain, slept }

    /// Pauses before the next look at `interest`'s tasks.
    mutating func pause(
        _ interest: TaskChangeInterest, until deadline: Timestamp?, now: Timestamp, delay: Double,
        spacing: Double = 0, pause: (Double) -> Bool
    ) -> Outcome {
        if !asked {
            asked = true
            // A store that cannot listen now (its connection failed) is polled.
            waiter = (try? repository.changeWaiter()) ?? nil
            if waiter != nil { return .lookAgain }
        }
        guard let waiter else {
            let sleep = deadline.map { min(delay, now.seconds(until: $0)) } ?? delay
            return pause(sleep) ? .slept : .interrupted
        }
        let most = deadline.map { min(waiter.fallbackPoll, now.seconds(until: $0)) } ?? waiter.fallbackPoll
        switch waiter.wait(seconds: most, for: interest, pause: pause) {
        case .interrupted: return .interrupted
        case .changed where spacing > 0: return pause(spacing) ? .lookAgain : .interrupted
        case .changed, .timedOut: return .lookAgain
        }
    }

    /// Pauses before the next look at these tasks.
    mutating func pause(
        ids: [String], until deadline: Timestamp?, now: Timestamp, delay: Double, pause: (Double) -> Bool
    ) -> Outcome {
        self.pause(.tasks(Set(ids)), until: deadline, now: now, delay: delay, pause: pause)
    }
}
