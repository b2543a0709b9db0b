// The recursive-descent parser: statements, gate definitions and error recovery
// (report, then skip to ';' or '}'). Expressions are in ExpressionParser.swift,
// includes in Includes.swift. It builds the compact tree of AST.swift.

/// Thrown inside a statement after its error was reported; the statement level recovers.
struct ParseAbort: Error {}

/// What an include loader returns for a relative path.
public enum IncludeResult: Sendable, Hashable {
    /// The file's bytes.
    case loaded([UInt8])
    /// No such file.
    case notFound
    /// The file exists but could not be read; the reason is shown to the user.
    case failed(String)
    /// The file is larger than `QASMLimits.maximumFileSize`; it was not read.
    case tooLarge
}

/// Parses one program (and the files it includes) into a `Program`.
struct Parser {
    var program = Program()
    var sink: DiagnosticSink
    let limits: QASMLimits
    let loader: (String) -> IncludeResult
    var lexer: Lexer
    var token = Token()
    /// The parameters of the gate whose body is being parsed (expressions resolve against them):
    /// name id -> index, first occurrence wins (duplicates are the checker's to report).
    var parameterScope: [Int32: Int32] = [:]
    /// Statements of the gate body being parsed, or nil at the top level.
    var body: [Statement]? = nil
    /// The current file is the embedded qelib1.inc: its gates map to native kernels.
    var inLibrary = false
    var qelib1Included = false
    /// Normalised paths of the files being included, outermost first.
    var includeStack: [String] = []
    /// The expression parser's stacks, reused for every expression.
    var pendingOperators: [PendingOperator] = []
    var pendingTerms: [Term] = []
    /// Asked every 4096 tokens whether to stop; once it says so, the input ends there.
    var stop = CancellationPoll(.never)
    /// Set when `stop` asked to stop: the program is incomplete and must be thrown away.
    var stopped: Interrupted?

    init(
        bytes: UnsafeBufferPointer<UInt8>, name: String, limits: QASMLimits,
        loader: @escaping (String) -> IncludeResult
    ) {
        self.limits = limits
        self.loader = loader
        sink = DiagnosticSink(limit: limits.maximumErrors)
        program.files.append(SourceRecord(name: name, includedAt: nil))
        lexer = Lexer(bytes: bytes, file: 0)
        // Typical programs have 10 to 40 bytes per statement; reserving avoids regrowth
        // copies of large arrays. Capped so that huge files do not reserve gigabytes.
        let estimate = min(bytes.count / 32, 1 << 21)
        program.statements.reserveCapacity(estimate)
        program.operands.reserveCapacity(estimate * 2)
        program.parameters.reserveCapacity(estimate * 2)
        token = lexer.next(names: &program.names, sink: &sink)
    }

    // MARK: Tokens

    func position(_ t: Token) -> SourcePosition {
        SourcePosition(file: lexer.file, line: t.line, column: t.column)
    }

    /// Moves to the next token, reporting a malformed identifier as it is consumed.
    mutating func advance() {
        if token.kind == .identifier && token.flagged {
            sink.report(position(token), QASMMessages.invalidIdentifier(program.names.name(token.nameID)))
        }
        token = lexer.next(names: &program.names, sink: &sink)
        pollStop()
    }

    /// Moves to the next token without reporting bad characters (error recovery).
    mutating func skipToken() {
        lexer.muteBadCharacters = true
        token = lexer.next(names: &program.names, sink: &sink)
        lexer.muteBadCharacters = false
        pollStop()
    }

    /// Counts a token against the stop request. A stop ends the input: the lexer gives
    /// nothing more, so every loop of the parser sees the end of the file and returns.
    @inline(__always)
    mutating func pollStop() {
        do throws(Interrupted) {
            try stop.tick()
        } catch {
            endInput(error)
        }
    }

    /// Ends the input after a stop request.
    mutating func endInput(_ reason: Interrupted) {
        stopped = reason
        lexer.skipToEnd()
        token = Token()
    }

    /// Reports that `what` was needed here and aborts the statement.
    mutating func fail(_ what: String) throws(ParseAbort) -> Never {
        report(needed: what)
        throw ParseAbort()
    }

    /// Reports that `what` was needed here, unless the lexer already reported this token.
    mutating func report(needed what: String) {
        switch token.kind {
        case .eof: sink.report(position(token), QASMMessages.unexpectedEOF(what))
        case .error: break
        default: sink.report(position(token), QASMMessages.needed(what, saw: token.kind.describe))
        }
    }

    @discardableResult
    mutating func expect(_ kind: TokenKind, _ what: String) throws(ParseAbort) -> Token {
        guard token.kind == kind else { try fail(what) }
        let t = token
        advance()
        return t
    }

    /// A name being declared: an identifier, never a reserved word.
    mutating func expectName() throws(ParseAbort) -> Token {
        if token.kind == .identifier {
            let t = token
            advance()
            return t
        }
        if token.kind.isReserved {
            sink.report(position(token), QASMMessages.reservedWord(token.kind.spelling))
            throw ParseAbort()
        }
        try fail("an identifier")
    }

    /// Expects the ';' that ends a statement. Returns false when junk had to be skipped
    /// (the statement is then dropped); a missing ';' before the next statement is reported
    /// and parsing resumes there.
    mutating func expectSemicolon() -> Bool {
        if token.kind == .semicolon {
            advance()
            return true
        }
        report(needed: "';'")
        if token.kind == .eof || token.kind.startsStatement || token.startsLine { return true }
        skipStatement()
        return false
    }

    /// Skips to the end of the statement: past ';', to '}' (past it at the top level),
    /// over a balanced `{...}`, or to a statement keyword that starts a later line.
    mutating func skipStatement() {
        var first = true
        while true {
            switch token.kind {
            case .eof:
                return
            case .semicolon:
                skipToken()
                return
            case .rightBrace:
                if body == nil { skipToken() }
                return
            case .leftBrace:
                skipBraces()
                return
            default:
                if !first && token.startsLine && token.kind.startsStatement { return }
                first = false
                skipToken()
            }
        }
    }

    /// Skips a balanced `{ ... }` starting at the current '{'.
    mutating func skipBraces() {
        var depth = 0
        while token.kind != .eof {
            if token.kind == .leftBrace { depth += 1 }
            if token.kind == .rightBrace {
                depth -= 1
                if depth <= 0 {
                    skipToken()
                    return
                }
            }
            skipToken()
        }
    }

    mutating func emit(_ statement: Statement) {
        if body != nil {
            body!.append(statement)
        } else {
            program.statements.append(statement)
        }
    }

    // MARK: Files

    /// Parses the main file: the header, then statements to the end.
    mutating func parseMain() {
        switch token.kind {
        case .openqasm:
            parseVersion()
        case .eof:
            sink.report(position(token), QASMMessages.emptyProgram)
        case .error:
            skipStatement()
        default:
            sink.report(position(token), QASMMessages.missingHeader(saw: token.kind.describe))
            if !token.kind.startsStatement { skipStatement() }
        }
        parseStatements()
    }

    /// Parses statements until the end of the current file.
    mutating func parseStatements() {
        while token.kind != .eof && !sink.isFull && stopped == nil {
            parseStatement()
        }
    }

    /// `OPENQASM 2.0;`: only this exact version.
    mutating func parseVersion() {
        advance()
        let version = token
        guard version.kind == .real || version.kind == .integer else {
            if version.kind == .eof {
                sink.report(position(version), QASMMessages.unexpectedEOF("a version number"))
            } else if version.kind != .error {
                sink.report(position(version), QASMMessages.neededVersion(saw: version.kind.describe))
            }
            skipStatement()
            return
        }
        advance()
        let text = Lexer.excerpt(lexer.bytes, version.start, version.length)
        if text != "2.0" {
            sink.report(position(version), QASMMessages.unsupportedVersion(text))
        }
        _ = expectSemicolon()
    }

    // MARK: Statements

    mutating func parseStatement() {
        do {
            switch token.kind {
            case .qreg, .creg: try parseRegister()
            case .gate, .opaque: parseGate()
            case .include: try parseInclude()
            case .measure: try parseMeasure(condition: -1)
            case .reset: try parseReset(condition: -1)
            case .barrier: try parseBarrier()
            case .ifKeyword: try parseIf()
            case .identifier: try parseApplication(condition: -1)
            case .openqasm:
                sink.report(position(token), QASMMessages.duplicateHeader)
                skipStatement()
            case .semicolon:
                sink.report(position(token), QASMMessages.emptyStatement)
                skipToken()
            case .error:
                skipStatement()
            default:
                sink.report(position(token), QASMMessages.startOfStatement(saw: token.kind.describe))
                skipStatement()
            }
        } catch {
            skipStatement()
        }
    }

    /// `qreg name[size];` or `creg name[size];`
    mutating func parseRegister() throws(ParseAbort) {
        let keyword = token
        advance()
        let name = try expectName()
        var statement = Statement(
            kind: keyword.kind == .qreg ? .qreg : .creg, position: position(name), name: name.nameID)
        do {
            try expect(.leftBracket, "'['")
            let size = token
            guard size.kind == .integer else { try fail("an integer register size") }
            advance()
            try expect(.rightBracket, "']'")
            statement.size = size.payload
            statement.poisoned = size.flagged
        } catch {
            statement.poisoned = true
            emit(statement)
            throw error
        }
        _ = expectSemicolon()
        emit(statement)
    }

    /// `gate name(params) qubits { body }` or `opaque name(params) qubits;`
    mutating func parseGate() {
        let keyword = token
        let opaque = token.kind == .opaque
        advance()
        let name: Token
        do {
            name = try expectName()
        } catch {
            skipGate()
            return
        }
        var definition = GateDefinition(
            name: name.nameID, position: position(keyword), namePosition: position(name), isOpaque: opaque)
        if inLibrary { definition.native = QElib1.native(program.names.name(name.nameID)) }
        do {
            if token.kind == .leftParen {
                advance()
                if token.kind != .rightParen {
                    while true {
                        let parameter = try expectName()
                        definition.parameters.append(parameter.nameID)
                        definition.parameterPositions.append(position(parameter))
                        guard token.kind == .comma else { break }
                        advance()
                        if token.kind == .rightParen {
                            sink.report(position(token), QASMMessages.trailingComma)
                            throw ParseAbort()
                        }
                    }
                }
                try expect(.rightParen, "')'")
            }
            if token.kind == .identifier {
                while true {
                    let qubit = try expectName()
                    definition.qubits.append(qubit.nameID)
                    definition.qubitPositions.append(position(qubit))
                    guard token.kind == .comma else { break }
                    advance()
                    if token.kind != .identifier {
                        if token.kind == .leftBrace || token.kind == .semicolon {
                            sink.report(position(token), QASMMessages.trailingComma)
                            throw ParseAbort()
                        }
                        try fail("a qubit identifier")
                    }
                }
            }
            if opaque {
                if token.kind == .leftBrace {
                    report(needed: "';'")
                    skipBraces()
                } else {
                    _ = expectSemicolon()
                }
            } else {
                let open = try expect(.leftBrace, "'{'")
                parseBody(&definition, open: open)
            }
        } catch {
            definition.poisoned = true
            skipGate()
        }
        defineGate(definition, at: keyword)
    }

    private mutating func defineGate(_ definition: GateDefinition, at keyword: Token) {
        var statement = Statement(
            kind: definition.isOpaque ? .opaque : .gate, position: definition.namePosition, name: definition.name)
        statement.definition = Int32(program.gates.count)
        statement.poisoned = definition.poisoned
        program.gates.append(definition)
        emit(statement)
    }

    /// Recovery after an error in a gate header: skip to ';' or over the body.
    mutating func skipGate() {
        while true {
            switch token.kind {
            case .eof: return
            case .semicolon:
                skipToken()
                return
            case .leftBrace:
                skipBraces()
                return
            default:
                skipToken()
            }
        }
    }

    /// The statements between '{' and '}' of a gate definition.
    mutating func parseBody(_ definition: inout GateDefinition, open: Token) {
        for (index, parameter) in definition.parameters.enumerated() where parameterScope[parameter] == nil {
            parameterScope[parameter] = Int32(index)
        }
        body = []
        defer {
            parameterScope = [:]
            body = nil
        }
        while !sink.isFull {
            switch token.kind {
            case .rightBrace:
                advance()
                definition.body = body ?? []
                return
            case .eof:
                let name = QASMMessages.quote(program.names.name(definition.name))
                sink.report(position(token), QASMMessages.unexpectedEOF("'}' to close the body of \(name)"))
                definition.body = body ?? []
                return
            case .identifier:
                do { try parseApplication(condition: -1) } catch { skipStatement() }
            case .barrier:
                do { try parseBarrier() } catch { skipStatement() }
            case .gate, .opaque:
                sink.report(position(token), QASMMessages.nestedGate)
                skipGate()
            case .semicolon:
                sink.report(position(token), QASMMessages.emptyStatement)
                skipToken()
            case .error:
                skipStatement()
            default:
                sink.report(position(token), QASMMessages.gateBodyStatement(saw: token.kind.describe))
                skipStatement()
            }
        }
        definition.body = body ?? []
    }

    /// `name(params) operands;` (a gate application).
    mutating func parseApplication(condition: Int32) throws(ParseAbort) {
        let name = token
        advance()
        var statement = Statement(kind: .apply, position: position(name), name: name.nameID)
        statement.condition = condition
        statement.parameterStart = Int32(program.parameters.count)
        if token.kind == .leftParen {
            advance()
            if token.kind != .rightParen {
                while true {
                    program.parameters.append(try parseExpression())
                    guard token.kind == .comma else { break }
                    advance()
                    if token.kind == .rightParen {
                        sink.report(position(token), QASMMessages.trailingComma)
                        throw ParseAbort()
                    }
                }
            }
            try expect(.rightParen, "',' or ')'")
        }
        statement.parameterCount = Int32(program.parameters.count) - statement.parameterStart
        statement.operandStart = Int32(program.operands.count)
        if token.kind == .identifier {
            try parseOperandList()
        }
        statement.operandCount = Int32(program.operands.count) - statement.operandStart
        if expectSemicolon() { emit(statement) }
    }

    /// One or more operands separated by commas.
    mutating func parseOperandList() throws(ParseAbort) {
        while true {
            try parseOperand("a quantum argument")
            guard token.kind == .comma else { return }
            advance()
            if token.kind == .semicolon {
                sink.report(position(token), QASMMessages.trailingComma)
                throw ParseAbort()
            }
        }
    }

    /// `name` or `name[index]`.
    mutating func parseOperand(_ what: String) throws(ParseAbort) {
        guard token.kind == .identifier else { try fail(what) }
        let name = token
        advance()
        var operand = Operand(index: 0, position: position(name), name: name.nameID, isIndexed: false)
        if token.kind == .leftBracket {
            advance()
            let index = token
            guard index.kind == .integer else { try fail("an integer index") }
            advance()
            try expect(.rightBracket, "']'")
            if index.flagged { throw ParseAbort() }
            operand.index = index.payload
            operand.isIndexed = true
        }
        program.operands.append(operand)
    }

    /// `measure q -> c;`
    mutating func parseMeasure(condition: Int32) throws(ParseAbort) {
        let keyword = token
        advance()
        var statement = Statement(kind: .measure, position: position(keyword))
        statement.condition = condition
        statement.operandStart = Int32(program.operands.count)
        try parseOperand("a quantum argument")
        try expect(.arrow, "'->'")
        try parseOperand("a classical argument")
        statement.operandCount = 2
        if expectSemicolon() { emit(statement) }
    }

    /// `reset q;`
    mutating func parseReset(condition: Int32) throws(ParseAbort) {
        let keyword = token
        advance()
        var statement = Statement(kind: .reset, position: position(keyword))
        statement.condition = condition
        statement.operandStart = Int32(program.operands.count)
        try parseOperand("a quantum argument")
        statement.operandCount = 1
        if expectSemicolon() { emit(statement) }
    }

    /// `barrier a, b[1], ...;`
    mutating func parseBarrier() throws(ParseAbort) {
        let keyword = token
        advance()
        var statement = Statement(kind: .barrier, position: position(keyword))
        statement.operandStart = Int32(program.operands.count)
        try parseOperandList()
        statement.operandCount = Int32(program.operands.count) - statement.operandStart
        if expectSemicolon() { emit(statement) }
    }

    /// `if (creg == n) <gate application | measure | reset>`
    mutating func parseIf() throws(ParseAbort) {
        advance()
        try expect(.leftParen, "'('")
        let name = try expectName()
        try expect(.equals, "'=='")
        let value = token
        guard value.kind == .integer else { try fail("a non-negative integer") }
        advance()
        try expect(.rightParen, "')'")
        if value.flagged { throw ParseAbort() }
        let condition = Int32(program.conditions.count)
        program.conditions.append(ConditionSyntax(register: name.nameID, value: value.payload, position: position(name)))
        switch token.kind {
        case .identifier: try parseApplication(condition: condition)
        case .measure: try parseMeasure(condition: condition)
        case .reset: try parseReset(condition: condition)
        case .eof:
            sink.report(position(token), QASMMessages.unexpectedEOF("a gate, measurement or reset to condition"))
            throw ParseAbort()
        case .error:
            throw ParseAbort()
        default:
            sink.report(position(token), QASMMessages.ifBody(saw: token.kind.describe))
            throw ParseAbort()
        }
    }
}
