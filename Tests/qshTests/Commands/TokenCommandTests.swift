// `qsh tokens`: how create reads --user, --scope and --expires (and which word a usage error
// names), what each format shows of a token (never a secret outside create), and the three
// commands run through the dispatcher against a temporary database.
import QshCore
import Testing
import TestSupport
@testable import qsh

@Suite struct TokenCommandTests {
    static let created = Timestamp(rfc3339: "2026-01-26T10:00:00Z")!
    static let now = Timestamp(rfc3339: "2026-02-01T00:00:00Z")!

    static let active = AccessToken(
        id: "0123456789abcdef", user: "alice", scope: .submit, created: created,
        lastUsed: Timestamp(rfc3339: "2026-01-31T12:34:00Z")!, expires: Timestamp(rfc3339: "2026-04-26T10:00:00Z")!)
    static let expired = AccessToken(
        id: "fedcba9876543210", user: "ci", scope: .read, created: created, expires: Timestamp(rfc3339: "2026-01-27T10:00:00Z")!)
    static let revoked = AccessToken(
        id: "aaaabbbbccccdddd", user: "ops@example.org", scope: .admin, created: created,
        revoked: Timestamp(rfc3339: "2026-01-28T09:00:00Z")!)

    func request(_ words: [String]) throws -> TokensCommand.Request {
        let arguments = try ArgumentCursor(specs: TokensCommand.createCommand.allOptions).parse(words, firstIndex: 2)
        let context = CommandContext.capturing()
        return try TokensCommand.request(Invocation(context: context, arguments: arguments, path: ["tokens", "create"]))
    }

    @Test func createReadsItsOptionsWithDefaults() throws {
        #expect(try request(["--user", "alice"]) == .init(user: "alice", scope: .submit, lifetime: .seconds(90 * 86_400)))
        #expect(try request(["--user=bob", "--scope", "admin", "--expires", "never"])
            == .init(user: "bob", scope: .admin, lifetime: .never))
        #expect(try request(["--scope", "read", "--expires", "12h", "--user", "ci"])
            == .init(user: "ci", scope: .read, lifetime: .seconds(43_200)))
    }

    @Test(arguments: [
        (["--scope", "read"], "'qsh tokens create' needs --user <name>: the user the token speaks for", nil),
        (["--user", ""], "option '--user' does not accept '': it is empty", 3),
        (["--user", "a/b"], "option '--user' does not accept 'a/b': use only letters, digits, '.', '_', '@' and '-'", 3),
        (["--user", "x", "--expires", "90"],
         "option '--expires' expects a lifetime such as 30m, 12h or 90d (up to 100 years), or 'never', got '90'", 5),
        (["--expires", "1y", "--user", "x"],
         "option '--expires' expects a lifetime such as 30m, 12h or 90d (up to 100 years), or 'never', got '1y'", 3),
    ] as [([String], String, Int?)])
    func createRefusesBadOptionsNamingTheWord(words: [String], message: String, word: Int?) {
        #expect {
            _ = try request(words)
        } throws: { error in
            guard let usage = error as? UsageError else { return false }
            return usage.message == message && usage.argument == word
        }
    }

    @Test func theScopeIsOneOfThree() {
        #expect(throws: UsageError.self) {
            try ArgumentCursor(specs: TokensCommand.createCommand.allOptions).parse(["--scope", "root"])
        }
    }

    @Test func listInEveryFormat() {
        let tokens = [Self.active, Self.expired, Self.revoked]
        #expect(TokenRenderer.list(tokens, now: Self.now, format: .table, color: false) == """
            ID                USER             SCOPE   CREATED               LAST USED             EXPIRES               STATUS
            0123456789abcdef  alice            submit  2026-01-26T10:00:00Z  2026-01-31T12:34:00Z  2026-04-26T10:00:00Z  active
            fedcba9876543210  ci               read    2026-01-26T10:00:00Z  never                 2026-01-27T10:00:00Z  expired
            aaaabbbbccccdddd  ops@example.org  admin   2026-01-26T10:00:00Z  never                 never                 revoked

            """)
        #expect(TokenRenderer.list(tokens, now: Self.now, format: .wide, color: false).split(separator: "\n").map {
            $0.split(separator: " ").last ?? ""
        } == ["REVOKED", "active", "expired", "2026-01-28T09:00:00Z"])
        #expect(TokenRenderer.list(tokens, now: Self.now, format: .csv, color: false) == """
            id,user,scope,created_date,last_used_date,expires_date,revoked_date,status
            0123456789abcdef,alice,submit,2026-01-26T10:00:00Z,2026-01-31T12:34:00Z,2026-04-26T10:00:00Z,,active
            fedcba9876543210,ci,read,2026-01-26T10:00:00Z,,2026-01-27T10:00:00Z,,expired
            aaaabbbbccccdddd,ops@example.org,admin,2026-01-26T10:00:00Z,,,2026-01-28T09:00:00Z,revoked

            """)
        #expect(TokenRenderer.list([Self.expired], now: Self.now, format: .tsv, color: false)
            == "fedcba9876543210\tci\tread\t2026-01-26T10:00:00Z\t\t2026-01-27T10:00:00Z\t\texpired\n")
        #expect(TokenRenderer.list([Self.revoked], now: Self.now, format: .ndjson, color: false) == """
            {"id": "aaaabbbbccccdddd", "user": "ops@example.org", "scope": "admin", "created_date": "2026-01-26T10:00:00Z", \
            "last_used_date": null, "expires_date": null, "revoked_date": "2026-01-28T09:00:00Z", "status": "revoked"}

            """)
        #expect(TokenRenderer.list([], now: Self.now, format: .json, color: false) == """
            {
              "elements": [],
              "page": 0,
              "size": 0,
              "total": 0
            }

            """)
        #expect(TokenRenderer.list([], now: Self.now, format: .table, color: false)
            == "ID  USER  SCOPE  CREATED  LAST USED  EXPIRES  STATUS\n")
    }

    @Test func aCreatedTokenShowsItsSecretOnceInEachFormat() {
        let secret = "qsh_" + String(repeating: "a1B2", count: 10)
        let fresh = AccessToken(
            id: "0123456789abcdef", user: "alice", scope: .submit, created: Self.created,
            expires: Timestamp(rfc3339: "2026-04-26T10:00:00Z")!)
        #expect(TokenRenderer.created(fresh, secret: secret, now: Self.created, format: .table, color: false) == """
            token:   \(secret)
            id:      0123456789abcdef
            user:    alice
            scope:   submit
            created: 2026-01-26T10:00:00Z
            expires: 2026-04-26T10:00:00Z
            status:  active

            """)
        #expect(TokenRenderer.created(fresh, secret: secret, now: Self.created, format: .ndjson, color: false) == """
            {"token": {"id": "0123456789abcdef", "user": "alice", "scope": "submit", "created_date": "2026-01-26T10:00:00Z", \
            "last_used_date": null, "expires_date": "2026-04-26T10:00:00Z", "revoked_date": null, "status": "active"}, \
            "secret": "\(secret)"}

            """)
        #expect(TokenRenderer.created(fresh, secret: secret, now: Self.created, format: .csv, color: false) == """
            id,user,scope,created_date,last_used_date,expires_date,revoked_date,status,secret
            0123456789abcdef,alice,submit,2026-01-26T10:00:00Z,,2026-04-26T10:00:00Z,,active,\(secret)

            """)
        // Nothing but `created` ever prints a secret: a token value has none to print.
        for format in OutputFormat.allCases {
            #expect(!TokenRenderer.token(fresh, now: Self.now, format: format, color: false).contains("qsh_"))
        }
    }

    @Test func aRevokedTokenListsWhenItWasRevoked() {
        #expect(TokenRenderer.token(Self.revoked, now: Self.now, format: .table, color: false) == """
            id:        aaaabbbbccccdddd
            user:      ops@example.org
            scope:     admin
            created:   2026-01-26T10:00:00Z
            last used: never
            expires:   never
            status:    revoked
            revoked:   2026-01-28T09:00:00Z

            """)
    }

    func run(_ words: [String], db: String) -> (QshCore.ExitStatus, CommandContext) {
        let context = CommandContext.capturing()
        return (Dispatcher.run(words + ["--db", db], context: context), context)
    }

    @Test func createListAndRevokeThroughTheDispatcher() throws {
        let dir = try TempDirectory()
        let db = dir.file("tasks.sqlite")
        var (status, context) = run(["tokens", "create", "--user", "alice", "-q"], db: db)
        #expect(status == .ok && context.stderr.text == "")
        let secret = String(context.stdout.text.dropLast())
        #expect(AccessToken.isWellFormedSecret(secret) && context.stdout.text == secret + "\n")

        (status, context) = run(["tokens", "list", "-o", "tsv"], db: db)
        let id = String(context.stdout.text.prefix(16))
        #expect(status == .ok && context.stdout.text.hasPrefix(id + "\talice\tsubmit\t"))
        #expect(context.stdout.text.hasSuffix("\t\tactive\n"))
        #expect(try SQLiteTaskStore.open(path: db).authenticate(secret: secret, now: SystemClock().now())?.id == id)

        (status, context) = run(["tokens", "revoke", String(id.prefix(6).uppercased()), "-o", "tsv"], db: db)
        #expect(status == .ok && context.stderr.text == "revoked token \(id) (alice)\n")
        #expect(context.stdout.text.hasSuffix("\trevoked\n"))
        (status, context) = run(["tokens", "revoke", id, "-o", "tsv"], db: db)
        #expect(status == .ok && context.stderr.text.hasPrefix("token \(id) (alice) was already revoked on 20"))
        #expect(try SQLiteTaskStore.open(path: db).authenticate(secret: secret, now: SystemClock().now()) == nil)

        (status, context) = run(["tokens", "revoke", id == "ffffffffffffffff" ? "eeee" : "ffff"], db: db)
        #expect(status == .notFound && context.stdout.text == "")
        (status, context) = run(["tokens", "revoke", "xyz"], db: db)
        #expect(status == .usage)
    }

    @Test func listAndRevokeNeedADatabaseAndCreateMakesOne() throws {
        let dir = try TempDirectory()
        let db = dir.file("new/tasks.sqlite")
        var (status, context) = run(["tokens", "list"], db: db)
        #expect(status == .failure)
        #expect(context.stderr.text == "qsh: no task database at '\(db)'; 'qsh tasks submit' creates one, or check --db/QSH_DB\n")
        (status, _) = run(["tokens", "revoke", "abcd"], db: db)
        #expect(status == .failure)
        (status, context) = run(["tokens", "create", "--user", "a", "-o", "json"], db: db)
        #expect(status == .ok && context.stderr.text == "store it now: qsh will not show it again\n")
        (status, context) = run(["tokens", "list", "-o", "ndjson"], db: db)
        #expect(status == .ok && context.stdout.text.split(separator: "\n").count == 1)
    }
}
