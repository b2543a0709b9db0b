// Lowering: registers in declaration order, broadcasts, recursive expansion with
// evaluated parameters, qelib1 gates as native kernels (and only those), and
// measure, reset, barrier and conditions kept.
import Testing
@testable import QshCore

private func lower(_ text: String) throws -> Circuit {
    let result = QASMFrontEnd.check(SourceFile(name: "t.qasm", text: text))
    let checked = try #require(result.program, "\(result.diagnostics)")
    let circuit = try Lowering.lower(checked)
    #expect(circuit.operations.count == checked.operationCount)
    return circuit
}

private let qelib = "OPENQASM 2.0;\ninclude \"qelib1.inc\";\n"

@Suite struct LoweringTests {
    @Test func bell() throws {
        let circuit = try lower(qelib + "qreg q[2];\ncreg c[2];\nh q[0];\ncx q[0], q[1];\nmeasure q -> c;\n")
        #expect(
            circuit.operations == [
                .gate(.h, qubits: [0], parameters: [], condition: nil),
                .gate(.cx, qubits: [0, 1], parameters: [], condition: nil),
                .measure(qubit: 0, clbit: 0, condition: nil),
                .measure(qubit: 1, clbit: 1, condition: nil),
            ])
        #expect(circuit.qubitCount == 2)
        #expect(circuit.clbitCount == 2)
    }

    @Test func registersAreLaidOutInDeclarationOrder() throws {
        let circuit = try lower(
            qelib + "qreg a[2];\ncreg m[1];\nqreg b[3];\ncreg n[2];\nx b[1];\nmeasure b[2] -> n[1];\n")
        #expect(circuit.quantumRegisters == [Register(name: "a", size: 2, offset: 0), Register(name: "b", size: 3, offset: 2)])
        #expect(circuit.classicalRegisters == [Register(name: "m", size: 1, offset: 0), Register(name: "n", size: 2, offset: 1)])
        #expect(
            circuit.operations == [
                .gate(.x, qubits: [3], parameters: [], condition: nil),
                .measure(qubit: 4, clbit: 2, condition: nil),
            ])
    }

    @Test func broadcasts() throws {
        let circuit = try lower(qelib + "qreg a[2];\nqreg b[2];\ncx a, b;\ncx a[0], b;\nrz(0.5) a;\nreset b;\n")
        #expect(
            circuit.operations == [
                .gate(.cx, qubits: [0, 2], parameters: [], condition: nil),
                .gate(.cx, qubits: [1, 3], parameters: [], condition: nil),
                .gate(.cx, qubits: [0, 2], parameters: [], condition: nil),
                .gate(.cx, qubits: [0, 3], parameters: [], condition: nil),
                .gate(.rz, qubits: [0], parameters: [0.5], condition: nil),
                .gate(.rz, qubits: [1], parameters: [0.5], condition: nil),
                .reset(qubit: 2, condition: nil),
                .reset(qubit: 3, condition: nil),
            ])
    }

    @Test func userGatesExpandWithEvaluatedParameters() throws {
        let text =
            qelib + "gate rot(t, s) x { rz(t/2) x; ry(-s) x; }\ngate pair(t) x, y { rot(t, 2*t) y; cx y, x; }\n"
            + "qreg q[2];\npair(1) q[0], q[1];\n"
        let circuit = try lower(text)
        #expect(
            circuit.operations == [
                .gate(.rz, qubits: [1], parameters: [0.5], condition: nil),
                .gate(.ry, qubits: [1], parameters: [-2], condition: nil),
                .gate(.cx, qubits: [1, 0], parameters: [], condition: nil),
            ])
    }

    @Test func aGateNamedLikeQelib1IsExpandedFromItsOwnDefinition() throws {
        let circuit = try lower("OPENQASM 2.0;\ngate h a { U(0, 0, 1) a; }\ngate cx a, b { CX b, a; }\nqreg q[2];\nh q[0];\ncx q[0], q[1];\n")
        #expect(
            circuit.operations == [
                .gate(.U, qubits: [0], parameters: [0, 0, 1], condition: nil),
                .gate(.CX, qubits: [1, 0], parameters: [], condition: nil),
            ])
    }

    @Test func everyQelib1GateIsNative() throws {
        var text = qelib + "qreg q[5];\n"
        for kind in GateKind.allCases {
            let parameters = (0..<kind.parameterCount).map { "0.\($0 + 1)" }.joined(separator: ", ")
            let qubits = (0..<kind.qubitCount).map { "q[\($0)]" }.joined(separator: ", ")
            text += kind.rawValue + (parameters.isEmpty ? "" : "(\(parameters))") + " " + qubits + ";\n"
        }
        let circuit = try lower(text)
        #expect(circuit.operations.count == GateKind.allCases.count)
        for (operation, kind) in zip(circuit.operations, GateKind.allCases) {
            guard case .gate(let lowered, let qubits, let parameters, nil) = operation else {
                Issue.record("not a gate: \(operation)")
                continue
            }
            #expect(lowered == kind)
            #expect(qubits == Array(0..<kind.qubitCount))
            #expect(parameters == (0..<kind.parameterCount).map { Double($0 + 1) / 10 })
        }
    }

    @Test func conditionsCarryTheRegisterIndexAndValue() throws {
        let text =
            qelib + "gate two a { x a; h a; }\nqreg q[1];\ncreg c[1];\ncreg d[2];\nif (d == 2) two q[0];\n"
            + "if (c == 1) measure q[0] -> d[1];\nif (d == 3) reset q;\n"
        let circuit = try lower(text)
        let condition = Condition(register: 1, value: 2)
        #expect(
            circuit.operations == [
                .gate(.x, qubits: [0], parameters: [], condition: condition),
                .gate(.h, qubits: [0], parameters: [], condition: condition),
                .measure(qubit: 0, clbit: 2, condition: Condition(register: 0, value: 1)),
                .reset(qubit: 0, condition: Condition(register: 1, value: 3)),
            ])
    }

    @Test func barriers() throws {
        let text = qelib + "gate g a, b { barrier a, b; }\nqreg q[2];\nqreg r[1];\nbarrier q, r[0], q[1];\ng r[0], q[0];\n"
        let circuit = try lower(text)
        #expect(circuit.operations == [.barrier(qubits: [0, 1, 2]), .barrier(qubits: [2, 0])])
    }

    @Test func programsOverTheOperationLimitAreRefused() throws {
        let result = QASMFrontEnd.check(SourceFile(name: "t.qasm", text: qelib + "qreg q[4];\nh q;\n"))
        let checked = try #require(result.program)
        var limits = QASMLimits()
        limits.maximumOperations = 3
        #expect(throws: LoweringError.self) { try Lowering.lower(checked, limits: limits) }
    }
}

extension LoweringTests {
    @Test func aStopRequestEndsLoweringWithInterrupted() throws {
        // 10^5 operations from one line: gates of gates of h.
        var text = qelib + "gate g0 a { h a; }\n"
        for level in 1...5 { text += "gate g\(level) a { " + String(repeating: "g\(level - 1) a; ", count: 10) + "}\n" }
        text += "qreg q[1];\ng5 q[0];\n"
        let checked = try #require(QASMFrontEnd.check(SourceFile(name: "t.qasm", text: text)).program)
        let asked = StopAfter(.max)
        let circuit = try Lowering.lower(checked, stop: asked.cancellation)
        #expect(circuit.operations.count == 100_000)
        #expect(asked.questions >= 24)
        let stop = StopAfter(3)
        let error = #expect(throws: LoweringError.self) { try Lowering.lower(checked, stop: stop.cancellation) }
        #expect(error?.isInterruption == true)
        #expect(error?.code == "interrupted")
    }
}
