// `qsh tokens` end to end: create prints the secret once and the database keeps only its
// SHA-256; list in every format (an expired token shown as expired); revoke by prefix, twice,
// unknown and malformed ids; bad --user, --scope and --expires; exact streams and statuses.
import Foundation
import Testing
import TestSupport

@Suite(.enabled(if: TaskSandbox.sqlite3 != nil)) struct TokensTests {
    static let notice = "store it now: qsh will not show it again\n"
    static let base62 = Set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
    static let tokenKeys = [
        "created_date", "expires_date", "id", "last_used_date", "revoked_date", "scope", "status", "user",
    ]

    /// `tokens create` with `arguments` in JSON: the token object and the secret.
    func create(_ box: TaskSandbox, _ arguments: [String]) throws -> (token: J, secret: String) {
        let run = try box.run(["tokens", "create"] + arguments + ["-o", "json"])
        #expect(run.status == 0 && run.stderr == Self.notice, "\(run.stderr)")
        let json = try J.parse(run.stdout)
        return (json["token"], try #require(json["secret"].string))
    }

    func sha256(_ text: String) throws -> String {
        let run = try Subprocess.run("/usr/bin/env", ["sha256sum"], stdin: text)
        return String(run.stdout.prefix(64))
    }

    @Test func createPrintsTheSecretOnceAndTheDatabaseKeepsOnlyItsDigest() throws {
        let box = try TaskSandbox()
        // In a pipe: JSON on stdout, the notice on stderr.
        let run = try box.run(["tokens", "create", "--user", "alice"])
        #expect(run.status == 0)
        #expect(run.stderr == Self.notice)
        let json = try J.parse(run.stdout)
        #expect(json.keys == ["secret", "token"])
        let secret = try #require(json["secret"].string)
        #expect(secret.hasPrefix("qsh_") && secret.count == 44 && secret.dropFirst(4).allSatisfy(Self.base62.contains))
        let token = json["token"]
        #expect(token.keys == Self.tokenKeys)
        let id = try #require(token["id"].string)
        #expect(id.count == 16 && id.allSatisfy { $0.isHexDigit && !$0.isUppercase })
        #expect(token["user"].string == "alice" && token["scope"].string == "submit" && token["status"].string == "active")
        #expect(token["last_used_date"].isNull && token["revoked_date"].isNull)
        // The default lifetime: 90 days.
        let created = try #require(ISO8601DateFormatter().date(from: token["created_date"].string ?? ""))
        let expires = try #require(ISO8601DateFormatter().date(from: token["expires_date"].string ?? ""))
        #expect(expires.timeIntervalSince(created) == 90 * 86_400)

        // The database holds the SHA-256 of the secret, and the secret nowhere.
        let digest = try sha256(secret)
        let rows = try box.sqlite("SELECT id, user, scope, token_sha256 FROM api_tokens")
        #expect(rows.stdout == "\(id)|alice|submit|\(digest)\n")
        _ = try box.sqlite("PRAGMA wal_checkpoint(TRUNCATE)")
        for file in [box.db, box.db + "-wal"] {
            guard let data = FileManager.default.contents(atPath: file) else { continue }
            #expect(data.range(of: Data(secret.utf8)) == nil, "\(file) holds the secret")
            #expect(data.range(of: Data(secret.dropFirst(4).utf8)) == nil, "\(file) holds the secret's characters")
        }
        let dump = try box.sqlite(".dump")
        #expect(dump.status == 0 && !dump.stdout.contains(secret) && dump.stdout.contains(digest))

        // Nothing else shows it again.
        for format in ["json", "ndjson", "csv", "tsv", "table", "wide"] {
            #expect(!(try box.run(["tokens", "list", "-o", format]).stdout.contains("qsh_")))
        }
        #expect(!(try box.run(["tokens", "revoke", id]).stdout.contains("qsh_")))
    }

    @Test func createOnATerminalShowsTheSecretThenTheFieldsAndQuietOnlyTheSecret() throws {
        let box = try TaskSandbox()
        let run = try box.run(["tokens", "create", "--user", "ops@example.org", "--scope", "admin", "--expires", "never",
                               "-o", "table"])
        #expect(run.status == 0 && run.stderr == Self.notice)
        let lines = run.stdout.split(separator: "\n").map(String.init)
        let secret = String(try #require(lines.first).dropFirst("token:   ".count))
        let listed = try J.parse(try box.run(["tokens", "list", "-o", "json"]).stdout)["elements"][0]
        let id = try #require(listed["id"].string), created = try #require(listed["created_date"].string)
        #expect(run.stdout == """
            token:   \(secret)
            id:      \(id)
            user:    ops@example.org
            scope:   admin
            created: \(created)
            expires: never
            status:  active

            """)
        #expect(secret.hasPrefix("qsh_") && secret.count == 44)

        let quiet = try box.run(["tokens", "create", "--user", "ci", "--scope", "read", "-q"])
        #expect(quiet.status == 0 && quiet.stderr == "")
        #expect(quiet.stdout.count == 45 && quiet.stdout.hasPrefix("qsh_") && quiet.stdout.hasSuffix("\n"))
        let scopes = try box.sqlite("SELECT user, scope, expires_ms IS NULL FROM api_tokens ORDER BY created_ms, id")
        #expect(scopes.stdout.split(separator: "\n").sorted() == ["ci|read|0", "ops@example.org|admin|1"])
    }

    @Test func listShowsEveryTokenInEachFormatWithItsStatus() throws {
        let box = try TaskSandbox()
        #expect(try box.run(["tokens", "list"]).status == 1)  // no database yet
        let (a, _) = try create(box, ["--user", "alice", "--expires", "12h"])
        let (b, _) = try create(box, ["--user", "bob", "--scope", "admin", "--expires", "never"])
        let (c, _) = try create(box, ["--user", "ci", "--scope", "read", "--expires", "30m"])
        let ids = [a, b, c].map { $0["id"].string ?? "" }
        // ci's token is made to have expired the moment it was made; bob's is revoked.
        #expect(try box.sqlite("UPDATE api_tokens SET expires_ms = created_ms WHERE id = '\(ids[2])'").status == 0)
        #expect(try box.run(["tokens", "revoke", ids[1]]).status == 0)
        let listed = try J.parse(try box.run(["tokens", "list"]).stdout)
        let elements = listed["elements"].array
        #expect(listed.keys == ["elements", "page", "size", "total"] && listed["total"].int == 3 && listed["size"].int == 3)
        #expect(Set(elements.map { $0["id"].string ?? "" }) == Set(ids))
        let byUser = Dictionary(uniqueKeysWithValues: elements.map { ($0["user"].string ?? "", $0) })
        #expect(byUser["alice"]?["status"].string == "active")
        #expect(byUser["bob"]?["status"].string == "revoked")
        #expect(byUser["ci"]?["status"].string == "expired")
        for element in elements { #expect(element.keys == Self.tokenKeys) }

        // The same tokens, in the same order, in every other format.
        func cells(_ e: J) -> [String] {
            ["id", "user", "scope", "created_date", "last_used_date", "expires_date", "revoked_date", "status"].map {
                e[$0].string ?? ""
            }
        }
        let order = elements.map(cells)
        let ndjson = try box.run(["tokens", "list", "-o", "ndjson"])
        #expect(try ndjson.stdout.split(separator: "\n").map { cells(try J.parse(String($0))) } == order)
        let csv = try box.run(["tokens", "list", "-o", "csv"])
        #expect(csv.stdout == "id,user,scope,created_date,last_used_date,expires_date,revoked_date,status\n"
            + order.map { $0.joined(separator: ",") + "\n" }.joined())
        let tsv = try box.run(["tokens", "list", "-o", "tsv"])
        #expect(tsv.stdout == order.map { $0.joined(separator: "\t") + "\n" }.joined())
        let table = try box.run(["tokens", "list", "-o", "table"])
        #expect(table.status == 0 && table.stderr == "")
        let rows = table.stdout.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true) }
        #expect(rows[0] == ["ID", "USER", "SCOPE", "CREATED", "LAST", "USED", "EXPIRES", "STATUS"])
        for (row, e) in zip(rows.dropFirst(), order) {
            #expect(row.map(String.init) == [e[0], e[1], e[2], e[3], e[4].isEmpty ? "never" : e[4],
                                             e[5].isEmpty ? "never" : e[5], e[7]])
        }
        #expect(rows.count == 4)
    }

    @Test func revokeByPrefixTwiceAndUnknownOrMalformedIds() throws {
        let box = try TaskSandbox()
        let (token, _) = try create(box, ["--user", "alice"])
        let id = try #require(token["id"].string)
        let first = try box.run(["tokens", "revoke", String(id.prefix(5)).uppercased()])
        #expect(first.status == 0)
        #expect(first.stderr == "revoked token \(id) (alice)\n")
        let revoked = try J.parse(first.stdout)
        #expect(revoked["status"].string == "revoked" && revoked["id"].string == id)
        let date = try #require(revoked["revoked_date"].string)
        let second = try box.run(["tokens", "revoke", id, "-o", "table"])
        #expect(second.status == 0)
        #expect(second.stderr == "token \(id) (alice) was already revoked on \(date)\n")
        #expect(second.stdout.contains("\nstatus:    revoked\nrevoked:   \(date)\n"))

        let unknown = id.hasPrefix("ffff") ? "eeee" : "ffff"
        let missing = try box.run(["tokens", "revoke", unknown])
        #expect(missing.status == 5 && missing.stdout == "")
        #expect(missing.stderr == "qsh: token '\(unknown)' not found; 'qsh tokens list' shows the tokens\n")
        let missingJSON = try box.run(["tokens", "revoke", unknown, "--json"])
        #expect(missingJSON.status == 5)
        #expect(missingJSON.stderr == """
            {"error": {"code": "not_found", "message": "token '\(unknown)' not found; 'qsh tokens list' shows the tokens", \
            "token_id": "\(unknown)"}}

            """)
        for bad in ["zz", "abc", "\(id)0", "ab-cd"] {
            let run = try box.run(["tokens", "revoke", bad])
            #expect(run.status == 2 && run.stdout == "")
            #expect(run.stderr == "qsh: '\(bad)' is not a token id; give a token id or a unique prefix of at least 4 hexadecimal digits\n")
        }
        let none = try box.run(["tokens", "revoke"])
        #expect(none.status == 2)
        #expect(none.stderr == "qsh: 'qsh tokens revoke' needs more arguments\nusage: qsh tokens revoke <id>\n")
    }

    static let createUsage = "usage: qsh tokens create --user <name> [--scope read|submit|admin] [--expires <age>|never] [-q]\n"

    @Test(arguments: [
        (["--scope", "read"], "qsh: 'qsh tokens create' needs --user <name>: the user the token speaks for\n"),
        (["--user", "a b"], "qsh: option '--user' does not accept 'a b': use only letters, digits, '.', '_', '@' and '-'\n"),
        (["--user", ""], "qsh: option '--user' does not accept '': it is empty\n"),
        (["--user", String(repeating: "u", count: 65)],
         "qsh: option '--user' does not accept '\(String(repeating: "u", count: 60))…': it is longer than 64 characters\n"),
        (["--user", "x", "--scope", "root"], "qsh: option '--scope' does not accept 'root'; use one of: read, submit, admin\n"),
        (["--user", "x", "--scope", "reed"],
         "qsh: option '--scope' does not accept 'reed'; use one of: read, submit, admin (did you mean 'read'?)\n"),
        (["--user", "x", "--expires", "90"],
         "qsh: option '--expires' expects a lifetime such as 30m, 12h or 90d (up to 100 years), or 'never', got '90'\n"),
        (["--user", "x", "--expires", "0d"],
         "qsh: option '--expires' expects a lifetime such as 30m, 12h or 90d (up to 100 years), or 'never', got '0d'\n"),
        (["--user", "x", "--expires", "99999d"],
         "qsh: option '--expires' expects a lifetime such as 30m, 12h or 90d (up to 100 years), or 'never', got '99999d'\n"),
        (["--user", "x", "--expires"], "qsh: option '--expires' needs a value <age>\n"),
    ])
    func badOptionsAreUsageErrorsAndMakeNoDatabase(arguments: [String], message: String) throws {
        let box = try TaskSandbox()
        let run = try box.run(["tokens", "create"] + arguments)
        #expect(run.status == 2)
        #expect(run.stdout == "")
        #expect(run.stderr == message + Self.createUsage)
        #expect(!FileManager.default.fileExists(atPath: box.db))
    }
}
