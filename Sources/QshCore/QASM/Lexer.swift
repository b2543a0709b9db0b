// The OpenQASM 2.0 lexer: bytes in, one token at a time out. It never builds a
// String on the hot path; identifiers are interned, numbers are read from bytes.

/// Turns the bytes of one file into tokens on demand (the parser keeps one lookahead).
struct Lexer {
    let bytes: UnsafeBufferPointer<UInt8>
    /// The file's index in `Program.files`.
    let file: Int32
    private(set) var index = 0
    private var line: Int32 = 1
    private var lineStart = 0
    /// Just after the last byte of a token or comment: where end-of-file errors go.
    private(set) var lastContentLine: Int32 = 1
    private(set) var lastContentColumn: Int32 = 1
    /// The line of the last token, to mark tokens that start a line.
    private var lastTokenLine: Int32 = 0
    /// Only the first bad character of a line is reported, so junk gives one error a line.
    private var reportedBadLine: Int32 = 0
    /// Set while the parser skips a broken statement: bad characters in it are not reported.
    var muteBadCharacters = false

    init(bytes: UnsafeBufferPointer<UInt8>, file: Int32) {
        self.bytes = bytes
        self.file = file
    }

    private func byte(_ i: Int) -> UInt8 { i < bytes.count ? bytes[i] : 0 }

    /// Ends the input here: `next` gives `.eof` from now on, while `bytes` stays readable
    /// for the tokens already given (their text is read after they are passed).
    mutating func skipToEnd() { index = bytes.count }

    private mutating func noteContent(end: Int) {
        lastContentLine = line
        lastContentColumn = Int32(truncatingIfNeeded: end - lineStart + 1)
    }

    /// The next token; `.eof` forever once the input is exhausted.
    mutating func next(names: inout NameTable, sink: inout DiagnosticSink) -> Token {
        skipTrivia(sink: &sink)
        var token = Token()
        token.start = index
        token.line = line
        token.column = Int32(truncatingIfNeeded: index - lineStart + 1)
        guard index < bytes.count else {
            token.kind = .eof
            token.line = lastContentLine
            token.column = lastContentColumn
            return token
        }
        token.startsLine = line != lastTokenLine
        lastTokenLine = line
        let c = bytes[index]
        switch c {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "_"):
            lexWord(&token, names: &names)
        case UInt8(ascii: "0")...UInt8(ascii: "9"):
            lexNumber(&token, sink: &sink)
        case UInt8(ascii: "."):
            if isDigit(byte(index + 1)) {
                lexNumber(&token, sink: &sink)
            } else {
                lexBad(&token, sink: &sink)
            }
        case UInt8(ascii: "\""):
            lexString(&token, sink: &sink)
        case UInt8(ascii: ";"): punct(&token, .semicolon, 1)
        case UInt8(ascii: ","): punct(&token, .comma, 1)
        case UInt8(ascii: "("): punct(&token, .leftParen, 1)
        case UInt8(ascii: ")"): punct(&token, .rightParen, 1)
        case UInt8(ascii: "["): punct(&token, .leftBracket, 1)
        case UInt8(ascii: "]"): punct(&token, .rightBracket, 1)
        case UInt8(ascii: "{"): punct(&token, .leftBrace, 1)
        case UInt8(ascii: "}"): punct(&token, .rightBrace, 1)
        case UInt8(ascii: "+"): punct(&token, .plus, 1)
        case UInt8(ascii: "*"): punct(&token, .star, 1)
        case UInt8(ascii: "/"): punct(&token, .slash, 1)
        case UInt8(ascii: "^"): punct(&token, .caret, 1)
        case UInt8(ascii: "-"):
            if byte(index + 1) == UInt8(ascii: ">") { punct(&token, .arrow, 2) } else { punct(&token, .minus, 1) }
        case UInt8(ascii: "="):
            if byte(index + 1) == UInt8(ascii: "=") { punct(&token, .equals, 2) } else { lexBad(&token, sink: &sink) }
        default:
            lexBad(&token, sink: &sink)
        }
        return token
    }

    @inline(__always)
    private mutating func punct(_ token: inout Token, _ kind: TokenKind, _ length: Int) {
        token.kind = kind
        token.length = length
        index += length
        noteContent(end: index)
    }

    /// Skips blanks, line breaks and comments; reports block comments, which 2.0 lacks.
    private mutating func skipTrivia(sink: inout DiagnosticSink) {
        while index < bytes.count {
            let c = bytes[index]
            if c == 0x0A {
                index += 1
                line &+= 1
                lineStart = index
            } else if c == 0x20 || c == 0x09 || c == 0x0D {
                index += 1
            } else if c == UInt8(ascii: "/") && byte(index + 1) == UInt8(ascii: "/") {
                while index < bytes.count, bytes[index] != 0x0A { index += 1 }
                var end = index
                if end > lineStart, bytes[end - 1] == 0x0D { end -= 1 }
                noteContent(end: end)
            } else if c == UInt8(ascii: "/") && byte(index + 1) == UInt8(ascii: "*") {
                let startLine = line
                let startColumn = Int32(truncatingIfNeeded: index - lineStart + 1)
                index += 2
                var closed = false
                while index < bytes.count {
                    if bytes[index] == UInt8(ascii: "*") && byte(index + 1) == UInt8(ascii: "/") {
                        index += 2
                        closed = true
                        break
                    }
                    if bytes[index] == 0x0A {
                        line &+= 1
                        lineStart = index + 1
                    }
                    index += 1
                }
                noteContent(end: index)
                let message = closed ? QASMMessages.blockComment : QASMMessages.unterminatedComment
                sink.report(file: file, line: startLine, column: startColumn, message)
            } else {
                return
            }
        }
    }

    private func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }

    private func isWordByte(_ c: UInt8) -> Bool {
        (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || (c >= 0x30 && c <= 0x39) || c == 0x5F
    }

    @inline(__always)
    private mutating func lexWord(_ token: inout Token, names: inout NameTable) {
        let start = index
        index += 1
        while index < bytes.count, isWordByte(bytes[index]) { index += 1 }
        let length = index - start
        token.length = length
        noteContent(end: index)
        let base = bytes.baseAddress! + start
        if let keyword = Self.keyword(base, length) {
            token.kind = keyword
            return
        }
        token.kind = .identifier
        token.payload = UInt64(UInt32(bitPattern: names.intern(base, length)))
        let first = base[0]
        if first >= 0x61 && first <= 0x7A { return }
        // Upper case or '_' first: only the built-in gates U and CX are allowed.
        let isU = length == 1 && first == UInt8(ascii: "U")
        let isCX = length == 2 && first == UInt8(ascii: "C") && base[1] == UInt8(ascii: "X")
        token.flagged = !(isU || isCX)
    }

    private static func keyword(_ p: UnsafePointer<UInt8>, _ n: Int) -> TokenKind? {
        @inline(__always) func eq(_ s: StaticString) -> Bool {
            let u = s.utf8Start
            for k in 0..<n where p[k] != u[k] { return false }
            return true
        }
        switch n {
        case 2:
            if eq("if") { return .ifKeyword }
            if eq("ln") { return .ln }
            if eq("pi") { return .pi }
        case 3:
            if eq("sin") { return .sin }
            if eq("cos") { return .cos }
            if eq("tan") { return .tan }
            if eq("exp") { return .exp }
        case 4:
            if eq("qreg") { return .qreg }
            if eq("creg") { return .creg }
            if eq("gate") { return .gate }
            if eq("sqrt") { return .sqrt }
        case 5:
            if eq("reset") { return .reset }
        case 6:
            if eq("opaque") { return .opaque }
        case 7:
            if eq("include") { return .include }
            if eq("barrier") { return .barrier }
            if eq("measure") { return .measure }
        case 8:
            if eq("OPENQASM") { return .openqasm }
        default:
            break
        }
        return nil
    }

    /// Integers are digits only, without leading zeroes (`0` itself is fine); reals
    /// need a '.' (`1.e3`, `.5`), as the OpenQASM 2.0 grammar and Qiskit's strict mode say.
    @inline(__always)
    private mutating func lexNumber(_ token: inout Token, sink: inout DiagnosticSink) {
        let start = index
        var value: UInt64 = 0
        var overflow = false
        while index < bytes.count, isDigit(bytes[index]) {
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(UInt64(bytes[index] - 0x30))
            overflow = overflow || o1 || o2
            value = a
            index += 1
        }
        var isReal = false
        if byte(index) == UInt8(ascii: ".") {
            isReal = true
            index += 1
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        let e = byte(index)
        if e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            let sign = byte(index + 1)
            var digitsAt = -1
            if isDigit(sign) {
                digitsAt = index + 1
            } else if (sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-")) && isDigit(byte(index + 2)) {
                digitsAt = index + 2
            }
            if digitsAt >= 0 {
                let pointed = isReal
                isReal = true
                index = digitsAt
                while index < bytes.count, isDigit(bytes[index]) { index += 1 }
                if !pointed {
                    token.flagged = true
                    let text = Self.excerpt(bytes, start, index - start)
                    sink.report(file: file, line: token.line, column: token.column, QASMMessages.realWithoutPoint(text))
                }
            }
        }
        token.length = index - start
        noteContent(end: index)
        if isReal {
            token.kind = .real
            return
        }
        token.kind = .integer
        token.payload = value
        if bytes[start] == UInt8(ascii: "0") && index - start > 1 {
            token.flagged = true
            let text = Self.excerpt(bytes, start, index - start)
            sink.report(file: file, line: token.line, column: token.column, QASMMessages.leadingZero(text))
        } else if overflow {
            token.flagged = true
            let text = Self.excerpt(bytes, start, index - start)
            sink.report(file: file, line: token.line, column: token.column, QASMMessages.integerOverflow(text))
        }
    }

    private mutating func lexString(_ token: inout Token, sink: inout DiagnosticSink) {
        index += 1
        while index < bytes.count {
            let c = bytes[index]
            if c == UInt8(ascii: "\"") {
                index += 1
                token.kind = .string
                token.length = index - token.start
                noteContent(end: index)
                return
            }
            if c == 0x0A || c == 0x0D { break }
            index += 1
        }
        token.kind = .error
        token.length = index - token.start
        noteContent(end: index)
        sink.report(file: file, line: token.line, column: token.column, QASMMessages.unterminatedString)
    }

    /// A run of bytes that cannot start a token: one error token, one report a line.
    private mutating func lexBad(_ token: inout Token, sink: inout DiagnosticSink) {
        let start = index
        let message = QASMMessages.badCharacter(bytes, at: start)
        index += 1
        while index < bytes.count, Self.isBad(bytes[index]) { index += 1 }
        token.kind = .error
        token.length = index - start
        noteContent(end: index)
        if reportedBadLine != line && !muteBadCharacters {
            reportedBadLine = line
            sink.report(file: file, line: token.line, column: token.column, message)
        }
    }

    private static func isBad(_ c: UInt8) -> Bool {
        if c >= 0x80 || c == 0x7F { return true }
        if c < 0x20 { return c != 0x0A && c != 0x09 && c != 0x0D }
        switch c {
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
            UInt8(ascii: "'"), UInt8(ascii: ":"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "?"),
            UInt8(ascii: "@"), UInt8(ascii: "\\"), UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    /// Up to 40 bytes of source text for a message (long tokens are cut with '...').
    static func excerpt(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ length: Int) -> String {
        let n = min(length, 40)
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<start + n]), as: UTF8.self)
        return length > n ? text + "..." : text
    }
}
