// `qsh serve`: runs the HTTP API server, `qsh-server`, found beside this qsh (the folder
// of /proc/self/exe), else on $PATH, by exec: the server takes over the process (its
// signals, its exit status). qsh itself never links the server's libraries, so its own
// start-up stays as it was.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import QshCore

enum ServeCommand {
    /// The server's options, passed on as given (qsh-server checks their values).
    static let valueOptions: [OptionSpec] = [
        OptionSpec("--listen", value: "<host>:<port>", help: "where to listen (default: 127.0.0.1:8080; port 0: any free one)"),
        OptionSpec("--workers", value: "<n>", help: "in-process workers, 0 to 64 (default: 1)"),
        OptionSpec("--max-body", value: "<bytes>", help: "largest request body, with K, M or G (default: 16M)"),
        OptionSpec("--grace", value: "<seconds>", help: "how long a stop waits for requests and running tasks (default: 30s)"),
        OptionSpec("--tls-cert", value: "<file>", help: "PEM certificate (chain); with --tls-key, serves HTTPS"),
        OptionSpec("--tls-key", value: "<file>", help: "PEM private key of the certificate"),
        OptionSpec("--rate-limit", value: "<n>", help: "requests per second per token; 0: no limit (default: 200)"),
    ]

    static let command = Command(
        name: "serve",
        summary: "Serve the task database over HTTP (the Direct API)",
        synopsis: [
            "serve [--listen <host>:<port>] [--workers <n>] [--max-body <bytes>] [--grace <seconds>] "
                + "[--tls-cert <file> --tls-key <file>] [--allow-plain-http] [--rate-limit <n>]"
        ],
        details: """
            Runs qsh-server (installed beside qsh): the task routes under /v2/tasks and /v2/{qpu_mode}/tasks, \
            batches, QPUs, /health, /metrics and /v2/openapi.json, with N in-process workers; 'qsh worker' \
            processes on the same database work beside them. Every /v2 route needs 'Authorization: Bearer \
            <token>' ('qsh tokens create'). It listens on loopback unless given TLS files or --allow-plain-http. \
            Its first line on stderr is 'listening on http://HOST:PORT'; then one access-log line per request. \
            SIGTERM or Ctrl-C stops it: requests and running tasks get --grace to finish; it exits 0.
            """,
        examples: [
            "qsh serve", "qsh serve --listen 127.0.0.1:0 --workers 2",
            "qsh serve --listen 0.0.0.0:8443 --tls-cert cert.pem --tls-key key.pem",
        ],
        options: valueOptions + [
            OptionSpec("--allow-plain-http", help: "listen on a non-loopback address without TLS"),
            CommonOptions.database,
        ],
        run: { invocation in try run(invocation) })

    static func run(_ invocation: Invocation) throws -> ExitStatus {
        let args = invocation.arguments
        let context = invocation.context
        if context.inShell {
            throw CommandFailure(
                code: .usage, message: "'serve' runs a server in the foreground: start it from a terminal, not in the shell")
        }
        var argv: [String] = []
        for option in valueOptions + [CommonOptions.database] {
            if let value = args.value(option.long) { argv += [option.long, value] }
        }
        if args.has("--allow-plain-http") { argv.append("--allow-plain-http") }
        guard let server = serverPath(executable: context.executablePath, path: context.environment["PATH"]) else {
            throw CommandFailure(
                code: .fileNotFound,
                message: "cannot find 'qsh-server' beside '\(context.executablePath)' or on PATH; "
                    + "install it with qsh ('make install' installs both)")
        }
        context.stdout.flush()
        context.stderr.flush()
        // The server takes its signals itself: none stays blocked or ignored across exec.
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
        let words = [server] + argv
        var cWords: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
        execv(server, &cWords)
        let reason = String(cString: strerror(errno))
        throw CommandFailure(code: .ioError, message: "cannot run '\(server)': \(reason)")
    }

    /// `qsh-server` in the folder of `executable` (this qsh), else the first on `path`.
    static func serverPath(executable: String, path: String?) -> String? {
        var candidates: [String] = []
        if let slash = executable.lastIndex(of: "/") {
            candidates.append(String(executable[...slash]) + "qsh-server")
        }
        for folder in (path ?? "").split(separator: ":") where !folder.isEmpty {
            candidates.append(folder + "/qsh-server")
        }
        return candidates.first { access($0, X_OK) == 0 }
    }
}
