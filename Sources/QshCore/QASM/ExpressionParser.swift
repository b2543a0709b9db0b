// Parameter expressions: precedence climbing with eager constant folding.
// Precedence, loosest first: + -, then * /, then unary minus, then ^ (right
// associative, so -2^2 = -4 and 2^3^2 = 512; its right operand may be negated).

extension Parser {
    /// Parses one expression and returns the id of its root node.
    mutating func parseExpression() throws(ParseAbort) -> Int32 {
        try parseSum(depth: 1)
    }

    private mutating func checkDepth(_ depth: Int) throws(ParseAbort) {
        if depth > limits.maximumNestingDepth {
            sink.report(position(token), QASMMessages.expressionTooDeep(limits.maximumNestingDepth))
            throw ParseAbort()
        }
    }

    private mutating func parseSum(depth: Int) throws(ParseAbort) -> Int32 {
        var left = try parseProduct(depth: depth)
        while token.kind == .plus || token.kind == .minus {
            let op = token
            advance()
            let right = try parseProduct(depth: depth)
            left = try combine(op.kind == .plus ? .add : .subtract, left, right, at: op)
        }
        return left
    }

    private mutating func parseProduct(depth: Int) throws(ParseAbort) -> Int32 {
        var left = try parseUnary(depth: depth)
        while token.kind == .star || token.kind == .slash {
            let op = token
            advance()
            let right = try parseUnary(depth: depth)
            left = try combine(op.kind == .star ? .multiply : .divide, left, right, at: op)
        }
        return left
    }

    private mutating func parseUnary(depth: Int) throws(ParseAbort) -> Int32 {
        guard token.kind == .minus else { return try parsePower(depth: depth) }
        let op = token
        advance()
        try checkDepth(depth + 1)
        let operand = try parseUnary(depth: depth + 1)
        return try unary(.negate, operand, at: op)
    }

    private mutating func parsePower(depth: Int) throws(ParseAbort) -> Int32 {
        let base = try parseAtom(depth: depth)
        guard token.kind == .caret else { return base }
        let op = token
        advance()
        try checkDepth(depth + 1)
        let exponent = try parseUnary(depth: depth + 1)
        return try combine(.power, base, exponent, at: op)
    }

    private mutating func parseAtom(depth: Int) throws(ParseAbort) -> Int32 {
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
                return node(.parameter, height: 1, left: Int32(index), at: t)
            }
            return node(.unresolved, height: 1, left: t.nameID, at: t)
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
        _ kind: ExpressionKind, height: Int32, left: Int32 = -1, right: Int32 = -1, value: Double = 0, at t: Token
    ) -> Int32 {
        program.expressions.append(
            Expression(kind: kind, height: height, left: left, right: right, value: value, position: position(t)))
        return Int32(program.expressions.count - 1)
    }

    private mutating func constant(_ value: Double, at t: Token) -> Int32 {
        node(.constant, height: 1, value: value, at: t)
    }

    private mutating func checkHeight(_ height: Int32, at t: Token) throws(ParseAbort) {
        if Int(height) > limits.maximumNestingDepth {
            sink.report(position(t), QASMMessages.expressionTooDeep(limits.maximumNestingDepth))
            throw ParseAbort()
        }
    }

    /// A unary node, folded when its operand is a constant.
    private mutating func unary(_ kind: ExpressionKind, _ operand: Int32, at t: Token) throws(ParseAbort) -> Int32 {
        let a = program.expressions[Int(operand)]
        if a.kind == .constant {
            let value = QASMMath.apply(kind, a.value)
            guard value.isFinite else {
                sink.report(position(t), QASMMessages.nonFinite("'\(kind)(\(a.value))'"))
                throw ParseAbort()
            }
            return constant(value, at: t)
        }
        try checkHeight(a.height + 1, at: t)
        return node(kind, height: a.height + 1, left: operand, at: t)
    }

    /// A binary node, folded when both operands are constants.
    private mutating func combine(_ kind: ExpressionKind, _ left: Int32, _ right: Int32, at t: Token)
        throws(ParseAbort) -> Int32
    {
        let a = program.expressions[Int(left)]
        let b = program.expressions[Int(right)]
        if a.kind == .constant && b.kind == .constant {
            if kind == .divide && b.value == 0 {
                sink.report(position(t), QASMMessages.divisionByZero)
                throw ParseAbort()
            }
            let value = QASMMath.apply(kind, a.value, b.value)
            guard value.isFinite else {
                sink.report(position(t), QASMMessages.nonFinite("'\(a.value) \(t.kind.spelling) \(b.value)'"))
                throw ParseAbort()
            }
            return constant(value, at: t)
        }
        let height = max(a.height, b.height) + 1
        try checkHeight(height, at: t)
        return node(kind, height: height, left: left, right: right, at: t)
    }
}
