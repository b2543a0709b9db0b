// Runs the built `qsh` with a standard stream that is not a pipe to the test: stdout on
// /dev/full, a closed descriptor, or a pipe whose reader is already gone.
import Foundation

extension Qsh {
    /// The environment `Qsh.run` gives qsh: PATH, HOME, no autostart, the C locale, and
    /// data, state and settings folders that do not exist, so that no test reads or
    /// writes the user's database, shell history or settings; plus `extra`.
    public static func cleanEnvironment(_ extra: [String: String]) -> [String: String] {
        var env: [String: String] = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
            "HOME": ProcessInfo.processInfo.environment["HOME"] ?? "/tmp",
            "QSH_NO_AUTOSTART": "1",
            "LC_ALL": "C",
            "XDG_DATA_HOME": "/nonexistent/qsh-test-data",
            "XDG_STATE_HOME": "/nonexistent/qsh-test-state",
            "XDG_CONFIG_HOME": "/nonexistent/qsh-test-config",
        ]
        for (k, v) in extra { env[k] = v }
        return env
    }

    /// Runs `qsh arguments` through `/bin/sh` with `redirection` applied to it, e.g.
    /// `>/dev/full`, `>&-` (stdout closed) or `2>/dev/full`; what is not redirected is captured.
    public static func run(
        _ arguments: [String], redirection: String, stdin: String? = nil, environment: [String: String] = [:],
        directory: String? = nil, timeout: Double = 120
    ) throws -> QshRun {
        try Subprocess.run(
            "/bin/sh", ["-c", "exec \"$0\" \"$@\" \(redirection)", binary] + arguments, stdin: stdin,
            environment: cleanEnvironment(environment), directory: directory, timeout: timeout)
    }

    /// Runs `qsh arguments` with stdout on a pipe whose read end is closed before qsh starts,
    /// so that its first write to stdout fails with EPIPE; stderr is captured.
    public static func runWithStdoutReaderGone(
        _ arguments: [String], environment: [String: String] = [:], directory: String? = nil,
        timeout: Double = 120
    ) throws -> QshRun {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.environment = cleanEnvironment(environment)
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let gone = Pipe(), err = Pipe()
        try gone.fileHandleForReading.close()
        process.standardOutput = gone.fileHandleForWriting
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        let running = RunningProcess(process)
        running.readers.enter()
        DispatchQueue.global().async {
            running.stderr.data = err.fileHandleForReading.readDataToEndOfFile()
            running.readers.leave()
        }
        try process.run()
        try? gone.fileHandleForWriting.close()
        try? err.fileHandleForWriting.close()
        return running.finish(timeout: timeout)
    }
}
