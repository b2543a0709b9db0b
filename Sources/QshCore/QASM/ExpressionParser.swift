// Parameter expressions: operator precedence with explicit stacks (no recursion,
// so no input can exhaust the call stack) and eager constant folding.
// Precedence, loosest first: + -, then * /, then unary minus, then ^ (right
// associative, so -2^2 = -4 and 2^3^2 = 512; its right operand may be negated).

/// A partly parsed expression: a folded constant, or a node with its tree height.
struct Term {
    var value: Double
    var node: Int32
    var height: Int
    /// Where the constant came from (for the node made if it meets a parameter).
    var position: SourcePosition

    var isConstant: Bool { node < 0 }
}

/// An operator waiting on the stack for its right operand or its ')'.
enum PendingOperator {
    case binary(ExpressionKind, Token)
    case negate(Token)
    case parenthesis
    case function(ExpressionKind, Token)

    /// Binding strength; brackets are barriers (0).
    var precedence: Int {
        switch self {
        case .binary(let kind, _):
            switch kind {
            case .add, .subtract: return 1
            case .multiply, .divide: return 2
            default: return 4
            }
        case .negate: return 3
        case .parenthesis, .function: return 0
        }
    }
}

extension Parser {
    /// Parses one expression: a constant when it folds, else the root of a tree.
    mutating func parseExpression() throws(ParseAbort) -> Parameter {
        pendingOperators.removeAll(keepingCapacity: true)
        pendingTerms.removeAll(keepingCapacity: true)
        var open = 0
        while true {
            // An operand, after any prefixes: '-', '(' and function names.
            prefixes: while true {
                switch token.kind {
                case .minus:
                    pendingOperators.append(.negate(token))
                    advance()
                case .leftParen:
                    pendingOperators.append(.parenthesis)
                    open += 1
                    advance()
                case .sin, .cos, .tan, .exp, .ln, .sqrt:
                    let name = token
                    advance()
                    guard token.kind == .leftParen else { try fail("'('") }
                    pendingOperators.append(.function(Self.function(name.kind), name))
                    open += 1
                    advance()
                default:
                    break prefixes
                }
                if pendingOperators.count > limits.maximumNestingDepth {
                    sink.report(position(token), QASMMessages.expressionTooDeep(limits.maximumNestingDepth))
                    throw ParseAbort()
                }
            }
            pendingTerms.append(try parseAtom())
            // Then operators and closing brackets.
            operators: while true {
                let t = token
                let kind: ExpressionKind
                switch t.kind {
                case .plus: kind = .add
                case .minus: kind = .subtract
                case .star: kind = .multiply
                case .slash: kind = .divide
                case .caret: kind = .power
                case .rightParen where open > 0:
                    while let top = pendingOperators.last, top.precedence > 0 { try reduce() }
                    if case .function(let function, let name) = pendingOperators.removeLast() {
                        let argument = pendingTerms.removeLast()
                        pendingTerms.append(try unary(function, argument, at: name))
                    }
                    open -= 1
                    advance()
                    continue operators
                default:
                    if open > 0 { try fail("')'") }
                    while !pendingOperators.isEmpty { try reduce() }
                    let term = pendingTerms.removeLast()
                    return Parameter(value: term.isConstant ? term.value : 0, node: term.node)
                }
                let incoming = PendingOperator.binary(kind, t).precedence
                let rightAssociative = kind == .power
                while let top = pendingOperators.last, top.precedence > 0,
                    top.precedence > incoming || (top.precedence == incoming && !rightAssociative)
                {
                    try reduce()
                }
                pendingOperators.append(.binary(kind, t))
                advance()
                break operators
            }
        }
    }

    private static func function(_ kind: TokenKind) -> ExpressionKind {
        switch kind {
        case .sin: return .sin
        case .cos: return .cos
        case .tan: return .tan
        case .exp: return .exp
        case .ln: return .ln
        default: return .sqrt
        }
    }

    /// Applies the operator on top of the stack to the terms on top of theirs.
    private mutating func reduce() throws(ParseAbort) {
        switch pendingOperators.removeLast() {
        case .binary(let kind, let t):
            let right = pendingTerms.removeLast()
            let left = pendingTerms.removeLast()
            pendingTerms.append(try combine(kind, left, right, at: t))
        case .negate(let t):
            let operand = pendingTerms.removeLast()
            pendingTerms.append(try unary(.negate, operand, at: t))
        case .parenthesis, .function:
            break
        }
    }

    /// A number, `pi` or an identifier (a gate parameter, or unresolved for the checker).
    private mutating func parseAtom() throws(ParseAbort) -> Term {
        let t = token
        switch t.kind {
        case .integer:
            advance()
            let value =
                t.flagged
                ? QASMMath.parseReal(lexer.bytes.baseAddress! + t.start, t.length) : Double(t.payload)
            return constant(value, at: t)
        case .real:
            advance()
            let value = QASMMath.parseReal(lexer.bytes.baseAddress! + t.start, t.length)
            guard value.isFinite else {
                sink.report(position(t), QASMMessages.realOutOfRange(Lexer.excerpt(lexer.bytes, t.start, t.length)))
                throw ParseAbort()
            }
            return constant(value, at: t)
        case .pi:
            advance()
            return constant(.pi, at: t)
        case .identifier:
            advance()
            if token.kind == .leftParen {
                sink.report(position(t), QASMMessages.unknownFunction(program.names.name(t.nameID)))
                throw ParseAbort()
            }
            if let index = parameterScope[t.nameID] {
                return node(.parameter, height: 1, left: index, at: position(t))
            }
            return node(.unresolved, height: 1, left: t.nameID, at: position(t))
        default:
            try fail("an expression")
        }
    }

    private mutating func node(
        _ kind: ExpressionKind, height: Int, left: Int32 = -1, right: Int32 = -1, value: Double = 0,
        at position: SourcePosition
    ) -> Term {
        program.expressions.append(
            Expression(
                value: value, position: position, left: left, right: right, height: UInt16(clamping: height),
                kind: kind))
        return Term(value: 0, node: Int32(program.expressions.count - 1), height: height, position: position)
    }

    private func constant(_ value: Double, at t: Token) -> Term {
        Term(value: value, node: -1, height: 0, position: position(t))
    }

    /// The node of a term (a constant becomes a leaf when it meets a parameter).
    private mutating func materialise(_ term: Term) -> Term {
        guard term.isConstant else { return term }
        return node(.constant, height: 1, value: term.value, at: term.position)
    }

    private mutating func checkHeight(_ height: Int, at t: Token) throws(ParseAbort) {
        if height > limits.maximumNestingDepth {
            sink.report(position(t), QASMMessages.expressionTooDeep(limits.maximumNestingDepth))
            throw ParseAbort()
        }
    }

    /// A unary node, folded when its operand is a constant.
    private mutating func unary(_ kind: ExpressionKind, _ operand: Term, at t: Token) throws(ParseAbort) -> Term {
        if operand.isConstant {
            let value = QASMMath.apply(kind, operand.value)
            guard value.isFinite else {
                sink.report(position(t), QASMMessages.nonFinite("'\(kind)(\(operand.value))'"))
                throw ParseAbort()
            }
            return constant(value, at: t)
        }
        try checkHeight(operand.height + 1, at: t)
        return node(kind, height: operand.height + 1, left: operand.node, at: position(t))
    }

    /// A binary node, folded when both operands are constants.
    private mutating func combine(_ kind: ExpressionKind, _ left: Term, _ right: Term, at t: Token)
        throws(ParseAbort) -> Term
    {
        if left.isConstant && right.isConstant {
            if kind == .divide && right.value == 0 {
                sink.report(position(t), QASMMessages.divisionByZero)
                throw ParseAbort()
            }
            let value = QASMMath.apply(kind, left.value, right.value)
            guard value.isFinite else {
                sink.report(
                    position(t), QASMMessages.nonFinite("'\(left.value) \(t.kind.spelling) \(right.value)'"))
                throw ParseAbort()
            }
            return constant(value, at: t)
        }
        let a = materialise(left)
        let b = materialise(right)
        let height = max(a.height, b.height) + 1
        try checkHeight(height, at: t)
        return node(kind, height: height, left: a.node, right: b.node, at: position(t))
    }
}
