// `qsh login URL` and `qsh logout [URL]`: keep (or forget) the token for a qsh server in the
// credentials file (Client/Credentials.swift). login reads the token without echo on a
// terminal, from standard input otherwise, and checks it with one GET /v2/qpus first.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import QshCore

enum LoginCommand {
    static let command = Command(
        name: "login",
        summary: "Keep the token for a qsh server",
        synopsis: ["login <url>"],
        details: """
            Asks for the token (made on the server with 'qsh tokens create') without echoing it on a
            terminal, or reads it from standard input in a pipe, checks it with one request to the server
            (GET /v2/qpus), and keeps it in $XDG_CONFIG_HOME/qsh/credentials (mode 0600). The tasks,
            batches and qpus commands then send it to that server (--api, $QSH_API or 'qsh config set
            api'); $QSH_TOKEN wins over the file.
            """,
        examples: ["qsh login http://127.0.0.1:8080", "printf '%s\\n' \"$TOKEN\" | qsh login https://qpu.example.org"],
        arguments: 1...1,
        run: { invocation in
            let server = try ServerAddress(invocation.positionals[0])
            let context = invocation.context
            let token = try readToken(server, context: context)
            guard !token.isEmpty else {
                throw CommandFailure(code: .usage, message: "no token given; paste the token 'qsh tokens create' printed")
            }
            // One request proves the server answers and takes the token.
            let client = RemoteTaskClient(
                server: server, token: token, transport: context.makeTransport(), cache: nil,
                sleep: context.retrySleep, makeKey: RemoteTaskClient.generatedKey)
            _ = try client.qpus()
            let credentials = try Credentials.load(environment: context.environment, home: context.home)
            try credentials.setting(server, token: token).save()
            context.stderr.line("logged in to \(server.url)")
            return .ok
        })

    /// The token from the terminal (no echo) or from standard input (its first line).
    static func readToken(_ server: ServerAddress, context: CommandContext) throws -> String {
        if context.terminal.stdinIsTTY {
            context.stderr.write("token for \(server.url): ")
            context.stderr.flush()
            var saved = termios()
            let hasTerminal = tcgetattr(0, &saved) == 0
            if hasTerminal {
                var quiet = saved
                quiet.c_lflag &= ~tcflag_t(ECHO)
                tcsetattr(0, TCSAFLUSH, &quiet)
            }
            defer {
                if hasTerminal { tcsetattr(0, TCSAFLUSH, &saved) }
                context.stderr.line("")
            }
            return (readLine(strippingNewline: true) ?? "").trimmingBlanks()
        }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while bytes.count < 65536 {
            let n = read(0, &buffer, buffer.count)
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            bytes += buffer[..<n]
        }
        let text = String(decoding: bytes, as: UTF8.self)
        return String(text.split(separator: "\n", omittingEmptySubsequences: true).first ?? "").trimmingBlanks()
    }
}

enum LogoutCommand {
    static let command = Command(
        name: "logout",
        summary: "Forget the token kept for a qsh server",
        synopsis: ["logout [<url>]"],
        details: """
            Removes the server's line from $XDG_CONFIG_HOME/qsh/credentials. Without a URL, the server of
            --api, $QSH_API or 'qsh config set api'. Logging out of a server qsh has no token for changes
            nothing and says so.
            """,
        examples: ["qsh logout http://127.0.0.1:8080"],
        options: [CommonOptions.api],
        arguments: 0...1,
        run: { invocation in
            let context = invocation.context
            let text: String
            if let given = invocation.positionals.first {
                text = given
            } else if let (configured, _) = try ClientMode.apiSetting(invocation) {
                text = configured
            } else {
                throw UsageError("'\(context.commandText("logout"))' needs the server's URL (or --api, or $QSH_API)")
            }
            let server = try ServerAddress(text)
            let credentials = try Credentials.load(environment: context.environment, home: context.home)
            guard credentials.token(for: server) != nil else {
                context.stderr.line("not logged in to \(server.url)")
                return .ok
            }
            try credentials.setting(server, token: nil).save()
            context.stderr.line("logged out of \(server.url)")
            return .ok
        })
}
