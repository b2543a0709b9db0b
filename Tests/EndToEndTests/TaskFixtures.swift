// Shared fixtures for the task end-to-end tests: a temporary database, programs,
// and helpers that run qsh against them and read its JSON — through either door: the
// local database, or `qsh serve` on that database with qsh as its client.
import Foundation
import Testing
import TestSupport

/// The two doors to the same tasks: qsh on the local database, or qsh as a client of a
/// `qsh serve` on it. A suite that takes `Door.allCases` must give the same output in both.
enum Door: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case local, client
    var testDescription: String { rawValue }
}

/// A temporary directory with a task database, and qsh runs against it.
final class TaskSandbox: @unchecked Sendable {
    let dir: TempDirectory
    var db: String { dir.file("data/tasks.sqlite") }
    let door: Door
    /// The server of the client door (nil for the local one), stopped with the sandbox.
    private(set) var server: ServerFixture?

    /// The user every run is: local runs record $USER as created_by, and the client door's
    /// token is this user's, so the JSON of both doors is the same.
    static let user = "qsh-tester"

    /// A sandbox behind `door`. The client door's server has no workers of its own
    /// (`--workers 0`), like local runs with QSH_NO_AUTOSTART: tasks wait for the `qsh worker`
    /// a test runs; `serverEnvironment` is added to the server's (QSH_TEST_QPU, limits...).
    init(_ door: Door = .local, serverEnvironment: [String: String] = [:]) throws {
        dir = try TempDirectory(prefix: "qsh-tasks")
        self.door = door
        if door == .client {
            server = try ServerFixture(self, user: Self.user, workers: 0, environment: serverEnvironment)
        }
    }

    deinit { server?.stop() }

    static let bell = """
        OPENQASM 2.0;
        include "qelib1.inc";
        qreg q[2];
        creg c[2];
        h q[0];
        cx q[0], q[1];
        measure q -> c;

        """

    /// `cx` with one argument on line 3: a PayloadProcessingError.
    static let badArity = """
        OPENQASM 2.0;
        include "qelib1.inc";
        qreg q[2]; creg c[2];
        cx q[0];

        """

    /// The database, no detached workers, and a settings folder of the sandbox's own (so
    /// that a user's ~/.config/qsh/config never reaches a test).
    var environment: [String: String] {
        ["QSH_DB": db, "QSH_NO_AUTOSTART": "1", "XDG_CONFIG_HOME": dir.file("config"), "USER": Self.user]
    }

    /// The environment of `qsh arguments...` behind the sandbox's door: in the client door, the
    /// commands a server answers (tasks, batches, qpus, and the task ids `completion` offers) get
    /// its URL and token, a cache of their own and a local database path that must never be
    /// created; the shell (no command, or `repl`) gets the server too, with the local database
    /// for the commands that always work locally (doctor, worker); the others (worker, qasm,
    /// doctor, config...) always work on the local database, the server's.
    func environment(for arguments: [String]) -> [String: String] {
        var env = environment
        guard let server else { return env }
        let command = arguments.first { Self.commands.contains($0) }
        let shell = command == nil || command == "repl"
        guard shell || ["tasks", "batches", "qpus", "completion"].contains(command ?? "") else { return env }
        env["QSH_API"] = server.url
        env["QSH_TOKEN"] = server.token
        env["XDG_CACHE_HOME"] = dir.file("cache")
        if !shell { env["QSH_DB"] = noLocalDatabase }
        return env
    }

    /// qsh's commands, to find the command among a command line's words (an option's value is not one).
    static let commands: Set<String> = [
        "tasks", "batches", "qpus", "completion", "repl", "worker", "qasm", "doctor", "config", "tokens", "serve",
        "login", "logout", "cache", "help", "version",
    ]

    /// Where the client door's commands are told the local database is: it must stay absent.
    var noLocalDatabase: String { dir.file("no-local.sqlite") }

    /// Runs qsh in the sandbox's directory against its database (through its door).
    func run(_ arguments: [String], stdin: String? = nil, extra: [String: String] = [:], timeout: Double = 120)
        throws -> QshRun
    {
        var env = environment(for: arguments)
        for (k, v) in extra { env[k] = v }
        let run = try Qsh.run(arguments, stdin: stdin, environment: env, directory: dir.path, timeout: timeout)
        if door == .client { #expect(!FileManager.default.fileExists(atPath: noLocalDatabase), "\(arguments)") }
        return run
    }

    /// Writes `text` to `name` and returns its path.
    @discardableResult
    func program(_ name: String = "bell.qasm", _ text: String = TaskSandbox.bell) throws -> String {
        try dir.write(name, text)
    }

    /// Submits a program and returns the new id.
    func submit(_ extraArguments: [String] = [], text: String = TaskSandbox.bell, name: String = "bell.qasm",
                extra: [String: String] = [:]) throws -> String
    {
        try program(name, text)
        let run = try self.run(["tasks", "submit", name, "-q"] + extraArguments, extra: extra)
        guard run.status == 0 else { throw SandboxError.failed(run) }
        return run.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// `tasks get ID -o json` parsed.
    func task(_ id: String) throws -> J {
        let run = try self.run(["tasks", "get", id, "-o", "json"])
        guard run.status == 0 else { throw SandboxError.failed(run) }
        return try J.parse(run.stdout)
    }

    func status(_ id: String) throws -> String { try task(id)["task_status"].string ?? "?" }

    /// The schema version this qsh writes, as `qsh doctor` reports it for the sandbox's
    /// database (which must exist).
    func latestSchemaVersion() throws -> Int {
        let run = try self.run(["doctor", "--json"])
        return try #require(J.parse(run.stdout)["database"]["latest_schema_version"].int)
    }
}

extension TaskSandbox {
    /// Starts `qsh arguments...` in the background against the sandbox's database.
    func start(_ arguments: [String], extra: [String: String] = [:]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Qsh.binary)
        process.arguments = arguments
        var env = environment(for: arguments)
        env["PATH"] = "/usr/bin:/bin"
        for (k, v) in extra { env[k] = v }
        process.environment = env
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Polls `tasks get` until the task is in one of `states` (or 30 s pass).
    @discardableResult
    func waitFor(_ id: String, _ states: Set<String>) throws -> String {
        let deadline = Date().addingTimeInterval(30)
        var last = ""
        while Date() < deadline {
            last = try status(id)
            if states.contains(last) { return last }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return last
    }

    /// The sqlite3 shell, which the tests that read or forge a database need (Debian's
    /// `sqlite3` package; `.ci/run` installs it); nil where it is missing.
    static let sqlite3 = ["/usr/bin/sqlite3", "/usr/local/bin/sqlite3", "/bin/sqlite3"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    /// Runs `sql` on the sandbox's database with the sqlite3 shell.
    func sqlite(_ sql: String) throws -> QshRun {
        try Subprocess.run(Self.sqlite3 ?? "/usr/bin/sqlite3", [db, sql])
    }

    /// The pids of the workers registered in the database (read with the sqlite3 CLI).
    func workerPIDs() throws -> [Int32] {
        let run = try sqlite("SELECT pid FROM workers WHERE pid > 0")
        return run.stdout.split(separator: "\n").compactMap { Int32($0) }
    }
}

enum SandboxError: Error {
    case failed(QshRun)
    /// `qsh serve` did not say where it listens; its log.
    case server(String)
}

/// Parses every line of NDJSON text.
func ndjson(_ text: String) throws -> [J] {
    try text.split(separator: "\n").map { try J.parse(String($0)) }
}

/// A parsed JSON document with forgiving accessors (Foundation's parser; the
/// end-to-end tests do not link QshCore).
struct J: @unchecked Sendable {
    let value: Any?

    static func parse(_ text: String) throws -> J {
        J(value: try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]))
    }

    subscript(key: String) -> J { J(value: (value as? [String: Any])?[key]) }
    subscript(index: Int) -> J {
        guard let a = value as? [Any], index >= 0, index < a.count else { return J(value: nil) }
        return J(value: a[index])
    }
    var string: String? { value as? String }
    var int: Int? { (value as? NSNumber)?.intValue }
    var bool: Bool? { (value as? NSNumber)?.boolValue }
    var array: [J] { (value as? [Any])?.map { J(value: $0) } ?? [] }
    var keys: [String] { (value as? [String: Any]).map { Array($0.keys).sorted() } ?? [] }
    var isNull: Bool { value == nil || value is NSNull }
    /// Compact JSON with sorted keys, for whole-value comparisons.
    var text: String {
        guard let value, let data = try? JSONSerialization.data(
            withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed]) else { return "null" }
        return String(decoding: data, as: UTF8.self)
    }
}
