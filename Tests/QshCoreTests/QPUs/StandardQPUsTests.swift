// The hardware-like QPU sim:native through the one compile path: gates outside
// {rz, sx, x, cx} and pairs off its line refused with one reason each and a located
// diagnostic per statement; a gate defined in the program from native gates passes, one
// with a foreign constituent is reported at its call site; registers share the line.
import QshCore
import Testing

@Suite struct StandardQPUsTests {
    static let native = StandardQPUs.native(memoryLimit: 1 << 30)

    static func compile(_ body: String) -> Result<PreparedRun, CompileError> {
        let text = "OPENQASM 2.0;\ninclude \"qelib1.inc\";\n" + body
        return Compiler.compile(
            ProgramSnapshot(main: SourceFile(name: "n.qasm", text: text)), for: native, shots: 10, seed: 1, threads: 1,
            precision: .double)
    }

    static func refusal(_ body: String) -> CompileFailure? {
        guard case .failure(.refused(let failure)) = compile(body) else { return nil }
        return failure
    }

    @Test func theNativeQPUsCapabilities() {
        let c = Self.native.capabilities
        #expect(Self.native.id == "sim:native" && Self.native.mode == "sim-native")
        #expect(c.maxQubits == 20 && c.precisions == [.double])
        #expect(c.nativeGates == [.rz, .sx, .x, .cx, .CX])
        #expect(c.couplingMap == .line(20))
        #expect(c.couplingMap?.connects(18, 19) == true && c.couplingMap?.connects(0, 19) == false)
    }

    @Test func toffoliAndAnUnconnectedCXAreRefusedWithLocatedDiagnostics() throws {
        let failure = try #require(Self.refusal("qreg q[3];\ncreg c[3];\nccx q[0],q[1],q[2];\ncx q[0],q[2];\nmeasure q -> c;\n"))
        #expect(failure.errorClass == .unsupportedFeature)
        #expect(failure.reasons == [
            "Unsupported gate: ccx - The ccx (Toffoli) gate is not supported by qpu sim:native",
            "Unsupported gate: cx on q[0], q[2] - qubits 0 and 2 are not connected on qpu sim:native",
        ])
        #expect(failure.diagnostics.map(\.description) == [
            "n.qasm:5:1: error: Unsupported gate: ccx - The ccx (Toffoli) gate is not supported by qpu sim:native",
            "n.qasm:6:1: error: Unsupported gate: cx on q[0], q[2] - qubits 0 and 2 are not connected on qpu sim:native",
        ])
        #expect(failure.diagnostics.allSatisfy { $0.code == "unsupported_feature" && $0.notes.isEmpty })
    }

    @Test func oneReasonPerGateAndOneDiagnosticPerStatementThatUsesIt() throws {
        let failure = try #require(Self.refusal("qreg q[2];\nh q;\nx q[0];\nh q[1];\ny q[0];\n"))
        #expect(failure.reasons == [
            "Unsupported gate: h - The h (Hadamard) gate is not supported by qpu sim:native",
            "Unsupported gate: y - The y (Pauli-Y) gate is not supported by qpu sim:native",
        ])
        // `h q;` broadcasts to two gates: one diagnostic for the statement.
        #expect(failure.diagnostics.map { "\($0.location.line):\($0.location.column)" } == ["4:1", "6:1", "7:1"])
    }

    @Test func aGateDefinedFromNativeGatesRunsAndOneWithAForeignConstituentIsReportedAtItsCall() throws {
        let fine = "gate mine a,b { rz(pi/2) a; sx a; cx a,b; x b; }\nqreg q[2];\ncreg c[2];\nmine q[0],q[1];\n"
            + "CX q[1],q[0];\nmeasure q -> c;\nreset q[0];\nbarrier q;\n"
        guard case .success(let run) = Self.compile(fine) else {
            Issue.record("a program of native gates should compile")
            return
        }
        #expect(run.request.circuit.operations.count == 9)
        let failure = try #require(
            Self.refusal("gate bell a,b { h a; cx a,b; }\nqreg q[3];\n  bell q[1],q[2];\nbell q[0],q[1];\n"))
        #expect(failure.reasons == ["Unsupported gate: h - The h (Hadamard) gate is not supported by qpu sim:native"])
        #expect(failure.diagnostics.map { "\($0.location): \($0.notes.joined())" } == [
            "n.qasm:5:3: from the definition of gate 'bell', called here",
            "n.qasm:6:1: from the definition of gate 'bell', called here",
        ])
    }

    @Test func qubitsAreNumberedAcrossRegistersOnTheLine() throws {
        // a[0] is qubit 0, b[0] qubit 1, b[1] qubit 2.
        #expect(Self.refusal("qreg a[1];\nqreg b[2];\ncx a[0],b[0];\ncx b[0],b[1];\n") == nil)
        let failure = try #require(Self.refusal("qreg a[1];\nqreg b[2];\ncx b[1],a[0];\n"))
        #expect(failure.reasons == [
            "Unsupported gate: cx on a[0], b[1] - qubits 0 and 2 are not connected on qpu sim:native"
        ])
        #expect(failure.diagnostics.first?.location.line == 5)
    }

    @Test func moreThanTwentyQubitsIsAResourceLimit() throws {
        let failure = try #require(Self.refusal("qreg q[21];\nx q[0];\n"))
        #expect(failure.errorClass == .resourceLimit)
        #expect(failure.reasons == ["the program uses 21 qubits; 'sim:native' has 20"])
    }

    @Test func loweringRecordsWhereEachOperationCameFrom() throws {
        let text = "OPENQASM 2.0;\ninclude \"qelib1.inc\";\ngate g a { x a; }\nqreg q[2];\ncreg c[2];\nh q;\ng q[1];\nmeasure q -> c;\n"
        let circuit = try Compiler.circuit(ProgramSnapshot(main: SourceFile(name: "o.qasm", text: text))).get()
        #expect(circuit.origins.count == circuit.operations.count)
        #expect((0..<circuit.operations.count).map { circuit.origin(of: $0)!.location.line } == [6, 6, 7, 8, 8])
        #expect(circuit.origin(of: 2)?.definedGate == "g" && circuit.origin(of: 0)?.definedGate == nil)
        #expect(circuit.origin(of: 99) == nil)
        // Origins do not make two circuits differ.
        var plain = circuit
        plain.origins = []
        #expect(plain == circuit)
    }
}
