// Who asks: the principal a request's `Authorization: Bearer <token>` speaks for (its
// user and scope), found by an authenticator; and how often each token may ask (a token
// bucket per token: 429 with Retry-After past it).
import Hummingbird
import QshCore
import Synchronization

/// What a principal may do. Each scope includes the ones before it.
enum Scope: Int, Sendable, Comparable {
    /// Reading: tasks, results, events, batches, QPUs.
    case read
    /// Reading, and submitting, cancelling, re-running and deleting one's own tasks.
    case submit
    /// Everything, on everyone's tasks.
    case admin

    static func < (a: Scope, b: Scope) -> Bool { a.rawValue < b.rawValue }

    var name: String {
        switch self {
        case .read: return "read"
        case .submit: return "submit"
        case .admin: return "admin"
        }
    }
}

/// Who a request speaks for.
struct Principal: Sendable, Equatable {
    var user: String
    var scope: Scope
    /// The token's id, the rate limiter's key (never its secret).
    var tokenID: String

    /// True when the principal sees every user's tasks.
    var seesAll: Bool { scope == .admin }
}

/// Finds the principal of a bearer secret.
protocol Authenticator: Sendable {
    /// The principal of `secret`; nil when it is unknown, revoked or expired.
    func principal(secret: String) async throws -> Principal?
}

/// Authenticates against the token store of the task database. A token found valid is
/// remembered for `memory` seconds (by its secret's SHA-256), so that a client's stream of
/// requests costs one lookup a second, not one each: a revocation or expiry takes effect
/// within that second.
final class TokenAuthenticator: Authenticator {
    let database: Database
    let memory: Duration
    private let remembered = Mutex<[String: (principal: Principal, until: ContinuousClock.Instant)]>([:])
    /// The most tokens remembered at once (an arbitrary bound; past it the memory is cleared).
    static let rememberedLimit = 1024

    init(database: Database, memory: Duration = .seconds(1)) {
        self.database = database
        self.memory = memory
    }

    func principal(secret: String) async throws -> Principal? {
        // A secret of the wrong shape is not looked up at all.
        guard AccessToken.isWellFormedSecret(secret) else { return nil }
        let digest = AccessToken.digest(ofSecret: secret)
        let now = ContinuousClock.now
        if let known = remembered.withLock({ $0[digest] }), known.until > now { return known.principal }
        let clock = database.clock
        let found = try await database.run { service -> Principal? in
            guard let token = try service.repository.authenticate(secret: secret, now: clock.now()) else { return nil }
            return Principal(user: token.user, scope: Scope(token.scope), tokenID: token.id)
        }
        if let found {
            remembered.withLock { table in
                if table.count >= Self.rememberedLimit { table.removeAll() }
                table[digest] = (found, now + memory)
            }
        }
        return found
    }
}

extension Scope {
    init(_ scope: TokenScope) {
        switch scope {
        case .read: self = .read
        case .submit: self = .submit
        case .admin: self = .admin
        }
    }
}

extension Request {
    /// The secret of `Authorization: Bearer <secret>`; nil when there is none.
    var bearerSecret: String? {
        guard let value = headers[.authorization] else { return nil }
        let parts = value.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let secret = parts[1].trimmingCharacters(in: " \t")
        return secret.isEmpty ? nil : secret
    }
}

extension APIError {
    /// 401 with the challenge every client understands.
    static func unauthenticated(_ message: String) -> APIError {
        APIError(.unauthenticated, message, headers: [.wwwAuthenticate: "Bearer realm=\"qsh\""])
    }
}

/// A token bucket per token: `rate` requests a second on average, bursts of `burst`.
final class RateLimiter: Sendable {
    let rate: Double
    let burst: Double
    private let buckets = Mutex<[String: (tokens: Double, at: ContinuousClock.Instant)]>([:])

    /// - Parameter rate: requests per second per token; 0 turns the limit off.
    init(rate: Double, burst: Double? = nil) {
        self.rate = rate
        self.burst = burst ?? max(1, rate * 2)
    }

    /// Takes one request from `key`'s bucket.
    /// - Returns: nil when allowed, else the seconds until one is (for Retry-After).
    func take(_ key: String, now: ContinuousClock.Instant = .now) -> Double? {
        guard rate > 0 else { return nil }
        return buckets.withLock { buckets in
            var bucket = buckets[key] ?? (burst, now)
            let elapsed = Double((now - bucket.at).components.attoseconds) / 1e18 + Double((now - bucket.at).components.seconds)
            bucket.tokens = min(burst, bucket.tokens + elapsed * rate)
            bucket.at = now
            defer { buckets[key] = bucket }
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                return nil
            }
            return (1 - bucket.tokens) / rate
        }
    }
}
