// AccessToken's pure parts: scopes and what each allows, lifetimes (90d, 12h, 30m, never),
// the shapes of ids and secrets, user names, the status at a moment, the wire shape, and
// the constant-time comparison.
import QshCore
import Testing

@Suite struct AccessTokenTests {
    @Test func eachScopeAllowsItselfAndTheScopesBelowIt() {
        #expect(TokenScope.read.allows(.read) && !TokenScope.read.allows(.submit) && !TokenScope.read.allows(.admin))
        #expect(TokenScope.submit.allows(.read) && TokenScope.submit.allows(.submit) && !TokenScope.submit.allows(.admin))
        #expect(TokenScope.admin.allows(.read) && TokenScope.admin.allows(.submit) && TokenScope.admin.allows(.admin))
        #expect(TokenScope.allCases.map(\.rawValue) == ["read", "submit", "admin"])
        #expect(TokenScope(rawValue: "Admin") == nil)
    }

    @Test(arguments: [
        ("90d", TokenLifetime.seconds(90 * 86_400)), ("12h", .seconds(12 * 3600)), ("30m", .seconds(1800)),
        ("1m", .seconds(60)), ("never", .never), ("36600d", .seconds(36_600 * 86_400)),
    ])
    func lifetimesParse(text: String, lifetime: TokenLifetime) {
        #expect(TokenLifetime(text) == lifetime)
    }

    @Test(arguments: ["", "0d", "90", "90s", "1.5h", "-1d", "d", "90D", "Never", "never ", " 90d", "36601d", "1w",
                      "99999999999999999999d", "٩٠d", "+90d"])
    func otherLifetimesDoNot(text: String) {
        #expect(TokenLifetime(text) == nil)
    }

    @Test func aLifetimeGivesTheExpiry() {
        let now = Timestamp(milliseconds: 1_000)
        #expect(TokenLifetime.seconds(60).expiry(from: now) == Timestamp(milliseconds: 61_000))
        #expect(TokenLifetime.never.expiry(from: now) == nil)
    }

    @Test func secretsAreQshAndFortyBase62CharactersFromTheGenerator() {
        var rng = SeededGenerator(seed: 42)
        var seen = Set<String>()
        var characters = Set<Character>()
        for _ in 0..<200 {
            let secret = AccessToken.generateSecret(using: &rng)
            #expect(AccessToken.isWellFormedSecret(secret))
            #expect(secret.hasPrefix("qsh_") && secret.count == 44)
            #expect(secret.dropFirst(4).allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) })
            characters.formUnion(secret.dropFirst(4))
            seen.insert(secret)
        }
        #expect(seen.count == 200)
        #expect(characters.count == 62)
        var same = SeededGenerator(seed: 42), again = SeededGenerator(seed: 42)
        #expect(AccessToken.generateSecret(using: &same) == AccessToken.generateSecret(using: &again))
    }

    @Test func idsAreSixteenHexDigits() {
        var rng = SeededGenerator(seed: 7)
        for _ in 0..<50 {
            let id = AccessToken.generateID(using: &rng)
            #expect(id.count == 16 && id.allSatisfy { $0.isHexDigit && !$0.isUppercase })
            #expect(AccessToken.normalizedPrefix(id) == id)
        }
        #expect(AccessToken.normalizedPrefix("ABCD") == "abcd")
        #expect(AccessToken.normalizedPrefix("abc") == nil)
        #expect(AccessToken.normalizedPrefix("abcd-ef") == nil)
    }

    @Test func theDigestIsTheSHA256OfTheSecretInHex() {
        #expect(AccessToken.digest(ofSecret: "abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func userNames() {
        #expect(AccessToken.userProblem("alice") == nil)
        #expect(AccessToken.userProblem("") == "it is empty")
        #expect(AccessToken.userProblem(String(repeating: "x", count: 65)) == "it is longer than 64 characters")
        #expect(AccessToken.userProblem("a:b") == "use only letters, digits, '.', '_', '@' and '-'")
        #expect(!AccessToken.isValidUser("tab\there") && !AccessToken.isValidUser("ü"))
    }

    @Test func statusAndWireShape() {
        let created = Timestamp(rfc3339: "2026-01-26T10:00:00Z")!
        let expires = Timestamp(rfc3339: "2026-04-26T10:00:00Z")!
        var token = AccessToken(id: "0123456789abcdef", user: "alice", scope: .read, created: created, expires: expires)
        #expect(token.status(at: created) == .active)
        #expect(token.status(at: expires) == .expired)
        #expect(token.wireJSON.serialized() == """
            {"id": "0123456789abcdef", "user": "alice", "scope": "read", "created_date": "2026-01-26T10:00:00Z", \
            "last_used_date": null, "expires_date": "2026-04-26T10:00:00Z", "revoked_date": null}
            """)
        token.lastUsed = Timestamp(rfc3339: "2026-01-27T08:30:00Z")
        token.revoked = Timestamp(rfc3339: "2026-01-28T00:00:00Z")
        token.expires = nil
        #expect(token.status(at: created) == .revoked)
        #expect(token.wireJSON.serialized() == """
            {"id": "0123456789abcdef", "user": "alice", "scope": "read", "created_date": "2026-01-26T10:00:00Z", \
            "last_used_date": "2026-01-27T08:30:00Z", "expires_date": null, "revoked_date": "2026-01-28T00:00:00Z"}
            """)
    }

    @Test func constantTimeComparison() {
        #expect(constantTimeEqual(Array("abc".utf8), "abc".utf8))
        #expect(!constantTimeEqual(Array("abc".utf8), "abd".utf8))
        #expect(!constantTimeEqual(Array("abc".utf8), "abcd".utf8))
        #expect(constantTimeEqual([UInt8](), [UInt8]()))
    }
}
