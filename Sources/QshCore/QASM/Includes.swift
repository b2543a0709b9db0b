// `include` statements: the path policy (relative, inside the program's directory),
// the embedded qelib1.inc, and an include stack that keeps per-file positions.

/// The include path policy.
enum IncludePath {
    enum Resolution: Equatable {
        /// A normalised relative path (no `.` or `..` components, no empty ones).
        case inside(String)
        case absolute
        case escapes
    }

    /// Normalises `path`; absolute paths and paths that leave the directory are refused.
    static func resolve(_ path: String) -> Resolution {
        if path.hasPrefix("/") || path.hasPrefix("~") { return .absolute }
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." {
                if parts.isEmpty { return .escapes }
                parts.removeLast()
                continue
            }
            parts.append(part)
        }
        if parts.isEmpty { return .escapes }
        return .inside(parts.joined(separator: "/"))
    }
}

extension Parser {
    /// `include "file";` — qelib1.inc is the embedded copy; other files come from the loader.
    mutating func parseInclude() throws(ParseAbort) {
        let keyword = token
        advance()
        let file = token
        guard file.kind == .string else { try fail("a filename string") }
        advance()
        guard expectSemicolon() else { return }
        let path = String(
            decoding: UnsafeBufferPointer(rebasing: lexer.bytes[file.start + 1..<file.start + file.length - 1]),
            as: UTF8.self)
        let at = position(keyword)
        if path == "qelib1.inc" {
            if qelib1Included {
                sink.report(at, QASMMessages.qelib1Twice)
                return
            }
            qelib1Included = true
            parseIncluded(QElib1.bytes, name: "qelib1.inc", key: "qelib1.inc", at: at, library: true)
            return
        }
        let key: String
        switch IncludePath.resolve(path) {
        case .absolute:
            sink.report(at, QASMMessages.includeAbsolute(path))
            return
        case .escapes:
            sink.report(at, QASMMessages.includeEscapes(path))
            return
        case .inside(let normalised):
            key = normalised
        }
        if includeStack.contains(key) {
            sink.report(at, QASMMessages.includeCycle(path))
            return
        }
        if includeStack.count >= limits.maximumIncludeDepth {
            sink.report(at, QASMMessages.includeTooDeep(limits.maximumIncludeDepth))
            return
        }
        switch loader(key) {
        case .notFound:
            sink.report(at, QASMMessages.includeNotFound(path))
        case .failed(let reason):
            sink.report(at, QASMMessages.includeFailed(path, reason))
        case .tooLarge:
            sink.report(at, QASMMessages.fileTooLarge(limit: limits.maximumFileSize))
        case .loaded(let bytes):
            if bytes.count > limits.maximumFileSize || bytes.count >= Int(UInt32.max) {
                sink.report(at, QASMMessages.fileTooLarge(limit: limits.maximumFileSize))
                return
            }
            parseIncluded(bytes, name: key, key: key, at: at, library: false)
        }
    }

    /// Parses an included file in place: its statements join the program where the include was.
    mutating func parseIncluded(_ bytes: [UInt8], name: String, key: String, at: SourcePosition, library: Bool) {
        let file = Int32(program.files.count)
        program.files.append(SourceRecord(name: name, includedAt: at))
        let savedLexer = lexer
        let savedToken = token
        let savedLibrary = inLibrary
        includeStack.append(key)
        bytes.withUnsafeBufferPointer { buffer in
            lexer = Lexer(bytes: buffer, file: file)
            inLibrary = library
            token = lexer.next(names: &program.names, sink: &sink)
            parseStatements()
        }
        includeStack.removeLast()
        lexer = savedLexer
        token = savedToken
        inLibrary = savedLibrary
        if let stopped { endInput(stopped) }
    }
}
