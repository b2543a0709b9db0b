// Ctrl-C (SIGINT): a sigaction handler that only counts presses in an atomic, which the
// line editor and long-running commands poll. No work happens inside the handler. A command
// that blocks SIGINT and takes it with sigtimedwait(2) (tasks wait) works alongside it.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Synchronization

/// Presses of Ctrl-C not yet taken, and what a second press does. These are the only
/// process-wide variables here, and they must be: a C signal handler receives no context
/// pointer, so whatever it touches has to be reachable without one. Both are atomics,
/// which are safe to touch from the handler; everything else goes through `Interrupts`.
private let pendingInterrupts = Atomic<Int>(0)
/// 0: not installed; 1: the interactive shell (presses only count); 2: a command line
/// (the second press exits at once with 130, SQLite's two-stage pattern).
private let interruptPolicy = Atomic<Int>(0)

/// True while the shell runs a command (not while it reads a line).
private let runningCommand = Atomic<Bool>(false)
/// Shown once when a running command ignores three presses (the command does not poll).
private let stuckHint: StaticString = "\nqsh: this command does not stop on Ctrl-C; Ctrl-\\ quits qsh\n"

/// The signal handler: count; on a command line give up after the second press; in the
/// shell, say once how to get out of a command that ignores Ctrl-C. Only async-signal-safe
/// calls (atomics, write(2), _exit(2)).
private func handleInterrupt(_ signal: Int32) {
    let presses = pendingInterrupts.add(1, ordering: .sequentiallyConsistent).newValue
    let policy = interruptPolicy.load(ordering: .sequentiallyConsistent)
    if presses >= 2 && policy == 2 {
        _exit(130)
    }
    if presses == 3 && policy == 1 && runningCommand.load(ordering: .sequentiallyConsistent) {
        _ = write(2, stuckHint.utf8Start, stuckHint.utf8CodeUnitCount)
    }
}

/// Installs and reads the SIGINT handler.
enum Interrupts {
    /// Who decides what Ctrl-C does.
    enum Policy: Int {
        /// The interactive shell: Ctrl-C clears the line or interrupts the command; never exits.
        case shell = 1
        /// A single command line: the first Ctrl-C asks the command to stop, the second exits 130.
        case commandLine = 2
    }

    /// Makes Ctrl-C count instead of killing the process. Installing for the shell wins over
    /// a later request from a command (`CommandContext.interruptRequested` in a REPL).
    static func install(_ policy: Policy) {
        var current = interruptPolicy.load(ordering: .sequentiallyConsistent)
        if current == Policy.shell.rawValue || current == policy.rawValue { return }
        while true {
            let (exchanged, original) = interruptPolicy.compareExchange(
                expected: current, desired: policy.rawValue, ordering: .sequentiallyConsistent)
            if exchanged { break }
            if original == Policy.shell.rawValue { return }
            current = original
        }
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { handleInterrupt($0) }
        sigemptyset(&action.sa_mask)
        // No SA_RESTART: a blocking read or sleep returns EINTR, so waits notice at once.
        action.sa_flags = 0
        sigaction(SIGINT, &action, nil)
        // A parent may have left SIGINT blocked (some test runners and daemons do); then
        // Ctrl-C would never arrive. Unblock it on this, the main, thread.
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    /// True when Ctrl-C was pressed and not yet taken.
    static var pending: Bool { pendingInterrupts.load(ordering: .sequentiallyConsistent) > 0 }

    /// Takes the pending presses: true if there was at least one.
    @discardableResult
    static func take() -> Bool { pendingInterrupts.exchange(0, ordering: .sequentiallyConsistent) > 0 }

    /// Marks the shell as running a command (true) or reading a line (false), and drops
    /// presses from before: a Ctrl-C at the prompt does not interrupt the next command.
    static func commandRunning(_ running: Bool) {
        take()
        runningCommand.store(running, ordering: .sequentiallyConsistent)
    }
}

/// Where a command asks whether Ctrl-C was pressed; a value so tests can inject one.
struct InterruptSource: Sendable {
    /// True once Ctrl-C was pressed since the command began.
    var requested: @Sendable () -> Bool

    /// The real SIGINT handler. The first poll opts the command in on a command line: from
    /// then on Ctrl-C is counted rather than fatal (a second press still exits 130).
    static let process = InterruptSource {
        Interrupts.install(.commandLine)
        return Interrupts.pending
    }

    /// Never interrupted (tests).
    static let never = InterruptSource { false }
}
