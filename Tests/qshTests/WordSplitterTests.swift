// Tests for the REPL's shell-like word splitting: quotes, escapes, comments, and errors
// whose byte offsets put the caret under the right character.
import Testing
@testable import qsh

@Suite struct WordSplitterTests {
    func texts(_ line: String) throws -> [String] { try WordSplitter.split(line).map(\.text) }

    @Test func splitsOnBlanksAndKeepsOffsets() throws {
        let words = try WordSplitter.split("  tasks\tlist  --limit 5 ")
        #expect(words == [Word("tasks", at: 2), Word("list", at: 8), Word("--limit", at: 14), Word("5", at: 22)])
    }

    @Test func singleQuotesKeepEverythingLiterally() throws {
        #expect(try texts(#"qasm run 'my file.qasm' '\n' '"'"#) == ["qasm", "run", "my file.qasm", #"\n"#, "\""])
    }

    @Test func doubleQuotesDropOnlyTheBackslashesOfSpecialCharacters() throws {
        #expect(try texts(#""a \"b\" \\ \$ \` \n""#) == [#"a "b" \ $ ` \n"#])
    }

    @Test func backslashOutsideQuotesMakesTheNextCharacterLiteral() throws {
        #expect(try texts(##"my\ file.qasm \'x \#y"##) == ["my file.qasm", "'x", "#y"])
    }

    @Test func adjacentPiecesJoinAndEmptyQuotesAreAWord() throws {
        #expect(try texts(#"a'b c'"d"e '' """#) == ["ab cde", "", ""])
        #expect(try WordSplitter.split(#"x ''"#) == [Word("x", at: 0), Word("", at: 2)])
    }

    @Test func hashStartsACommentOnlyAtTheStartOfAWord() throws {
        #expect(try texts("tasks list # newest first") == ["tasks", "list"])
        #expect(try texts("--tag=a#b") == ["--tag=a#b"])
        #expect(try texts("   # only a comment").isEmpty)
        #expect(try texts("").isEmpty)
    }

    @Test func keepsUTF8AndReportsByteOffsets() throws {
        let words = try WordSplitter.split("ψ 'é x'")
        #expect(words == [Word("ψ", at: 0), Word("é x", at: 3)])
    }

    @Test func unterminatedQuotesPointAtTheOpeningQuote() {
        #expect(throws: WordSplitError(message: "unterminated quote", offset: 9)) {
            try WordSplitter.split("qasm run 'bell.qasm")
        }
        #expect(throws: WordSplitError(message: "unterminated quote", offset: 5)) {
            try WordSplitter.split(#"help "a \" b"#)
        }
        #expect(throws: WordSplitError(message: "backslash at end of line", offset: 4)) {
            try WordSplitter.split(#"help\"#)
        }
    }

    @Test func caretLineSitsUnderTheOffendingCharacter() {
        let line = "é run 'x"
        let error = WordSplitError(message: "unterminated quote", offset: 7)
        #expect(WordSplitter.caret(for: error, in: line) == "  é run 'x\n        ^\n")
    }

    @Test func scanReportsTheWordsBeforeAnOpenQuote() {
        let scan = WordSplitter.scan("qasm run 'my fi")
        #expect(scan.words.map(\.text) == ["qasm", "run", "my fi"])
        #expect(scan.error == WordSplitError(message: "unterminated quote", offset: 9))
    }
}
