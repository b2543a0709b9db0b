// Hand-written argument parsing: turns the words after a command's name into
// options and positionals, with git-style errors that name the offending word and
// know where it stands in the line (for the interactive shell's caret).
import QshCore

/// One option a command accepts.
struct OptionSpec: Sendable {
    /// The long name with its dashes, e.g. `--shots`.
    var long: String
    /// The one-letter form, e.g. `o` for `-o`.
    var short: Character?
    /// The placeholder of its value (`<n>`), or nil for a flag.
    var value: String?
    /// One line for the help screen.
    var help: String
    /// The values the option accepts, for validation and completion.
    var choices: [String] = []
    /// May be given more than once (values accumulate).
    var repeatable: Bool = false

    init(
        _ long: String, short: Character? = nil, value: String? = nil, help: String,
        choices: [String] = [], repeatable: Bool = false
    ) {
        self.long = long
        self.short = short
        self.value = value
        self.help = help
        self.choices = choices
        self.repeatable = repeatable
    }

    var takesValue: Bool { value != nil }

    /// `-o, --output <format>` as shown in help.
    var label: String {
        var s = short.map { "-\($0), " } ?? "    "
        s += long
        if let value { s += " \(value)" }
        return s
    }
}

/// A bad command line: a one-line reason, and which word of the line is wrong; the
/// dispatcher adds the synopsis, and the interactive shell a caret under that word.
struct UsageError: QshError {
    var message: String
    /// The index of the offending word in the line's words (argv without the program
    /// name, or a shell line's words); nil when no one word is to blame.
    var argument: Int?

    init(_ message: String, argument: Int? = nil) {
        self.message = message
        self.argument = argument
    }

    var code: ErrorCode { .usage }
}

/// The options and positionals of one command line, after validation.
struct ParsedArguments: Sendable {
    private(set) var values: [String: [String]] = [:]
    private(set) var positionals: [String] = []
    /// The words exactly as given, for error messages.
    var words: [String] = []
    /// Where each value came from: the index in the line of the word that holds it (the
    /// option's own word for a flag or an inline `--x=v`), parallel to `values`.
    private(set) var valueWords: [String: [Int?]] = [:]
    /// The index in the line of each positional's word.
    private(set) var positionalWords: [Int] = []

    init(values: [String: [String]] = [:], positionals: [String] = []) {
        self.values = values
        self.positionals = positionals
    }

    mutating func add(_ long: String, _ value: String, word: Int? = nil) {
        values[long, default: []].append(value)
        valueWords[long, default: []].append(word)
    }

    mutating func addPositional(_ word: String, at index: Int? = nil) {
        positionals.append(word)
        positionalWords.append(index ?? -1)
    }

    /// The index in the line of the word that gave the option's last value.
    func word(of long: String) -> Int? { valueWords[long]?.last ?? nil }

    /// The index in the line of the word of positional `n`.
    func word(ofPositional n: Int) -> Int? {
        n < positionalWords.count && positionalWords[n] >= 0 ? positionalWords[n] : nil
    }

    /// A usage error about the value of `long` (its last one, or the one at `index` of a
    /// repeatable option's values), pointing at the word that gave it.
    func error(_ message: String, option long: String, index: Int? = nil) -> UsageError {
        let words = valueWords[long] ?? []
        let word = index.map { $0 < words.count ? words[$0] : nil } ?? words.last
        return UsageError(message, argument: word ?? nil)
    }

    /// True when the flag or option was given.
    func has(_ long: String) -> Bool { values[long] != nil }
    /// The last value given for an option.
    func value(_ long: String) -> String? { values[long]?.last }
    /// Every value given for a repeatable option, in order.
    func all(_ long: String) -> [String] { values[long] ?? [] }

    /// An integer option within `range`, or nil when absent.
    /// - Throws: `UsageError` naming the option and the accepted range.
    func int(_ long: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let text = value(long) else { return nil }
        guard let n = Int(text) else {
            let digits = text.hasPrefix("-") || text.hasPrefix("+") ? text.dropFirst() : Substring(text)
            if !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) {
                // An integer too large for 64 bits is out of range, not "not an integer".
                throw error(
                    "option '\(long)' must be between \(range.lowerBound) and \(range.upperBound), got \(text)",
                    option: long)
            }
            throw error("option '\(long)' expects an integer, got '\(text)'", option: long)
        }
        guard range.contains(n) else {
            throw error(
                "option '\(long)' must be between \(range.lowerBound) and \(range.upperBound), got \(n)", option: long)
        }
        return n
    }

    /// The largest `--seed`: 2^53 (`RunLimits.maximumSeed`). Random seeds are drawn below it.
    static let maximumSeed = Int(RunLimits.maximumSeed)

    /// `--seed` as a seed, or nil when absent.
    /// - Throws: `UsageError` naming the range 0 to 2^53 for anything else.
    func seed() throws -> UInt64? {
        guard let text = value("--seed") else { return nil }
        guard let n = Int(text), (0...Self.maximumSeed).contains(n) else {
            throw error(
                "option '--seed' must be an integer from 0 to \(Self.maximumSeed) (2^53, the largest that JSON "
                    + "keeps exact), got '\(text.abbreviated())'", option: "--seed")
        }
        return UInt64(n)
    }

    /// A duration such as `90`, `90s`, `5m`, `1h`, `250ms`, in seconds; nil when absent.
    func duration(_ long: String) throws -> Double? {
        guard let text = value(long) else { return nil }
        guard let seconds = parseDuration(text), seconds >= 0 else {
            throw error("option '\(long)' expects a duration such as 30, 30s, 5m or 1h, got '\(text)'", option: long)
        }
        return seconds
    }
}

/// Parses `30`, `30s`, `1.5m`, `2h`, `250ms`, `7d` into seconds.
func parseDuration(_ text: String) -> Double? {
    let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86400)]
    for (suffix, scale) in units where text.hasSuffix(suffix) {
        let number = text.dropLast(suffix.count)
        if let v = Double(number), v.isFinite, !number.isEmpty { return v * scale }
        if suffix == "s" { continue }  // "ms" is checked before "s"
    }
    if let v = Double(text), v.isFinite { return v }
    return nil
}

/// Walks words left to right against a command's option specs.
struct ArgumentCursor {
    let specs: [OptionSpec]

    /// Parses `words` into options and positionals. `firstIndex` is the index in the whole
    /// line of `words[0]`, so that errors and `ParsedArguments` name words of the line.
    /// - Throws: `UsageError` for an unknown, duplicated or incomplete option.
    func parse(_ words: [String], firstIndex: Int = 0) throws -> ParsedArguments {
        var result = ParsedArguments()
        result.words = words
        var index = 0
        var onlyPositionals = false
        while index < words.count {
            let word = words[index]
            let at = firstIndex + index
            index += 1
            if onlyPositionals || word == "-" || !word.hasPrefix("-") {
                result.addPositional(word, at: at)
                continue
            }
            if word == "--" {
                onlyPositionals = true
                continue
            }
            if word.hasPrefix("--") {
                var name = word
                var inline: String?
                if let eq = word.firstIndex(of: "=") {
                    name = String(word[..<eq])
                    inline = String(word[word.index(after: eq)...])
                }
                guard let spec = specs.first(where: { $0.long == name }) else {
                    throw UsageError(unknownOptionMessage(name), argument: at)
                }
                try take(spec, inline: inline, words: words, at: at, index: &index, into: &result)
            } else {
                // Short options: -o json, -ojson, -q; clusters of flags like -qv.
                var chars = Array(word.dropFirst())
                while !chars.isEmpty {
                    let c = chars.removeFirst()
                    guard let spec = specs.first(where: { $0.short == c }) else {
                        throw UsageError(unknownOptionMessage("-\(c)"), argument: at)
                    }
                    if spec.takesValue {
                        let inline = chars.isEmpty ? nil : String(chars)
                        chars.removeAll()
                        try take(spec, inline: inline, words: words, at: at, index: &index, into: &result)
                    } else {
                        try take(spec, inline: nil, words: words, at: at, index: &index, into: &result)
                    }
                }
            }
        }
        return result
    }

    /// Takes the option `spec`, written in the word at line index `at`, and its value.
    private func take(
        _ spec: OptionSpec, inline: String?, words: [String], at: Int, index: inout Int,
        into result: inout ParsedArguments
    ) throws {
        if result.has(spec.long) && !spec.repeatable {
            throw UsageError("option '\(spec.long)' given more than once", argument: at)
        }
        guard spec.takesValue else {
            if inline != nil { throw UsageError("option '\(spec.long)' takes no value", argument: at) }
            result.add(spec.long, "", word: at)
            return
        }
        let value: String
        var valueAt = at
        if let inline {
            value = inline
        } else {
            guard index < words.count else {
                throw UsageError("option '\(spec.long)' needs a value \(spec.value ?? "")", argument: at)
            }
            value = words[index]
            valueAt = at + 1
            index += 1
        }
        if !spec.choices.isEmpty && !spec.choices.contains(value) {
            var message = "option '\(spec.long)' does not accept '\(value)'; use one of: "
            message += spec.choices.joined(separator: ", ")
            if let guess = closestMatch(value, in: spec.choices) { message += " (did you mean '\(guess)'?)" }
            throw UsageError(message, argument: valueAt)
        }
        result.add(spec.long, value, word: valueAt)
    }

    private func unknownOptionMessage(_ name: String) -> String {
        let candidates = specs.map(\.long) + specs.compactMap { $0.short.map { "-\($0)" } }
        if let guess = closestMatch(name, in: candidates) {
            return "unknown option '\(name)' (did you mean '\(guess)'?)"
        }
        return "unknown option '\(name)'"
    }
}
