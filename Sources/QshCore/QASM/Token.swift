// Tokens of OpenQASM 2.0 and how messages describe them, plus the name table
// that interns identifiers so the parser handles small integers, not strings.

/// The kind of a token. Keywords, `pi` and the six functions are reserved words.
enum TokenKind: UInt8, Sendable {
    case eof, error
    case identifier, integer, real, string
    // Keywords.
    case openqasm, include, qreg, creg, gate, opaque, barrier, measure, reset, ifKeyword
    // Reserved names in expressions.
    case pi, sin, cos, tan, exp, ln, sqrt
    // Punctuation and operators.
    case semicolon, comma, leftParen, rightParen, leftBracket, rightBracket, leftBrace, rightBrace
    case plus, minus, star, slash, caret, equals, arrow

    /// How a message names a token of this kind: `';'`, `'qreg'`, `an identifier`.
    var describe: String {
        switch self {
        case .eof: return "end-of-file"
        case .error: return "an invalid token"
        case .identifier: return "an identifier"
        case .integer: return "an integer"
        case .real: return "a real number"
        case .string: return "a filename string"
        default: return "'\(spelling)'"
        }
    }

    /// The fixed text of a keyword, reserved word or punctuation token.
    var spelling: String {
        switch self {
        case .openqasm: return "OPENQASM"
        case .include: return "include"
        case .qreg: return "qreg"
        case .creg: return "creg"
        case .gate: return "gate"
        case .opaque: return "opaque"
        case .barrier: return "barrier"
        case .measure: return "measure"
        case .reset: return "reset"
        case .ifKeyword: return "if"
        case .pi: return "pi"
        case .sin: return "sin"
        case .cos: return "cos"
        case .tan: return "tan"
        case .exp: return "exp"
        case .ln: return "ln"
        case .sqrt: return "sqrt"
        case .semicolon: return ";"
        case .comma: return ","
        case .leftParen: return "("
        case .rightParen: return ")"
        case .leftBracket: return "["
        case .rightBracket: return "]"
        case .leftBrace: return "{"
        case .rightBrace: return "}"
        case .plus: return "+"
        case .minus: return "-"
        case .star: return "*"
        case .slash: return "/"
        case .caret: return "^"
        case .equals: return "=="
        case .arrow: return "->"
        default: return ""
        }
    }

    /// Keywords and reserved words: these can never name a register, gate or parameter.
    var isReserved: Bool {
        switch self {
        case .openqasm, .include, .qreg, .creg, .gate, .opaque, .barrier, .measure, .reset, .ifKeyword,
            .pi, .sin, .cos, .tan, .exp, .ln, .sqrt:
            return true
        default: return false
        }
    }

    /// Keywords that begin a statement (error recovery resumes at these).
    var startsStatement: Bool {
        switch self {
        case .openqasm, .include, .qreg, .creg, .gate, .opaque, .barrier, .measure, .reset, .ifKeyword:
            return true
        default: return false
        }
    }
}

/// One token: kind, byte range in its file, 1-based position and a payload.
///
/// Kept to 32 bytes so it travels in registers: the lexer returns one per call.
struct Token: Sendable {
    /// Integer value for `.integer`, name id for `.identifier`.
    var payload: UInt64 = 0
    private var offset32: UInt32 = 0
    private var length32: UInt32 = 0
    var line: Int32 = 1
    var column: Int32 = 1
    var kind: TokenKind = .eof
    /// `.integer`: the literal does not fit in 64 bits (already reported).
    /// `.identifier`: not a valid identifier (upper case or `_` first).
    var flagged: Bool = false
    /// True when this token is the first on its line.
    var startsLine: Bool = false

    /// Byte offset of the first byte in the file (files are below 4 GiB).
    var start: Int {
        get { Int(offset32) }
        set { offset32 = UInt32(truncatingIfNeeded: newValue) }
    }

    /// Length in bytes.
    var length: Int {
        get { Int(length32) }
        set { length32 = UInt32(truncatingIfNeeded: newValue) }
    }

    var nameID: Int32 { Int32(truncatingIfNeeded: payload) }
}

/// Interns identifiers: equal byte strings get equal small ids.
///
/// Open addressing over FNV-1a hashes; the bytes live in one flat array.
public struct NameTable: Sendable, Hashable {
    private var storage: [UInt8] = []
    private var starts: [Int] = []
    private var lengths: [Int] = []
    private var slots: [Int32]
    private var mask: Int

    /// The id of `U`, interned first.
    static let builtinU: Int32 = 0
    /// The id of `CX`, interned second.
    static let builtinCX: Int32 = 1

    init() {
        slots = [Int32](repeating: -1, count: 256)
        mask = 255
        _ = intern("U")
        _ = intern("CX")
    }

    /// How many names are interned.
    public var count: Int { starts.count }

    /// The name with id `id`.
    public func name(_ id: Int32) -> String {
        let i = Int(id)
        guard i >= 0, i < starts.count else { return "" }
        return String(decoding: storage[starts[i]..<starts[i] + lengths[i]], as: UTF8.self)
    }

    /// The byte length of the name with id `id`.
    func length(_ id: Int32) -> Int {
        let i = Int(id)
        guard i >= 0, i < lengths.count else { return 0 }
        return lengths[i]
    }

    /// The id of `text`, if it was interned.
    public func lookup(_ text: String) -> Int32? {
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBufferPointer { buffer -> Int32? in
            guard let base = buffer.baseAddress else { return nil }
            let hash = Self.hash(UnsafePointer(base), buffer.count)
            var slot = hash & mask
            while true {
                let id = slots[slot]
                if id < 0 { return nil }
                if equals(id, UnsafePointer(base), buffer.count) { return id }
                slot = (slot + 1) & mask
            }
        }
    }

    /// Interns a Swift string (used for the built-in names).
    mutating func intern(_ text: String) -> Int32 {
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBufferPointer { buffer in
            intern(UnsafePointer(buffer.baseAddress!), buffer.count)
        }
    }

    /// Interns `count` bytes at `pointer` and returns the name's id.
    mutating func intern(_ pointer: UnsafePointer<UInt8>, _ count: Int) -> Int32 {
        let hash = Self.hash(pointer, count)
        var slot = hash & mask
        while true {
            let id = slots[slot]
            if id < 0 { break }
            if equals(id, pointer, count) { return id }
            slot = (slot + 1) & mask
        }
        let id = Int32(starts.count)
        starts.append(storage.count)
        lengths.append(count)
        storage.append(contentsOf: UnsafeBufferPointer(start: pointer, count: count))
        slots[slot] = id
        if starts.count * 2 > slots.count { grow() }
        return id
    }

    private func equals(_ id: Int32, _ pointer: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        let i = Int(id)
        guard lengths[i] == count else { return false }
        let start = starts[i]
        return storage.withUnsafeBufferPointer { buffer in
            for k in 0..<count where buffer[start + k] != pointer[k] { return false }
            return true
        }
    }

    private mutating func grow() {
        let capacity = slots.count * 2
        slots = [Int32](repeating: -1, count: capacity)
        mask = capacity - 1
        storage.withUnsafeBufferPointer { buffer in
            for id in 0..<starts.count {
                let hash = Self.hash(buffer.baseAddress! + starts[id], lengths[id])
                var slot = hash & mask
                while slots[slot] >= 0 { slot = (slot + 1) & mask }
                slots[slot] = Int32(id)
            }
        }
    }

    private static func hash(_ pointer: UnsafePointer<UInt8>, _ count: Int) -> Int {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for k in 0..<count {
            h ^= UInt64(pointer[k])
            h = h &* 0x100_0000_01b3
        }
        return Int(truncatingIfNeeded: h ^ (h >> 29))
    }
}
