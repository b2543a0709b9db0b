// Client mode: which server, if any, the tasks, batches and qpus commands talk to — `--api`,
// else the REPL's `.connect`, else $QSH_API, else `api` in the settings file — with the
// token from $QSH_TOKEN or the credentials file (`qsh login`). Other commands (doctor,
// worker, qasm, config) always work on the local machine. Nothing here loads libcurl: the
// transport does, on the first request.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import QshCore

enum ClientMode {
    /// The command groups a server can answer.
    static let remoteGroups: Set<String> = ["tasks", "batches", "qpus"]

    /// What a command needs to talk to a server.
    struct Remote {
        var server: ServerAddress
        var token: String?
        var offline: Bool
    }

    /// The server of this invocation, or nil for the local task database.
    /// - Throws: `UsageError` for `--api ""`, `CommandFailure` (usage) for a URL that is not
    ///   one, or for a credentials file that cannot be read.
    static func remote(_ invocation: Invocation) throws -> Remote? {
        if let group = invocation.path.first, !remoteGroups.contains(group) { return nil }
        guard let (text, origin) = try apiSetting(invocation) else { return nil }
        let server: ServerAddress
        do {
            server = try ServerAddress(text)
        } catch var failure as CommandFailure {
            failure.message = origin + ": " + failure.message
            throw failure
        }
        let context = invocation.context
        var token = context.environment["QSH_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        if token == nil { token = try Credentials.load(environment: context.environment, home: context.home).token(for: server) }
        return Remote(server: server, token: token, offline: invocation.arguments.has("--offline") || context.sessionOffline)
    }

    /// The URL asked for and where it came from; nil when none was (or `.disconnect` or `--db`
    /// said local).
    /// - Throws: `UsageError` for `--api ""`, or `--api` with `--db`.
    static func apiSetting(_ invocation: Invocation) throws -> (String, String)? {
        let context = invocation.context
        if let api = invocation.arguments.value("--api") {
            guard !api.isEmpty else {
                throw UsageError(
                    "option '--api' needs a URL; leave it out to use $QSH_API or the local database",
                    argument: invocation.arguments.word(of: "--api"))
            }
            if invocation.arguments.has("--db") { throw Self.apiAndDatabase(invocation.arguments) }
            return (api, "--api")
        }
        // A `--db` on the command line names the local database: it wins over the session's
        // server, $QSH_API and the settings file, as options win over the environment.
        if invocation.arguments.has("--db") { return nil }
        if let session = context.sessionAPI { return session.isEmpty ? nil : (session, ".connect") }
        guard let (value, source) = try context.setting(.api) else { return nil }
        return (value, context.settingOrigin(.api, source))
    }

    /// `--api` and `--db` together: a server and a local database at once.
    static func apiAndDatabase(_ arguments: ParsedArguments) -> UsageError {
        UsageError(
            "options '--api' and '--db' cannot be used together: '--api' uses a qsh server, '--db' a local database",
            argument: arguments.word(of: "--db"))
    }

    /// The server the session uses now (`.connect`, else $QSH_API, else the settings file), nil
    /// when local; a setting that cannot be read counts as none here (the commands report it).
    static func serverURL(_ context: CommandContext) -> String? {
        let invocation = Invocation(context: context, arguments: ParsedArguments(), path: [])
        guard let (text, _) = (try? apiSetting(invocation)) ?? nil else { return nil }
        return (try? ServerAddress(text))?.url ?? text
    }

    /// `127.0.0.1:8080`: the session's server as the prompt names it.
    static func serverName(_ context: CommandContext) -> String? {
        guard let url = serverURL(context) else { return nil }
        return (try? ServerAddress(url))?.hostAndPort ?? url
    }

    /// The client of an invocation: the server's, or the local database's.
    static func client(_ invocation: Invocation) -> any TaskClient {
        guard let remote = (try? remote(invocation)) ?? nil else { return LocalTaskClient(invocation: invocation) }
        let context = invocation.context
        let folder = ResultCache.folder(environment: context.environment, home: context.home)
        return RemoteTaskClient(
            server: remote.server, token: remote.token,
            transport: context.makeTransport(),
            cache: ResultCache(server: remote.server, folder: folder), offline: remote.offline,
            sleep: context.retrySleep, makeKey: RemoteTaskClient.generatedKey)
    }
}
