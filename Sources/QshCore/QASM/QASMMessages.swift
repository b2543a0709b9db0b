// The wording catalogue of the OpenQASM front end: every message and its stable
// code, in one voice (Qiskit's where it has one). Also the sink that collects them.

/// A message with its stable snake_case code.
struct QASMMessage: Sendable {
    var code: String
    var text: String
    init(_ code: String, _ text: String) {
        self.code = code
        self.text = text
    }
}

/// A diagnostic before file ids are turned into names.
struct PendingDiagnostic: Sendable {
    var file: Int32
    var line: Int32
    var column: Int32
    var code: String
    var message: String
    var notes: [String]
}

/// Collects diagnostics up to a limit; the front end stops once it is full.
struct DiagnosticSink: Sendable {
    private(set) var items: [PendingDiagnostic] = []
    let limit: Int

    init(limit: Int) { self.limit = max(1, limit) }

    var isFull: Bool { items.count >= limit }

    mutating func report(file: Int32, line: Int32, column: Int32, _ message: QASMMessage, notes: [String] = []) {
        guard !isFull else { return }
        items.append(
            PendingDiagnostic(
                file: file, line: line, column: column, code: message.code, message: message.text, notes: notes))
    }

    mutating func report(_ position: SourcePosition, _ message: QASMMessage, notes: [String] = []) {
        report(file: position.file, line: position.line, column: position.column, message, notes: notes)
    }
}

/// Every message the OpenQASM front end can produce.
enum QASMMessages {
    /// Quotes a name for a message, cutting very long ones (a 10 MB identifier stays short).
    static func quote(_ name: String) -> String {
        if name.utf8.count <= 64 { return "'\(name)'" }
        return "'\(String(decoding: name.utf8.prefix(64), as: UTF8.self))...'"
    }

    static func plural(_ n: Int, _ word: String) -> String { n == 1 ? "\(n) \(word)" : "\(n) \(word)s" }

    // MARK: Lexer

    static let blockComment = QASMMessage(
        "block_comment", "'/*' comments are not OpenQASM 2.0; use '//' comments")
    static let unterminatedComment = QASMMessage(
        "unterminated_comment", "unterminated '/*' comment (OpenQASM 2.0 only has '//' comments)")
    static let unterminatedString = QASMMessage(
        "unterminated_string", "unterminated string: the closing '\"' must be on the same line")

    static func integerOverflow(_ text: String) -> QASMMessage {
        QASMMessage("integer_overflow", "integer literal '\(text)' does not fit in 64 bits")
    }

    static func leadingZero(_ text: String) -> QASMMessage {
        QASMMessage("syntax_error", "integers cannot have leading zeroes: '\(text)'")
    }

    static func realWithoutPoint(_ text: String) -> QASMMessage {
        QASMMessage("syntax_error", "real literal '\(text)' needs a decimal point (write it as '\(text.replacingFirstE())')")
    }

    /// Describes the byte at `index` that cannot start a token.
    static func badCharacter(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> QASMMessage {
        let c = bytes[index]
        if c >= 0x80 {
            if let scalar = decodeScalar(bytes, at: index) {
                let hex = String(scalar.value, radix: 16, uppercase: true)
                let padded = String(repeating: "0", count: max(0, 4 - hex.count)) + hex
                return QASMMessage(
                    "non_ascii",
                    "non-ASCII character '\(Character(scalar))' (U+\(padded)): OpenQASM 2.0 is ASCII outside comments")
            }
            return QASMMessage(
                "non_ascii",
                "byte 0x\(hexByte(c)) is not valid UTF-8: OpenQASM 2.0 is ASCII outside comments")
        }
        if c < 0x20 || c == 0x7F {
            return QASMMessage("invalid_character", "invalid character 0x\(hexByte(c))")
        }
        if c == UInt8(ascii: "=") {
            return QASMMessage("invalid_character", "invalid character '=' (did you mean '=='?)")
        }
        return QASMMessage("invalid_character", "invalid character '\(Character(Unicode.Scalar(c)))'")
    }

    private static func hexByte(_ c: UInt8) -> String {
        let s = String(c, radix: 16, uppercase: true)
        return s.count == 1 ? "0" + s : s
    }

    /// The Unicode scalar of a well-formed UTF-8 sequence at `index`, or nil.
    private static func decodeScalar(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Unicode.Scalar? {
        let end = min(bytes.count, index + 4)
        var iterator = bytes[index..<end].makeIterator()
        var decoder = UTF8()
        if case .scalarValue(let scalar) = decoder.decode(&iterator) { return scalar }
        return nil
    }

    // MARK: Parser

    static func needed(_ what: String, saw: String) -> QASMMessage {
        QASMMessage(what == "';'" ? "missing_semicolon" : "syntax_error", "needed \(what), but instead saw \(saw)")
    }

    static func unexpectedEOF(_ what: String) -> QASMMessage {
        QASMMessage(
            what == "';'" ? "missing_semicolon" : "unexpected_eof",
            "unexpected end-of-file when expecting to see \(what)")
    }

    static let emptyProgram = QASMMessage(
        "empty_program", "unexpected end-of-file when expecting to see 'OPENQASM 2.0;'")

    static func missingHeader(saw: String) -> QASMMessage {
        QASMMessage("missing_header", "the first statement must be 'OPENQASM 2.0;', but instead saw \(saw)")
    }

    static func neededVersion(saw: String) -> QASMMessage {
        QASMMessage("garbled_header", "needed a version number, but instead saw \(saw)")
    }

    static func unsupportedVersion(_ text: String) -> QASMMessage {
        QASMMessage("unsupported_version", "can only handle OpenQASM 2.0, but given '\(text)'")
    }

    static let duplicateHeader = QASMMessage(
        "duplicate_header", "only the first statement may be a version declaration")

    static func invalidIdentifier(_ name: String) -> QASMMessage {
        QASMMessage(
            "invalid_identifier",
            "\(quote(name)) is not a valid identifier: names are [a-z][A-Za-z0-9_]*")
    }

    static func reservedWord(_ word: String) -> QASMMessage {
        QASMMessage("reserved_word", "'\(word)' is a reserved word and cannot be used as a name")
    }

    static let trailingComma = QASMMessage(
        "trailing_comma", "trailing commas in parameter and qubit lists are forbidden")
    static let emptyStatement = QASMMessage(
        "empty_statement", "empty statements and extra semicolons are forbidden")

    static func startOfStatement(saw: String) -> QASMMessage {
        QASMMessage("syntax_error", "needed a start-of-statement token, but instead saw \(saw)")
    }

    static func gateBodyStatement(saw: String) -> QASMMessage {
        QASMMessage(
            "gate_body_non_unitary",
            "only gate applications and barriers are valid in a gate body, but instead saw \(saw)")
    }

    static let nestedGate = QASMMessage("nested_gate_definition", "gate definitions cannot be nested")

    static func ifBody(saw: String) -> QASMMessage {
        QASMMessage(
            "if_invalid_body", "needed a gate application, measurement or reset after 'if', but instead saw \(saw)")
    }

    static func unknownFunction(_ name: String) -> QASMMessage {
        QASMMessage(
            "unknown_function",
            "\(quote(name)) is not a function: the functions are sin, cos, tan, exp, ln and sqrt")
    }

    static func expressionTooDeep(_ limit: Int) -> QASMMessage {
        QASMMessage("expression_too_deep", "expression is nested more deeply than the limit of \(limit)")
    }

    static let divisionByZero = QASMMessage("division_by_zero", "division by zero")

    static func nonFinite(_ what: String) -> QASMMessage {
        QASMMessage("non_finite_parameter", "\(what) is not a finite number")
    }

    static func realOutOfRange(_ text: String) -> QASMMessage {
        QASMMessage("non_finite_parameter", "real literal '\(text)' is out of range (not a finite number)")
    }

    // MARK: Includes

    static func includeAbsolute(_ path: String) -> QASMMessage {
        QASMMessage(
            "include_path_traversal", "include path \(quote(path)) must be relative to the program's directory")
    }

    static func includeEscapes(_ path: String) -> QASMMessage {
        QASMMessage("include_path_traversal", "include path \(quote(path)) leaves the program's directory")
    }

    static func includeNotFound(_ path: String) -> QASMMessage {
        QASMMessage("include_not_found", "unable to find \(quote(path)) in the program's directory")
    }

    static func includeFailed(_ path: String, _ reason: String) -> QASMMessage {
        QASMMessage("include_error", "unable to read \(quote(path)): \(reason)")
    }

    static let qelib1Twice = QASMMessage(
        "duplicate_declaration", "'qelib1.inc' is already included: its gates are already defined")

    static func includeTooDeep(_ limit: Int) -> QASMMessage {
        QASMMessage("include_too_deep", "includes are nested more deeply than the limit of \(limit)")
    }

    static func includeCycle(_ path: String) -> QASMMessage {
        QASMMessage("include_cycle", "\(quote(path)) is already being included (an include cycle)")
    }

    static func fileTooLarge(limit: Int) -> QASMMessage {
        let mebibytes = limit >= 1 << 20 ? " (\(limit >> 20) MiB)" : ""
        return QASMMessage("file_too_large", "the file is larger than the limit of \(limit) bytes\(mebibytes)")
    }

    // MARK: Checker

    static func alreadyDefined(_ name: String) -> QASMMessage {
        QASMMessage("duplicate_declaration", "\(quote(name)) is already defined")
    }

    static func builtinRedefined(_ name: String) -> QASMMessage {
        QASMMessage("duplicate_declaration", "'\(name)' is a built-in gate and cannot be redefined")
    }

    static func firstDefined(_ name: String, at location: String) -> String {
        "\(quote(name)) was first defined at \(location)"
    }

    static func duplicateGateArgument(_ name: String, as kind: String) -> QASMMessage {
        QASMMessage("duplicate_gate_argument", "\(quote(name)) is already defined as \(kind) of this gate")
    }

    static let gateWithoutQubits = QASMMessage("gate_without_qubits", "gates must act on at least one qubit")

    static func recursiveGate(_ name: String) -> QASMMessage {
        QASMMessage("recursive_gate", "\(quote(name)) cannot be used in its own definition")
    }

    static func notDefined(_ name: String, code: String) -> QASMMessage {
        QASMMessage(code, "\(quote(name)) is not defined in this scope")
    }

    /// The note on an unknown gate that qelib1.inc defines.
    static func definedInQElib1(_ name: String, includedLater: Bool) -> String {
        if includedLater {
            return "\(quote(name)) is defined in qelib1.inc, which is included only after this line; "
                + "move 'include \"qelib1.inc\";' up, after the OPENQASM line"
        }
        return "\(quote(name)) is defined in qelib1.inc; add 'include \"qelib1.inc\";' after the OPENQASM line"
    }

    static func wrongKind(_ name: String, is actual: String, not expected: String, code: String = "type_mismatch")
        -> QASMMessage
    {
        QASMMessage(code, "\(quote(name)) is \(actual), not \(expected)")
    }

    static func opaqueApplied(_ name: String) -> QASMMessage {
        QASMMessage(
            "opaque_gate_application",
            "\(quote(name)) is an opaque gate: it has no definition, so it cannot be applied")
    }

    static func wrongParameterCount(_ name: String, expected: Int, got: Int) -> QASMMessage {
        QASMMessage("wrong_param_count", "\(quote(name)) takes \(plural(expected, "parameter")), but got \(got)")
    }

    static func wrongQubitCount(_ name: String, expected: Int, got: Int) -> QASMMessage {
        QASMMessage(
            "wrong_qubit_count", "\(quote(name)) takes \(plural(expected, "quantum argument")), but got \(got)")
    }

    static func indexOutOfRange(_ index: UInt64, register: String, size: Int) -> QASMMessage {
        QASMMessage(
            "index_out_of_range", "index \(index) is out of range for register \(quote(register)) of size \(size)")
    }

    static func broadcastMismatch(_ a: String, _ sizeA: Int, _ b: String, _ sizeB: Int) -> QASMMessage {
        QASMMessage(
            "broadcast_size_mismatch",
            "cannot broadcast registers of different sizes: \(quote(a)) has \(sizeA) and \(quote(b)) has \(sizeB)")
    }

    static func duplicateQubit(_ qubit: String, gate: String) -> QASMMessage {
        QASMMessage("duplicate_qubit", "duplicate qubit \(qubit) in the arguments of \(quote(gate))")
    }

    static func measureMismatch(qubits: Int, bits: Int) -> QASMMessage {
        QASMMessage(
            "measure_size_mismatch",
            "cannot measure \(plural(qubits, "qubit")) into \(plural(bits, "bit")): "
                + "measure needs a qubit and a bit, or two registers of the same size")
    }

    static func gateBodyIndexed(_ name: String) -> QASMMessage {
        QASMMessage(
            "gate_body_indexed_qubit", "\(quote(name)) is a qubit argument of the gate and cannot be indexed")
    }

    static func gateBodyUndeclaredQubit(_ name: String, gate: String) -> QASMMessage {
        QASMMessage("gate_body_undeclared_qubit", "\(quote(name)) is not a qubit argument of \(quote(gate))")
    }

    static func gateBodyUndeclaredParameter(_ name: String, gate: String) -> QASMMessage {
        QASMMessage("gate_body_undeclared_param", "\(quote(name)) is not a parameter of \(quote(gate))")
    }

    static func notANumber(_ name: String, is actual: String) -> QASMMessage {
        QASMMessage("undeclared_identifier", "\(quote(name)) is \(actual), not a number")
    }

    static func registerTooLarge(_ name: String, size: UInt64, quantum: Bool, limit: Int) -> QASMMessage {
        let what = quantum ? "qubit" : "classical bit"
        return QASMMessage(
            "register_too_large",
            "register \(quote(name)) of \(size) \(what)s takes the program past the limit of \(limit) \(what)s")
    }

    static func gateTooDeep(_ name: String, limit: Int) -> QASMMessage {
        QASMMessage("gate_too_deep", "\(quote(name)) nests gate definitions more deeply than the limit of \(limit)")
    }

    static func programTooLarge(_ limit: Int) -> QASMMessage {
        QASMMessage("program_too_large", "the program expands to more than the limit of \(limit) operations")
    }

    static func nonFiniteInCall(_ gate: String, at location: String) -> QASMMessage {
        QASMMessage(
            "non_finite_parameter",
            "with these parameters, \(quote(gate)) computes a value that is not a finite number (at \(location))")
    }
}

extension String {
    /// "1e3" as "1.e3": the digits before the exponent, a point, then the exponent.
    fileprivate func replacingFirstE() -> String {
        guard let e = firstIndex(where: { $0 == "e" || $0 == "E" }) else { return self + "." }
        return String(self[..<e]) + "." + String(self[e...])
    }
}
