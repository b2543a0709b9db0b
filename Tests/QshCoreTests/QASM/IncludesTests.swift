// Includes: the path policy, the embedded qelib1.inc (and including it twice),
// files from the loader with their own positions, cycles and missing files.
import Testing
@testable import QshCore

@Suite struct IncludesTests {
    @Test func pathPolicy() {
        #expect(IncludePath.resolve("a.inc") == .inside("a.inc"))
        #expect(IncludePath.resolve("./lib//a.inc") == .inside("lib/a.inc"))
        #expect(IncludePath.resolve("lib/../a.inc") == .inside("a.inc"))
        #expect(IncludePath.resolve("../a.inc") == .escapes)
        #expect(IncludePath.resolve("lib/../../a.inc") == .escapes)
        #expect(IncludePath.resolve("/etc/passwd") == .absolute)
        #expect(IncludePath.resolve("~/a.inc") == .absolute)
        #expect(IncludePath.resolve("") == .escapes)
    }

    @Test func errorsAreAtTheIncludeLine() {
        #expect(
            diagnostics("OPENQASM 2.0;\ninclude \"../../etc/passwd\";\n") == [
                Expected(2, 1, "include path '../../etc/passwd' leaves the program's directory")
            ])
        #expect(
            diagnostics("OPENQASM 2.0;\ninclude \"/etc/passwd\";\n") == [
                Expected(2, 1, "include path '/etc/passwd' must be relative to the program's directory")
            ])
        #expect(
            diagnostics(header + "include \"missing.inc\";\nqreg q[1];\n") == [
                Expected(3, 1, "unable to find 'missing.inc' in the program's directory")
            ])
    }

    @Test func qelib1TwiceIsAnErrorAtTheSecondInclude() {
        #expect(
            diagnostics(header + "include \"qelib1.inc\";\nqreg q[1];\n") == [
                Expected(3, 1, "'qelib1.inc' is already included: its gates are already defined")
            ])
    }

    @Test func qelib1DefinesEveryGateOfQiskitsCopy() throws {
        let result = check(header)
        let program = try #require(result.program)
        let names = program.program.gates.map { program.program.names.name($0.name) }
        #expect(names.count == 42)
        for kind in GateKind.allCases where kind != .U && kind != .CX {
            #expect(names.contains(kind.rawValue), "qelib1.inc lacks \(kind.rawValue)")
        }
        for gate in program.program.gates {
            let name = program.program.names.name(gate.name)
            #expect(gate.native == GateKind(rawValue: name))
            let kind = try #require(gate.native)
            #expect(gate.parameters.count == kind.parameterCount, "\(name)")
            #expect(gate.qubits.count == kind.qubitCount, "\(name)")
        }
    }

    @Test func includedFilesKeepTheirOwnPositions() {
        let files = ["lib/defs.inc": "gate g a { x a; }\ngate bad a { y b; }\n"]
        let result = check(header + "include \"lib/defs.inc\";\nqreg q[1];\ng q[0];\nfoo q[0];\n", files: files)
        #expect(result.diagnostics.map(\.description) == [
            "lib/defs.inc:2:16: error: 'b' is not a qubit argument of 'bad'",
            "test.qasm:6:1: error: 'foo' is not defined in this scope",
        ])
    }

    @Test func notesNameTheIncludeChain() {
        let files = ["a.inc": "include \"b.inc\";\n", "b.inc": "gate g a { x b; }\n"]
        let result = check(header + "include \"a.inc\";\n", files: files)
        #expect(result.diagnostics.first?.description == "b.inc:1:14: error: 'b' is not a qubit argument of 'g'")
        #expect(
            result.diagnostics.first?.notes == [
                "in a file included from a.inc:1:1", "in a file included from test.qasm:3:1",
            ])
    }

    @Test func includedGatesAreUsable() {
        let files = ["defs.inc": "gate bell a, b { h a; cx a, b; }\n"]
        #expect(diagnostics(header + "include \"defs.inc\";\nqreg q[2];\nbell q[0], q[1];\n", files: files).isEmpty)
    }

    @Test func aHeaderInAnIncludedFileIsASecondHeader() {
        // An include is textual, so its header would be the program's second (Qiskit agrees).
        let files = ["defs.inc": "OPENQASM 2.0;\ngate bell a, b { h a; cx a, b; }\n"]
        let result = check(header + "include \"defs.inc\";\n", files: files)
        #expect(result.diagnostics.map(\.code) == ["duplicate_header"])
        #expect(result.diagnostics.first?.location.line == 1)
    }

    @Test func cyclesAndDepthAreLimited() {
        let files = ["a.inc": "include \"b.inc\";\n", "b.inc": "include \"a.inc\";\n"]
        #expect(
            diagnostics("OPENQASM 2.0;\ninclude \"a.inc\";\n", files: files).map(\.description) == [
                "1:1: 'a.inc' is already being included (an include cycle)"
            ])
    }

    @Test func aFileThatCannotBeReadIsReported() {
        let result = QASMFrontEnd.check(SourceFile(name: "p.qasm", text: "OPENQASM 2.0;\ninclude \"x.inc\";\n")) { _ in
            .failed("Permission denied")
        }
        #expect(result.diagnostics.map(\.message) == ["unable to read 'x.inc': Permission denied"])
    }

    @Test func oversizedIncludesAreRefused() {
        var limits = QASMLimits()
        limits.maximumFileSize = 40
        let files = ["big.inc": String(repeating: "// padding\n", count: 10)]
        #expect(
            diagnostics("OPENQASM 2.0;\ninclude \"big.inc\";\n", files: files, limits: limits) == [
                Expected(2, 1, "the file is larger than the limit of 40 bytes")
            ])
    }

    @Test func oversizedFilesAreRefusedUnread() {
        var limits = QASMLimits()
        limits.maximumFileSize = 10
        #expect(
            diagnostics("OPENQASM 2.0;\nqreg q[1];\n", limits: limits) == [
                Expected(1, 1, "the file is larger than the limit of 10 bytes")
            ])
    }
}
