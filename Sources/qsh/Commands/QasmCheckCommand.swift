// `qsh qasm check FILE|-`: checks an OpenQASM 2.0 program and reports every error,
// as `file:line:col: error: message` lines or as one JSON document.
import QshCore

enum QasmCheckCommand {
    static var command: Command {
        Command(
            name: "check",
            summary: "Check an OpenQASM 2.0 program and report every error",
            synopsis: ["qasm check [--json | -o <format>] (<file> | -)"],
            details: """
                Parses and checks the program (and the files it includes) and reports every error \
                with its line and column. Exits 0 for a valid program and 1 for an invalid one. \
                With --json, stdout holds one document: {"ok": true, "errors": [], "summary": {...}} \
                or {"ok": false, "errors": [{"line", "column", "code", "message"}, ...]}; summary.gates \
                counts the operations of the lowered circuit by name (gates defined in the program \
                expanded; measure, reset, barrier included), as 'qasm run' metrics.gates and Qiskit's \
                count_ops do. -o csv or tsv \
                prints the errors as file, line, column, code, message rows (none for a valid program). \
                Includes are relative to the program's directory (the current one for stdin). A path \
                must name a regular file: a FIFO or a device is refused at once (give '-' to read a \
                pipe). \
                Limits: \(limitsText)
                """,
            examples: [
                "qsh qasm check bell.qasm",
                "qsh qasm check --json bell.qasm | jq .summary",
                "cat bell.qasm | qsh qasm check -",
            ],
            options: CommonOptions.output,
            arguments: 1...1,
            argumentKind: "file",
            run: { invocation in try run(invocation) })
    }

    /// The limits of `QASMLimits.standard`, in words, for the help text.
    static var limitsText: String {
        let l = QASMLimits.standard
        return "\(l.maximumQubits) qubits, \(l.maximumClbits) classical bits, \(l.maximumFileSize >> 20) MiB per file, "
            + "expressions nested \(l.maximumNestingDepth) deep, gates nested \(l.maximumGateDepth) deep, "
            + "includes nested \(l.maximumIncludeDepth) deep, \(l.maximumOperations) operations after expansion; "
            + "at most \(l.maximumErrors) errors are reported (then \"truncated\": true)."
    }

    static func run(_ invocation: Invocation) throws -> ExitStatus {
        let format = try OutputFormat.resolve(invocation)
        let limits = QASMLimits.standard
        let input = try QasmInput.read(invocation.positionals[0], limits: limits)
        let stop = QasmRunCommand.interruption(invocation)
        let result = try QasmRunCommand.interruptible(invocation, "the check") { () throws(Interrupted) in
            try input.check(limits: limits, stop: stop)
        }
        if format.isJSON {
            invocation.stdout.line(json(result, mainFile: input.source.name).serialized())
        } else if format == .csv || format == .tsv {
            // The errors of the JSON document, one row each ("file" empty for the program itself).
            let errors = DiagnosticPrinter.json(result.diagnostics, mainFile: input.source.name)
            invocation.stdout.write(
                TableRenderer.delimited(errors, keys: ["file", "line", "column", "code", "message"], format: format))
        } else if result.hasErrors {
            let printer = DiagnosticPrinter(
                color: invocation.context.terminal.colorStderr,
                showSource: invocation.context.terminal.stderrIsTTY)
            let lineStarts = printer.showSource ? input.source.lineStarts() : nil
            let rendered = result.diagnostics.map { printer.render($0, source: input.source, lineStarts: lineStarts) }
            ErrorReport(code: .invalidProgram, message: errorSummary(result, file: input.source.name),
                        before: rendered.joined()).write(to: invocation.context)
        } else if let summary = result.summary {
            invocation.stdout.line(humanSummary(summary, file: input.source.name.terminalSafe()))
        }
        return result.hasErrors ? .failure : .ok
    }

    /// `3 errors in 'bad.qasm'` (and a note when checking stopped at the limit).
    static func errorSummary(_ result: QASMCheckResult, file: String) -> String {
        errorSummary(count: result.errorCount, truncated: result.truncated, file: file)
    }

    /// `3 errors in 'bad.qasm'`, from the count.
    static func errorSummary(count n: Int, truncated: Bool, file: String) -> String {
        var text = "\(n) error\(n == 1 ? "" : "s") in '\(file.terminalSafe())'"
        if truncated { text += " (stopped after \(n))" }
        return text
    }

    /// `bell.qasm: ok, 2 qubits, 2 clbits, 4 operations (h 1, cx 1, measure 2)`
    static func humanSummary(_ summary: QASMSummary, file: String) -> String {
        let total = summary.gates.reduce(0) { $0.addingReportingOverflow($1.count).overflow ? Int.max : $0 + $1.count }
        var text = "\(file): ok, \(summary.qubits) qubit\(summary.qubits == 1 ? "" : "s"), "
        text += "\(summary.clbits) clbit\(summary.clbits == 1 ? "" : "s"), \(total) operation\(total == 1 ? "" : "s")"
        if !summary.gates.isEmpty {
            let shown = summary.gates.prefix(8).map { "\($0.name) \($0.count)" }
            text += " (" + shown.joined(separator: ", ") + (summary.gates.count > 8 ? ", ..." : "") + ")"
        }
        return text
    }

    /// The JSON document of a check.
    static func json(_ result: QASMCheckResult, mainFile: String) -> JSONValue {
        let errors = DiagnosticPrinter.json(result.diagnostics, mainFile: mainFile)
        var members: [(String, JSONValue)] = [("ok", .bool(!result.hasErrors)), ("errors", .array(errors))]
        if let summary = result.summary {
            let gates = JSONValue.object(summary.gates.map { ($0.name, JSONValue.int($0.count)) })
            members.append(
                ("summary", .object([("qubits", .int(summary.qubits)), ("clbits", .int(summary.clbits)), ("gates", gates)])))
        }
        if result.truncated { members.append(("truncated", .bool(true))) }
        return .object(members)
    }
}
