// API tokens in SQLite (`api_tokens`, schema step "api-tokens"): making, listing, revoking
// and authenticating. Only the SHA-256 of a secret is stored; the secret leaves through the
// return value of `createToken` and nowhere else.

extension SQLiteTaskStore {
    static let tokenColumns = "id, user, scope, created_ms, last_used_ms, expires_ms, revoked_ms"

    /// The token in `row` (selected with `tokenColumns`); an unknown scope is
    /// `StoreError.corrupt`.
    func decodeToken(_ row: Row) throws -> AccessToken {
        let id = row.text(0)
        let scopeText = row.text(2)
        guard let scope = TokenScope(rawValue: scopeText) else {
            throw StoredValues(path: connection.path, taskID: nil).corrupt(
                "the scope of API token '\(id)'", "is '\(StoredValues.excerpt(scopeText))'")
        }
        func time(_ i: Int32) -> Timestamp? { row.optionalInt64(i).map(Timestamp.init(milliseconds:)) }
        return AccessToken(
            id: id, user: row.text(1), scope: scope, created: Timestamp(milliseconds: row.int64(3)),
            lastUsed: time(4), expires: time(5), revoked: time(6))
    }

    /// Stores a new token (its id drawn again in the unlikely case it is taken) and returns
    /// it with its secret.
    public func createToken<R: RandomNumberGenerator>(
        user: String, scope: TokenScope, expires: Timestamp?, now: Timestamp, using rng: inout R
    ) throws -> (token: AccessToken, secret: String) {
        if let problem = AccessToken.userProblem(user) {
            throw TaskError.invalidRequest(reason: "user name '\(user)' is not valid: \(problem)")
        }
        return try connection.transaction { db in
            var id = AccessToken.generateID(using: &rng)
            while try db.cached("SELECT 1 FROM api_tokens WHERE id = ?").first([.text(id)], { _ in true }) != nil {
                id = AccessToken.generateID(using: &rng)
            }
            let secret = AccessToken.generateSecret(using: &rng)
            try db.cached(
                """
                INSERT INTO api_tokens (id, user, scope, token_sha256, created_ms, expires_ms)
                VALUES (?, ?, ?, ?, ?, ?)
                """
            ).execute(
                [
                    .text(id), .text(user), .text(scope.rawValue), .text(AccessToken.digest(ofSecret: secret)),
                    .integer(now.milliseconds), expires.map { .integer($0.milliseconds) } ?? .null,
                ])
            return (AccessToken(id: id, user: user, scope: scope, created: now, expires: expires), secret)
        }
    }

    /// Every token, oldest first (then by id).
    public func tokens() throws -> [AccessToken] {
        try connection.cached("SELECT \(Self.tokenColumns) FROM api_tokens ORDER BY created_ms, id").rows([], decodeToken)
    }

    /// Revokes the token `idOrPrefix` names, unless it is revoked already.
    public func revokeToken(_ idOrPrefix: String, now: Timestamp) throws -> (token: AccessToken, revokedNow: Bool) {
        guard let prefix = AccessToken.normalizedPrefix(idOrPrefix) else {
            throw TaskError.invalidTokenID(text: idOrPrefix)
        }
        return try connection.transaction { db in
            // '~' sorts after every hexadecimal digit, so this is a range scan of the key.
            let matches = try db.cached("SELECT id FROM api_tokens WHERE id >= ? AND id < ? ORDER BY id LIMIT 11")
                .rows([.text(prefix), .text(prefix + "~")]) { $0.text(0) }
            guard matches.count <= 1 else {
                throw TaskError.ambiguousTokenPrefix(prefix: idOrPrefix, candidates: Array(matches.prefix(10)))
            }
            guard let id = matches.first else { throw TaskError.tokenNotFound(id: idOrPrefix) }
            try db.cached("UPDATE api_tokens SET revoked_ms = ? WHERE id = ? AND revoked_ms IS NULL").execute(
                [.integer(now.milliseconds), .text(id)])
            let revokedNow = db.changes > 0
            guard let token = try db.cached("SELECT \(Self.tokenColumns) FROM api_tokens WHERE id = ?")
                .first([.text(id)], decodeToken)
            else { throw TaskError.tokenNotFound(id: idOrPrefix) }
            return (token, revokedNow)
        }
    }

    /// The active token of `secret`, its last use brought up to date at most once a minute.
    public func authenticate(secret: String, now: Timestamp) throws -> AccessToken? {
        // The shape is public knowledge, so refusing a malformed secret early leaks nothing.
        guard AccessToken.isWellFormedSecret(secret) else { return nil }
        let digest = AccessToken.digest(ofSecret: secret)
        guard
            let (token, stored) = try connection.cached(
                "SELECT \(Self.tokenColumns), token_sha256 FROM api_tokens WHERE token_sha256 = ?"
            ).first([.text(digest)], { (try decodeToken($0), $0.text(7)) }),
            constantTimeEqual(stored.utf8, digest.utf8), token.status(at: now) == .active
        else { return nil }
        var used = token
        if !isReadOnly, token.lastUsed.map({ now.milliseconds - $0.milliseconds >= AccessToken.lastUsedResolution }) ?? true {
            // Guarded like the test above, so two requests racing here write once.
            try connection.cached(
                """
                UPDATE api_tokens SET last_used_ms = ?1
                WHERE id = ?2 AND (last_used_ms IS NULL OR last_used_ms <= ?1 - ?3)
                """
            ).execute([.integer(now.milliseconds), .text(token.id), .integer(AccessToken.lastUsedResolution)])
            used.lastUsed = now
        }
        return used
    }
}
