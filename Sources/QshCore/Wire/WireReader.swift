// Reading the wire shapes back (the decoders of Wire/*Decoding.swift): typed members of a
// JSON object, each failure naming the member and the shape it belongs to.

/// A JSON document that is not the wire shape a decoder expects.
public struct WireDecodingError: QshError, Equatable {
    /// The shape being read, e.g. `task`.
    public var shape: String
    /// What is wrong, e.g. `member 'shots' is missing or not an integer`.
    public var problem: String

    public init(shape: String, problem: String) {
        self.shape = shape
        self.problem = problem
    }

    public var code: ErrorCode { .invalidJSON }
    public var message: String { "unexpected \(shape) JSON: \(problem)" }
}

/// The members of one JSON object, read with their expected types.
struct WireReader {
    let members: [(String, JSONValue)]
    let shape: String

    /// - Throws: `WireDecodingError` when `value` is not an object.
    init(_ value: JSONValue, shape: String) throws(WireDecodingError) {
        guard let members = value.objectValue else {
            throw WireDecodingError(shape: shape, problem: "not an object")
        }
        self.members = members
        self.shape = shape
    }

    func failure(_ key: String, _ expected: String) -> WireDecodingError {
        WireDecodingError(shape: shape, problem: "member '\(key)' is missing or not \(expected)")
    }

    /// The member, nil when absent (null is a value here).
    func value(_ key: String) -> JSONValue? { members.first { $0.0 == key }?.1 }

    /// True when the member is absent or null.
    func isNull(_ key: String) -> Bool {
        guard let value = value(key) else { return true }
        return value == .null
    }

    func string(_ key: String) throws(WireDecodingError) -> String {
        guard let text = value(key)?.stringValue else { throw failure(key, "a string") }
        return text
    }

    /// A string, or nil for null or an absent member.
    func optionalString(_ key: String) throws(WireDecodingError) -> String? {
        if isNull(key) { return nil }
        return try string(key)
    }

    func int(_ key: String) throws(WireDecodingError) -> Int {
        guard let number = value(key)?.intValue else { throw failure(key, "an integer") }
        return number
    }

    func bool(_ key: String) throws(WireDecodingError) -> Bool {
        guard let flag = value(key)?.boolValue else { throw failure(key, "true or false") }
        return flag
    }

    func double(_ key: String) throws(WireDecodingError) -> Double {
        guard let number = value(key)?.doubleValue else { throw failure(key, "a number") }
        return number
    }

    func timestamp(_ key: String) throws(WireDecodingError) -> Timestamp {
        guard let text = value(key)?.stringValue, let time = Timestamp(rfc3339: text) else {
            throw failure(key, "an RFC 3339 time")
        }
        return time
    }

    func optionalTimestamp(_ key: String) throws(WireDecodingError) -> Timestamp? {
        if isNull(key) { return nil }
        return try timestamp(key)
    }

    func array(_ key: String) throws(WireDecodingError) -> [JSONValue] {
        guard let elements = value(key)?.arrayValue else { throw failure(key, "an array") }
        return elements
    }

    func strings(_ key: String) throws(WireDecodingError) -> [String] {
        var texts: [String] = []
        for element in try array(key) {
            guard let text = element.stringValue else { throw failure(key, "an array of strings") }
            texts.append(text)
        }
        return texts
    }

    func object(_ key: String) throws(WireDecodingError) -> [(String, JSONValue)] {
        guard let members = value(key)?.objectValue else { throw failure(key, "an object") }
        return members
    }

    func status(_ key: String) throws(WireDecodingError) -> TaskStatus {
        guard let text = value(key)?.stringValue, let status = TaskStatus(rawValue: text) else {
            throw failure(key, "a task state")
        }
        return status
    }

    func optionalErrorClass(_ key: String) throws(WireDecodingError) -> ErrorClass? {
        try optionalString(key).map { ErrorClass(rawValue: $0) }
    }
}
