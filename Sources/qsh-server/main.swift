// qsh-server, which `qsh serve` runs: reads its flags by hand (as qsh does) and its
// environment, refuses a non-loopback address without TLS or --allow-plain-http, prints
// `listening on http://HOST:PORT` as its first line on stderr, serves, and on SIGTERM or
// SIGINT stops gracefully (QshAPIServer.stop) and exits 0.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Dispatch
import QshCore
import QshServer
import Synchronization

let usage = """
    usage: qsh serve [--listen <host>:<port>] [--db <path>] [--workers <n>] [--max-body <bytes>]
                     [--grace <seconds>] [--tls-cert <file> --tls-key <file>] [--allow-plain-http]
                     [--rate-limit <n>]

    Serves the task database over HTTP: the qsh Direct API (GET /v2/openapi.json lists its routes).

    options:
      --listen <host>:<port>  where to listen (default: 127.0.0.1:8080; port 0 takes a free one)
      --db <path>             the task database (default: $QSH_DB, else the data folder's tasks.sqlite)
      --workers <n>           in-process workers, 0 to 64 (default: 1); 'qsh worker' processes may run beside them
      --max-body <bytes>      largest request body, with K, M or G (default: 16M)
      --grace <seconds>       how long a stop waits for requests and running tasks (default: 30s)
      --tls-cert <file>       PEM certificate (chain); with --tls-key, serves HTTPS
      --tls-key <file>        PEM private key of the certificate
      --allow-plain-http      listen on a non-loopback address without TLS
      --rate-limit <n>        requests per second per token, bursts of twice that; 0: no limit (default: 200)
      -h, --help              show this help
      --version               show the version

    """

/// Writes one line to stderr with one write(2), so lines of several threads never mix.
func errorLine(_ text: String) {
    let bytes = Array((text + "\n").utf8)
    var offset = 0
    while offset < bytes.count {
        let n = bytes[offset...].withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
        if n <= 0 { return }
        offset += n
    }
}

/// Exits 2 with a usage error in the house voice.
func usageError(_ message: String) -> Never {
    errorLine("qsh serve: " + message)
    errorLine("usage: qsh serve [--listen <host>:<port>] [--db <path>] [--workers <n>] ... (see 'qsh serve --help')")
    exit(2)
}

/// Seconds of `30`, `30s`, `500ms`, `2m`.
func seconds(_ text: String) -> Double? {
    let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
    for (unit, scale) in units where text.hasSuffix(unit) {
        guard let n = Double(text.dropLast(unit.count)), n >= 0, n.isFinite else { return nil }
        return n * scale
    }
    return Double(text).flatMap { $0 >= 0 && $0.isFinite ? $0 : nil }
}

/// `host:port`, `[v6]:port`, or `:port` (loopback).
func address(_ text: String) -> (String, Int)? {
    guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port)
    else { return nil }
    var host = String(text[..<colon])
    if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
    if host.isEmpty { host = "127.0.0.1" }
    return (host, port)
}

let environment: [String: String] = {
    var values: [String: String] = [:]
    var pointer = environ
    while let entry = pointer.pointee {
        let text = String(cString: entry)
        if let equals = text.firstIndex(of: "=") {
            values[String(text[..<equals])] = String(text[text.index(after: equals)...])
        }
        pointer += 1
    }
    return values
}()

var arguments = Array(CommandLine.arguments.dropFirst())
var values: [String: String] = [:]
var allowPlainHTTP = false
let valued = ["--listen", "--db", "--workers", "--max-body", "--grace", "--tls-cert", "--tls-key", "--rate-limit"]
while !arguments.isEmpty {
    let word = arguments.removeFirst()
    if word == "-h" || word == "--help" {
        print(usage, terminator: "")
        exit(0)
    }
    if word == "--version" {
        print("qsh-server \(QshVersion.current)")
        exit(0)
    }
    if word == "--allow-plain-http" {
        allowPlainHTTP = true
        continue
    }
    var name = word
    var value: String?
    if let equals = word.firstIndex(of: "="), word.hasPrefix("--") {
        name = String(word[..<equals])
        value = String(word[word.index(after: equals)...])
    }
    guard valued.contains(name) else {
        usageError(word.hasPrefix("-") ? "unknown option '\(name)'" : "unexpected argument '\(word)'")
    }
    if value == nil {
        guard !arguments.isEmpty else { usageError("option '\(name)' needs a value") }
        value = arguments.removeFirst()
    }
    guard values[name] == nil else { usageError("option '\(name)' is given twice") }
    values[name] = value
}

guard let (host, port) = address(values["--listen"] ?? "127.0.0.1:8080") else {
    usageError("option '--listen' expects <host>:<port> (such as 127.0.0.1:8080), got '\(values["--listen"]!)'")
}
let databasePath: String = {
    if let db = values["--db"] {
        guard !db.isEmpty else { usageError("option '--db' needs a path") }
        return db
    }
    if let db = environment["QSH_DB"], !db.isEmpty { return db }
    if let data = environment["XDG_DATA_HOME"], data.hasPrefix("/") { return data + "/qsh/tasks.sqlite" }
    return (environment["HOME"] ?? ".") + "/.local/share/qsh/tasks.sqlite"
}()
let workers = values["--workers"].map { text -> Int in
    guard let n = Int(text), (0...64).contains(n) else { usageError("option '--workers' must be 0 to 64, got '\(text)'") }
    return n
} ?? 1
let maxBody = values["--max-body"].map { text -> Int in
    guard let n = Backends.parseBytes(text), n >= 1024 else {
        usageError("option '--max-body' expects bytes (at least 1024), with K, M or G, got '\(text)'")
    }
    return n
} ?? 16 << 20
let grace = values["--grace"].map { text -> Double in
    guard let s = seconds(text), s <= 86_400 else { usageError("option '--grace' expects seconds (30, 30s, 2m), got '\(text)'") }
    return s
} ?? 30
let rateLimit = values["--rate-limit"].map { text -> Double in
    guard let n = Double(text), n >= 0, n.isFinite else {
        usageError("option '--rate-limit' expects requests per second (0: no limit), got '\(text)'")
    }
    return n
} ?? 200
let certificate = values["--tls-cert"]
let key = values["--tls-key"]
if (certificate == nil) != (key == nil) {
    usageError("options '--tls-cert' and '--tls-key' go together: give both for HTTPS")
}
if certificate == nil && !allowPlainHTTP && !ServerOptions.isLoopback(host) {
    usageError(
        "refusing to serve plain HTTP on '\(host)', which is not a loopback address: give --tls-cert and --tls-key, "
            + "or --allow-plain-http")
}
for (option, path) in [("--tls-cert", certificate), ("--tls-key", key)] {
    guard let path else { continue }
    if access(path, R_OK) != 0 {
        errorLine("qsh serve: cannot read '\(path)' (\(option)): " + String(cString: strerror(errno)))
        exit(1)
    }
}

var options = ServerOptions(
    host: host, port: port, databasePath: databasePath, workers: workers, maxBody: maxBody, grace: grace,
    tlsCertificate: certificate, tlsKey: key, rateLimit: rateLimit, qpus: Backends.registry(environment),
    threads: Backends.threads(environment), version: QshVersion.current)
if environment["QSH_TEST_QPU"] == "1", let state = environment["QSH_TEST_HOLD_AFTER"] {
    options.holdAfter = TaskStatus(rawValue: state)
}

// SIGTERM and SIGINT are blocked in every thread (threads inherit the mask, so this comes
// first) and taken by one thread with sigwait; SIGPIPE is ignored (a client that went away
// is an error on its socket, not the end of the server).
var stopSignals = sigset_t()
sigemptyset(&stopSignals)
sigaddset(&stopSignals, SIGTERM)
sigaddset(&stopSignals, SIGINT)
pthread_sigmask(SIG_BLOCK, &stopSignals, nil)
signal(SIGPIPE, SIG_IGN)

let server: QshAPIServer
do {
    server = try QshAPIServer(options: options, log: { errorLine($0) })
} catch {
    let message = (error as? any QshError)?.message ?? "\(error)"
    if PostgresAddress.isPostgres(databasePath) {
        // The message names the database already, without its password.
        errorLine("qsh serve: \(message)")
    } else {
        errorLine("qsh serve: cannot open the task database '\(databasePath)': \(message)")
    }
    exit(1)
}

let signals = stopSignals
// A dispatch thread given to sigwait for the life of the process.
DispatchQueue(label: "qsh-server.signals").async {
    var set = signals
    while true {
        var number: Int32 = 0
        guard sigwait(&set, &number) == 0 else { continue }
        let name = number == SIGINT ? "SIGINT" : "SIGTERM"
        errorLine("qsh serve: \(name): stopping (grace \(grace)s)")
        server.stop(reason: name)
    }
}

let scheme = certificate == nil ? "http" : "https"
let shownHost = host.contains(":") ? "[\(host)]" : host
let done = DispatchSemaphore(value: 0)
let status = Atomic(Int32(0))
Task.detached {
    do {
        try await server.run { port in
            errorLine("listening on \(scheme)://\(shownHost):\(port) (database '\(PostgresAddress.redact(databasePath))', \(workers) worker\(workers == 1 ? "" : "s"))")
        }
    } catch {
        errorLine("qsh serve: cannot serve on '\(shownHost):\(port)': \(error)")
        status.store(1, ordering: .relaxed)
    }
    done.signal()
}
done.wait()
let code = status.load(ordering: .relaxed)
if code == 0 { errorLine("qsh serve: stopped") }
exit(code)
