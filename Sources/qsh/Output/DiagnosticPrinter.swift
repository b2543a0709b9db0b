// Renders diagnostics for people: `file:line:col: error: message`, then the source
// line and a caret when stderr is a terminal; colour only when allowed.
import QshCore

/// Formats diagnostics the way compilers do.
struct DiagnosticPrinter {
    /// Use ANSI colour (stderr is a terminal and colour is not turned off).
    var color: Bool
    /// Show the source line and a caret under the column.
    var showSource: Bool

    /// Lines longer than this are not echoed (a 10 MB line helps nobody).
    static let maximumEchoedLine = 400

    /// The diagnostic as one or more lines, each ending in a newline. Pass `lineStarts`
    /// (from `source.lineStarts()`) when rendering many diagnostics of a large file.
    func render(_ diagnostic: Diagnostic, source: SourceFile?, lineStarts: [Int]? = nil) -> String {
        let severity = diagnostic.severity.rawValue + ":"
        let severityStyle: Style = diagnostic.severity == .error ? .red : (diagnostic.severity == .warning ? .yellow : .cyan)
        var out = Style.bold.apply("\(diagnostic.location)".terminalSafe() + ":", if: color) + " "
        out += Style.bold.apply(severityStyle.apply(severity, if: color), if: color) + " "
        out += Style.bold.apply(diagnostic.message.terminalSafe(), if: color) + "\n"
        if showSource, let source, source.name == diagnostic.location.file,
            let line = lineStarts.map({ source.lineText(diagnostic.location.line, lineStarts: $0) })
                ?? source.lineText(diagnostic.location.line),
            line.utf8.count <= Self.maximumEchoedLine
        {
            out += line.terminalSafe(keeping: ["\t"]) + "\n"
            out += caretLine(line, column: diagnostic.location.column) + "\n"
        }
        for note in diagnostic.notes {
            out += Style.cyan.apply("note:", if: color) + " " + note.terminalSafe() + "\n"
        }
        return out
    }

    /// The errors among `diagnostics` as JSON objects `{file?, line, column, code, message, notes?}`,
    /// for `qasm check --json` and for the JSON error of a command given an invalid program;
    /// `file` is there only for an error in an included file.
    static func json(_ diagnostics: [Diagnostic], mainFile: String) -> [JSONValue] {
        Diagnostic.wireJSON(diagnostics, mainFile: mainFile)
    }

    /// Spaces (tabs kept, for alignment) up to the 1-based byte `column`, then '^'.
    func caretLine(_ line: String, column: Int) -> String {
        var pad = ""
        for (i, byte) in line.utf8.enumerated() where i < column - 1 {
            if byte == 0x09 {
                pad += "\t"
            } else if byte & 0xC0 != 0x80 {
                pad += " "
            }
        }
        return pad + Style.green.apply("^", if: color)
    }
}
