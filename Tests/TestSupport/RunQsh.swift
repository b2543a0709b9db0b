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
        try Subprocess.run(
            binary, arguments, stdin: stdin, environment: cleanEnvironment(environment), directory: directory,
            timeout: timeout)
    }
}

/// Runs any executable, draining its pipes while it runs.
public enum Subprocess {
    /// Runs `executable` with `arguments` and exactly `environment` (inherited when nil).
    public static func run(
        _ executable: String, _ arguments: [String], stdin: String? = nil,
        environment: [String: String]? = nil, directory: String? = nil, timeout: Double = 120
    ) throws -> QshRun {
        try start(executable, arguments, stdin: stdin, environment: environment, directory: directory)
            .finish(timeout: timeout)
    }

    /// Starts `executable` and returns at once, its output pipes drained on other
    /// threads, so a test can signal it while it runs and collect the run afterwards.
    public static func start(
        _ executable: String, _ arguments: [String], stdin: String? = nil,
        environment: [String: String]? = nil, directory: String? = nil
    ) throws -> RunningProcess {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        let running = RunningProcess(process)
        for (pipe, box) in [(out, running.stdout), (err, running.stderr)] {
            running.readers.enter()
            DispatchQueue.global().async {
                box.data = pipe.fileHandleForReading.readDataToEndOfFile()
                running.readers.leave()
            }
        }
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try? input.fileHandleForWriting.close()
        return running
    }
}

/// A process started by `Subprocess.start`.
public final class RunningProcess: @unchecked Sendable {
    public let process: Process
    let stdout = DataBox(), stderr = DataBox()
    let readers = DispatchGroup()

    init(_ process: Process) { self.process = process }

    /// Waits up to `timeout` seconds for the process to end (then kills it) and
    /// returns what it wrote and how it ended.
    public func finish(timeout: Double = 120) -> QshRun {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(2000) }
        if process.isRunning {
            // SIGKILL, not SIGTERM: a child spawned from a Dispatch thread inherits its
            // blocked signal mask, so SIGTERM could stay pending forever.
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        readers.wait()
        process.waitUntilExit()
        return QshRun(
            status: process.terminationStatus,
            stdout: String(decoding: stdout.data, as: UTF8.self),
            stderr: String(decoding: stderr.data, as: UTF8.self),
            signalled: process.terminationReason == .uncaughtSignal)
    }
}

/// Bytes read from a pipe on another thread.
public final class DataBox: @unchecked Sendable {
    public var data = Data()
    public init() {}
}
