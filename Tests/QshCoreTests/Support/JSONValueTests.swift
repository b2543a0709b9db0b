// Tests for the ordered JSON value: writing, parsing and round trips.
import Testing
@testable import QshCore

@Suite struct JSONValueTests {
    @Test func writesCompactInInsertionOrder() {
        let value: JSONValue = ["ok": false, "errors": [["line": 3, "message": "a \"b\"\n"]], "p": 0.5]
        #expect(value.serialized() == #"{"ok": false, "errors": [{"line": 3, "message": "a \"b\"\n"}], "p": 0.5}"#)
    }

    @Test func writesIntegralDoublesAsReals() {
        #expect(JSONValue.double(1).serialized() == "1.0")
        #expect(JSONValue.double(.nan).serialized() == "null")
        #expect(JSONValue.double(0.1).serialized() == "0.1")
    }

    @Test func escapesControlsThatATerminalWouldObey() throws {
        let text = "a\u{1B}b\u{7F}c\u{85}d\u{202E}e\u{2066}f\u{061C}g\u{2028}h\u{200F}"
        let written = JSONValue.string(text).serialized()
        #expect(written == #""a\u001bb\u007fc\u0085d\u202ee\u2066f\u061cg\u2028h\u200f""#)
        #expect(try JSONValue.parse(written) == .string(text))
        // Other text, accents and emoji included, is written as it is.
        #expect(JSONValue.string("é😀→ ✓").serialized() == "\"é😀→ ✓\"")
    }

    @Test func writesIndented() {
        let value: JSONValue = ["a": [1, 2], "b": [:]]
        #expect(value.prettySerialized() == "{\n  \"a\": [\n    1,\n    2\n  ],\n  \"b\": {}\n}")
    }

    @Test(arguments: [
        #"{"a": [1, 2.5, "x\u00e9\ud83d\ude00", true, false, null], "b": {}}"#,
        #"[]"#, #""\\\/\b\f\n\r\t""#, #"-12"#, #"1e-05"#,
    ])
    func roundTrips(text: String) throws {
        let value = try JSONValue.parse(text)
        #expect(try JSONValue.parse(value.serialized()) == value)
    }

    @Test func parsesUnicodeEscapes() throws {
        #expect(try JSONValue.parse(#""\u00e9\ud83d\ude00""#) == .string("é😀"))
    }

    @Test(arguments: ["", "{", "[1,]", "{\"a\" 1}", "tru", "\"abc", "1 2", "{\"a\":1,}"])
    func rejectsMalformed(text: String) {
        #expect(throws: JSONParseError.self) { try JSONValue.parse(text) }
    }
}
