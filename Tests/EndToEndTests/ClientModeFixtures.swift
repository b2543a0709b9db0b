// A qsh server for the client-mode end-to-end tests: `qsh serve --listen 127.0.0.1:0` on a
// sandbox's database, with a token made by `qsh tokens create`; the URL is read from its
// first stderr line (`listening on http://127.0.0.1:PORT ...`). Stopped with SIGTERM (then
// SIGKILL) when the test is done.
import Foundation
import Testing
import TestSupport

final class ServerFixture: @unchecked Sendable {
    let process: Process
    let url: String
    let token: String
    let log: String

    /// Starts a server on `sandbox`'s database (created if needed) with an admin token for `user`,
    /// `workers` in-process workers (nil: the server's default) and `environment` added to its own.
    init(_ sandbox: TaskSandbox, user: String = "tester", scope: String = "admin", workers: Int? = nil,
         environment extra: [String: String] = [:]) throws {
        let made = try sandbox.run(["tokens", "create", "--user", user, "--scope", scope, "-q"])
        guard made.status == 0 else { throw SandboxError.failed(made) }
        token = made.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        log = sandbox.dir.file("serve-\(UUID().uuidString.prefix(8)).log")
        FileManager.default.createFile(atPath: log, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Qsh.binary)
        process.arguments = ["serve", "--listen", "127.0.0.1:0", "--db", sandbox.db]
            + (workers.map { ["--workers", String($0)] } ?? [])
        var environment = ["PATH": "/usr/bin:/bin", "HOME": sandbox.dir.path, "XDG_CONFIG_HOME": sandbox.dir.file("config")]
        environment["QSH_NO_AUTOSTART"] = "1"
        for (k, v) in extra { environment[k] = v }
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.standardInput = FileHandle.nullDevice
        try process.run()
        self.process = process
        var found: String?
        let deadline = Date().addingTimeInterval(60)
        while found == nil && Date() < deadline && process.isRunning {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            if let range = text.range(of: "listening on ") {
                let rest = text[range.upperBound...]
                found = String(rest.prefix { $0 != " " && $0 != "\n" })
            } else {
                usleep(20_000)
            }
        }
        guard let found else {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            throw SandboxError.server((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")
        }
        url = found
    }

    /// The environment of a qsh that uses this server, with its cache and settings in `sandbox`
    /// and a local database path that must never be touched.
    func clientEnvironment(_ sandbox: TaskSandbox) -> [String: String] {
        [
            "QSH_API": url, "QSH_TOKEN": token, "XDG_CACHE_HOME": sandbox.dir.file("cache"),
            "XDG_CONFIG_HOME": sandbox.dir.file("config"), "QSH_DB": sandbox.dir.file("no-local.sqlite"),
            "QSH_NO_AUTOSTART": "1",
        ]
    }

    func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGTERM)
        let deadline = Date().addingTimeInterval(30)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    deinit { stop() }
}
