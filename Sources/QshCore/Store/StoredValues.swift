// Decoding what the task database holds: every JSON column and every enumerated
// text is checked, and a value that does not decode is `StoreError.corrupt` naming the
// file, the task and the column; nothing is replaced by an empty or default value.

/// Strict readers of stored values for one database file and one task.
struct StoredValues {
    /// The database file, for the error.
    let path: String
    /// The task the row belongs to, for the error.
    let taskID: String?

    func corrupt(_ what: String, _ reason: String) -> StoreError {
        StoreError.corrupt(path: path, taskID: taskID, what: what, reason: reason)
    }

    /// `text` as JSON.
    func json(_ text: String, _ what: String) throws -> JSONValue {
        do {
            return try JSONValue.parse(text)
        } catch {
            throw corrupt(what, "is not valid JSON (\(Self.excerpt(text)))")
        }
    }

    /// A JSON object whose values are strings (tags).
    func stringObject(_ text: String, _ what: String) throws -> [String: String] {
        if text == "{}" { return [:] }
        guard let members = try json(text, what).objectValue else {
            throw corrupt(what, "is not a JSON object (\(Self.excerpt(text)))")
        }
        var out: [String: String] = [:]
        for (key, value) in members {
            guard let string = value.stringValue else {
                throw corrupt(what, "has a value that is not a string at '\(key)'")
            }
            out[key] = string
        }
        return out
    }

    /// A JSON array of strings (error reasons, notes).
    func stringArray(_ text: String, _ what: String) throws -> [String] {
        if text == "[]" { return [] }
        guard let items = try json(text, what).arrayValue else {
            throw corrupt(what, "is not a JSON array (\(Self.excerpt(text)))")
        }
        return try items.map { item in
            guard let string = item.stringValue else { throw corrupt(what, "has an item that is not a string") }
            return string
        }
    }

    /// A JSON object (metrics, metadata).
    func object(_ text: String, _ what: String) throws -> JSONValue {
        let value = try json(text, what)
        guard value.objectValue != nil else { throw corrupt(what, "is not a JSON object (\(Self.excerpt(text)))") }
        return value
    }

    /// A JSON object of numbers, in stored order (timings).
    func numbers(_ text: String, _ what: String) throws -> [(String, Double)] {
        guard let members = try json(text, what).objectValue else {
            throw corrupt(what, "is not a JSON object (\(Self.excerpt(text)))")
        }
        return try members.map { key, value in
            guard let number = value.doubleValue else { throw corrupt(what, "has a value that is not a number at '\(key)'") }
            return (key, number)
        }
    }

    /// Counts: `{"c": {"00": 503, "11": 497}}`, bitstrings of 0 and 1 of one width per
    /// register, counts that are integers of at least 0.
    func counts(_ text: String, _ what: String) throws -> [RegisterCounts] {
        guard let registers = try json(text, what).objectValue else {
            throw corrupt(what, "is not a JSON object of counts (\(Self.excerpt(text)))")
        }
        return try registers.map { name, value in
            guard let members = value.objectValue else {
                throw corrupt(what, "has register '\(name)' whose counts are not a JSON object")
            }
            var table: [String: Int] = [:]
            var width: Int?
            for (bits, n) in members {
                guard bits.utf8.allSatisfy({ $0 == 0x30 || $0 == 0x31 }), width == nil || width == bits.utf8.count else {
                    throw corrupt(what, "has '\(Self.excerpt(bits))' in register '\(name)', which is not a bitstring of its width")
                }
                width = bits.utf8.count
                guard case .int(let count) = n, count >= 0 else {
                    throw corrupt(what, "has a count that is not a whole number of at least 0 at '\(name)'.'\(bits)'")
                }
                table[bits] = count
            }
            return RegisterCounts(name: name, width: width ?? 0, counts: table)
        }
    }

    /// A JSON object of whole numbers of at least 0 (gate counts).
    func wholeNumbers(_ text: String, _ what: String) throws -> [String: Int] {
        guard let members = try json(text, what).objectValue else {
            throw corrupt(what, "is not a JSON object (\(Self.excerpt(text)))")
        }
        var out: [String: Int] = [:]
        for (key, value) in members {
            guard case .int(let n) = value, n >= 0 else {
                throw corrupt(what, "has a value that is not a whole number of at least 0 at '\(key)'")
            }
            out[key] = n
        }
        return out
    }

    /// A task state by its wire name.
    func status(_ text: String, _ what: String) throws -> TaskStatus {
        guard let status = TaskStatus(rawValue: text) else { throw corrupt(what, "is '\(Self.excerpt(text))', not a task state") }
        return status
    }

    /// The start of a stored value, for a message: at most 40 characters, one line.
    static func excerpt(_ text: String) -> String {
        let line = text.prefix { $0 != "\n" && $0 != "\r" }
        if line.count <= 40 && line.count == text.count { return text }
        return String(line.prefix(40)) + "..."
    }
}
