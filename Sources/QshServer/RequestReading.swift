// Reading what a request carries: its body (bounded by --max-body, checked on
// Content-Length and again while it streams in), JSON with the right media type, the
// members of a JSON object with 422s that name the field, and the query string.
import Hummingbird
import QshCore

extension Request {
    /// The body's bytes, at most `limit` of them.
    /// - Throws: `APIError` payload_too_large (413) when Content-Length says more, or more
    ///   arrives.
    func bodyBytes(limit: Int) async throws -> [UInt8] {
        if let declared = headers[.contentLength].flatMap(Int.init), declared > limit {
            throw APIError.tooLarge(limit)
        }
        var bytes: [UInt8] = []
        for try await buffer in body {
            guard bytes.count + buffer.readableBytes <= limit else { throw APIError.tooLarge(limit) }
            bytes.append(contentsOf: buffer.readableBytesView)
        }
        return bytes
    }

    /// The body as a JSON object.
    /// - Throws: `APIError`: 415 when the media type is not JSON, 413, 400 invalid_json when
    ///   it does not parse, 422 when it is not an object.
    func jsonObject(limit: Int) async throws -> JSONObject {
        try requireMediaType(["application/json"], what: "JSON")
        let bytes = try await bodyBytes(limit: limit)
        let value: JSONValue
        do {
            value = try JSONValue.parse(String(decoding: bytes, as: UTF8.self))
        } catch {
            throw APIError(.invalidJSON, "the request body is not JSON: \(error.message)")
        }
        guard let members = value.objectValue else {
            throw APIError(.invalidArgument, "the request body must be a JSON object")
        }
        return JSONObject(members: members)
    }

    /// Checks the Content-Type of a body (its parameters, such as charset, aside); a body
    /// without one is taken as what the route expects. curl's `-d` sends
    /// application/x-www-form-urlencoded, which is refused: say `-H 'Content-Type: application/json'`.
    /// - Throws: `APIError` unsupported_media_type (415).
    func requireMediaType(_ accepted: [String], what: String) throws {
        guard let type = headers[.contentType] else { return }
        let essence = type.split(separator: ";", maxSplits: 1).first.map {
            $0.trimmingCharacters(in: " \t").lowercased()
        } ?? ""
        if accepted.contains(essence) { return }
        // `application/problem+json` and the like are JSON too.
        if accepted.contains("application/json") && essence.hasPrefix("application/") && essence.hasSuffix("+json") {
            return
        }
        throw APIError(
            .unsupportedMediaType,
            "the request body must be \(what) (Content-Type: \(accepted[0])), not '\(type)'",
            headers: [.accept: accepted.joined(separator: ", ")])
    }

    /// The query string's parameters in order, percent-decoded (`+` stays a plus, so an
    /// RFC 3339 offset needs no escaping).
    var queryItems: QueryItems { QueryItems(uri.query ?? "") }
}

extension APIError {
    static func tooLarge(_ limit: Int) -> APIError {
        APIError(.payloadTooLarge, "the request body is over the server's limit of \(limit) bytes (--max-body)")
    }
}

extension StringProtocol {
    func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let c = s.first, set.contains(c) { s.removeFirst() }
        while let c = s.last, set.contains(c) { s.removeLast() }
        return String(s)
    }
}

/// The members of a request's JSON object, read by name with 422s that name the field.
struct JSONObject: Sendable {
    var members: [(String, JSONValue)]

    subscript(_ key: String) -> JSONValue? {
        guard let value = members.first(where: { $0.0 == key })?.1, value != .null else { return nil }
        return value
    }

    /// Refuses members the route does not know (a misspelt field must not be ignored).
    func requireOnly(_ known: [String], prefix: String = "") throws {
        for (key, _) in members where !known.contains(key) {
            throw APIError.invalid(
                prefix + key, "unknown field; the fields are " + known.map { "'\($0)'" }.joined(separator: ", "))
        }
    }

    func string(_ key: String, prefix: String = "") throws -> String? {
        guard let value = self[key] else { return nil }
        guard let text = value.stringValue else { throw APIError.invalid(prefix + key, "must be a string") }
        return text
    }

    func requiredString(_ key: String, prefix: String = "") throws -> String {
        guard let text = try string(key, prefix: prefix) else { throw APIError.invalid(prefix + key, "is required") }
        return text
    }

    func bool(_ key: String, prefix: String = "") throws -> Bool? {
        guard let value = self[key] else { return nil }
        guard let flag = value.boolValue else { throw APIError.invalid(prefix + key, "must be true or false") }
        return flag
    }

    /// An integer within `range`.
    func int(_ key: String, in range: ClosedRange<Int>, prefix: String = "") throws -> Int? {
        guard let value = self[key] else { return nil }
        guard case .int(let n) = value, range.contains(n) else {
            throw APIError.invalid(prefix + key, "must be an integer from \(range.lowerBound) to \(range.upperBound)")
        }
        return n
    }

    /// A seed: an integer from 0 to 2^64-1, or the same as a decimal string (JSON numbers
    /// past 2^63-1 are not exact in most clients).
    func seed(_ key: String, prefix: String = "") throws -> UInt64? {
        guard let value = self[key] else { return nil }
        switch value {
        case .int(let n) where n >= 0: return UInt64(n)
        case .string(let text): if let n = UInt64(text) { return n }
        default: break
        }
        throw APIError.invalid(prefix + key, "must be an integer from 0 to 18446744073709551615")
    }

    /// An object of strings (tags, includes).
    func stringMap(_ key: String, prefix: String = "") throws -> [String: String]? {
        guard let value = self[key] else { return nil }
        guard let members = value.objectValue else {
            throw APIError.invalid(prefix + key, "must be an object of strings")
        }
        var map: [String: String] = [:]
        for (name, member) in members {
            guard let text = member.stringValue else {
                throw APIError.invalid(prefix + key + "." + name, "must be a string")
            }
            map[name] = text
        }
        return map
    }

    func object(_ key: String, prefix: String = "") throws -> JSONObject? {
        guard let value = self[key] else { return nil }
        guard let members = value.objectValue else { throw APIError.invalid(prefix + key, "must be an object") }
        return JSONObject(members: members)
    }

    func array(_ key: String, prefix: String = "") throws -> [JSONValue]? {
        guard let value = self[key] else { return nil }
        guard let elements = value.arrayValue else { throw APIError.invalid(prefix + key, "must be an array") }
        return elements
    }
}

/// A query string's parameters, in order; a name may repeat.
struct QueryItems: Sendable {
    var items: [(name: String, value: String)]

    init(_ query: String) {
        items = query.split(separator: "&", omittingEmptySubsequences: true).map { part in
            let pair = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (percentDecoded(pair[0]), pair.count > 1 ? percentDecoded(pair[1]) : "")
        }
    }

    /// Every value of `name`, a comma list split (for `status=A,B`) when `commas`.
    func values(_ name: String, commas: Bool = false) -> [String] {
        let values = items.filter { $0.name == name }.map(\.value)
        return commas ? values.flatMap { $0.split(separator: ",").map(String.init) } : values
    }

    /// The one value of `name`.
    /// - Throws: 422 when it is given twice.
    func value(_ name: String) throws -> String? {
        let values = values(name)
        guard values.count <= 1 else { throw APIError.invalidQuery(name, "is given more than once") }
        return values.first
    }

    /// `true`/`false` (also `1`/`0`); absent is `default`.
    func flag(_ name: String, default value: Bool = false) throws -> Bool {
        guard let text = try self.value(name) else { return value }
        switch text {
        case "true", "1", "": return true
        case "false", "0": return false
        default: throw APIError.invalidQuery(name, "must be true or false")
        }
    }

    func int(_ name: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let text = try value(name) else { return nil }
        guard let n = Int(text), range.contains(n) else {
            throw APIError.invalidQuery(name, "must be an integer from \(range.lowerBound) to \(range.upperBound)")
        }
        return n
    }

    /// Refuses a parameter the route does not know.
    func requireOnly(_ known: [String]) throws {
        for item in items where !known.contains(item.name) {
            let list = known.isEmpty ? "this route takes none" : "the parameters are " + known.map { "'\($0)'" }.joined(separator: ", ")
            throw APIError.invalidQuery(item.name, "unknown parameter; " + list)
        }
    }
}

/// `text` with %XX escapes decoded (an invalid escape is kept as it is).
func percentDecoded<S: StringProtocol>(_ text: S) -> String {
    guard text.contains("%") else { return String(text) }
    var bytes: [UInt8] = []
    var utf8 = Array(text.utf8)[...]
    while let c = utf8.popFirst() {
        if c == UInt8(ascii: "%"), utf8.count >= 2, let hi = hexValue(utf8[utf8.startIndex]),
            let lo = hexValue(utf8[utf8.startIndex + 1])
        {
            bytes.append(hi << 4 | lo)
            utf8 = utf8.dropFirst(2)
        } else {
            bytes.append(c)
        }
    }
    return String(decoding: bytes, as: UTF8.self)
}

private func hexValue(_ c: UInt8) -> UInt8? {
    switch c {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
    default: return nil
    }
}
