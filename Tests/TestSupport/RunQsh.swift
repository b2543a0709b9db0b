// Runs the built `qsh` binary and captures stdout, stderr and the exit status.
// Both pipes are drained while the process runs, so large output cannot deadlock.
import Foundation

/// What one run of `qsh` produced.
public struct QshRun: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
    /// True when the process ended by a signal rather than exit().
    public var signalled: Bool
}

/// Locates and runs the `qsh` executable under test.
public enum Qsh {
    /// The package root, found from this source file's path.
    public static let packageRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }()

    /// `$QSH_BIN` if set, else the debug build, else the release build.
    public static let binary: String = {
        if let bin = ProcessInfo.processInfo.environment["QSH_BIN"], !bin.isEmpty { return bin }
        for config in ["debug", "release"] {
            let path = packageRoot.appendingPathComponent(".build/\(config)/qsh").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return packageRoot.appendingPathComponent(".build/debug/qsh").path
    }()

    /// The shared folder next to the checkout (corpus, bench kit), if present.
    public static let sharedFolder: URL = packageRoot.deletingLastPathComponent().appendingPathComponent("shared")

    /// Runs `qsh` with `arguments`, feeding `stdin`, with a clean environment plus `environment`.
    /// - Parameters:
    ///   - timeout: seconds before the process is killed (the run then fails the test).
    public static func run(
        _ arguments: [String], stdin: String? = nil, environment: [String: String] = [:],
        directory: String? = nil, timeout: Double = 120
    ) throws -> QshRun {
        var env: [String: String] = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
            "HOME": ProcessInfo.processInfo.environment["HOME"] ?? "/tmp",
            "QSH_NO_AUTOSTART": "1",
            "LC_ALL": "C",
        ]
        for (k, v) in environment { env[k] = v }
        return try Subprocess.run(
            binary, arguments, stdin: stdin, environment: env, directory: directory, timeout: timeout)
    }
}

/// Runs any executable, draining its pipes while it runs.
public enum Subprocess {
    /// Runs `executable` with `arguments` and exactly `environment`.
    public static func run(
        _ executable: String, _ arguments: [String], stdin: String? = nil,
        environment: [String: String]? = nil, directory: String? = nil, timeout: Double = 120
    ) throws -> QshRun {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        let outData = DataBox(), errData = DataBox()
        let group = DispatchGroup()
        for (pipe, box) in [(out, outData), (err, errData)] {
            group.enter()
            DispatchQueue.global().async {
                box.data = pipe.fileHandleForReading.readDataToEndOfFile()
                group.leave()
            }
        }
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try? input.fileHandleForWriting.close()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(2000) }
        if process.isRunning {
            // SIGKILL, not SIGTERM: a child spawned from a Dispatch thread inherits its
            // blocked signal mask, so SIGTERM could stay pending forever.
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        group.wait()
        process.waitUntilExit()
        return QshRun(
            status: process.terminationStatus,
            stdout: String(decoding: outData.data, as: UTF8.self),
            stderr: String(decoding: errData.data, as: UTF8.self),
            signalled: process.terminationReason == .uncaughtSignal)
    }
}

/// Bytes read from a pipe on another thread.
public final class DataBox: @unchecked Sendable {
    public var data = Data()
    public init() {}
}
