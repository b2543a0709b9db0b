// Waits until a child process is ready for a signal, so a test's Ctrl-C reaches
// qsh's own handling, however slowly a loaded machine starts the child.
import Foundation

public enum SignalReadiness {
    /// Polls /proc/PID/status until `pid` runs `command` (not the env(1) that starts it:
    /// a test's threads block signals, which a child inherits until it execs) and
    /// catches or blocks `signal` (the two ways qsh takes Ctrl-C: a handler, or a
    /// blocked signal taken by sigtimedwait, during which it reads as unblocked).
    /// - Returns: false when `timeout` seconds passed first, or the process is gone.
    public static func waitUntilReady(pid: Int32, for signal: Int32, command: String = "qsh", timeout: Double = 60)
        -> Bool
    {
        let deadline = Date().addingTimeInterval(timeout)
        let bit = UInt64(1) << UInt64(signal - 1)
        while Date() < deadline {
            guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return false }
            guard text.hasPrefix("Name:\t\(command)\n") else {
                usleep(10_000)
                continue
            }
            for line in text.split(separator: "\n") where line.hasPrefix("SigCgt:") || line.hasPrefix("SigBlk:") {
                let hex = line.split(separator: "\t").last.map(String.init) ?? ""
                if let mask = UInt64(hex.trimmingCharacters(in: .whitespaces), radix: 16), mask & bit != 0 {
                    return true
                }
            }
            // While sigtimedwait(2) waits, the signals it waits for read as unblocked.
            let wchan = (try? String(contentsOfFile: "/proc/\(pid)/wchan", encoding: .utf8)) ?? ""
            let call = (try? String(contentsOfFile: "/proc/\(pid)/syscall", encoding: .utf8))?
                .split(separator: " ").first.map(String.init)
            if wchan.contains("sigtimedwait") || call == sigtimedwaitCall { return true }
            usleep(10_000)
        }
        return false
    }

    /// The number of rt_sigtimedwait(2), as /proc/PID/syscall shows it.
    #if arch(x86_64)
    static let sigtimedwaitCall = "128"
    #else
    static let sigtimedwaitCall = "137"
    #endif
}

/// Waits until a child process is blocked writing to a pipe nobody reads.
public enum BlockedWrite {
    /// Polls /proc/PID/wchan (and, where that is hidden, /proc/PID/syscall) until `pid`
    /// sleeps in write(2) on a pipe.
    /// - Returns: false when `timeout` seconds passed first, or the process is gone.
    public static func waitUntilBlocked(pid: Int32, timeout: Double = 60) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        #if arch(x86_64)
        let write = "1"
        #else
        let write = "64"
        #endif
        while Date() < deadline {
            guard let state = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return false }
            // The state follows the command name, which ends with the last ')'.
            let sleeping = state.split(separator: ")").last?.split(separator: " ").first == "S"
            let wchan = (try? String(contentsOfFile: "/proc/\(pid)/wchan", encoding: .utf8)) ?? ""
            let call = (try? String(contentsOfFile: "/proc/\(pid)/syscall", encoding: .utf8))?
                .split(separator: " ").first.map(String.init)
            if sleeping && (wchan.contains("pipe_write") || call == write) { return true }
            usleep(10_000)
        }
        return false
    }
}
