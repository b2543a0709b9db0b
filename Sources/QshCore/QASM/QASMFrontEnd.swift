// The public entry point of the OpenQASM 2.0 front end: parse, check, and return
// every diagnostic sorted by position, plus the checked program when it is valid.

/// The outcome of checking one program.
public struct QASMCheckResult: Sendable {
    /// Every diagnostic found (at most `QASMLimits.maximumErrors`), sorted by position.
    public var diagnostics: [Diagnostic]
    /// The checked program, when there are no errors.
    public var program: CheckedProgram?
    /// True when the error limit was reached and checking stopped early.
    public var truncated: Bool

    /// The summary of a valid program.
    public var summary: QASMSummary? { program?.summary }
    /// How many errors were found.
    public var errorCount: Int { diagnostics.lazy.filter { $0.severity == .error }.count }
    /// True when the program is not valid.
    public var hasErrors: Bool { errorCount > 0 }
}

/// Parses and checks OpenQASM 2.0 programs.
public enum QASMFrontEnd {
    /// Checks `source` and everything it includes.
    ///
    /// - Parameters:
    ///   - limits: the size, depth and error limits (`QASMLimits.standard` by default).
    ///   - include: reads an included file, given a normalised path relative to the
    ///     program's directory (`qelib1.inc` never reaches it: it is embedded).
    /// - Returns: all diagnostics, sorted by position, and the checked program if valid.
    public static func check(
        _ source: SourceFile, limits: QASMLimits = .standard,
        include: @escaping (String) -> IncludeResult = { _ in .notFound }
    ) -> QASMCheckResult {
        run(source, limits: limits, include: include, stop: .never).result
    }

    /// Checks `source` as `check(_:limits:include:)` does, asking `stop` every few
    /// thousand tokens, statements and evaluations whether to go on.
    /// - Throws: `Interrupted` when `stop` asked to stop; nothing of the check is kept.
    public static func check(
        _ source: SourceFile, limits: QASMLimits = .standard,
        include: @escaping (String) -> IncludeResult = { _ in .notFound }, stop: Cancellation
    ) throws(Interrupted) -> QASMCheckResult {
        let (result, stopped) = run(source, limits: limits, include: include, stop: stop)
        if let stopped { throw stopped }
        return result
    }

    /// The check, and the stop request's answer if it stopped it.
    private static func run(
        _ source: SourceFile, limits: QASMLimits, include: @escaping (String) -> IncludeResult, stop: Cancellation
    ) -> (result: QASMCheckResult, stopped: Interrupted?) {
        // Token offsets are 32-bit: no file of 4 GiB or more, whatever the limits say.
        if source.bytes.count > limits.maximumFileSize || source.bytes.count >= Int(UInt32.max) {
            return (oversized(source.name, limits: limits), nil)
        }
        let (program, parseSink, parseStopped) = source.bytes.withUnsafeBufferPointer { buffer in
            var parser = Parser(bytes: buffer, name: source.name, limits: limits, loader: include)
            parser.stop = CancellationPoll(stop)
            parser.parseMain()
            return (parser.program, parser.sink, parser.stopped)
        }
        if let parseStopped { return (QASMCheckResult(diagnostics: [], program: nil, truncated: false), parseStopped) }
        var sink = parseSink
        var checked: CheckedProgram?
        if !sink.isFull {
            var checker = Checker(program: program, limits: limits, sink: sink)
            checker.stop = CancellationPoll(stop)
            checker.run()
            if let stopped = checker.stopped {
                return (QASMCheckResult(diagnostics: [], program: nil, truncated: false), stopped)
            }
            sink = checker.sink
            if sink.items.isEmpty { checked = checker.finish() }
        }
        let diagnostics = sorted(sink.items, in: program)
        return (QASMCheckResult(diagnostics: diagnostics, program: checked, truncated: sink.isFull), nil)
    }

    /// The result for a file over `limits.maximumFileSize`, for callers that know its size
    /// without reading it.
    public static func oversized(_ name: String, limits: QASMLimits = .standard) -> QASMCheckResult {
        let message = QASMMessages.fileTooLarge(limit: limits.maximumFileSize)
        let diagnostic = Diagnostic(
            code: message.code, message: message.text, at: SourceLocation(file: name, line: 1, column: 1))
        return QASMCheckResult(diagnostics: [diagnostic], program: nil, truncated: false)
    }

    /// Turns file ids into names and sorts: diagnostics of an included file sort at the
    /// `include` line of the main file that brought it in.
    static func sorted(_ items: [PendingDiagnostic], in program: Program) -> [Diagnostic] {
        func anchor(_ file: Int32, _ line: Int32, _ column: Int32) -> (Int32, Int32) {
            var position = (line, column)
            var current = Int(file)
            var guardCount = 0
            while current > 0, current < program.files.count, let at = program.files[current].includedAt,
                guardCount < 64
            {
                position = (at.line, at.column)
                current = Int(at.file)
                guardCount += 1
            }
            return position
        }
        let keyed = items.enumerated().map { (offset, item) in
            let a = anchor(item.file, item.line, item.column)
            return (key: (a.0, a.1, item.file, item.line, item.column, offset), item: item)
        }
        let ordered = keyed.sorted { $0.key < $1.key }
        return ordered.map { entry in
            let item = entry.item
            let i = Int(item.file)
            let name = i >= 0 && i < program.files.count ? program.files[i].name : "?"
            var notes = item.notes
            // Name the include chain, innermost first: "in a file included from main.qasm:3:1".
            var current = i
            while current > 0, current < program.files.count, let at = program.files[current].includedAt,
                notes.count < item.notes.count + 16
            {
                notes.append("in a file included from \(program.describe(at))")
                current = Int(at.file)
            }
            return Diagnostic(
                code: item.code, message: item.message,
                at: SourceLocation(file: name, line: Int(item.line), column: Int(item.column)), notes: notes)
        }
    }
}
