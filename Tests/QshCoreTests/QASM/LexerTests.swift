// Lexer: token kinds, positions (1-based, byte columns, CRLF as one break),
// numbers, identifiers, comments, and one report per bad line.
import Testing
@testable import QshCore

@Suite struct LexerTests {
    @Test func headerTokens() {
        let result = lex("OPENQASM 2.0;\n")
        #expect(result.tokens.map(\.kind) == [.openqasm, .real, .semicolon, .eof])
        #expect(result.tokens.map(\.column) == [1, 10, 13, 14])
        #expect(result.diagnostics.isEmpty)
    }

    @Test func punctuationAndOperators() {
        let kinds = lex("; , ( ) [ ] { } + - * / ^ == ->").tokens.map(\.kind)
        #expect(
            kinds == [
                .semicolon, .comma, .leftParen, .rightParen, .leftBracket, .rightBracket, .leftBrace, .rightBrace,
                .plus, .minus, .star, .slash, .caret, .equals, .arrow, .eof,
            ])
    }

    @Test func keywordsAndReservedWords() {
        let kinds = lex("include qreg creg gate opaque barrier measure reset if pi sin cos tan exp ln sqrt")
            .tokens.map(\.kind)
        #expect(
            kinds == [
                .include, .qreg, .creg, .gate, .opaque, .barrier, .measure, .reset, .ifKeyword, .pi, .sin, .cos,
                .tan, .exp, .ln, .sqrt, .eof,
            ])
    }

    @Test func identifiersAreInterned() {
        let result = lex("q cx q U CX")
        let ids = result.tokens.dropLast().map(\.nameID)
        #expect(ids[0] == ids[2])
        #expect(ids[1] != ids[0])
        #expect(ids[3] == NameTable.builtinU)
        #expect(ids[4] == NameTable.builtinCX)
        #expect(result.names.name(ids[1]) == "cx")
        #expect(result.tokens.dropLast().allSatisfy { !$0.flagged })
    }

    @Test func malformedIdentifiersAreFlaggedNotReported() {
        let result = lex("Q _c OPENQSAM")
        #expect(result.tokens.dropLast().map(\.flagged) == [true, true, true])
        #expect(result.diagnostics.isEmpty)
    }

    @Test func integersAndReals() {
        let result = lex("42 1. .5 1.e-1 2.5E+3 1e5 7")
        #expect(result.tokens.map(\.kind) == [.integer, .real, .real, .real, .real, .real, .integer, .eof])
        #expect(result.tokens[0].payload == 42)
        #expect(result.tokens[6].payload == 7)
    }

    @Test func integerOverflowIsReportedAndFlagged() {
        let result = lex("18446744073709551615 18446744073709551616")
        #expect(result.tokens[0].payload == UInt64.max)
        #expect(!result.tokens[0].flagged)
        #expect(result.tokens[1].flagged)
        #expect(result.diagnostics.map(\.message) == ["integer literal '18446744073709551616' does not fit in 64 bits"])
        #expect(result.diagnostics.map(\.column) == [22])
    }

    @Test func crlfIsOneLineBreak() {
        let result = lex("a\r\nb\r\n\r\nc")
        #expect(result.tokens.map(\.line) == [1, 2, 4, 4])
        #expect(result.tokens.map(\.column) == [1, 1, 1, 2])
    }

    @Test func commentsAreSkippedAndCountAsContentForEOF() {
        let result = lex("a // comment\n// last\n\n")
        #expect(result.tokens.map(\.kind) == [.identifier, .eof])
        // End-of-file errors go just after the last non-blank text: the comment on line 2.
        #expect(result.tokens[1].line == 2)
        #expect(result.tokens[1].column == 8)
    }

    @Test func emptyInputEndsAtOneOne() {
        let result = lex("")
        #expect(result.tokens.count == 1)
        #expect(result.tokens[0].line == 1 && result.tokens[0].column == 1)
    }

    @Test func blockCommentsAreErrors() {
        let closed = lex("a /* x */ b")
        #expect(closed.tokens.map(\.kind) == [.identifier, .identifier, .eof])
        #expect(closed.diagnostics.map(\.code) == ["block_comment"])
        let open = lex("a\n/* x\ny")
        #expect(open.tokens.map(\.kind) == [.identifier, .eof])
        #expect(open.diagnostics.map(\.code) == ["unterminated_comment"])
        #expect(open.diagnostics.map(\.line) == [2])
    }

    @Test func stringsEndOnTheirLine() {
        let good = lex("include \"a b.inc\";")
        #expect(good.tokens.map(\.kind) == [.include, .string, .semicolon, .eof])
        #expect(good.tokens[1].length == 9)
        let bad = lex("include \"a.inc;\nqreg")
        #expect(bad.tokens.map(\.kind) == [.include, .error, .qreg, .eof])
        #expect(bad.diagnostics.map(\.code) == ["unterminated_string"])
    }

    @Test func badCharactersOneReportPerLine() {
        let result = lex("a ! @ b\n# c")
        #expect(result.tokens.map(\.kind) == [.identifier, .error, .error, .identifier, .error, .identifier, .eof])
        #expect(result.diagnostics.map(\.message) == ["invalid character '!'", "invalid character '#'"])
        #expect(result.diagnostics.map(\.line) == [1, 2])
    }

    @Test func nonASCII() {
        let utf8 = lex("q\u{FC}")
        #expect(utf8.diagnostics.map(\.message) == [
            "non-ASCII character '\u{FC}' (U+00FC): OpenQASM 2.0 is ASCII outside comments"
        ])
        let bytes: [UInt8] = Array("r".utf8) + [0xE9] + Array("[1]".utf8)
        let invalid = lex(String(decoding: bytes, as: UTF8.self))
        #expect(invalid.diagnostics.count == 1)
        #expect(invalid.diagnostics.first?.code == "non_ascii")
        #expect(lex("// caf\u{E9} is fine in a comment").diagnostics.isEmpty)
    }

    @Test func singleEqualsSuggestsDoubleEquals() {
        #expect(lex("c = 1").diagnostics.map(\.message) == ["invalid character '=' (did you mean '=='?)"])
    }

    @Test func startsLineMarksFirstTokenOfALine() {
        let result = lex("a b\n  c")
        #expect(result.tokens.dropLast().map(\.startsLine) == [true, false, true])
    }

    @Test func longIdentifierIsOneToken() {
        let name = String(repeating: "x", count: 100_000)
        let result = lex(name + ";")
        #expect(result.tokens.map(\.kind) == [.identifier, .semicolon, .eof])
        #expect(result.tokens[0].length == 100_000)
    }
}

@Suite struct NameTableTests {
    @Test func internsManyNamesAndFindsThemAgain() {
        var table = NameTable()
        var ids: [Int32] = []
        for i in 0..<5000 { ids.append(table.intern("name\(i)")) }
        #expect(Set(ids).count == 5000)
        for i in stride(from: 0, to: 5000, by: 7) {
            #expect(table.intern("name\(i)") == ids[i])
            #expect(table.lookup("name\(i)") == ids[i])
            #expect(table.name(ids[i]) == "name\(i)")
        }
        #expect(table.lookup("missing") == nil)
        #expect(table.lookup("") == nil)
        #expect(table.count == 5002)
        #expect(table.name(-1) == "")
    }

    @Test func formFeedAndVerticalTabAreNotWhitespace() {
        // Only space, tab and line ends separate tokens, as in Qiskit's lexer.
        for c in ["\u{0C}", "\u{0B}"] {
            #expect(codes(header + c + "qreg q[1];\n").count == 1)
        }
        #expect(codes(header + "qreg q[1];\t// \u{0C} in a comment\r\n").isEmpty)
    }
}
