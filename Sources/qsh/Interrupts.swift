// Signals as values, without handlers or globals: the signals are blocked while a
// wait runs and the wait's sleep is sigtimedwait(2), which returns early when one
// arrives. The first Ctrl-C therefore ends the wait; a second one, once the mask
// is restored, interrupts the process as usual. A SignalLatch keeps the first signal
// taken, so that any thread may ask for it (the worker's stop request).
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Synchronization

/// Blocks `signals` for the calling thread until `restore()`, and sleeps interruptibly.
final class SignalWatch {
    private var set = sigset_t()
    private var previous = sigset_t()
    private var active = true

    init(_ signals: [Int32] = [SIGINT]) {
        sigemptyset(&set)
        for signal in signals { sigaddset(&set, signal) }
        pthread_sigmask(SIG_BLOCK, &set, &previous)
    }

    /// Sleeps up to `seconds`; returns the signal that arrived, or nil when the time ran out.
    func sleep(_ seconds: Double) -> Int32? {
        let clamped = seconds.isNaN ? 0 : min(1_000_000, max(0, seconds))
        var timeout = timespec(
            tv_sec: Int(clamped), tv_nsec: Int((clamped - Double(Int(clamped))) * 1_000_000_000))
        while true {
            let signal = sigtimedwait(&set, nil, &timeout)
            if signal > 0 { return signal }
            if errno == EINTR { continue }
            return nil
        }
    }

    /// A signal already pending, without sleeping.
    func pending() -> Int32? { sleep(0) }

    /// Unblocks the signals again.
    func restore() {
        guard active else { return }
        active = false
        pthread_sigmask(SIG_SETMASK, &previous, nil)
    }

    deinit { restore() }
}

/// The first of some signals to arrive while a `SignalWatch` blocks them, taken and kept:
/// a stop request any thread may ask, often (the simulator asks per gate and chunk).
/// Between arrivals it asks the kernel at most every 20 ms; a blocked signal stays
/// pending until then, so a stop is seen within that.
final class SignalLatch: Sendable {
    private let signals: [Int32]
    /// The signal taken, or 0.
    private let taken = Atomic<Int32>(0)
    /// When the kernel was last asked, in ms of the coarse monotonic clock.
    private let lastAsked = Atomic<Int>(Int.min)

    /// - Parameter signals: signals a `SignalWatch` blocks in every thread.
    init(_ signals: [Int32]) { self.signals = signals }

    /// The signal that arrived, if one did.
    var signal: Int32? {
        let seen = taken.load(ordering: .acquiring)
        if seen != 0 { return seen }
        let now = Self.coarseMilliseconds()
        let last = lastAsked.load(ordering: .relaxed)
        if last != Int.min && now &- last < 20 { return nil }
        lastAsked.store(now, ordering: .relaxed)
        return wait(0)
    }

    /// Sleeps up to `seconds`, or until one of the signals arrives; returns it if one did.
    func sleep(_ seconds: Double) -> Int32? {
        if let seen = signal { return seen }
        return wait(seconds)
    }

    /// sigtimedwait(2) on the signals for up to `seconds`, keeping what it takes.
    private func wait(_ seconds: Double) -> Int32? {
        var set = sigset_t()
        sigemptyset(&set)
        for s in signals { sigaddset(&set, s) }
        let clamped = seconds.isNaN ? 0 : min(1_000_000, max(0, seconds))
        var timeout = timespec(
            tv_sec: Int(clamped), tv_nsec: Int((clamped - Double(Int(clamped))) * 1_000_000_000))
        while true {
            let got = sigtimedwait(&set, nil, &timeout)
            if got > 0 {
                _ = taken.compareExchange(expected: 0, desired: got, ordering: .acquiringAndReleasing)
                return taken.load(ordering: .acquiring)
            }
            if errno == EINTR { continue }
            let seen = taken.load(ordering: .acquiring)
            return seen == 0 ? nil : seen
        }
    }

    /// `SIGINT`, `SIGTERM`, or `signal N`.
    static func name(_ signal: Int32) -> String {
        switch signal {
        case SIGINT: return "SIGINT"
        case SIGTERM: return "SIGTERM"
        case SIGHUP: return "SIGHUP"
        default: return "signal \(signal)"
        }
    }

    private static func coarseMilliseconds() -> Int {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC_COARSE, &now)
        return now.tv_sec &* 1000 &+ now.tv_nsec / 1_000_000
    }
}
