// Checker: scopes, arity, broadcasts, duplicates, types, limits and non-finite
// parameters; each small bad program against its exact messages and positions.
import Testing
@testable import QshCore

@Suite struct CheckerTests {
    static let semanticCases: [Case] = [
        Case("unknown gate", header + "qreg q[1];\nfoo q[0];\n", Expected(4, 1, "'foo' is not defined in this scope")),
        Case(
            "no qelib1 without include", "OPENQASM 2.0;\nqreg q[1];\nh q[0];\n",
            Expected(3, 1, "'h' is not defined in this scope")),
        Case("undeclared register", header + "qreg q[1];\nh r[0];\n", Expected(4, 3, "'r' is not defined in this scope")),
        Case("use before declaration", header + "h q[0];\nqreg q[1];\n", Expected(3, 3, "'q' is not defined in this scope")),
        Case(
            "register as gate", header + "qreg q[1];\nq q[0];\n", Expected(4, 1, "'q' is a quantum register, not a gate")),
        Case("gate as register", header + "qreg q[1];\nx h;\n", Expected(4, 3, "'h' is a gate, not a quantum register")),
        Case(
            "creg as qubit", header + "qreg q[1];\ncreg c[1];\nx c[0];\n",
            Expected(5, 3, "'c' is a classical register, not a quantum register")),
        Case(
            "duplicate register", header + "qreg q[2];\nqreg q[3];\n", Expected(4, 6, "'q' is already defined")),
        Case(
            "qreg and creg share a namespace", header + "qreg q[2];\ncreg q[2];\n",
            Expected(4, 6, "'q' is already defined")),
        Case("register named like a gate", header + "qreg t[1];\n", Expected(3, 6, "'t' is already defined")),
        Case("duplicate gate", header + "gate g a { h a; }\ngate g a { x a; }\n", Expected(4, 6, "'g' is already defined")),
        Case("redefining a qelib1 gate", header + "gate h a { U(pi/2,0,pi) a; }\n", Expected(3, 6, "'h' is already defined")),
        Case(
            "redefining an extension of qelib1 twice",
            header + "gate swap a, b { cx a, b; cx b, a; cx a, b; }\ngate swap a, b { cx a, b; }\n",
            Expected(4, 6, "'swap' is already defined")),
        Case("leading zeroes", header + "qreg q[1];\nrx(007) q[0];\n", Expected(4, 4, "integers cannot have leading zeroes: '007'")),
        Case(
            "an exponent without a point", header + "qreg q[1];\nrx(1e3) q[0];\n",
            Expected(4, 4, "real literal '1e3' needs a decimal point (write it as '1.e3')")),
        Case(
            "redefining U", "OPENQASM 2.0;\ngate U a { }\n",
            Expected(2, 6, "'U' is a built-in gate and cannot be redefined")),
        Case(
            "duplicate gate qubit", header + "gate g a, a { h a; }\n",
            Expected(3, 11, "'a' is already defined as a qubit of this gate")),
        Case(
            "duplicate gate parameter", header + "gate g(t, t) a { rx(t) a; }\n",
            Expected(3, 11, "'t' is already defined as a parameter of this gate")),
        Case(
            "parameter and qubit clash", header + "gate g(a) a { x a; }\n",
            Expected(3, 11, "'a' is already defined as a parameter of this gate")),
        Case("gate without qubits", header + "gate nothing() { }\n", Expected(3, 1, "gates must act on at least one qubit")),
        Case("recursive gate", header + "gate g a {\n  g a;\n}\n", Expected(4, 3, "'g' cannot be used in its own definition")),
        Case(
            "mutual recursion", header + "gate f a { g a; }\ngate g a { f a; }\n",
            Expected(3, 12, "'g' is not defined in this scope")),
        Case(
            "undeclared qubit in body", header + "gate g a { x b; }\n", Expected(3, 14, "'b' is not a qubit argument of 'g'")),
        Case(
            "parameter used as qubit", header + "gate g(t) a { x t; }\n", Expected(3, 17, "'t' is a parameter, not a qubit")),
        Case(
            "undeclared parameter in body", header + "gate g(theta) a { rx(phi) a; }\n",
            Expected(3, 22, "'phi' is not a parameter of 'g'")),
        Case(
            "indexed qubit in body", header + "gate g a { x a[0]; }\n",
            Expected(3, 14, "'a' is a qubit argument of the gate and cannot be indexed")),
        Case(
            "duplicate qubit in body", header + "gate g a, b { cx a, a; }\n",
            Expected(3, 15, "duplicate qubit 'a' in the arguments of 'cx'")),
        Case(
            "opaque applied", header + "opaque magic a;\nqreg q[1];\nmagic q[0];\n",
            Expected(5, 1, "'magic' is an opaque gate: it has no definition, so it cannot be applied")),
        Case(
            "opaque applied in a body", header + "opaque o a;\ngate g a { o a; }\n",
            Expected(4, 12, "'o' is an opaque gate: it has no definition, so it cannot be applied")),
        Case(
            "missing parameter", header + "qreg q[1];\nrx q[0];\n", Expected(4, 1, "'rx' takes 1 parameter, but got 0")),
        Case(
            "too few parameters", header + "qreg q[1];\nu3(0.1, 0.2) q[0];\n",
            Expected(4, 1, "'u3' takes 3 parameters, but got 2")),
        Case(
            "parameter to a gate without any", header + "qreg q[1];\nh(0.5) q[0];\n",
            Expected(4, 1, "'h' takes 0 parameters, but got 1")),
        Case(
            "one qubit too many", header + "qreg q[2];\nh q[0], q[1];\n",
            Expected(4, 1, "'h' takes 1 quantum argument, but got 2")),
        Case(
            "one qubit too few", header + "qreg q[2];\ncx q[0];\n", Expected(4, 1, "'cx' takes 2 quantum arguments, but got 1")),
        Case(
            "CX with one qubit", "OPENQASM 2.0;\nqreg q[2];\nCX q[0];\n",
            Expected(3, 1, "'CX' takes 2 quantum arguments, but got 1")),
        Case(
            "index out of range", header + "qreg q[2];\nx q[2];\n",
            Expected(4, 3, "index 2 is out of range for register 'q' of size 2")),
        Case(
            "reset out of range", header + "qreg q[3];\nreset q[3];\n",
            Expected(4, 7, "index 3 is out of range for register 'q' of size 3")),
        Case(
            "broadcast mismatch", header + "qreg a[2];\nqreg b[3];\ncx a, b;\n",
            Expected(5, 1, "cannot broadcast registers of different sizes: 'a' has 2 and 'b' has 3")),
        Case(
            "same qubit twice", header + "qreg q[2];\ncx q[0], q[0];\n",
            Expected(4, 1, "duplicate qubit q[0] in the arguments of 'cx'")),
        Case(
            "register against itself", header + "qreg q[2];\ncx q, q;\n",
            Expected(4, 1, "duplicate qubit q[0] in the arguments of 'cx'")),
        Case(
            "qubit against its register", header + "qreg q[2];\ncx q[1], q;\n",
            Expected(4, 1, "duplicate qubit q[1] in the arguments of 'cx'")),
        Case(
            "measure qubit into register", header + "qreg q[2];\ncreg c[2];\nmeasure q[0] -> c;\n",
            Expected(
                5, 1,
                "cannot measure 1 qubit into 2 bits: measure needs a qubit and a bit, or two registers of the same size")),
        Case(
            "measure sizes differ", header + "qreg q[3];\ncreg c[2];\nmeasure q -> c;\n",
            Expected(
                5, 1,
                "cannot measure 3 qubits into 2 bits: measure needs a qubit and a bit, or two registers of the same size")),
        Case(
            "measure from a creg", header + "creg c[2];\nmeasure c[0] -> c[1];\n",
            Expected(4, 9, "'c' is a classical register, not a quantum register")),
        Case(
            "measure into a qubit", header + "qreg q[2];\nmeasure q[0] -> q[1];\n",
            Expected(4, 17, "'q' is a quantum register, not a classical register")),
        Case(
            "reset a creg", header + "creg c[2];\nreset c;\n", Expected(4, 7, "'c' is a classical register, not a quantum register")),
        Case(
            "barrier on a creg", header + "creg c[1];\nbarrier c;\n",
            Expected(4, 9, "'c' is a classical register, not a quantum register")),
        Case(
            "if on a qreg", header + "qreg q[1];\nif (q == 1) x q[0];\n",
            Expected(4, 5, "'q' is a quantum register, not a classical register")),
        Case(
            "if on an undeclared register", header + "qreg q[1];\nif (d == 1) x q[0];\n",
            Expected(4, 5, "'d' is not defined in this scope")),
        Case(
            "register too large", header + "qreg q[100000000];\n",
            Expected(3, 6, "register 'q' of 100000000 qubits takes the program past the limit of 40 qubits")),
        Case(
            "register of 2^32 qubits", header + "qreg q[4294967296];\n",
            Expected(3, 6, "register 'q' of 4294967296 qubits takes the program past the limit of 40 qubits")),
        Case(
            "registers together too large", header + "qreg a[30];\nqreg b[20];\n",
            Expected(4, 6, "register 'b' of 20 qubits takes the program past the limit of 40 qubits")),
        Case(
            "too many classical bits", header + "creg c[2000];\n",
            Expected(
                3, 6, "register 'c' of 2000 classical bits takes the program past the limit of 1024 classical bits")),
        Case(
            "non-finite in a gate body", header + "gate inv(t) a\n{\n  rx(1/t) a;\n}\nqreg q[1];\ninv(0) q[0];\n",
            Expected(
                8, 1, "with these parameters, 'inv' computes a value that is not a finite number (at test.qasm:5:7)")),
        Case(
            "non-finite two gates down", header + "gate f(t) a { rx(ln(t)) a; }\ngate g(t) a { f(t-1) a; }\nqreg q[1];\ng(1) q[0];\n",
            Expected(
                6, 1, "with these parameters, 'g' computes a value that is not a finite number (at test.qasm:3:18)")),
        Case(
            "non-finite inside qelib1", header + "qreg q[2];\ncu3(1.7e308, 1.7e308, 1.7e308) q[0], q[1];\n",
            Expected(
                4, 1, "with these parameters, 'cu3' computes a value that is not a finite number (at qelib1.inc:134:13)")),
    ]

    @Test(arguments: semanticCases) func semanticError(_ c: Case) {
        #expect(diagnostics(c.text) == c.expected)
    }

    @Test func codesAreStable() {
        #expect(codes(header + "qreg q[1];\nfoo q[0];\n") == ["unknown_gate"])
        #expect(codes(header + "qreg q[2];\ncx q, q;\n") == ["duplicate_qubit"])
        #expect(codes(header + "qreg q[1000];\n") == ["register_too_large"])
        #expect(codes(header + "qreg q[2];\nx q[2];\n") == ["index_out_of_range"])
        #expect(codes(header + "opaque o a;\nqreg q[1];\no q[0];\n") == ["opaque_gate_application"])
    }

    @Test func everyErrorIsReportedInOrder() {
        let text = header + "qreg q[2];\nx q[5];\ncx q[0], q[0];\nfoo q;\nrx(1/0) q[1];\n"
        #expect(
            diagnostics(text) == [
                Expected(4, 3, "index 5 is out of range for register 'q' of size 2"),
                Expected(5, 1, "duplicate qubit q[0] in the arguments of 'cx'"),
                Expected(6, 1, "'foo' is not defined in this scope"),
                Expected(7, 5, "division by zero"),
            ])
    }

    @Test func programsMayDefineTheGatesQiskitAddsToQelib1() throws {
        // The paper's qelib1.inc has no swap, cp, rzz or sx, so programs written for it
        // define their own; the program's definition then applies.
        for definition in [
            "gate swap a, b { cx a, b; cx b, a; cx a, b; }", "gate cp(l) a, b { cu1(l) a, b; }",
            "gate rzz(t) a, b { cx a, b; u1(t) b; cx a, b; }", "gate sx a { sdg a; h a; sdg a; }",
        ] {
            #expect(diagnostics(header + definition + "\nqreg q[2];\n").isEmpty, "\(definition)")
        }
        #expect(diagnostics(header + "qreg p[1];\ncreg swap[1];\nmeasure p[0] -> swap[0];\n").isEmpty)
        #expect(codes(header + "qreg p[1];\np(0.5) p[0];\n") == ["unknown_gate"])
        let result = check(header + "gate swap a, b { cx a, b; }\nqreg q[2];\nswap q[0], q[1];\n")
        #expect(result.diagnostics.isEmpty)
        let program = try #require(result.program)
        // The program's swap is one cx, not qelib1.inc's three.
        #expect(try Lowering.lower(program).operations == [.gate(.cx, qubits: [0, 1], parameters: [], condition: nil)])
    }

    @Test func numbersFollowTheGrammar() {
        for good in ["0", "10", "1.", ".5", "00.5", "1.e3", "1.5E-3", "0.0"] {
            #expect(diagnostics(header + "qreg q[1];\nrx(\(good)) q[0];\n").isEmpty, "\(good)")
        }
        for bad in ["00", "01", "1e3", "2E+1"] {
            #expect(diagnostics(header + "qreg q[1];\nrx(\(bad)) q[0];\n").count == 1, "\(bad)")
        }
        #expect(codes(header + "qreg q[02];\n") == ["syntax_error"])
    }

    @Test func aDuplicateGateIsStillChecked() {
        #expect(
            diagnostics(header + "gate g a { h a; }\ngate g a { y b; }\n") == [
                Expected(4, 6, "'g' is already defined"),
                Expected(4, 14, "'b' is not a qubit argument of 'g'"),
            ])
    }

    @Test func duplicateNotesPointAtTheFirstDefinition() {
        let result = check(header + "qreg q[2];\nqreg q[3];\n")
        #expect(result.diagnostics.first?.notes == ["'q' was first defined at test.qasm:3:6"])
    }

    @Test func validProgramsHaveASummary() throws {
        let text = header + "qreg q[2];\ncreg c[2];\nh q[0];\ncx q[0], q[1];\nh q;\nmeasure q -> c;\n"
        let summary = try #require(check(text).summary)
        #expect(summary.qubits == 2)
        #expect(summary.clbits == 2)
        #expect(summary.gates == [
            GateCount(name: "h", count: 3), GateCount(name: "cx", count: 1), GateCount(name: "measure", count: 2),
        ])
    }

    /// The summary counts the operations of the circuit the program lowers to, by name, as
    /// Qiskit's count_ops does: gates defined in the program expanded (barriers in their
    /// bodies too), broadcasts resolved, measure, reset and barrier included; the same
    /// counts as the lowered circuit's metrics.
    @Test func theSummaryCountsTheLoweredCircuitsOperations() throws {
        let text = header + """
            gate inner a, b { cx a, b; barrier a, b; rz(0.1) b; }
            gate outer a, b { h a; inner a, b; inner b, a; }
            qreg q[2];
            qreg r[2];
            creg c[2];
            outer q[0], q[1];
            outer q, r;
            barrier q, r;
            reset r;
            if (c == 1) x q[0];
            measure q -> c;
            U(0, 0, 0) r[0];
            CX r[0], r[1];

            """
        let summary = try #require(check(text).summary)
        #expect(summary.gates.map { "\($0.name) \($0.count)" } == [
            "h 3", "cx 6", "barrier 7", "rz 6", "reset 2", "x 1", "measure 2", "U 1", "CX 1",
        ])
        let circuit = try Compiler.circuit(ProgramSnapshot(main: SourceFile(name: "test.qasm", text: text))).get()
        let metrics = CircuitMetrics(circuit: circuit, fusedGates: 0)
        #expect(Dictionary(uniqueKeysWithValues: summary.gates.map { ($0.name, $0.count) }) == metrics.gateCounts)
    }

    @Test func acceptedCornerCases() {
        // Gate arguments may reuse global register names; registers of size zero broadcast to nothing.
        #expect(diagnostics(header + "qreg q[2];\ngate g(q) a { rx(q) a; }\ng(1) q[0];\n").isEmpty)
        #expect(diagnostics(header + "qreg q[0];\nqreg r[1];\nh q;\nbarrier q;\n").isEmpty)
        #expect(diagnostics(header + "opaque mystery(a, b) x, y;\nqreg q[1];\n").isEmpty)
        #expect(diagnostics(header + "qreg q[1];\ncreg c[1];\nif (c == 1) measure q[0] -> c[0];\n").isEmpty)
        #expect(diagnostics(header + "qreg a[2];\nqreg b[2];\ncx a[0], b;\nccx a, b, a[0];\n").count == 1)
        #expect(diagnostics(header + "qreg q[40];\n").isEmpty)
        #expect(codes(header + "qreg q[41];\n") == ["register_too_large"])
    }

    @Test func wideGatesAndLongOperandLists() {
        let n = 2000
        let parameters = (0..<n).map { "p\($0)" }.joined(separator: ",")
        let qubits = (0..<n).map { "a\($0)" }.joined(separator: ",")
        let body = (0..<n).map { "rx(p\($0)) a\($0);" }.joined(separator: " ")
        #expect(diagnostics(header + "gate g(\(parameters)) \(qubits) { \(body) }\n").isEmpty)
        // Twelve operands take the hashed duplicate check; one repeats.
        let defs = "gate w a0,a1,a2,a3,a4,a5,a6,a7,a8,a9,a10,a11 { U(0,0,0) a0; }\nqreg q[12];\nqreg r[3];\n"
        let distinct = (0..<12).map { "q[\($0)]" }.joined(separator: ", ")
        #expect(diagnostics(header + defs + "w \(distinct);\n").isEmpty)
        let repeated = (0..<11).map { "q[\($0)]" }.joined(separator: ", ") + ", q[4]"
        #expect(
            diagnostics(header + defs + "w \(repeated);\n") == [
                Expected(6, 1, "duplicate qubit q[4] in the arguments of 'w'")
            ])
        let mixed = (0..<10).map { "q[\($0)]" }.joined(separator: ", ") + ", r, r[1]"
        #expect(
            diagnostics(header + defs + "w \(mixed);\n") == [
                Expected(6, 1, "duplicate qubit r[1] in the arguments of 'w'")
            ])
    }

    @Test func theOperationLimitIsEnforced() {
        var limits = QASMLimits()
        limits.maximumOperations = 10
        let text = header + "qreg q[4];\nh q;\nh q;\nh q;\n"
        #expect(
            diagnostics(text, limits: limits) == [
                Expected(6, 1, "the program expands to more than the limit of 10 operations")
            ])
    }

    @Test func exponentialExpansionIsRefusedQuickly() {
        var text = header + "gate g0(t) a { rx(t*2) a; }\n"
        for level in 1...40 { text += "gate g\(level)(t) a { g\(level - 1)(t) a; g\(level - 1)(t) a; }\n" }
        text += "qreg q[1];\ng40(1) q[0];\n"
        #expect(codes(text) == ["program_too_large"])
    }

    @Test func everyCallIsCheckedWithItsOwnValues() {
        let text = header + "gate inv(t) a { rx(1/t) a; }\nqreg q[1];\ninv(1) q[0];\ninv(0) q[0];\ninv(1) q[0];\ninv(0) q[0];\n"
        #expect(diagnostics(text).map(\.line) == [6, 8])
    }

    @Test func theGateDepthLimitIsEnforced() {
        var limits = QASMLimits()
        limits.maximumGateDepth = 3
        let text = "OPENQASM 2.0;\ngate a x { U(0,0,0) x; }\ngate b x { a x; }\ngate c x { b x; }\ngate d x { c x; }\n"
        #expect(
            diagnostics(text, limits: limits) == [
                Expected(5, 6, "'d' nests gate definitions more deeply than the limit of 3")
            ])
    }
}

/// A gate of qelib1.inc used without the include gets a note that names the include.
@Suite struct QElib1HintTests {
    @Test(arguments: ["ccx q[0], q[1], q[2];", "h q[0];", "swap q[0], q[1];", "rz(pi) q[1];"])
    func aLibraryGateWithoutTheIncludeNamesIt(statement: String) throws {
        let result = check("OPENQASM 2.0;\nqreg q[3];\n" + statement + "\n")
        let diagnostic = try #require(result.diagnostics.first)
        let gate = String(statement.prefix { $0.isLetter })
        #expect(diagnostic.code == "unknown_gate")
        #expect(diagnostic.message == "'\(gate)' is not defined in this scope")
        #expect(diagnostic.notes == ["'\(gate)' is defined in qelib1.inc; add 'include \"qelib1.inc\";' after the OPENQASM line"])
    }

    @Test func anIncludeAfterTheUseSaysToMoveIt() throws {
        let result = check("OPENQASM 2.0;\nqreg q[3];\nccx q[0], q[1], q[2];\ninclude \"qelib1.inc\";\n")
        let diagnostic = try #require(result.diagnostics.first)
        #expect(
            diagnostic.notes == [
                "'ccx' is defined in qelib1.inc, which is included only after this line; move 'include \"qelib1.inc\";' up, after the OPENQASM line"
            ])
    }

    @Test func otherUnknownGatesGetNoNote() throws {
        let unknown = try #require(check(header + "qreg q[1];\nfoo q[0];\n").diagnostics.first)
        #expect(unknown.notes == [])
        // Inside a gate body too.
        let body = try #require(check("OPENQASM 2.0;\ngate g a, b, c { ccx a, b, c; }\n").diagnostics.first)
        #expect(body.notes.first?.hasPrefix("'ccx' is defined in qelib1.inc") == true)
    }
}
