// API access tokens: who a bearer secret speaks for, what it may do (its scope) and for how
// long; the secret's shape and the rules for user names and lifetimes. The secret itself is
// never part of a token value: the store keeps only its SHA-256 (Store/Tokens.swift).

/// What a token may do. Each scope includes the ones before it: admin ⊇ submit ⊇ read.
public enum TokenScope: String, Sendable, CaseIterable, Comparable {
    /// Reading: tasks, results, events, batches, QPUs.
    case read
    /// Reading, and submitting, cancelling, re-running and deleting one's own tasks and batches.
    case submit
    /// Everything, on everyone's tasks: pausing QPUs, pruning, export and import too.
    case admin

    /// True when a token of this scope may do what needs `needed`.
    public func allows(_ needed: TokenScope) -> Bool { needed <= self }

    public static func < (a: TokenScope, b: TokenScope) -> Bool { a.rank < b.rank }

    private var rank: Int {
        switch self {
        case .read: return 0
        case .submit: return 1
        case .admin: return 2
        }
    }
}

/// Where a token stands at some moment.
public enum TokenStatus: String, Sendable {
    case active
    case expired
    case revoked
}

/// A stored API token, without its secret.
public struct AccessToken: Hashable, Sendable {
    /// 16 lower-case hexadecimal digits, found by a prefix of 4 or more as task ids are.
    public var id: String
    /// The user the token speaks for (tasks it submits are `created_by` this name).
    public var user: String
    public var scope: TokenScope
    public var created: Timestamp
    /// When it last authenticated a request, to the minute (see `lastUsedResolution`); nil
    /// when never.
    public var lastUsed: Timestamp?
    /// When it stops working; nil for a token that never expires.
    public var expires: Timestamp?
    /// When it was revoked; nil while it is not.
    public var revoked: Timestamp?

    public init(
        id: String, user: String, scope: TokenScope, created: Timestamp, lastUsed: Timestamp? = nil,
        expires: Timestamp? = nil, revoked: Timestamp? = nil
    ) {
        self.id = id
        self.user = user
        self.scope = scope
        self.created = created
        self.lastUsed = lastUsed
        self.expires = expires
        self.revoked = revoked
    }

    /// Revoked (whatever its expiry), else expired once `expires` is reached, else active.
    public func status(at now: Timestamp) -> TokenStatus {
        if revoked != nil { return .revoked }
        if let expires, expires <= now { return .expired }
        return .active
    }

    /// The wire shape: id, user, scope, created_date, last_used_date, expires_date,
    /// revoked_date (RFC 3339; null when absent). Never the secret or its digest.
    public var wireJSON: JSONValue {
        func date(_ t: Timestamp?) -> JSONValue { t.map { .string($0.rfc3339) } ?? .null }
        return .object([
            ("id", .string(id)),
            ("user", .string(user)),
            ("scope", .string(scope.rawValue)),
            ("created_date", .string(created.rfc3339)),
            ("last_used_date", date(lastUsed)),
            ("expires_date", date(expires)),
            ("revoked_date", date(revoked)),
        ])
    }

    /// `last_used` is written at most once per this many milliseconds (a minute), so that
    /// authenticating a stream of requests stays a read.
    public static let lastUsedResolution: Int64 = 60_000

    // MARK: Ids, secrets, users and lifetimes

    /// How many hexadecimal digits a token id has.
    public static let idLength = 16

    /// A new random token id from `rng`.
    public static func generateID<R: RandomNumberGenerator>(using rng: inout R) -> String {
        let digits = Array("0123456789abcdef")
        var value = rng.next()
        var text = ""
        text.reserveCapacity(idLength)
        for _ in 0..<idLength {
            text.append(digits[Int(value & 0xF)])
            value >>= 4
        }
        return text
    }

    /// The prefix in lower case, or nil when it cannot start a token id (4 to 16
    /// hexadecimal digits).
    public static func normalizedPrefix(_ text: String) -> String? {
        let lowered = text.lowercased()
        guard lowered.utf8.count >= TaskID.minimumPrefix, lowered.utf8.count <= idLength,
            lowered.utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) })
        else { return nil }
        return lowered
    }

    /// What every secret starts with, so that a leaked one is recognisable (and scanners
    /// can find it).
    public static let secretPrefix = "qsh_"
    /// How many base62 characters follow the prefix: 40, about 238 bits.
    public static let secretLength = 40
    private static let base62 = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)

    /// A new secret: `qsh_` and 40 base62 characters drawn without bias from `rng`.
    public static func generateSecret<R: RandomNumberGenerator>(using rng: inout R) -> String {
        var bytes = Array(secretPrefix.utf8)
        for _ in 0..<secretLength { bytes.append(base62[Int(rng.next(upperBound: UInt64(base62.count)))]) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// True when `text` has the shape of a secret (it may still be unknown).
    public static func isWellFormedSecret(_ text: String) -> Bool {
        let utf8 = text.utf8
        guard utf8.count == secretPrefix.utf8.count + secretLength, text.hasPrefix(secretPrefix) else { return false }
        return utf8.dropFirst(secretPrefix.utf8.count).allSatisfy { base62.contains($0) }
    }

    /// The SHA-256 of the secret in lower-case hexadecimal: what the store keeps.
    public static func digest(ofSecret secret: String) -> String {
        var hasher = SHA256()
        hasher.update(secret)
        return SHA256.hex(hasher.finalize())
    }

    /// The longest user name.
    public static let maximumUserLength = 64

    /// True for 1 to 64 characters of A-Z, a-z, 0-9, '.', '_', '@' and '-'.
    public static func isValidUser(_ name: String) -> Bool {
        let utf8 = name.utf8
        guard !utf8.isEmpty, utf8.count <= maximumUserLength else { return false }
        return utf8.allSatisfy { c in
            (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 46 || c == 95 || c == 64
                || c == 45
        }
    }

    /// Why a user name is refused, for a message; nil when it is valid.
    public static func userProblem(_ name: String) -> String? {
        if name.isEmpty { return "it is empty" }
        if name.utf8.count > maximumUserLength { return "it is longer than \(maximumUserLength) characters" }
        if !isValidUser(name) { return "use only letters, digits, '.', '_', '@' and '-'" }
        return nil
    }
}

/// How long a new token lasts: a number of minutes, hours or days, or for ever.
public enum TokenLifetime: Hashable, Sendable {
    case never
    case seconds(Int64)

    /// The longest lifetime short of `never`: 100 years (an arbitrary bound that keeps
    /// every expiry a readable date).
    public static let maximumSeconds: Int64 = 100 * 366 * 86_400

    /// Parses `90d`, `12h`, `30m` (a whole number, 1 or more, and a unit) or `never`; nil
    /// for anything else, or for more than `maximumSeconds`.
    public init?(_ text: String) {
        if text == "never" {
            self = .never
            return
        }
        guard let unit = text.last, let scale: Int64 = ["m": 60, "h": 3600, "d": 86_400][unit] else { return nil }
        let digits = text.dropLast()
        guard !digits.isEmpty, digits.utf8.count <= 12, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
            let n = Int64(digits), n >= 1, n * scale <= Self.maximumSeconds
        else { return nil }
        self = .seconds(n * scale)
    }

    /// When a token made at `now` expires; nil for `never`.
    public func expiry(from now: Timestamp) -> Timestamp? {
        switch self {
        case .never: return nil
        case .seconds(let s): return Timestamp(milliseconds: now.milliseconds + s * 1000)
        }
    }
}
