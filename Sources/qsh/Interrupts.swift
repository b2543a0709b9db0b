// Signals as values, without handlers or globals: the signals are blocked while a
// wait runs and the wait's sleep is sigtimedwait(2), which returns early when one
// arrives. The first Ctrl-C therefore ends the wait; a second one, once the mask
// is restored, interrupts the process as usual.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

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
