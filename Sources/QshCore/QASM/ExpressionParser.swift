// Parameter expressions: precedence climbing with eager constant folding.
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

extension Parser {
    /// Parses one expression: a constant when it folds, else the root of a tree.
    mutating func parseExpression() throws(ParseAbort) -> Parameter {
        let term = try parseSum(depth: 1)
        return Parameter(value: term.isConstant ? term.value : 0, node: term.node)
    }

    private mutating func checkDepth(_ depth: Int) throws(ParseAbort) {
        if depth > limits.maximumNestingDepth {
            sink.report(position(token), QASMMessages.expressionTooDeep(limits.maximumNestingDepth))
            throw ParseAbort()
        }
    }

    private mutating func parseSum(depth: Int) throws(ParseAbort) -> Term {
        var left = try parseProduct(depth: depth)
        while token.kind == .plus || token.kind == .minus {
            let op = token
            advance()
            let right = try parseProduct(depth: depth)
            left = try combine(op.kind == .plus ? .add : .subtract, left, right, at: op)
        }
        return left
    }

    private mutating func parseProduct(depth: Int) throws(ParseAbort) -> Term {
        var left = try parseUnary(depth: depth)
        while token.kind == .star || token.kind == .slash {
            let op = token
            advance()
            let right = try parseUnary(depth: depth)
            left = try combine(op.kind == .star ? .multiply : .divide, left, right, at: op)
        }
        return left
    }

    private mutating func parseUnary(depth: Int) throws(ParseAbort) -> Term {
        guard token.kind == .minus else { return try parsePower(depth: depth) }
        let op = token
        advance()
        try checkDepth(depth + 1)
        let operand = try parseUnary(depth: depth + 1)
        return try unary(.negate, operand, at: op)
    }

    private mutating func parsePower(depth: Int) throws(ParseAbort) -> Term {
        let base = try parseAtom(depth: depth)
        guard token.kind == .caret else { return base }
        let op = token
        advance()
        try checkDepth(depth + 1)
        let exponent = try parseUnary(depth: depth + 1)
        return try combine(.power, base, exponent, at: op)
    }

    private mutating func parseAtom(depth: Int) throws(ParseAbort) -> Term {
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
            if let index = parameterScope.firstIndex(of: t.nameID) {
                return node(.parameter, height: 1, left: Int32(index), at: position(t))
            }
            return node(.unresolved, height: 1, left: t.nameID, at: position(t))
        case .sin, .cos, .tan, .exp, .ln, .sqrt:
            advance()
            try expect(.leftParen, "'('")
            try checkDepth(depth + 1)
            let argument = try parseSum(depth: depth + 1)
            try expect(.rightParen, "')'")
            let kind: ExpressionKind
            switch t.kind {
            case .sin: kind = .sin
            case .cos: kind = .cos
            case .tan: kind = .tan
            case .exp: kind = .exp
            case .ln: kind = .ln
            default: kind = .sqrt
            }
            return try unary(kind, argument, at: t)
        case .leftParen:
            advance()
            try checkDepth(depth + 1)
            let inner = try parseSum(depth: depth + 1)
            try expect(.rightParen, "')'")
            return inner
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
