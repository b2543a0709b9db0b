// Where a PostgreSQL database is, as the user wrote it: a `postgres://` or `postgresql://`
// URL or libpq's key/value form. Tells such a text from an SQLite path, and gives the form
// every message shows: the same text with its password taken out (never printed).

import FoundationEssentials

/// A PostgreSQL connection string (URL or key/value), as given with `--db` or `$QSH_DB`.
public struct PostgresAddress: Hashable, Sendable, CustomStringConvertible {
    /// The text as given, password included: only libpq sees it.
    public let conninfo: String

    /// The address in `text`, or nil when `text` is not a PostgreSQL URL or key/value
    /// string (an SQLite path, then).
    public init?(_ text: String) {
        guard Self.isPostgres(text) else { return nil }
        conninfo = text
    }

    /// True for `postgres://...`, `postgresql://...` (any case) and for libpq's key/value
    /// form (`host=db1 dbname=qsh`: every key one libpq knows, so that a file named
    /// `a=b.sqlite` stays a file).
    public static func isPostgres(_ text: String) -> Bool {
        let lower = text.lowercased()
        if lower.hasPrefix("postgres://") || lower.hasPrefix("postgresql://") { return true }
        guard let pairs = keyValuePairs(text), !pairs.isEmpty else { return false }
        return pairs.allSatisfy { keywords.contains($0.key) }
    }

    /// libpq's connection keywords (PostgreSQL 15's list).
    static let keywords: Set<String> = [
        "host", "hostaddr", "port", "dbname", "user", "password", "passfile", "channel_binding", "connect_timeout",
        "client_encoding", "options", "application_name", "fallback_application_name", "keepalives",
        "keepalives_idle", "keepalives_interval", "keepalives_count", "tcp_user_timeout", "replication",
        "gssencmode", "sslmode", "requiressl", "sslcompression", "sslcert", "sslkey", "sslpassword", "sslrootcert",
        "sslcrl", "sslcrldir", "sslsni", "requirepeer", "ssl_min_protocol_version", "ssl_max_protocol_version",
        "krbsrvname", "gsslib", "service", "target_session_attrs", "load_balance_hosts",
    ]

    /// The text with its password removed: `postgresql://alice@db1:5432/qsh` for
    /// `postgresql://alice:s3cret@db1:5432/qsh`, and `host=db1 user=alice` for
    /// `host=db1 user=alice password=s3cret`. A `password` or `sslpassword` query
    /// parameter goes too.
    public var redacted: String { Self.redact(conninfo) }

    public var description: String { redacted }

    /// `text` without passwords, whatever its form; a text that is neither form is
    /// returned as it is.
    public static func redact(_ text: String) -> String {
        let lower = text.lowercased()
        if lower.hasPrefix("postgres://") || lower.hasPrefix("postgresql://") { return redactURL(text) }
        guard let pairs = keyValuePairs(text) else { return text }
        return pairs.filter { !secretKeys.contains($0.key) }.map { pair in
            pair.key + "=" + quotedIfNeeded(pair.value)
        }.joined(separator: " ")
    }

    static let secretKeys: Set<String> = ["password", "sslpassword"]

    /// The URL without the password of its user part and without secret query parameters.
    static func redactURL(_ url: String) -> String {
        guard let schemeEnd = url.firstRange(of: "://") else { return url }
        let scheme = url[..<schemeEnd.upperBound]
        var rest = Substring(url[schemeEnd.upperBound...])
        var query: Substring?
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        // The authority ends at the first '/'; its user part at the last '@' before that.
        let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        var authority = rest[..<authorityEnd]
        let path = rest[authorityEnd...]
        if let at = authority.lastIndex(of: "@") {
            var user = authority[..<at]
            if let colon = user.firstIndex(of: ":") { user = user[..<colon] }
            authority = Substring(String(user) + authority[at...])
        }
        var out = String(scheme) + authority + path
        if let query {
            let kept = query.split(separator: "&", omittingEmptySubsequences: false).filter { parameter in
                let name = parameter.split(separator: "=", maxSplits: 1).first.map { String($0).lowercased() } ?? ""
                return !secretKeys.contains(name)
            }
            if !kept.isEmpty { out += "?" + kept.joined(separator: "&") }
        }
        return out
    }

    /// The host (or socket folder) and port the text names, for messages: nil for what it
    /// leaves to libpq's defaults.
    public var hostAndPort: (host: String?, port: String?) {
        let lower = conninfo.lowercased()
        if lower.hasPrefix("postgres://") || lower.hasPrefix("postgresql://") {
            var rest = Substring(conninfo[conninfo.firstRange(of: "://")!.upperBound...])
            if let mark = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) { rest = rest[..<mark] }
            if let at = rest.lastIndex(of: "@") { rest = rest[rest.index(after: at)...] }
            var host: Substring = rest
            var port: Substring?
            if rest.hasPrefix("["), let close = rest.firstIndex(of: "]") {
                host = rest[rest.index(after: rest.startIndex)..<close]
                let after = rest[rest.index(after: close)...]
                if after.hasPrefix(":") { port = after.dropFirst() }
            } else if let colon = rest.lastIndex(of: ":") {
                host = rest[..<colon]
                port = rest[rest.index(after: colon)...]
            }
            var queryHost: String?
            var queryPort: String?
            if let mark = conninfo.firstIndex(of: "?") {
                for parameter in conninfo[conninfo.index(after: mark)...].split(separator: "&") {
                    let parts = parameter.split(separator: "=", maxSplits: 1).map(String.init)
                    guard parts.count == 2 else { continue }
                    if parts[0] == "host" { queryHost = Self.percentDecoded(parts[1]) }
                    if parts[0] == "port" { queryPort = parts[1] }
                }
            }
            return (
                queryHost ?? (host.isEmpty ? nil : Self.percentDecoded(String(host))),
                queryPort ?? port.flatMap { $0.isEmpty ? nil : String($0) })
        }
        let pairs = Self.keyValuePairs(conninfo) ?? []
        return (
            pairs.last { $0.key == "host" || $0.key == "hostaddr" }?.value,
            pairs.last { $0.key == "port" }?.value)
    }

    /// `%2F` and the like decoded (a socket folder in a URL's host).
    static func percentDecoded(_ text: String) -> String {
        var bytes: [UInt8] = []
        var utf8 = Array(text.utf8)[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "%"), utf8.count >= 2,
                let value = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16)
            {
                bytes.append(value)
                utf8 = utf8.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The `key=value` pairs of libpq's key/value form, values unquoted; nil when `text`
    /// does not parse as that form (a word without '=', an unclosed quote).
    static func keyValuePairs(_ text: String) -> [(key: String, value: String)]? {
        var pairs: [(key: String, value: String)] = []
        var chars = Array(text)[...]
        func skipSpaces() { while let c = chars.first, c == " " || c == "\t" || c == "\n" { chars.removeFirst() } }
        skipSpaces()
        while !chars.isEmpty {
            var key = ""
            while let c = chars.first, c != "=", c != " ", c != "\t", c != "\n" {
                key.append(c)
                chars.removeFirst()
            }
            skipSpaces()
            guard chars.first == "=", !key.isEmpty,
                key.allSatisfy({ $0.isASCII && ($0.isLetter || $0 == "_") })
            else { return nil }
            chars.removeFirst()
            skipSpaces()
            var value = ""
            if chars.first == "'" {
                chars.removeFirst()
                var closed = false
                while let c = chars.popFirst() {
                    if c == "\\", let next = chars.popFirst() {
                        value.append(next)
                    } else if c == "'" {
                        closed = true
                        break
                    } else {
                        value.append(c)
                    }
                }
                guard closed else { return nil }
            } else {
                while let c = chars.first, c != " ", c != "\t", c != "\n" {
                    chars.removeFirst()
                    if c == "\\", let next = chars.popFirst() { value.append(next) } else { value.append(c) }
                }
            }
            pairs.append((key.lowercased(), value))
            skipSpaces()
        }
        return pairs
    }

    /// A value as key/value text writes it: quoted when empty or holding a space, quote or backslash.
    static func quotedIfNeeded(_ value: String) -> String {
        guard value.isEmpty || value.contains(where: { $0 == " " || $0 == "'" || $0 == "\\" || $0 == "\t" }) else {
            return value
        }
        return "'" + value.replacing("\\", with: "\\\\").replacing("'", with: "\\'") + "'"
    }
}
