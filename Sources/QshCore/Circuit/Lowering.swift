// Lowering: a checked OpenQASM program becomes a flat `Circuit`. User gates are
// expanded from their own definitions down to native kernels (U, CX and the gates
// of the embedded qelib1.inc), broadcasts resolved and parameters evaluated.

/// Why a checked program could not be lowered.
public struct LoweringError: QshError {
    public var code: ErrorCode
    public var message: String

    /// Lowering stopped because its `Cancellation` asked it to.
    public static let interrupted = LoweringError(code: .interrupted, message: "interrupted")

    /// True for the error of a lowering that was asked to stop.
    public var isInterruption: Bool { code == Self.interrupted.code }
}

/// Turns checked programs into circuits.
public enum Lowering {
    /// Lowers `checked` to a circuit with registers in declaration order.
    ///
    /// A gate is mapped to a native `GateKind` only when it is U, CX or a gate defined by
    /// the embedded `qelib1.inc`; any other gate, whatever its name, is expanded from its
    /// own definition.
    /// `stop` is asked every few thousand operations whether to go on.
    /// - Throws: `LoweringError` if the program expands past `QASMLimits.maximumOperations`,
    ///   `LoweringError.interrupted` when `stop` asked to stop.
    public static func lower(
        _ checked: CheckedProgram, limits: QASMLimits = .standard, stop: Cancellation = .never
    ) throws(LoweringError) -> Circuit {
        guard checked.operationCount <= limits.maximumOperations else {
            throw LoweringError(
                code: .programTooLarge,
                message: "the program expands to more than the limit of \(limits.maximumOperations) operations")
        }
        var lowerer = Lowerer(checked: checked, maximumDepth: limits.maximumGateDepth)
        lowerer.stop = CancellationPoll(stop)
        lowerer.operations.reserveCapacity(checked.operationCount)
        lowerer.origins.reserveCapacity(checked.operationCount)
        try lowerer.run()
        return Circuit(
            quantumRegisters: checked.quantumRegisters, classicalRegisters: checked.classicalRegisters,
            operations: lowerer.operations, origins: lowerer.origins, originTable: lowerer.originTable)
    }
}

private struct Lowerer {
    let checked: CheckedProgram
    let program: Program
    var operations: [Operation] = []
    /// The origin of each operation (an index into `originTable`), one per statement.
    var origins: [Int32] = []
    var originTable: [OperationOrigin] = []
    /// Scratch space for the operands of one application.
    var places: [Place] = []

    let maximumDepth: Int
    /// Asked every 4096 statements and operations whether to stop.
    var stop = CancellationPoll(.never)

    init(checked: CheckedProgram, maximumDepth: Int) {
        self.checked = checked
        self.program = checked.program
        self.maximumDepth = maximumDepth
    }

    func internalError(_ what: String) -> LoweringError {
        LoweringError(code: .internalError, message: "cannot lower a program that did not check: \(what)")
    }

    /// A top-level operand: its first global bit and, for a whole register, its size.
    struct Place {
        var offset: Int
        var size: Int
        var whole: Bool
        func bit(_ k: Int) -> Int { whole ? offset + k : offset }
    }

    func place(_ operand: Operand, quantum: Bool) throws(LoweringError) -> Place {
        let entry = checked.symbols[Int(operand.name)]
        guard entry.kind == (quantum ? .qreg : .creg) else { throw internalError("unresolved operand") }
        let register = quantum ? checked.qregs[Int(entry.index)] : checked.cregs[Int(entry.index)]
        if operand.isIndexed {
            guard operand.index < UInt64(register.size) else { throw internalError("index out of range") }
            return Place(offset: register.offset + Int(operand.index), size: 1, whole: false)
        }
        return Place(offset: register.offset, size: register.size, whole: true)
    }

    func condition(of statement: Statement) throws(LoweringError) -> Condition? {
        guard statement.condition >= 0 else { return nil }
        let syntax = program.conditions[Int(statement.condition)]
        let entry = checked.symbols[Int(syntax.register)]
        guard entry.kind == .creg else { throw internalError("unresolved condition") }
        return Condition(register: Int(entry.index), value: syntax.value)
    }

    /// Counts a unit of work against the stop request.
    @inline(__always)
    mutating func pollStop() throws(LoweringError) {
        do throws(Interrupted) { try stop.tick() } catch { throw LoweringError.interrupted }
    }

    /// Records where the operations lowered since the last call came from.
    mutating func recordOrigin(_ statement: Statement) {
        guard operations.count > origins.count else { return }
        let file = Int(statement.position.file)
        let name = file >= 0 && file < program.files.count ? program.files[file].name : "?"
        var definedGate: String?
        if statement.kind == .apply {
            let entry = checked.symbols[Int(statement.name)]
            if entry.kind == .gate, checked.gates[Int(entry.index)].native == nil {
                definedGate = program.names.name(statement.name)
            }
        }
        let location = SourceLocation(
            file: name, line: Int(statement.position.line), column: Int(statement.position.column))
        let index = Int32(originTable.count)
        originTable.append(OperationOrigin(location: location, definedGate: definedGate))
        origins.append(contentsOf: repeatElement(index, count: operations.count - origins.count))
    }

    mutating func run() throws(LoweringError) {
        for statement in program.statements {
            try pollStop()
            defer { recordOrigin(statement) }
            switch statement.kind {
            case .qreg, .creg, .gate, .opaque:
                continue
            case .apply:
                try lowerApplication(statement)
            case .measure:
                let operands = program.operands(of: statement)
                guard operands.count == 2 else { throw internalError("measure") }
                let q = try place(operands[operands.startIndex], quantum: true)
                let c = try place(operands[operands.startIndex + 1], quantum: false)
                let condition = try condition(of: statement)
                for k in 0..<q.size {
                    operations.append(.measure(qubit: q.bit(k), clbit: c.bit(k), condition: condition))
                }
            case .reset:
                let condition = try condition(of: statement)
                for operand in program.operands(of: statement) {
                    let q = try place(operand, quantum: true)
                    for k in 0..<q.size { operations.append(.reset(qubit: q.bit(k), condition: condition)) }
                }
            case .barrier:
                var qubits: [Int] = []
                var seen = Set<Int>()
                for operand in program.operands(of: statement) {
                    let q = try place(operand, quantum: true)
                    for k in 0..<q.size where seen.insert(q.bit(k)).inserted { qubits.append(q.bit(k)) }
                }
                operations.append(.barrier(qubits: qubits))
            }
        }
    }

    mutating func lowerApplication(_ statement: Statement) throws(LoweringError) {
        let entry = checked.symbols[Int(statement.name)]
        guard entry.kind == .gate else { throw internalError("unresolved gate") }
        var parameters: [Double] = []
        if statement.parameterCount > 0 {
            parameters.reserveCapacity(Int(statement.parameterCount))
            for parameter in program.parameters(of: statement) {
                parameters.append(program.evaluate(parameter, []))
            }
        }
        let condition = try condition(of: statement)
        places.removeAll(keepingCapacity: true)
        var instances = 1
        for operand in program.operands(of: statement) {
            let p = try place(operand, quantum: true)
            if p.whole { instances = p.size }
            places.append(p)
        }
        for k in 0..<instances {
            var qubits: [Int] = []
            qubits.reserveCapacity(places.count)
            for p in places { qubits.append(p.bit(k)) }
            try expand(Int(entry.index), parameters, qubits, condition, depth: 0)
        }
    }

    mutating func expand(
        _ gate: Int, _ parameters: [Double], _ qubits: [Int], _ condition: Condition?, depth: Int
    ) throws(LoweringError) {
        if let native = checked.gates[gate].native {
            operations.append(.gate(native, qubits: qubits, parameters: parameters, condition: condition))
            try pollStop()
            return
        }
        guard depth <= maximumDepth else { throw internalError("gate nesting") }
        for operation in checked.gates[gate].body {
            var mapped: [Int] = []
            mapped.reserveCapacity(operation.qubits.count)
            for index in operation.qubits {
                guard index < qubits.count else { throw internalError("gate argument") }
                mapped.append(qubits[index])
            }
            if operation.gate < 0 {
                operations.append(.barrier(qubits: mapped))
                continue
            }
            var arguments: [Double] = []
            arguments.reserveCapacity(operation.parameters.count)
            for parameter in operation.parameters {
                let value = program.evaluate(parameter, parameters)
                // The checker proves this for every call it could afford to evaluate.
                guard value.isFinite else {
                    throw LoweringError(
                        code: .nonFiniteParameter,
                        message: "a gate parameter is not a finite number at \(program.describe(operation.position))")
                }
                arguments.append(value)
            }
            try expand(Int(operation.gate), arguments, mapped, condition, depth: depth + 1)
        }
    }
}
