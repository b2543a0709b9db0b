// The PostgreSQL server of a test run: `$QSH_TEST_POSTGRES` when the caller started one
// (make test and .ci/run do, with scripts/pg-cluster), else a throwaway cluster this
// process starts once through that script and stops when it exits. Without PostgreSQL
// installed there is none, and the tests that need it say why they were skipped (unless
// `$QSH_REQUIRE_POSTGRES` is set, as in CI, where that is a failure).
import Foundation

/// The test run's PostgreSQL server, if there can be one.
public enum TestPostgres {
    /// The server's URL (`postgresql://qsh@127.0.0.1:<port>/qsh`), or nil.
    public static var url: String? { server.url }

    /// Why there is no server, for the skip message; nil when there is one.
    public static var unavailableReason: String? { server.reason }

    /// True when a missing server must fail the run rather than skip tests.
    public static let required: Bool = {
        let value = ProcessInfo.processInfo.environment["QSH_REQUIRE_POSTGRES"] ?? ""
        return !value.isEmpty && value != "0"
    }()

    private static let server: (url: String?, reason: String?) = {
        let environment = ProcessInfo.processInfo.environment
        if let given = environment["QSH_TEST_POSTGRES"], !given.isEmpty { return (given, nil) }
        let script = Qsh.packageRoot.appendingPathComponent("scripts/pg-cluster").path
        let folder = NSTemporaryDirectory() + "qsh-test-pg-\(getpid())"
        do {
            let run = try Subprocess.run("/bin/bash", [script, "start", folder], timeout: 120)
            let url = run.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            guard run.status == 0, url.hasPrefix("postgresql://") else {
                let why = run.stderr.split(separator: "\n").first.map(String.init) ?? "exit status \(run.status)"
                return (nil, "PostgreSQL could not be started (\(why)); install Debian's 'postgresql' package")
            }
            startedFolder = folder
            atexit {
                if let folder = TestPostgres.startedFolder {
                    let script = Qsh.packageRoot.appendingPathComponent("scripts/pg-cluster").path
                    _ = try? Subprocess.run("/bin/bash", [script, "stop", folder], timeout: 60)
                }
            }
            return (url, nil)
        } catch {
            return (nil, "PostgreSQL could not be started: \(error)")
        }
    }()

    /// The folder of the cluster this process started, to stop at exit.
    nonisolated(unsafe) static var startedFolder: String?

    /// `url` with its search path set to `schema` (a URL query parameter libpq reads).
    public static func url(schema: String) -> String? {
        url.map { $0 + ($0.contains("?") ? "&" : "?") + "options=-csearch_path%3D" + schema }
    }
}

/// A PostgreSQL cluster of a test's own (scripts/pg-cluster), for tests that take the
/// server down and bring it up again (an outage other tests must not see). Removed when
/// the value goes away.
public final class PrivatePostgres: @unchecked Sendable {
    /// The cluster's URL (TCP, user qsh, database qsh).
    public let url: String
    private let folder: String
    private static var script: String { Qsh.packageRoot.appendingPathComponent("scripts/pg-cluster").path }

    /// Starts the cluster.
    /// - Throws: when PostgreSQL cannot be started.
    public init() throws {
        folder = NSTemporaryDirectory() + "qsh-test-pg-own-" + UUID().uuidString.prefix(8)
        let output = try Self.call("start", folder)
        let url = output.trimmingCharacters(in: .whitespacesAndNewlines)
        guard url.hasPrefix("postgresql://") else { throw PrivatePostgresError(reason: "no URL: \(output)") }
        self.url = url
    }

    /// Stops the server (a fast shutdown: its connections are closed), keeping its data.
    public func down() throws { _ = try Self.call("down", folder) }

    /// Starts the server again on the same port.
    public func up() throws { _ = try Self.call("up", folder) }

    /// Restarts the server (a fast shutdown, then a start on the same port), as an
    /// operator's restart does.
    public func restart() throws { _ = try Self.call("restart", folder) }

    /// The one value `query` answers, read with psql.
    public func sql(_ query: String) throws -> String {
        let run = try Subprocess.run("/usr/bin/env", ["psql", "-X", "-tA", "-v", "ON_ERROR_STOP=1", url, "-c", query])
        guard run.status == 0 else { throw PrivatePostgresError(reason: "psql failed: \(run.stderr)") }
        return run.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Runs the script; its server inherits none of this process's descriptors, so the
    /// run ends when the script does.
    private static func call(_ command: String, _ folder: String) throws -> String {
        let run = try Subprocess.run("/bin/bash", [script, command, folder], timeout: 120)
        guard run.status == 0 else {
            throw PrivatePostgresError(reason: "\(command) failed (\(run.status)): \(run.stdout)\(run.stderr)")
        }
        return run.stdout
    }

    deinit { _ = try? Self.call("stop", folder) }
}

/// scripts/pg-cluster failed.
public struct PrivatePostgresError: Error, CustomStringConvertible {
    public let reason: String
    public var description: String { "scripts/pg-cluster \(reason)" }
}
