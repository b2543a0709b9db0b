// Helpers shared by the OpenQASM front-end tests: run the front end on a text and
// read its diagnostics as (line, column, message) triples.
@testable import QshCore

/// The standard header plus `include "qelib1.inc";` (lines 1 and 2).
let header = "OPENQASM 2.0;\ninclude \"qelib1.inc\";\n"

/// One expected diagnostic.
struct Expected: Equatable, CustomStringConvertible {
    var line: Int
    var column: Int
    var message: String
    init(_ line: Int, _ column: Int, _ message: String) {
        self.line = line
        self.column = column
        self.message = message
    }
    var description: String { "\(line):\(column): \(message)" }
}

/// Checks `text` as `test.qasm`; `files` serves includes.
func check(_ text: String, files: [String: String] = [:], limits: QASMLimits = .standard) -> QASMCheckResult {
    QASMFrontEnd.check(SourceFile(name: "test.qasm", text: text), limits: limits) { path in
        if let contents = files[path] { return .loaded(Array(contents.utf8)) }
        return .notFound
    }
}

/// The diagnostics of `text` as (line, column, message).
func diagnostics(_ text: String, files: [String: String] = [:], limits: QASMLimits = .standard) -> [Expected] {
    check(text, files: files, limits: limits).diagnostics.map {
        Expected($0.location.line, $0.location.column, $0.message)
    }
}

/// The codes of the diagnostics of `text`.
func codes(_ text: String) -> [String] {
    check(text).diagnostics.map(\.code)
}

/// Lexes `text` into (kind, line, column) triples, up to and including end-of-file.
func lex(_ text: String) -> (tokens: [Token], diagnostics: [PendingDiagnostic], names: NameTable) {
    let bytes = Array(text.utf8)
    var names = NameTable()
    var sink = DiagnosticSink(limit: 100)
    var tokens: [Token] = []
    bytes.withUnsafeBufferPointer { buffer in
        var lexer = Lexer(bytes: buffer, file: 0)
        while true {
            let token = lexer.next(names: &names, sink: &sink)
            tokens.append(token)
            if token.kind == .eof || tokens.count > 10_000 { break }
        }
    }
    return (tokens, sink.items, names)
}
