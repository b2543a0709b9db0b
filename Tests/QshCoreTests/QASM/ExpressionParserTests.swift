// Expressions: precedence and associativity, folding, functions, non-finite values,
// syntax errors and the nesting limit (which must never crash).
import Testing
@testable import QshCore

/// The folded value of `expression` as the parameter of `rx`, or nil if it did not check.
private func value(_ expression: String) -> Double? {
    let result = check(header + "qreg q[1];\nrx(\(expression)) q[0];\n")
    guard let program = result.program?.program, let last = program.statements.last else { return nil }
    return program.parameters[Int(last.parameterStart)].value
}

private func errors(_ expression: String) -> [Expected] {
    diagnostics(header + "qreg q[1];\nrx(\(expression)) q[0];\n")
}

@Suite struct ExpressionParserTests {
    @Test func precedenceAndAssociativity() {
        #expect(value("1 + 2 * 3") == 7)
        #expect(value("(1 + 2) * 3") == 9)
        #expect(value("8 - 4 - 2") == 2)
        #expect(value("8 / 4 / 2") == 1)
        #expect(value("2^3^2") == 512)
        #expect(value("-2^2") == -4)
        #expect(value("2^-1") == 0.5)
        #expect(value("2^-1*4") == 2)
        #expect(value("-2*3") == -6)
        #expect(value("2*-3") == -6)
        #expect(value("-(-(-0.25))") == -0.25)
        #expect(value("2 - -2") == 4)
        #expect(value("-2^2 + 4.5") == 0.5)
    }

    @Test func literalsAndPi() {
        #expect(value("1.") == 1)
        #expect(value(".5") == 0.5)
        #expect(value("1.e-1") == 0.1)
        #expect(value("2.5E-1") == 0.25)
        #expect(value("0.1") == 0.1)
        #expect(value("2.834962538386593") == 2.834962538386593)
        #expect(value("0.12345678901234567890123") == 0.12345678901234568)
        #expect(value("pi") == Double.pi)
        #expect(value("pi/2") == Double.pi / 2)
    }

    @Test func functions() throws {
        #expect(value("sin(0)") == 0)
        #expect(value("cos(0)") == 1)
        #expect(value("tan(0)") == 0)
        #expect(value("exp(0)") == 1)
        #expect(value("ln(1)") == 0)
        #expect(value("sqrt(4)") == 2)
        let x = try #require(value("ln(exp(1.5))"))
        #expect(abs(x - 1.5) < 1e-15)
    }

    @Test func nonFiniteValuesAreErrors() {
        #expect(errors("1/0") == [Expected(4, 5, "division by zero")])
        #expect(errors("ln(0)") == [Expected(4, 4, "'ln(0.0)' is not a finite number")])
        #expect(errors("sqrt(-1)") == [Expected(4, 4, "'sqrt(-1.0)' is not a finite number")])
        #expect(errors("exp(1000)") == [Expected(4, 4, "'exp(1000.0)' is not a finite number")])
        #expect(errors("1.0e400") == [Expected(4, 4, "real literal '1.0e400' is out of range (not a finite number)")])
        #expect(errors("10^400") == [Expected(4, 6, "'10.0 ^ 400.0' is not a finite number")])
        #expect(errors("1.e308*10") == [Expected(4, 10, "'1e+308 * 10.0' is not a finite number")])
    }

    @Test func syntaxErrors() {
        #expect(errors("pi*") == [Expected(4, 7, "needed an expression, but instead saw ')'")])
        #expect(errors("pi pi") == [Expected(4, 7, "needed ',' or ')', but instead saw 'pi'")])
        #expect(errors("(pi pi)") == [Expected(4, 8, "needed ')', but instead saw 'pi'")])
        #expect(errors("sin 1") == [Expected(4, 8, "needed '(', but instead saw an integer")])
        #expect(
            errors("asin(0.5)") == [
                Expected(4, 4, "'asin' is not a function: the functions are sin, cos, tan, exp, ln and sqrt")
            ])
        #expect(errors("1,") == [Expected(4, 6, "trailing commas in parameter and qubit lists are forbidden")])
    }

    @Test func unknownNamesAreReportedByTheChecker() {
        #expect(errors("e") == [Expected(4, 4, "'e' is not defined in this scope")])
        #expect(
            diagnostics(header + "qreg q[1];\ncreg c[1];\nrx(c + 1) q[0];\n") == [
                Expected(5, 4, "'c' is a classical register, not a number")
            ])
    }

    @Test func nestingWithinTheLimitIsAccepted() {
        let depth = QASMLimits.standard.maximumNestingDepth
        let text = String(repeating: "(", count: depth) + "1" + String(repeating: ")", count: depth)
        #expect(value(text) == 1)
        let negations = String(repeating: "-", count: depth) + "1"
        #expect(value(negations) == (depth % 2 == 0 ? 1 : -1))
    }

    @Test func deepNestingIsAnErrorNotACrash() {
        for open in [1001, 10_000, 100_000] {
            let balanced = String(repeating: "(", count: open) + "1" + String(repeating: ")", count: open)
            let found = errors(balanced)
            #expect(found.count == 1)
            #expect(found.first?.message == "expression is nested more deeply than the limit of 1000")
            let unclosed = String(repeating: "(", count: open)
            #expect(codes(header + "qreg q[1];\nrx(\(unclosed) q[0];\n") == ["expression_too_deep"])
        }
    }

    @Test func tallTreesInGateBodiesAreLimited() {
        let chain = "t" + String(repeating: "+t", count: 1000)
        let text = header + "gate g(t) a { rx(\(chain)) a; }\n"
        #expect(codes(text) == ["expression_too_deep"])
        let fine = header + "gate g(t) a { rx(t" + String(repeating: "+t", count: 900) + ") a; }\nqreg q[1];\ng(1) q[0];\n"
        #expect(check(fine).diagnostics.isEmpty)
    }

    @Test func parametersStaySymbolicInGateBodies() throws {
        let result = check(header + "gate g(t) a { rx(t/2 + pi) a; }\n")
        let program = try #require(result.program).program
        let body = program.gates[program.gates.count - 1].body
        let parameter = program.parameters[Int(body[0].parameterStart)]
        #expect(!parameter.isConstant)
        #expect(program.evaluate(parameter, [2]) == 1 + Double.pi)
    }
}

@Suite struct RealLiteralTests {
    /// Every path of the literal reader against the standard library's correctly rounded parse.
    @Test func agreesWithTheStandardLibrary() {
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        func next() -> UInt64 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return state
        }
        var texts = ["0.1", "0.5", "1.", ".5", "2.834962538386593", "0.12345678901234567", "3.141592653589793",
            "9007199254740993.0", "18446744073709551615.0", "1.7976931348623157e308", "4.9e-324", "1e-30",
            "123456789012345678901234567890.5", "0.000000000000000000001", "1.e-1", "2.5E+3", "99999999999999999.9"]
        for _ in 0..<20_000 {
            let digits = Int(next() % 20) + 1
            var text = ""
            for _ in 0..<digits { text += String(next() % 10) }
            let point = Int(next() % UInt64(digits + 1))
            text.insert(".", at: text.index(text.startIndex, offsetBy: point))
            if next() % 4 == 0 { text += "e" + (next() % 2 == 0 ? "-" : "") + String(next() % 30) }
            texts.append(text)
        }
        for text in texts {
            var bytes = Array(text.utf8)
            let value = bytes.withUnsafeMutableBufferPointer { QASMMath.parseReal($0.baseAddress!, $0.count) }
            let expected = Double(text.hasPrefix(".") ? "0" + text : text)
            #expect(value == expected, "\(text)")
        }
    }
}
