// Semantic checks: one global namespace, gate scopes, arity, broadcasts, index
// ranges, duplicate qubits, limits and non-finite parameters. It reports every
// error it finds and, for a valid program, builds the tables lowering needs.

/// What a global name refers to.
enum SymbolKind: UInt8, Sendable {
    case none, qreg, creg, gate
    /// Declared by a statement with a syntax error: known, but never checked further.
    case poisoned
}

/// One entry of the global symbol table, indexed by name id.
struct SymbolEntry: Sendable {
    var kind: SymbolKind = .none
    /// Index into the register or gate table.
    var index: Int32 = -1
    var position = SourcePosition(file: -1, line: 0, column: 0)
}

/// A register with its place in the flat bit numbering.
struct RegisterInfo: Sendable {
    var name: Int32
    var size: Int
    var offset: Int
}

/// One operation of a checked gate body: a call (`gate >= 0`) or a barrier (`gate == -1`).
struct BodyOperation: Sendable {
    var gate: Int32
    /// Indices into the gate's qubit arguments.
    var qubits: [Int]
    /// Evaluated against the gate's parameter values.
    var parameters: [Parameter]
    var position: SourcePosition
}

/// A gate as the checker resolved it.
struct CheckedGate: Sendable {
    var name: Int32
    var parameterCount: Int
    var qubitCount: Int
    var native: GateKind?
    var isOpaque: Bool
    /// Its body had errors (only its calls are checked).
    var hasErrors: Bool
    /// One more than the deepest gate its body calls (U and CX are 0).
    var depth: Int
    /// Operations one application lowers to (saturating).
    var loweredSize: Int
    /// Finite parameters can never give a non-finite value anywhere in its expansion.
    var passthrough: Bool
    var body: [BodyOperation]
}

/// How often an operation is applied in the circuit the program lowers to (after
/// broadcasting, gates defined in the program expanded): a gate by its qelib1.inc name,
/// `measure`, `reset` or `barrier`, as Qiskit's `count_ops` counts a circuit's operations.
public struct GateCount: Hashable, Sendable {
    public var name: String
    public var count: Int
}

/// A short description of a valid program.
public struct QASMSummary: Hashable, Sendable {
    public var qubits: Int
    public var clbits: Int
    /// The operations of the lowered circuit by name (gates, measure, reset, barrier), in
    /// order of first use: what `qsh qasm run`'s and a task's `metrics.gates` count.
    public var gates: [GateCount]
}

/// A program that passed every check, with the resolved tables lowering uses.
public struct CheckedProgram: Sendable {
    /// The syntax tree.
    public let program: Program
    /// Quantum registers in declaration order, with their offsets.
    public let quantumRegisters: [Register]
    /// Classical registers in declaration order, with their offsets.
    public let classicalRegisters: [Register]
    public let summary: QASMSummary
    let symbols: [SymbolEntry]
    let qregs: [RegisterInfo]
    let cregs: [RegisterInfo]
    let gates: [CheckedGate]
    /// The number of operations `lower` will produce.
    public let operationCount: Int
}

/// Walks the statements once, in order, keeping the symbol table as it was at each point.
struct Checker {
    let program: Program
    let limits: QASMLimits
    var sink: DiagnosticSink
    var symbols: [SymbolEntry]
    var gates: [CheckedGate] = []
    var qregs: [RegisterInfo] = []
    var cregs: [RegisterInfo] = []
    var qubitTotal = 0
    var clbitTotal = 0
    var operationTotal = 0
    var reportedTooLarge = false
    var gateCounts: [Int] = []
    /// Gate indices in order of first use, and `measureOrder`, `resetOrder` and
    /// `barrierOrder` for those operations' first use.
    var gateOrder: [Int32] = []
    /// Top-level measure, reset and barrier operations (after broadcasting).
    var measureCount = 0, resetCount = 0, barrierCount = 0
    static let measureOrder: Int32 = -1, resetOrder: Int32 = -2, barrierOrder: Int32 = -3
    /// Gate-body operations the non-finite check may still evaluate (see `firstNonFinite`).
    var evaluationBudget: Int
    /// Per gate, the last parameter values its expansion was found finite with: repeated
    /// calls (and repeated sub-calls, as in g(t) { f(t) a; f(t) a; }) are not re-evaluated.
    var lastFinite: [[Double]?] = [nil, nil]
    /// Scratch buffers reused by every application (no allocation per statement).
    var values: [Double] = []
    var resolved: [Resolved] = []
    /// Asked every 4096 statements and evaluations whether to stop.
    var stop = CancellationPoll(.never)
    /// Set when `stop` asked to stop: the check is incomplete and must be thrown away.
    var stopped: Interrupted?

    init(program: Program, limits: QASMLimits, sink: DiagnosticSink) {
        self.program = program
        self.limits = limits
        self.sink = sink
        // Arbitrary: as many evaluations as the largest program may lower to operations.
        evaluationBudget = limits.maximumOperations
        symbols = [SymbolEntry](repeating: SymbolEntry(), count: program.names.count)
        let builtin = SourcePosition(file: -1, line: 0, column: 0)
        for (name, native, parameters, qubits) in [
            (NameTable.builtinU, GateKind.U, 3, 1), (NameTable.builtinCX, GateKind.CX, 0, 2),
        ] {
            symbols[Int(name)] = SymbolEntry(kind: .gate, index: Int32(gates.count), position: builtin)
            gates.append(
                CheckedGate(
                    name: name, parameterCount: parameters, qubitCount: qubits, native: native, isOpaque: false,
                    hasErrors: false, depth: 0, loweredSize: 1, passthrough: true, body: []))
        }
        gateCounts = [0, 0]
    }

    func name(_ id: Int32) -> String { program.names.name(id) }

    func describe(_ entry: SymbolEntry) -> String {
        switch entry.kind {
        case .qreg: return "a quantum register"
        case .creg: return "a classical register"
        case .gate: return gates[Int(entry.index)].isOpaque ? "an opaque gate" : "a gate"
        case .none, .poisoned: return "undefined"
        }
    }

    mutating func report(_ position: SourcePosition, _ message: QASMMessage, notes: [String] = []) {
        sink.report(position, message, notes: notes)
    }

    // MARK: Driver

    mutating func run() {
        for statement in program.statements {
            if sink.isFull || !pollStop() { return }
            switch statement.kind {
            case .qreg, .creg: declareRegister(statement)
            case .gate, .opaque: declareGate(statement)
            case .apply: checkApplication(statement)
            case .measure: checkMeasure(statement)
            case .reset: checkReset(statement)
            case .barrier: checkBarrier(statement)
            }
        }
    }

    /// Claims `id` in the global namespace, or reports the clash. A name held by one
    /// of the gates qelib1.inc adds to the paper's library (QElib1.extensions) may be
    /// taken by the program's own declaration (Qiskit agrees); it applies from there on.
    /// - Parameter library: the declaration is qelib1.inc's own.
    mutating func claim(_ id: Int32, at position: SourcePosition, library: Bool = false) -> Bool {
        let existing = symbols[Int(id)]
        guard existing.kind != .none else { return true }
        if !library && existing.kind == .gate, let native = gates[Int(existing.index)].native,
            QElib1.extensions.contains(native)
        {
            return true
        }
        if id == NameTable.builtinU || id == NameTable.builtinCX {
            report(position, QASMMessages.builtinRedefined(name(id)))
        } else {
            report(
                position, QASMMessages.alreadyDefined(name(id)),
                notes: [QASMMessages.firstDefined(name(id), at: program.describe(existing.position))])
        }
        return false
    }

    // MARK: Declarations

    mutating func declareRegister(_ statement: Statement) {
        guard claim(statement.name, at: statement.position) else { return }
        let quantum = statement.kind == .qreg
        if statement.poisoned {
            symbols[Int(statement.name)] = SymbolEntry(kind: .poisoned, position: statement.position)
            return
        }
        let total = quantum ? qubitTotal : clbitTotal
        let limit = quantum ? limits.maximumQubits : limits.maximumClbits
        guard statement.size <= UInt64(limit), total + Int(statement.size) <= limit else {
            report(
                statement.position,
                QASMMessages.registerTooLarge(name(statement.name), size: statement.size, quantum: quantum, limit: limit))
            symbols[Int(statement.name)] = SymbolEntry(kind: .poisoned, position: statement.position)
            return
        }
        let size = Int(statement.size)
        if quantum {
            symbols[Int(statement.name)] = SymbolEntry(
                kind: .qreg, index: Int32(qregs.count), position: statement.position)
            qregs.append(RegisterInfo(name: statement.name, size: size, offset: qubitTotal))
            qubitTotal += size
        } else {
            symbols[Int(statement.name)] = SymbolEntry(
                kind: .creg, index: Int32(cregs.count), position: statement.position)
            cregs.append(RegisterInfo(name: statement.name, size: size, offset: clbitTotal))
            clbitTotal += size
        }
    }

    mutating func declareGate(_ statement: Statement) {
        let definition = program.gates[Int(statement.definition)]
        // A duplicate is still checked (its errors are real), but never defined.
        let claimed = claim(definition.name, at: definition.namePosition, library: definition.native != nil)
        if definition.poisoned {
            if claimed {
                symbols[Int(definition.name)] = SymbolEntry(kind: .poisoned, position: definition.namePosition)
            }
            return
        }
        var hasErrors = false
        // Name id -> index of the first parameter / qubit with that name (hashing: gates may be wide).
        var parameterIndex: [Int32: Int] = [:]
        for (i, parameter) in definition.parameters.enumerated() {
            if parameterIndex[parameter] != nil {
                report(
                    definition.parameterPositions[i],
                    QASMMessages.duplicateGateArgument(name(parameter), as: "a parameter"))
                hasErrors = true
            } else {
                parameterIndex[parameter] = i
            }
        }
        var qubitIndex: [Int32: Int] = [:]
        for (i, qubit) in definition.qubits.enumerated() {
            if qubitIndex[qubit] != nil {
                report(definition.qubitPositions[i], QASMMessages.duplicateGateArgument(name(qubit), as: "a qubit"))
                hasErrors = true
                continue
            }
            if parameterIndex[qubit] != nil {
                report(definition.qubitPositions[i], QASMMessages.duplicateGateArgument(name(qubit), as: "a parameter"))
                hasErrors = true
            }
            // Uses in the body resolve to the first qubit of that name (no cascade of errors).
            qubitIndex[qubit] = i
        }
        if definition.qubits.isEmpty {
            report(definition.position, QASMMessages.gateWithoutQubits)
            hasErrors = true
        }
        var body: [BodyOperation] = []
        var depth = 1
        var loweredSize = 0
        var passthrough = true
        if !definition.isOpaque {
            for statement in definition.body {
                guard
                    let operation = checkBodyStatement(
                        statement, in: definition, qubitIndex: qubitIndex, parameterIndex: parameterIndex)
                else {
                    hasErrors = true
                    continue
                }
                if operation.gate >= 0 {
                    let callee = gates[Int(operation.gate)]
                    depth = max(depth, callee.depth + 1)
                    loweredSize = Self.saturatingAdd(loweredSize, callee.loweredSize)
                    passthrough =
                        passthrough && callee.passthrough && operation.parameters.allSatisfy { isSafe($0) }
                } else {
                    loweredSize = Self.saturatingAdd(loweredSize, 1)
                }
                body.append(operation)
            }
        }
        if depth > limits.maximumGateDepth {
            report(definition.namePosition, QASMMessages.gateTooDeep(name(definition.name), limit: limits.maximumGateDepth))
            hasErrors = true
        }
        guard claimed else { return }
        let native = definition.native
        symbols[Int(definition.name)] = SymbolEntry(
            kind: .gate, index: Int32(gates.count), position: definition.namePosition)
        gates.append(
            CheckedGate(
                name: definition.name, parameterCount: definition.parameters.count,
                qubitCount: definition.qubits.count, native: native, isOpaque: definition.isOpaque,
                hasErrors: hasErrors, depth: depth, loweredSize: native != nil ? 1 : loweredSize,
                passthrough: passthrough, body: body))
        gateCounts.append(0)
        lastFinite.append(nil)
    }

    static func saturatingAdd(_ a: Int, _ b: Int) -> Int {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? Int.max : sum
    }

    static func saturatingMultiply(_ a: Int, _ b: Int) -> Int {
        let (product, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow ? Int.max : product
    }

    /// True when finite gate parameters can never make this parameter non-finite.
    func isSafe(_ parameter: Parameter) -> Bool {
        parameter.isConstant || isSafe(parameter.node)
    }

    func isSafe(_ id: Int32) -> Bool {
        program.nodes(of: id).allSatisfy { n in
            let node = program.expressions[Int(n)]
            switch node.kind {
            case .constant, .parameter, .negate, .sin, .cos: return true
            case .divide:
                let right = program.expressions[Int(node.right)]
                return right.kind == .constant && abs(right.value) >= 1
            default: return false
            }
        }
    }

    /// Resolves the gate applied by `statement`, reporting why it cannot be applied.
    mutating func resolveGate(_ statement: Statement, inside definition: GateDefinition?) -> CheckedGate? {
        let entry = symbols[Int(statement.name)]
        if let definition, definition.name == statement.name {
            report(statement.position, QASMMessages.recursiveGate(name(statement.name)))
            return nil
        }
        switch entry.kind {
        case .none:
            let gate = name(statement.name)
            var notes: [String] = []
            if QElib1.native(gate) != nil {
                // A gate of qelib1.inc: the program forgot the include, or has it too late.
                let included = program.files.contains { $0.name == "qelib1.inc" && $0.includedAt != nil }
                notes.append(QASMMessages.definedInQElib1(gate, includedLater: included))
            }
            report(statement.position, QASMMessages.notDefined(gate, code: "unknown_gate"), notes: notes)
            return nil
        case .poisoned:
            return nil
        case .qreg, .creg:
            report(
                statement.position,
                QASMMessages.wrongKind(name(statement.name), is: describe(entry), not: "a gate", code: "unknown_gate"))
            return nil
        case .gate:
            let gate = gates[Int(entry.index)]
            if gate.isOpaque {
                report(statement.position, QASMMessages.opaqueApplied(name(statement.name)))
                return nil
            }
            return gate
        }
    }

    /// Checks the arity of an application; true when the counts match.
    mutating func checkArity(_ statement: Statement, _ gate: CheckedGate) -> Bool {
        var ok = true
        if Int(statement.parameterCount) != gate.parameterCount {
            report(
                statement.position,
                QASMMessages.wrongParameterCount(
                    name(statement.name), expected: gate.parameterCount, got: Int(statement.parameterCount)))
            ok = false
        }
        if Int(statement.operandCount) != gate.qubitCount {
            report(
                statement.position,
                QASMMessages.wrongQubitCount(
                    name(statement.name), expected: gate.qubitCount, got: Int(statement.operandCount)))
            ok = false
        }
        return ok
    }

    /// Reports identifiers that are not parameters; true when there were none.
    mutating func checkNames(_ id: Int32, inside definition: GateDefinition?) -> Bool {
        var ok = true
        for n in program.nodes(of: id) {
            let node = program.expressions[Int(n)]
            guard node.kind == .unresolved else { continue }
            ok = false
            if let definition {
                report(
                    node.position,
                    QASMMessages.gateBodyUndeclaredParameter(name(node.left), gate: name(definition.name)))
            } else {
                let entry = symbols[Int(node.left)]
                if entry.kind == .none {
                    report(node.position, QASMMessages.notDefined(name(node.left), code: "undeclared_identifier"))
                } else if entry.kind != .poisoned {
                    report(node.position, QASMMessages.notANumber(name(node.left), is: describe(entry)))
                }
            }
        }
        return ok
    }

    /// One statement of a gate body, resolved against the gate's arguments.
    mutating func checkBodyStatement(
        _ statement: Statement, in definition: GateDefinition, qubitIndex: [Int32: Int], parameterIndex: [Int32: Int]
    ) -> BodyOperation? {
        var ok = true
        var gateIndex: Int32 = -1
        if statement.kind == .apply {
            if let gate = resolveGate(statement, inside: definition) {
                ok = checkArity(statement, gate) && ok
                gateIndex = symbols[Int(statement.name)].index
            } else {
                ok = false
            }
        }
        var qubits: [Int] = []
        var used = Set<Int>()
        for operand in program.operands(of: statement) {
            guard let index = qubitIndex[operand.name] else {
                if parameterIndex[operand.name] != nil {
                    report(
                        operand.position,
                        QASMMessages.wrongKind(
                            name(operand.name), is: "a parameter", not: "a qubit", code: "gate_body_undeclared_qubit"))
                } else {
                    report(
                        operand.position,
                        QASMMessages.gateBodyUndeclaredQubit(name(operand.name), gate: name(definition.name)))
                }
                ok = false
                continue
            }
            if operand.isIndexed {
                report(operand.position, QASMMessages.gateBodyIndexed(name(operand.name)))
                ok = false
            }
            if statement.kind == .apply && !used.insert(index).inserted {
                report(
                    statement.position,
                    QASMMessages.duplicateQubit("'\(name(operand.name))'", gate: name(statement.name)))
                ok = false
            }
            qubits.append(index)
        }
        var parameters: [Parameter] = []
        for parameter in program.parameters(of: statement) {
            if !parameter.isConstant { ok = checkNames(parameter.node, inside: definition) && ok }
            parameters.append(parameter)
        }
        guard ok else { return nil }
        return BodyOperation(gate: gateIndex, qubits: qubits, parameters: parameters, position: statement.position)
    }

    // MARK: Top-level operations

    /// A resolved top-level operand: a register and, unless whole, an index.
    struct Resolved {
        var register: Int
        var index: Int
        var whole: Bool
    }

    /// Resolves an operand that must be in a register of kind `kind`.
    mutating func resolve(_ operand: Operand, as kind: SymbolKind, code: String) -> Resolved? {
        let entry = symbols[Int(operand.name)]
        guard entry.kind == kind else {
            switch entry.kind {
            case .none:
                report(operand.position, QASMMessages.notDefined(name(operand.name), code: "undeclared_register"))
            case .poisoned:
                break
            default:
                let expected = kind == .qreg ? "a quantum register" : "a classical register"
                report(
                    operand.position,
                    QASMMessages.wrongKind(name(operand.name), is: describe(entry), not: expected, code: code))
            }
            return nil
        }
        let register = kind == .qreg ? qregs[Int(entry.index)] : cregs[Int(entry.index)]
        if operand.isIndexed {
            guard operand.index < UInt64(register.size) else {
                report(
                    operand.position,
                    QASMMessages.indexOutOfRange(operand.index, register: name(operand.name), size: register.size))
                return nil
            }
            return Resolved(register: Int(entry.index), index: Int(operand.index), whole: false)
        }
        return Resolved(register: Int(entry.index), index: 0, whole: true)
    }

    mutating func checkCondition(_ statement: Statement) {
        guard statement.condition >= 0 else { return }
        let condition = program.conditions[Int(statement.condition)]
        let entry = symbols[Int(condition.register)]
        switch entry.kind {
        case .creg, .poisoned:
            break
        case .none:
            report(condition.position, QASMMessages.notDefined(name(condition.register), code: "if_undeclared_creg"))
        default:
            report(
                condition.position,
                QASMMessages.wrongKind(
                    name(condition.register), is: describe(entry), not: "a classical register",
                    code: "if_invalid_condition"))
        }
    }

    mutating func count(operations: Int, at position: SourcePosition) {
        operationTotal = Self.saturatingAdd(operationTotal, operations)
        if operationTotal > limits.maximumOperations && !reportedTooLarge {
            reportedTooLarge = true
            report(position, QASMMessages.programTooLarge(limits.maximumOperations))
        }
    }

    mutating func checkApplication(_ statement: Statement) {
        checkCondition(statement)
        let gate = resolveGate(statement, inside: nil)
        var ok = gate != nil
        if let gate { ok = checkArity(statement, gate) && ok }
        values.removeAll(keepingCapacity: true)
        for parameter in program.parameters(of: statement) {
            if parameter.isConstant {
                values.append(parameter.value)
            } else {
                _ = checkNames(parameter.node, inside: nil)
                ok = false
            }
        }
        // Operands: resolve all, then broadcast sizes, then duplicates.
        resolved.removeAll(keepingCapacity: true)
        var operandsOK = true
        for operand in program.operands(of: statement) {
            if let r = resolve(operand, as: .qreg, code: "type_mismatch") {
                resolved.append(r)
            } else {
                operandsOK = false
            }
        }
        guard operandsOK else { return }
        var broadcast = -1
        var broadcastRegister = -1
        for r in resolved where r.whole {
            let size = qregs[r.register].size
            if broadcast >= 0 && size != broadcast {
                report(
                    statement.position,
                    QASMMessages.broadcastMismatch(
                        name(qregs[broadcastRegister].name), broadcast, name(qregs[r.register].name), size))
                return
            }
            broadcast = size
            broadcastRegister = r.register
        }
        if let duplicate = firstDuplicate(resolved) {
            report(statement.position, QASMMessages.duplicateQubit(duplicate, gate: name(statement.name)))
            return
        }
        guard ok, let gate else { return }
        let values = self.values
        let instances = broadcast >= 0 ? broadcast : 1
        let index = Int(symbols[Int(statement.name)].index)
        if gateCounts[index] == 0 && instances > 0 { gateOrder.append(Int32(index)) }
        gateCounts[index] += instances
        count(operations: Self.saturatingMultiply(instances, gate.loweredSize), at: statement.position)
        if !gate.passthrough && !gate.hasErrors && !values.isEmpty && gate.loweredSize <= limits.maximumOperations
            && evaluationBudget > 0 && !reportedTooLarge
        {
            if lastFinite[index] != values, let position = firstNonFinite(gate, values, depth: 0) {
                report(
                    statement.position,
                    QASMMessages.nonFiniteInCall(name(statement.name), at: program.describe(position)))
            } else {
                lastFinite[index] = values
            }
        }
    }

    /// The first qubit that appears twice in one application (after broadcasting), as text.
    func firstDuplicate(_ operands: [Resolved]) -> String? {
        if operands.count > 8 { return firstDuplicateHashed(operands) }
        for i in 0..<operands.count {
            for j in (i + 1)..<max(i + 1, operands.count) {
                let a = operands[i]
                let b = operands[j]
                guard a.register == b.register else { continue }
                let register = qregs[a.register]
                if register.size == 0 { continue }
                let registerName = name(register.name)
                if !a.whole && !b.whole {
                    if a.index == b.index { return "\(registerName)[\(a.index)]" }
                } else if a.whole && b.whole {
                    return "\(registerName)[0]"
                } else {
                    return "\(registerName)[\(a.whole ? b.index : a.index)]"
                }
            }
        }
        return nil
    }

    /// `firstDuplicate` for long operand lists: the qubits each operand covers, hashed.
    /// A whole register covers all its qubits (one instance of the broadcast uses each).
    func firstDuplicateHashed(_ operands: [Resolved]) -> String? {
        var singles = Set<Int>()
        var wholes = Set<Int>()
        for r in operands {
            let register = qregs[r.register]
            if register.size == 0 { continue }
            let registerName = name(register.name)
            if r.whole {
                if !wholes.insert(r.register).inserted { return "\(registerName)[0]" }
                if let taken = singles.first(where: { $0 >= register.offset && $0 < register.offset + register.size }) {
                    return "\(registerName)[\(taken - register.offset)]"
                }
            } else {
                let qubit = register.offset + r.index
                if wholes.contains(r.register) || !singles.insert(qubit).inserted {
                    return "\(registerName)[\(r.index)]"
                }
            }
        }
        return nil
    }

    /// Where, if anywhere, expanding `gate` with `values` computes a non-finite number.
    /// Spends `evaluationBudget`; once it is gone the rest is left to `Lowering`, which
    /// refuses non-finite parameters too (this only matters for pathological programs).
    mutating func firstNonFinite(_ gate: CheckedGate, _ values: [Double], depth: Int) -> SourcePosition? {
        guard depth <= limits.maximumGateDepth else { return nil }
        for operation in gate.body where operation.gate >= 0 {
            evaluationBudget -= 1
            if evaluationBudget < 0 || !pollStop() { return nil }
            let callee = gates[Int(operation.gate)]
            var arguments: [Double] = []
            arguments.reserveCapacity(operation.parameters.count)
            for parameter in operation.parameters {
                let value = program.evaluate(parameter, values)
                guard value.isFinite else {
                    return firstNonFiniteNode(parameter.node, values) ?? operation.position
                }
                arguments.append(value)
            }
            if !callee.passthrough && !arguments.isEmpty && lastFinite[Int(operation.gate)] != arguments {
                if let position = firstNonFinite(callee, arguments, depth: depth + 1) { return position }
                lastFinite[Int(operation.gate)] = arguments
            }
        }
        return nil
    }

    /// The innermost node whose value is not finite (for a precise position).
    func firstNonFiniteNode(_ id: Int32, _ values: [Double]) -> SourcePosition? {
        guard id >= 0 else { return nil }
        for n in program.nodes(of: id).reversed() {
            let node = program.expressions[Int(n)]
            guard !program.evaluate(n, values).isFinite else { continue }
            let children = [node.left, node.right].filter { child in
                child >= 0 && node.kind != .parameter && node.kind != .unresolved
            }
            if children.allSatisfy({ program.evaluate($0, values).isFinite }) { return node.position }
        }
        return nil
    }

    mutating func checkMeasure(_ statement: Statement) {
        checkCondition(statement)
        let operands = program.operands(of: statement)
        guard operands.count == 2 else { return }
        let q = resolve(operands[operands.startIndex], as: .qreg, code: "type_mismatch")
        let c = resolve(operands[operands.startIndex + 1], as: .creg, code: "type_mismatch")
        guard let q, let c else { return }
        let qubits = q.whole ? qregs[q.register].size : 1
        let bits = c.whole ? cregs[c.register].size : 1
        if q.whole != c.whole || qubits != bits {
            report(statement.position, QASMMessages.measureMismatch(qubits: qubits, bits: bits))
            return
        }
        if measureCount == 0 { gateOrder.append(Self.measureOrder) }
        measureCount = Self.saturatingAdd(measureCount, qubits)
        count(operations: qubits, at: statement.position)
    }

    mutating func checkReset(_ statement: Statement) {
        checkCondition(statement)
        for operand in program.operands(of: statement) {
            if let r = resolve(operand, as: .qreg, code: "type_mismatch") {
                let n = r.whole ? qregs[r.register].size : 1
                if resetCount == 0 { gateOrder.append(Self.resetOrder) }
                resetCount = Self.saturatingAdd(resetCount, n)
                count(operations: n, at: statement.position)
            }
        }
    }

    /// Counts a unit of work against the stop request; false once it asked to stop (no
    /// more evaluations are spent then).
    @inline(__always)
    mutating func pollStop() -> Bool {
        if stopped != nil { return false }
        do throws(Interrupted) {
            try stop.tick()
            return true
        } catch {
            stopped = error
            evaluationBudget = 0
            return false
        }
    }

    mutating func checkBarrier(_ statement: Statement) {
        for operand in program.operands(of: statement) {
            _ = resolve(operand, as: .qreg, code: "type_mismatch")
        }
        if barrierCount == 0 { gateOrder.append(Self.barrierOrder) }
        barrierCount = Self.saturatingAdd(barrierCount, 1)
        count(operations: 1, at: statement.position)
    }

    /// The operations of the lowered circuit by name, in order of first use: each gate
    /// applied at the top level by its native name, or expanded from its definition (its
    /// body's counts, worked out once per gate, times its applications), then measure,
    /// reset and barrier where they were first used. Counts saturate at `Int.max`.
    func operationCounts() -> [GateCount] {
        var order: [String] = []
        var totals: [String: Int] = [:]
        func add(_ name: String, _ n: Int) {
            guard n > 0 else { return }
            if totals[name] == nil { order.append(name) }
            totals[name] = Self.saturatingAdd(totals[name] ?? 0, n)
        }
        // Per gate index, its expansion's counts in order of first use.
        var expansions: [Int: [(String, Int)]] = [:]
        func expansion(_ index: Int) -> [(String, Int)] {
            if let known = expansions[index] { return known }
            let gate = gates[index]
            var result: [(String, Int)] = []
            if let native = gate.native {
                result = [(native.rawValue, 1)]
            } else {
                var names: [String] = []
                var counts: [String: Int] = [:]
                for operation in gate.body {
                    let parts = operation.gate < 0 ? [("barrier", 1)] : expansion(Int(operation.gate))
                    for (name, n) in parts {
                        if counts[name] == nil { names.append(name) }
                        counts[name] = Self.saturatingAdd(counts[name] ?? 0, n)
                    }
                }
                result = names.map { ($0, counts[$0] ?? 0) }
            }
            expansions[index] = result
            return result
        }
        for entry in gateOrder {
            switch entry {
            case Self.measureOrder: add("measure", measureCount)
            case Self.resetOrder: add("reset", resetCount)
            case Self.barrierOrder: add("barrier", barrierCount)
            default:
                let applications = gateCounts[Int(entry)]
                for (name, n) in expansion(Int(entry)) { add(name, Self.saturatingMultiply(applications, n)) }
            }
        }
        return order.map { GateCount(name: $0, count: totals[$0] ?? 0) }
    }

    /// The checked program; call only when no error was reported.
    func finish() -> CheckedProgram {
        func registers(_ infos: [RegisterInfo]) -> [Register] {
            infos.map { Register(name: name($0.name), size: $0.size, offset: $0.offset) }
        }
        let summary = QASMSummary(qubits: qubitTotal, clbits: clbitTotal, gates: operationCounts())
        return CheckedProgram(
            program: program, quantumRegisters: registers(qregs), classicalRegisters: registers(cregs),
            summary: summary, symbols: symbols, qregs: qregs, cregs: cregs, gates: gates,
            operationCount: operationTotal)
    }
}

extension Program {
    /// The value of a parameter with the gate's parameter `values`.
    func evaluate(_ parameter: Parameter, _ values: [Double]) -> Double {
        parameter.isConstant ? parameter.value : evaluate(parameter.node, values)
    }

    /// The value of expression `id` with the gate's parameter `values` (NaN if unresolved).
    ///
    /// Shallow trees are evaluated recursively (at most `recursionHeight` frames); taller
    /// ones with an explicit stack, so no expression can exhaust a thread's stack.
    func evaluate(_ id: Int32, _ values: [Double]) -> Double {
        let node = expressions[Int(id)]
        switch node.kind {
        case .constant:
            return node.value
        case .parameter:
            let i = Int(node.left)
            return i < values.count ? values[i] : .nan
        case .unresolved:
            return .nan
        default:
            if Int(node.height) > Self.recursionHeight { return evaluateIteratively(id, values) }
            if node.right >= 0 {
                return QASMMath.apply(node.kind, evaluate(node.left, values), evaluate(node.right, values))
            }
            return QASMMath.apply(node.kind, evaluate(node.left, values))
        }
    }

    /// Trees up to this height are evaluated recursively.
    static let recursionHeight = 32

    private func evaluateIteratively(_ root: Int32, _ values: [Double]) -> Double {
        // Post-order with an explicit stack: (node, children done?).
        var pending: [(Int32, Bool)] = [(root, false)]
        var results: [Double] = []
        while let (id, expanded) = pending.popLast() {
            let node = expressions[Int(id)]
            switch node.kind {
            case .constant, .parameter, .unresolved:
                results.append(evaluate(id, values))
            default:
                if Int(node.height) <= Self.recursionHeight {
                    results.append(evaluate(id, values))
                } else if !expanded {
                    pending.append((id, true))
                    if node.right >= 0 { pending.append((node.right, false)) }
                    pending.append((node.left, false))
                } else if node.right >= 0 {
                    let right = results.removeLast()
                    let left = results.removeLast()
                    results.append(QASMMath.apply(node.kind, left, right))
                } else {
                    results.append(QASMMath.apply(node.kind, results.removeLast()))
                }
            }
        }
        return results.last ?? .nan
    }

    /// The nodes of the tree rooted at `root`, parents before children, left before right.
    func nodes(of root: Int32) -> [Int32] {
        var out: [Int32] = []
        var pending: [Int32] = [root]
        while let id = pending.popLast() {
            out.append(id)
            let node = expressions[Int(id)]
            switch node.kind {
            case .constant, .parameter, .unresolved:
                continue
            default:
                if node.right >= 0 { pending.append(node.right) }
                pending.append(node.left)
            }
        }
        return out
    }
}
