// A `qsh serve` for an end-to-end test: started on a free loopback port (--listen
// 127.0.0.1:0; the port is read from its first stderr line) with the sandbox's database,
// driven with curl, and always stopped (SIGKILL in deinit if the test did not stop it).
import Foundation
import Testing
import TestSupport

/// One HTTP answer as curl saw it.
struct HTTPAnswer {
    var status: Int
    /// Header names in lower case.
    var headers: [String: String]
    var body: String
    var json: J { (try? J.parse(body)) ?? J(value: nil) }
}

/// A running server on a sandbox's database.
final class ServerProcess: @unchecked Sendable {
    let sandbox: TaskSandbox
    let process: Process
    let log: String
    let port: Int
    /// `https` when the server was given TLS files.
    var scheme = "http"
    var base: String { "\(scheme)://127.0.0.1:\(port)" }

    /// Starts `qsh serve --listen 127.0.0.1:0 arguments...` and waits for its listening line.
    init(_ sandbox: TaskSandbox, _ arguments: [String] = [], extra: [String: String] = [:]) throws {
        self.sandbox = sandbox
        log = sandbox.dir.file("server-\(UUID().uuidString.prefix(8)).log")
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        process = Process()
        process.executableURL = URL(fileURLWithPath: Qsh.binary)
        process.arguments = ["serve", "--listen", "127.0.0.1:0"] + arguments
        var env = sandbox.environment
        env["PATH"] = "/usr/bin:/bin"
        for (k, v) in extra { env[k] = v }
        process.environment = env
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle(forWritingAtPath: log)
        try process.run()
        var found: Int?
        let deadline = Date().addingTimeInterval(60)
        while found == nil && Date() < deadline && process.isRunning {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            if let range = text.range(of: #"listening on https?://127\.0\.0\.1:[0-9]+"#, options: .regularExpression) {
                found = Int(text[range].split(separator: ":").last ?? "")
            } else {
                Thread.sleep(forTimeInterval: 0.02)
            }
        }
        guard let found else {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            throw ServerError.didNotStart((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")
        }
        port = found
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    /// What the server wrote to stderr so far.
    var stderr: String { (try? String(contentsOfFile: log, encoding: .utf8)) ?? "" }

    /// Sends a signal and waits (up to `timeout` seconds) for the server to exit.
    /// - Returns: its exit status (nil when it had to be killed).
    func stop(_ signal: Int32 = SIGTERM, timeout: Double = 30) -> Int32? {
        kill(process.processIdentifier, signal)
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return nil
        }
        return process.terminationStatus
    }

    /// One request with curl: `method path`, headers, body.
    func request(
        _ method: String, _ path: String, token: String? = nil, headers: [String] = [], json: String? = nil,
        body: String? = nil
    ) throws -> HTTPAnswer {
        var arguments = ["-s", "-S", "-i", "--max-time", "60", "-X", method, base + path]
        if scheme == "https" { arguments.append("--insecure") }
        if let token { arguments += ["-H", "Authorization: Bearer \(token)"] }
        for header in headers { arguments += ["-H", header] }
        var input: String?
        if let json {
            arguments += ["-H", "Content-Type: application/json", "--data-binary", "@-"]
            input = json
        } else if let body {
            arguments += ["--data-binary", "@-"]
            input = body
        }
        let run = try Subprocess.run("/usr/bin/curl", arguments, stdin: input, timeout: 90)
        guard run.status == 0 else { throw ServerError.curl(run) }
        return Self.parse(run.stdout)
    }

    /// The status, headers and body of curl's `-i` output (the last response of it).
    static func parse(_ text: String) -> HTTPAnswer {
        let parts = text.components(separatedBy: "\r\n\r\n")
        let head = parts.first ?? ""
        let body = parts.dropFirst().joined(separator: "\r\n\r\n")
        var lines = head.components(separatedBy: "\r\n")
        let statusLine = lines.isEmpty ? "" : lines.removeFirst()
        let status = Int(statusLine.split(separator: " ").dropFirst().first ?? "") ?? 0
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return HTTPAnswer(status: status, headers: headers, body: body)
    }

    /// Polls GET until the task is in one of `states` (or 60 s pass); its last state.
    @discardableResult
    func waitFor(_ id: String, _ states: Set<String>, token: String) throws -> String {
        let deadline = Date().addingTimeInterval(60)
        var last = ""
        while Date() < deadline {
            last = try request("GET", "/v2/tasks/\(id)", token: token).json["task_status"].string ?? ""
            if states.contains(last) { return last }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return last
    }
}

enum ServerError: Error {
    case didNotStart(String)
    case curl(QshRun)
}

extension TaskSandbox {
    /// A new token's secret, made with `qsh tokens create`.
    func token(_ user: String, scope: String = "submit") throws -> String {
        let run = try self.run(["tokens", "create", "--user", user, "--scope", scope, "-q"])
        guard run.status == 0 else { throw SandboxError.failed(run) }
        return run.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// A submit's JSON body.
func submitJSON(_ program: String = TaskSandbox.bell, shots: Int = 100, extra: String = "") -> String {
    let source = String(decoding: try! JSONSerialization.data(withJSONObject: program, options: [.fragmentsAllowed]), as: UTF8.self)
    return "{\"program\": \(source), \"shots\": \(shots)\(extra.isEmpty ? "" : ", " + extra)}"
}
