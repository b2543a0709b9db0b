// `qsh tokens create|list|revoke`: the bearer tokens of `qsh serve`, kept in the task
// database the server uses (--db, $QSH_DB), as `qsh worker` works on it: always local, never
// through a server. A secret is shown once, when it is made; only its SHA-256 is stored.
import QshCore

enum TokensCommand {
    static let command = Command(
        name: "tokens",
        summary: "Make, list and revoke the API tokens of 'qsh serve'",
        details: """
            A token lets a client of 'qsh serve' in: 'Authorization: Bearer <secret>'. Its scope says what it
            may do: read (look at tasks, batches and QPUs), submit (read, and submit, cancel, re-run and delete
            its user's own tasks and batches) or admin (everything, on everyone's tasks). The commands work on
            the server's task database (--db, else $QSH_DB), never through a server. Token ids are 16
            hexadecimal digits; any unique prefix of 4 or more works.
            """,
        examples: [
            "qsh tokens create --user alice --scope submit --expires 30d",
            "export QSH_TOKEN=$(qsh tokens create --user ci --scope read -q)",
            "qsh tokens list",
            "qsh tokens revoke 3f9a",
        ],
        subcommands: [createCommand, listCommand, revokeCommand])

    static let scopes = TokenScope.allCases.map(\.rawValue)

    static let createCommand = Command(
        name: "create",
        summary: "Make an API token and print its secret, once",
        synopsis: ["tokens create --user <name> [--scope read|submit|admin] [--expires <age>|never] [-q]"],
        details: """
            Prints the secret (qsh_ and 40 letters and digits) once: qsh keeps only its SHA-256, so it cannot
            show it again; a lost secret is revoked and replaced. The scope defaults to submit and the lifetime
            to 90d (m, h or d; 'never' for a token that does not expire). On a terminal it prints the secret
            and the token's fields, and 'store it now' on stderr; with -o json (the default in a pipe)
            {"token": {"id", "user", "scope", "created_date", "last_used_date", "expires_date",
            "revoked_date", "status"}, "secret": "qsh_..."}; with -q only the secret.
            """,
        examples: [
            "qsh tokens create --user alice",
            "qsh tokens create --user ops@example.org --scope admin --expires never",
            "qsh tokens create --user ci --scope read --expires 12h --json | jq -r .secret",
        ],
        options: [
            OptionSpec("--user", value: "<name>", help: "who the token speaks for: 1-64 of A-Z a-z 0-9 . _ @ -"),
            OptionSpec("--scope", value: "<scope>", help: "read, submit or admin (default: submit)", choices: scopes),
            OptionSpec("--expires", value: "<age>", help: "how long it lasts: 30m, 12h, 90d or never (default: 90d)"),
            OptionSpec("--quiet", short: "q", help: "print only the secret"),
            CommonOptions.database,
        ] + CommonOptions.output,
        run: { invocation in try create(invocation) })

    static let listCommand = Command(
        name: "list",
        summary: "List the API tokens, oldest first",
        synopsis: ["tokens list"],
        details: """
            One row per token, revoked and expired ones too: id, user, scope, when it was made, when it
            last let a request in (to the minute), when it expires, and its status (active, expired or
            revoked). Never the secrets. With -o json prints {"elements": [...], "page": 0, "size": N,
            "total": N}, each element as in 'tokens create'; csv has a header row, tsv none.
            """,
        examples: ["qsh tokens list", "qsh tokens list -o json | jq -r '.elements[] | select(.status == \"active\") | .id'"],
        options: [CommonOptions.database] + CommonOptions.output,
        run: { invocation in
            let format = try OutputFormat.resolve(invocation)
            let store = try LocalDatabase(invocation).open(.read)
            let tokens = try store.tokens()
            invocation.stdout.write(
                TokenRenderer.list(
                    tokens, now: SystemClock().now(), format: format, color: invocation.context.terminal.colorStdout))
            return .ok
        })

    static let revokeCommand = Command(
        name: "revoke",
        summary: "Revoke an API token: it lets no request in any more",
        synopsis: ["tokens revoke <id>"],
        details: """
            Takes effect at once, for every server on the database. The token stays listed, as revoked.
            Revoking a revoked token changes nothing and says when it was revoked. Prints the token as
            'tokens list' shows it.
            """,
        examples: ["qsh tokens revoke 3f9a0c2e7b1d4e55", "qsh tokens revoke 3f9a"],
        options: [CommonOptions.database] + CommonOptions.output,
        arguments: 1...1,
        argumentKind: "token",
        run: { invocation in
            let format = try OutputFormat.resolve(invocation)
            let text = invocation.positionals[0]
            if AccessToken.normalizedPrefix(text) == nil { throw TaskError.invalidTokenID(text: text) }
            let store = try LocalDatabase(invocation).open(.write)
            let now = SystemClock().now()
            let (token, revokedNow) = try store.revokeToken(text, now: now)
            if let revoked = token.revoked, !revokedNow {
                invocation.stderr.line("token \(token.id) (\(token.user)) was already revoked on \(revoked.rfc3339)")
            } else {
                invocation.stderr.line("revoked token \(token.id) (\(token.user))")
            }
            invocation.stdout.write(
                TokenRenderer.token(token, now: now, format: format, color: invocation.context.terminal.colorStdout))
            return .ok
        })

    /// What `tokens create` asks for, read and checked from its options.
    struct Request: Equatable {
        var user: String
        var scope: TokenScope
        var lifetime: TokenLifetime
    }

    /// The user, scope and lifetime of `tokens create`, checked before the database is opened.
    /// - Throws: `UsageError` for a missing or bad `--user`, or a bad `--expires`.
    static func request(_ invocation: Invocation) throws -> Request {
        let args = invocation.arguments
        guard let user = args.value("--user") else {
            throw UsageError(
                "'\(invocation.context.commandText("tokens create"))' needs --user <name>: the user the token speaks for")
        }
        if let problem = AccessToken.userProblem(user) {
            throw args.error("option '--user' does not accept '\(user.abbreviated())': \(problem)", option: "--user")
        }
        // --scope's value was checked against its choices by the parser.
        let scope = args.value("--scope").flatMap(TokenScope.init(rawValue:)) ?? .submit
        let expires = args.value("--expires") ?? "90d"
        guard let lifetime = TokenLifetime(expires) else {
            throw args.error(
                "option '--expires' expects a lifetime such as 30m, 12h or 90d (up to 100 years), or 'never', "
                    + "got '\(expires.abbreviated())'", option: "--expires")
        }
        return Request(user: user, scope: scope, lifetime: lifetime)
    }

    static func create(_ invocation: Invocation) throws -> ExitStatus {
        let format = try OutputFormat.resolve(invocation)
        let request = try request(invocation)
        let store = try LocalDatabase(invocation).open(.create)
        let now = SystemClock().now()
        let (token, secret) = try store.createToken(
            user: request.user, scope: request.scope, expires: request.lifetime.expiry(from: now), now: now)
        if invocation.arguments.has("--quiet") {
            invocation.stdout.line(secret)
            return .ok
        }
        invocation.stdout.write(
            TokenRenderer.created(
                token, secret: secret, now: now, format: format, color: invocation.context.terminal.colorStdout))
        invocation.stdout.flush()
        invocation.stderr.line("store it now: qsh will not show it again")
        return .ok
    }
}
