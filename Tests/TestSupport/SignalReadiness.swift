// Waits until a child process is ready for a signal, so a test's Ctrl-C reaches
// qsh's own handling, however slowly a loaded machine starts the child.
import Foundation

public enum SignalReadiness {
    /// Polls /proc/PID/status until `pid` catches or blocks `signal` (the two ways qsh
    /// takes Ctrl-C: a handler, or a blocked signal taken by sigtimedwait).
    /// - Returns: false when `timeout` seconds passed first, or the process is gone.
    public static func waitUntilReady(pid: Int32, for signal: Int32, timeout: Double = 60) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        let bit = UInt64(1) << UInt64(signal - 1)
        while Date() < deadline {
            guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return false }
            for line in text.split(separator: "\n") where line.hasPrefix("SigCgt:") || line.hasPrefix("SigBlk:") {
                let hex = line.split(separator: "\t").last.map(String.init) ?? ""
                if let mask = UInt64(hex.trimmingCharacters(in: .whitespaces), radix: 16), mask & bit != 0 {
                    return true
                }
            }
            usleep(10_000)
        }
        return false
    }
}
