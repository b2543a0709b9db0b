// The syntax tree of an OpenQASM 2.0 program in compact form: flat arrays of
// small structs that refer to each other by index, and names by interned id.

/// A position in one of the program's files (`Program.files[file]`).
public struct SourcePosition: Hashable, Sendable {
    public var file: Int32
    public var line: Int32
    public var column: Int32

    public init(file: Int32, line: Int32, column: Int32) {
        self.file = file
        self.line = line
        self.column = column
    }
}

/// The operation of an expression node.
public enum ExpressionKind: UInt8, Sendable {
    /// A folded number in `value`.
    case constant
    /// The gate parameter numbered `left`.
    case parameter
    /// Unary minus of `left`.
    case negate
    /// Binary operations on `left` and `right`.
    case add, subtract, multiply, divide, power
    /// Built-in functions of `left`.
    case sin, cos, tan, exp, ln, sqrt
    /// An identifier that is not a parameter in scope; `left` is its name id.
    case unresolved
}

/// One node of an expression that depends on gate parameters; children come before
/// their parents in `Program.expressions`. Constant expressions are folded away.
public struct Expression: Sendable {
    public var value: Double
    /// The operator, function or literal the node comes from.
    public var position: SourcePosition
    public var left: Int32
    public var right: Int32
    /// The longest path to a leaf, counting this node (bounded by the nesting limit).
    public var height: UInt16
    public var kind: ExpressionKind
}

/// A parameter of an application: a folded constant, or the root of an expression tree.
public struct Parameter: Sendable {
    /// The value when `node` is -1.
    public var value: Double
    /// The root node in `Program.expressions`, or -1 for a constant.
    public var node: Int32

    public var isConstant: Bool { node < 0 }
}

/// A quantum or classical argument: `q` (a whole register) or `q[3]`.
public struct Operand: Sendable {
    /// The index, when `isIndexed`.
    public var index: UInt64
    public var position: SourcePosition
    public var name: Int32
    public var isIndexed: Bool
}

/// The condition of `if (creg == value)`.
public struct ConditionSyntax: Sendable {
    public var register: Int32
    public var value: UInt64
    /// Where the register's name is.
    public var position: SourcePosition
}

/// The kinds of statement the checker sees (includes are flattened by the parser).
public enum StatementKind: UInt8, Sendable {
    case qreg, creg, gate, opaque, apply, measure, reset, barrier
}

/// One statement. Operands, parameters and conditions live in the program's pools.
public struct Statement: Sendable {
    /// The register size of `qreg`/`creg`.
    public var size: UInt64 = 0
    /// The declared name for a declaration, the gate's name for an application,
    /// else the keyword.
    public var position: SourcePosition
    /// The register's or gate's name id (the applied gate's for `apply`).
    public var name: Int32
    /// The index in `Program.gates` for `gate`/`opaque`.
    public var definition: Int32 = -1
    public var operandStart: Int32 = 0
    public var operandCount: Int32 = 0
    public var parameterStart: Int32 = 0
    public var parameterCount: Int32 = 0
    /// The index in `Program.conditions`, or -1.
    public var condition: Int32 = -1
    public var kind: StatementKind
    /// A declaration whose syntax was wrong: its name exists but uses raise no errors.
    public var poisoned = false

    init(kind: StatementKind, position: SourcePosition, name: Int32 = -1) {
        self.kind = kind
        self.position = position
        self.name = name
    }
}

/// A `gate` or `opaque` declaration.
public struct GateDefinition: Sendable {
    public var name: Int32
    public var position: SourcePosition
    public var namePosition: SourcePosition
    public var parameters: [Int32] = []
    public var parameterPositions: [SourcePosition] = []
    public var qubits: [Int32] = []
    public var qubitPositions: [SourcePosition] = []
    /// Applications and barriers; operands name the gate's qubits.
    public var body: [Statement] = []
    public var isOpaque: Bool
    /// The native kernel, for the gates of the embedded `qelib1.inc` only.
    public var native: GateKind?
    /// The header had a syntax error: the name is known, nothing else is checked.
    public var poisoned = false
}

/// A file of the program: the main file first, then includes in the order they were read.
public struct SourceRecord: Sendable {
    public var name: String
    /// The `include` statement that brought the file in, nil for the main file.
    public var includedAt: SourcePosition?
}

/// A parsed program: what the parser builds and the checker reads.
public struct Program: Sendable {
    public var files: [SourceRecord] = []
    public var names = NameTable()
    public var statements: [Statement] = []
    public var operands: [Operand] = []
    public var expressions: [Expression] = []
    /// Parameter lists (`Statement.parameterStart...`).
    public var parameters: [Parameter] = []
    public var conditions: [ConditionSyntax] = []
    public var gates: [GateDefinition] = []

    /// `file:line:col` for messages.
    func describe(_ position: SourcePosition) -> String {
        let i = Int(position.file)
        let name = i >= 0 && i < files.count ? files[i].name : "?"
        return "\(name):\(position.line):\(position.column)"
    }

    /// The operands of `statement`.
    func operands(of statement: Statement) -> ArraySlice<Operand> {
        let start = Int(statement.operandStart)
        return operands[start..<start + Int(statement.operandCount)]
    }

    /// The parameters of `statement`.
    func parameters(of statement: Statement) -> ArraySlice<Parameter> {
        let start = Int(statement.parameterStart)
        return parameters[start..<start + Int(statement.parameterCount)]
    }
}
