// The repository contract for API tokens, run on every conformance (RepositoryFactory.all):
// creating, listing, revoking (by prefix, twice, ambiguous, unknown) and authenticating
// (wrong, malformed, expired and revoked secrets; last_used written at most once a minute).
import QshCore
import Testing

/// A generator that returns `first` values, then a seeded stream: it fixes a token's id (the
/// first draw) while the secret stays random.
struct ScriptedGenerator: RandomNumberGenerator {
    var first: [UInt64]
    var rest: SeededGenerator

    init(_ first: [UInt64], seed: UInt64 = 1) {
        self.first = first
        rest = SeededGenerator(seed: seed)
    }

    mutating func next() -> UInt64 { first.isEmpty ? rest.next() : first.removeFirst() }

    /// The draw that makes token id `id` (16 hexadecimal digits): its first digit is the
    /// lowest nibble.
    static func draw(forID id: String) -> UInt64 {
        id.reversed().reduce(0) { $0 << 4 | UInt64($1.hexDigitValue!) }
    }
}

@Suite struct TokenContractTests {
    static let start = Timestamp(milliseconds: 1_790_000_000_000)

    static func create(
        _ repository: any TaskRepository, id: String, user: String = "alice", scope: TokenScope = .submit,
        expires: Timestamp? = nil, at: Timestamp = start
    ) throws -> (token: AccessToken, secret: String) {
        var rng = ScriptedGenerator([ScriptedGenerator.draw(forID: id)], seed: ScriptedGenerator.draw(forID: id))
        return try repository.createToken(user: user, scope: scope, expires: expires, now: at, using: &rng)
    }

    /// A well-formed secret that no store made.
    static let strangerSecret = "qsh_" + String(repeating: "Z", count: 40)

    @Test(arguments: RepositoryFactory.all)
    func aTokenIsListedAndItsSecretAuthenticatesIt(_ factory: RepositoryFactory) throws {
        let repository = try factory.make().repository
        #expect(try repository.tokens().isEmpty)
        let expires = Self.start.adding(seconds: 90 * 86_400)
        let (token, secret) = try repository.createToken(user: "alice", scope: .submit, expires: expires, now: Self.start)
        #expect(AccessToken.isWellFormedSecret(secret))
        #expect(secret.hasPrefix("qsh_") && secret.utf8.count == 44)
        #expect(token.id.utf8.count == 16 && AccessToken.normalizedPrefix(token.id) == token.id)
        #expect(token == AccessToken(id: token.id, user: "alice", scope: .submit, created: Self.start, expires: expires))
        #expect(try repository.tokens() == [token])
        let later = Self.start.adding(seconds: 5)
        let (admin, adminSecret) = try repository.createToken(user: "ops@example.org", scope: .admin, expires: nil, now: later)
        #expect(admin.expires == nil && admin.scope == .admin)
        // Oldest first.
        #expect(try repository.tokens().map(\.id) == [token.id, admin.id])
        #expect(secret != adminSecret && token.id != admin.id)

        let now = Self.start.adding(seconds: 60)
        var used = token
        used.lastUsed = now
        #expect(try repository.authenticate(secret: secret, now: now) == used)
        #expect(try repository.authenticate(secret: adminSecret, now: now)?.id == admin.id)
        #expect(try repository.tokens().first?.lastUsed == now)
        // Wrong, altered, malformed: no token, and nothing changes.
        for wrong in [
            Self.strangerSecret, String(secret.dropLast()) + (secret.hasSuffix("a") ? "b" : "a"), "", "qsh_", secret + "x",
            String(secret.dropFirst(4)), "Bearer " + secret, secret.uppercased(), "qsh_" + String(repeating: "-", count: 40),
        ] {
            #expect(try repository.authenticate(secret: wrong, now: now) == nil, "\(wrong)")
        }
        #expect(try repository.tokens().map(\.lastUsed) == [now, now])
    }

    @Test(arguments: RepositoryFactory.shared)
    func anotherProcessSeesTheTokenAndItsRevocation(_ factory: RepositoryFactory) throws {
        let opened = try factory.make()
        let other = try #require(try opened.another?())
        let (token, secret) = try opened.repository.createToken(
            user: "bob", scope: .read, expires: nil, now: Self.start)
        #expect(try other.authenticate(secret: secret, now: Self.start)?.id == token.id)
        _ = try other.revokeToken(token.id, now: Self.start)
        #expect(try opened.repository.authenticate(secret: secret, now: Self.start) == nil)
    }

    @Test(arguments: RepositoryFactory.all)
    func anExpiredTokenNoLongerAuthenticatesAndANeverExpiringOneDoes(_ factory: RepositoryFactory) throws {
        let repository = try factory.make().repository
        let expires = Self.start.adding(seconds: 3600)
        let (hour, hourSecret) = try Self.create(repository, id: "1000000000000001", expires: expires)
        let (_, foreverSecret) = try Self.create(repository, id: "2000000000000002", expires: nil)
        let justBefore = Timestamp(milliseconds: expires.milliseconds - 1)
        #expect(try repository.authenticate(secret: hourSecret, now: justBefore)?.id == hour.id)
        #expect(hour.status(at: justBefore) == .active)
        #expect(try repository.authenticate(secret: hourSecret, now: expires) == nil)
        #expect(hour.status(at: expires) == .expired)
        let century = Self.start.adding(seconds: 100 * 366 * 86_400)
        #expect(try repository.authenticate(secret: foreverSecret, now: century) != nil)
        // An expired token stays listed, with its last use before it expired.
        #expect(try repository.tokens().map(\.id) == ["1000000000000001", "2000000000000002"])
        #expect(try repository.tokens()[0].lastUsed == justBefore)
    }

    @Test(arguments: RepositoryFactory.all)
    func aRevokedTokenNoLongerAuthenticatesAndRevokingAgainKeepsTheFirstDate(_ factory: RepositoryFactory) throws {
        let repository = try factory.make().repository
        let (token, secret) = try Self.create(repository, id: "abcdef0123456789")
        let (kept, keptSecret) = try Self.create(repository, id: "fedcba9876543210")
        let t1 = Self.start.adding(seconds: 10), t2 = Self.start.adding(seconds: 20)
        // Any case, any prefix of 4 digits or more.
        let (revoked, revokedNow) = try repository.revokeToken("ABCD", now: t1)
        #expect(revokedNow)
        #expect(revoked.id == token.id && revoked.revoked == t1 && revoked.status(at: t1) == .revoked)
        #expect(try repository.authenticate(secret: secret, now: t1) == nil)
        #expect(try repository.authenticate(secret: keptSecret, now: t1)?.id == kept.id)
        let (again, againNow) = try repository.revokeToken(token.id, now: t2)
        #expect(again.revoked == t1 && !againNow)
        // Again in the same millisecond as the first: still not this call's revocation.
        #expect(try repository.revokeToken(token.id, now: t1).revokedNow == false)
        #expect(try repository.tokens().map(\.revoked) == [t1, nil])
        // Revoked outranks expired.
        #expect(again.status(at: Self.start.adding(seconds: 1e9)) == .revoked)
    }

    @Test(arguments: RepositoryFactory.all)
    func lastUsedIsWrittenAtMostOnceAMinute(_ factory: RepositoryFactory) throws {
        let repository = try factory.make().repository
        let (_, secret) = try Self.create(repository, id: "0123456789abcdef")
        #expect(try repository.tokens()[0].lastUsed == nil)
        let t0 = Self.start.adding(seconds: 100)
        #expect(try repository.authenticate(secret: secret, now: t0)?.lastUsed == t0)
        for seconds in [1.0, 30, 59.999] {
            #expect(try repository.authenticate(secret: secret, now: t0.adding(seconds: seconds))?.lastUsed == t0)
            #expect(try repository.tokens()[0].lastUsed == t0)
        }
        let t1 = t0.adding(seconds: 60)
        #expect(try repository.authenticate(secret: secret, now: t1)?.lastUsed == t1)
        #expect(try repository.tokens()[0].lastUsed == t1)
        // A clock that went back writes nothing.
        #expect(try repository.authenticate(secret: secret, now: t0)?.lastUsed == t1)
        #expect(try repository.tokens()[0].lastUsed == t1)
    }

    @Test(arguments: RepositoryFactory.all)
    func prefixesAreResolvedLikeTaskIds(_ factory: RepositoryFactory) throws {
        let repository = try factory.make().repository
        _ = try Self.create(repository, id: "abcd000000000002")
        _ = try Self.create(repository, id: "abcd000000000001")
        _ = try Self.create(repository, id: "abce000000000003")
        let now = Self.start.adding(seconds: 1)
        for prefix in ["abcd", "ABCD0", "abcd00000000000"] {
            #expect(throws: TaskError.ambiguousTokenPrefix(
                prefix: prefix, candidates: ["abcd000000000001", "abcd000000000002"])
            ) { try repository.revokeToken(prefix, now: now) }
        }
        for text in ["abc", "zzzz", "abcd-0000", "abcd0000000000010", "", " abcd"] {
            #expect(throws: TaskError.invalidTokenID(text: text)) { try repository.revokeToken(text, now: now) }
        }
        for unknown in ["ffff", "abcd000000000009"] {
            #expect(throws: TaskError.tokenNotFound(id: unknown)) { try repository.revokeToken(unknown, now: now) }
        }
        // Nothing was revoked by the refusals; a unique prefix is enough.
        #expect(try repository.tokens().allSatisfy { $0.revoked == nil })
        #expect(try repository.revokeToken("abce", now: now).token.id == "abce000000000003")
        #expect(try repository.revokeToken("abcd000000000001", now: now).token.id == "abcd000000000001")
        #expect(TaskError.tokenNotFound(id: "x").code == .notFound)
        #expect(TaskError.ambiguousTokenPrefix(prefix: "x", candidates: []).code == .ambiguousID)
        #expect(TaskError.invalidTokenID(text: "x").code == .invalidID)
    }

    @Test(arguments: RepositoryFactory.all)
    func aTakenIdIsDrawnAgain(_ factory: RepositoryFactory) throws {
        let repository = try factory.make().repository
        let (first, _) = try Self.create(repository, id: "5555555555555555")
        var rng = ScriptedGenerator(
            [ScriptedGenerator.draw(forID: first.id), ScriptedGenerator.draw(forID: "6666666666666666")])
        let (second, _) = try repository.createToken(user: "carol", scope: .read, expires: nil, now: Self.start, using: &rng)
        #expect(second.id == "6666666666666666")
        #expect(try repository.tokens().count == 2)
    }

    @Test(arguments: RepositoryFactory.all)
    func badUserNamesAreRefusedAndNothingIsStored(_ factory: RepositoryFactory) throws {
        let repository = try factory.make().repository
        let cases = [
            ("", "user name '' is not valid: it is empty"),
            ("a b", "user name 'a b' is not valid: use only letters, digits, '.', '_', '@' and '-'"),
            ("al/ice", "user name 'al/ice' is not valid: use only letters, digits, '.', '_', '@' and '-'"),
            ("élodie", "user name 'élodie' is not valid: use only letters, digits, '.', '_', '@' and '-'"),
            (String(repeating: "a", count: 65),
             "user name '\(String(repeating: "a", count: 65))' is not valid: it is longer than 64 characters"),
        ]
        for (user, message) in cases {
            #expect(throws: TaskError.invalidRequest(reason: message)) {
                try repository.createToken(user: user, scope: .read, expires: nil, now: Self.start)
            }
        }
        #expect(try repository.tokens().isEmpty)
        for user in [String(repeating: "a", count: 64), "a", "ops.bot_1@example-org.com", "A-Z.09"] {
            #expect(try repository.createToken(user: user, scope: .read, expires: nil, now: Self.start).token.user == user)
        }
    }
}
