// API tokens in PostgreSQL (`api_tokens`): making, listing, revoking and authenticating.
// Only the SHA-256 of a secret is stored; the secret leaves through `createToken` alone.

extension PostgresTaskStore {
    static let tokenColumns = "id, \"user\", scope, created_ms, last_used_ms, expires_ms, revoked_ms"

    func decodeToken(_ rows: PostgresRows, _ i: Int) throws -> AccessToken {
        let id = rows.text(i, 0)
        let scopeText = rows.text(i, 2)
        guard let scope = TokenScope(rawValue: scopeText) else {
            throw StoredValues(path: location, taskID: nil).corrupt(
                "the scope of API token '\(id)'", "is '\(StoredValues.excerpt(scopeText))'")
        }
        func time(_ k: Int) -> Timestamp? { rows.optionalInt64(i, k).map(Timestamp.init(milliseconds:)) }
        return AccessToken(
            id: id, user: rows.text(i, 1), scope: scope, created: Timestamp(milliseconds: rows.int64(i, 3)),
            lastUsed: time(4), expires: time(5), revoked: time(6))
    }

    /// Stores a new token (its id drawn again when taken) and returns it with its secret.
    public func createToken<R: RandomNumberGenerator>(
        user: String, scope: TokenScope, expires: Timestamp?, now: Timestamp, using rng: inout R
    ) throws -> (token: AccessToken, secret: String) {
        if let problem = AccessToken.userProblem(user) {
            throw TaskError.invalidRequest(reason: "user name '\(user)' is not valid: \(problem)")
        }
        var id = AccessToken.generateID(using: &rng)
        while try connection.query("SELECT 1 FROM api_tokens WHERE id = $1", [.text(id)]).count > 0 {
            id = AccessToken.generateID(using: &rng)
        }
        let secret = AccessToken.generateSecret(using: &rng)
        try connection.autocommit(
            """
            INSERT INTO api_tokens (id, "user", scope, token_sha256, created_ms, expires_ms) VALUES ($1, $2, $3, $4, $5, $6)
            """,
            [
                .text(id), .text(user), .text(scope.rawValue), .text(AccessToken.digest(ofSecret: secret)),
                .integer(now.milliseconds), expires.map { .integer($0.milliseconds) } ?? .null,
            ])
        return (AccessToken(id: id, user: user, scope: scope, created: now, expires: expires), secret)
    }

    /// Every token, oldest first (then by id).
    public func tokens() throws -> [AccessToken] {
        let rows = try connection.query("SELECT \(Self.tokenColumns) FROM api_tokens ORDER BY created_ms, id")
        return try rows.map { try decodeToken(rows, $0) }
    }

    /// Revokes the token `idOrPrefix` names, unless it is revoked already.
    public func revokeToken(_ idOrPrefix: String, now: Timestamp) throws -> (token: AccessToken, revokedNow: Bool) {
        guard let prefix = AccessToken.normalizedPrefix(idOrPrefix) else {
            throw TaskError.invalidTokenID(text: idOrPrefix)
        }
        return try connection.transaction { db in
            let matches = try prefixMatches("api_tokens", prefix, db)
            guard matches.count <= 1 else {
                throw TaskError.ambiguousTokenPrefix(prefix: idOrPrefix, candidates: Array(matches.prefix(10)))
            }
            guard let id = matches.first else { throw TaskError.tokenNotFound(id: idOrPrefix) }
            let changed = try db.query(
                "UPDATE api_tokens SET revoked_ms = $1 WHERE id = $2 AND revoked_ms IS NULL RETURNING id",
                [.integer(now.milliseconds), .text(id)])
            let rows = try db.query(
                "SELECT \(Self.tokenColumns) FROM api_tokens WHERE id = $1", [.text(id)])
            guard let token = try rows.first({ try decodeToken(rows, $0) }) else {
                throw TaskError.tokenNotFound(id: idOrPrefix)
            }
            return (token, changed.count == 1)
        }
    }

    /// The active token of `secret`, its last use brought up to date at most once a minute.
    public func authenticate(secret: String, now: Timestamp) throws -> AccessToken? {
        guard AccessToken.isWellFormedSecret(secret) else { return nil }
        let digest = AccessToken.digest(ofSecret: secret)
        let rows = try connection.query(
            "SELECT \(Self.tokenColumns), token_sha256 FROM api_tokens WHERE token_sha256 = $1", [.text(digest)])
        guard rows.count == 1 else { return nil }
        let token = try decodeToken(rows, 0)
        guard constantTimeEqual(rows.text(0, 7).utf8, digest.utf8), token.status(at: now) == .active else { return nil }
        var used = token
        if token.lastUsed.map({ now.milliseconds - $0.milliseconds >= AccessToken.lastUsedResolution }) ?? true {
            try connection.autocommit(
                """
                UPDATE api_tokens SET last_used_ms = $1
                WHERE id = $2 AND (last_used_ms IS NULL OR last_used_ms <= $1::bigint - $3::bigint)
                """, [.integer(now.milliseconds), .text(token.id), .integer(AccessToken.lastUsedResolution)])
            used.lastUsed = now
        }
        return used
    }
}
