// Parser: many small bad programs, each checked against the exact messages and
// positions (the way Qiskit's test_parse_errors.py does), recovery that finds
// later errors, and the shape of the tree for good programs.
import Testing
@testable import QshCore

/// A program and every diagnostic it must produce, in order.
struct Case: CustomTestStringConvertible, Sendable {
    var name: String
    var text: String
    var expected: [Expected]
    init(_ name: String, _ text: String, _ expected: Expected...) {
        self.name = name
        self.text = text
        self.expected = expected
    }
    var testDescription: String { name }
}

extension Expected: @unchecked Sendable {}

@Suite struct ParserTests {
    static let syntaxCases: [Case] = [
        Case("empty file", "", Expected(1, 1, "unexpected end-of-file when expecting to see 'OPENQASM 2.0;'")),
        Case(
            "comments only", "// a\n// b\n",
            Expected(2, 5, "unexpected end-of-file when expecting to see 'OPENQASM 2.0;'")),
        Case(
            "missing header", "include \"qelib1.inc\";\nqreg q[1];\n",
            Expected(1, 1, "the first statement must be 'OPENQASM 2.0;', but instead saw 'include'")),
        Case(
            "garbled header", "OPENQSAM 2.0;\nqreg q[1];\n",
            Expected(1, 1, "the first statement must be 'OPENQASM 2.0;', but instead saw an identifier")),
        Case("version 2.1", "OPENQASM 2.1;\n", Expected(1, 10, "can only handle OpenQASM 2.0, but given '2.1'")),
        Case("version 2", "OPENQASM 2;\n", Expected(1, 10, "can only handle OpenQASM 2.0, but given '2'")),
        Case("version word", "OPENQASM two;\n", Expected(1, 10, "needed a version number, but instead saw an identifier")),
        Case(
            "second header", "OPENQASM 2.0;\nOPENQASM 2.0;\n",
            Expected(2, 1, "only the first statement may be a version declaration")),
        Case(
            "header without semicolon", "OPENQASM 2.0\nqreg q[1];\n",
            Expected(2, 1, "needed ';', but instead saw 'qreg'")),
        Case(
            "missing semicolon before keyword", header + "qreg q[2] creg c[2];\n",
            Expected(3, 11, "needed ';', but instead saw 'creg'")),
        Case(
            "missing semicolon at end of line", header + "qreg q[2];\nx q[0]\nh q[1];\n",
            Expected(5, 1, "needed ';', but instead saw an identifier")),
        Case(
            "missing semicolon at eof", header + "qreg q[1];\nx q[0]",
            Expected(4, 7, "unexpected end-of-file when expecting to see ';'")),
        Case(
            "two statements on one line", header + "qreg q[2];\nh q[0] cx q[0],q[1];\n",
            Expected(4, 8, "needed ';', but instead saw an identifier")),
        Case("empty statement", header + "qreg q[1];;\n", Expected(3, 11, "empty statements and extra semicolons are forbidden")),
        Case("stray brace", header + "}\n", Expected(3, 1, "needed a start-of-statement token, but instead saw '}'")),
        Case("unclosed bracket", header + "qreg q[2;\n", Expected(3, 9, "needed ']', but instead saw ';'")),
        Case("unclosed index", header + "qreg q[2];\ncx q[0,q[1];\n", Expected(4, 7, "needed ']', but instead saw ','")),
        Case("negative index", header + "qreg q[2];\nx q[-1];\n", Expected(4, 5, "needed an integer index, but instead saw '-'")),
        Case(
            "negative size", header + "qreg q[-1];\n",
            Expected(3, 8, "needed an integer register size, but instead saw '-'")),
        Case(
            "real size", header + "qreg q[2.5];\n",
            Expected(3, 8, "needed an integer register size, but instead saw a real number")),
        Case("expression size", header + "qreg q[1+1];\n", Expected(3, 9, "needed ']', but instead saw '+'")),
        Case(
            "digit first", header + "qreg 2q[2];\n", Expected(3, 6, "needed an identifier, but instead saw an integer")),
        Case(
            "upper case name", header + "qreg Q[2];\n",
            Expected(3, 6, "'Q' is not a valid identifier: names are [a-z][A-Za-z0-9_]*")),
        Case(
            "underscore first", header + "creg _c[1];\n",
            Expected(3, 6, "'_c' is not a valid identifier: names are [a-z][A-Za-z0-9_]*")),
        Case(
            "keyword as name", header + "qreg qreg[2];\n",
            Expected(3, 6, "'qreg' is a reserved word and cannot be used as a name")),
        Case(
            "pi as name", header + "qreg pi[2];\n", Expected(3, 6, "'pi' is a reserved word and cannot be used as a name")),
        Case(
            "function as gate name", header + "gate sin a { x a; }\n",
            Expected(3, 6, "'sin' is a reserved word and cannot be used as a name")),
        Case(
            "trailing comma in qubits", header + "qreg q[2];\ncx q[0], q[1],;\n",
            Expected(4, 15, "trailing commas in parameter and qubit lists are forbidden")),
        Case(
            "trailing comma in parameters", header + "qreg q[1];\nu3(1,2,3,) q[0];\n",
            Expected(4, 10, "trailing commas in parameter and qubit lists are forbidden")),
        Case(
            "trailing comma in gate parameters", header + "gate g(a,) b { x b; }\n",
            Expected(3, 10, "trailing commas in parameter and qubit lists are forbidden")),
        Case(
            "trailing comma in gate qubits", header + "gate g a, { x a; }\n",
            Expected(3, 11, "trailing commas in parameter and qubit lists are forbidden")),
        Case(
            "number as gate parameter", header + "gate g(1) a { x a; }\n",
            Expected(3, 8, "needed an identifier, but instead saw an integer")),
        Case("opaque with body", header + "opaque g a { x a; }\n", Expected(3, 12, "needed ';', but instead saw '{'")),
        Case(
            "unclosed gate body", header + "gate g a {\n  x a;\n",
            Expected(4, 7, "unexpected end-of-file when expecting to see '}' to close the body of 'g'")),
        Case(
            "measure in gate body", header + "creg c[1];\ngate g a {\n  measure a -> c[0];\n}\n",
            Expected(5, 3, "only gate applications and barriers are valid in a gate body, but instead saw 'measure'")),
        Case(
            "if in gate body", header + "creg c[1];\ngate g a { if (c == 1) x a; }\n",
            Expected(4, 12, "only gate applications and barriers are valid in a gate body, but instead saw 'if'")),
        Case("nested gate", header + "gate f a { gate g b { x b; } x a; }\n", Expected(3, 12, "gate definitions cannot be nested")),
        Case(
            "include not a string", header + "include qelib1.inc;\n",
            Expected(3, 9, "needed a filename string, but instead saw an identifier")),
        Case(
            "unterminated string", "OPENQASM 2.0;\ninclude \"qelib1.inc;\n",
            Expected(2, 9, "unterminated string: the closing '\"' must be on the same line")),
        Case("missing arrow", header + "qreg q[1];\ncreg c[1];\nmeasure q c;\n", Expected(5, 11, "needed '->', but instead saw an identifier")),
        Case(
            "if with !=", header + "qreg q[1];\ncreg c[1];\nif (c != 1) x q[0];\n",
            Expected(5, 7, "invalid character '!'")),
        Case(
            "if guarding barrier", header + "qreg q[1];\ncreg c[1];\nif (c == 1) barrier q;\n",
            Expected(
                5, 13, "needed a gate application, measurement or reset after 'if', but instead saw 'barrier'")),
        Case(
            "if at eof", header + "qreg q[1];\ncreg c[1];\nif (c == 1)",
            Expected(5, 12, "unexpected end-of-file when expecting to see a gate, measurement or reset to condition")),
        Case(
            "if value not an integer", header + "qreg q[1];\ncreg c[1];\nif (c == 1.5) x q[0];\n",
            Expected(5, 10, "needed a non-negative integer, but instead saw a real number")),
        Case("openqasm 3 slice", header + "qreg q[4];\nx q[0:1];\n", Expected(4, 6, "invalid character ':'")),
        Case("openqasm 3 declaration", header + "qubit[2] q;\n", Expected(3, 6, "needed ';', but instead saw '['")),
        Case(
            "unterminated block comment", header + "/* no end\nqreg q[1];\n",
            Expected(3, 1, "unterminated '/*' comment (OpenQASM 2.0 only has '//' comments)")),
        Case(
            "integer overflow", header + "qreg q[99999999999999999999999999999];\n",
            Expected(3, 8, "integer literal '99999999999999999999999999999' does not fit in 64 bits")),
    ]

    @Test(arguments: syntaxCases) func syntaxError(_ c: Case) {
        #expect(diagnostics(c.text) == c.expected)
    }

    @Test func recoveryFindsEveryError() {
        let text =
            header + "qreg q[2]\ncreg c[2];\nx q[0] q[1];\nrx(pi*) q[0];\ncx q[0], q[5];\nmeasure q -> c;\nfoo q;\n"
        #expect(
            diagnostics(text) == [
                Expected(4, 1, "needed ';', but instead saw 'creg'"),
                Expected(5, 8, "needed ';', but instead saw an identifier"),
                Expected(6, 7, "needed an expression, but instead saw ')'"),
                Expected(7, 10, "index 5 is out of range for register 'q' of size 2"),
                Expected(9, 1, "'foo' is not defined in this scope"),
            ])
    }

    @Test func aBrokenDeclarationDoesNotCascade() {
        // 'q' has a syntax error; its later uses are not reported again.
        #expect(diagnostics(header + "qreg q[2;\nh q[0];\ncx q[0], q[1];\n").count == 1)
        #expect(diagnostics(header + "gate g(1) a { x a; }\nqreg q[1];\ng q[0];\n").count == 1)
    }

    @Test func errorLimitStopsTheParser() {
        let text = header + String(repeating: "qreg;\n", count: 500)
        let result = check(text)
        #expect(result.diagnostics.count == 100)
        #expect(result.truncated)
    }

    @Test func treeOfAGoodProgram() throws {
        let text = "OPENQASM 2.0;\nqreg q[2];\ncreg c[2];\nU(0.5, 0, pi) q[0];\nCX q[0], q[1];\nbarrier q;\n"
            + "if (c == 3) reset q[1];\nmeasure q -> c;\n"
        let result = check(text)
        #expect(result.diagnostics.isEmpty)
        let program = try #require(result.program).program
        #expect(program.statements.map(\.kind) == [.qreg, .creg, .apply, .apply, .barrier, .reset, .measure])
        let u = program.statements[2]
        #expect(program.names.name(u.name) == "U")
        #expect(program.parameters(of: u).map(\.value) == [0.5, 0, Double.pi])
        #expect(program.operands(of: u).map { [$0.index, $0.isIndexed ? 1 : 0] } == [[0, 1]])
        let reset = program.statements[5]
        #expect(reset.condition == 0)
        #expect(program.conditions[0].value == 3)
        #expect(program.statements[0].size == 2)
        #expect(program.statements[0].position == SourcePosition(file: 0, line: 2, column: 6))
    }

    @Test func gateDefinitionShape() throws {
        let result = check("OPENQASM 2.0;\ngate g(a, b) x, y { U(a, b, 0) x; barrier x, y; CX x, y; }\nopaque o(t) q;\n")
        #expect(result.diagnostics.isEmpty)
        let program = try #require(result.program).program
        let g = program.gates[0]
        #expect(program.names.name(g.name) == "g")
        #expect(g.parameters.map { program.names.name($0) } == ["a", "b"])
        #expect(g.qubits.map { program.names.name($0) } == ["x", "y"])
        #expect(g.body.map(\.kind) == [.apply, .barrier, .apply])
        #expect(g.native == nil)
        #expect(program.gates[1].isOpaque)
    }

    @Test func emptyParameterListsAreAllowed() {
        #expect(diagnostics(header + "gate g() a { h a; }\nqreg q[1];\ng() q[0];\nh() q[0];\n").isEmpty)
    }
}
