// DiagnosticPrinter: the one-line form, the source line with a caret (tabs kept),
// colour only when asked, notes, and no echo of enormous lines.
import Testing
import QshCore
@testable import qsh

@Suite struct DiagnosticPrinterTests {
    let source = SourceFile(name: "bad.qasm", text: "OPENQASM 2.0;\nqreg q[2];\n\tx q[2];\n")
    let diagnostic = Diagnostic(
        code: "index-out-of-range", message: "index 2 is out of range for register 'q' of size 2",
        at: SourceLocation(file: "bad.qasm", line: 3, column: 4))

    @Test func plainLine() {
        let printer = DiagnosticPrinter(color: false, showSource: false)
        #expect(
            printer.render(diagnostic, source: source)
                == "bad.qasm:3:4: error: index 2 is out of range for register 'q' of size 2\n")
    }

    @Test func sourceLineAndCaretKeepTabs() {
        let printer = DiagnosticPrinter(color: false, showSource: true)
        #expect(
            printer.render(diagnostic, source: source)
                == "bad.qasm:3:4: error: index 2 is out of range for register 'q' of size 2\n\tx q[2];\n\t  ^\n")
    }

    @Test func lineIndexGivesTheSameText() {
        let printer = DiagnosticPrinter(color: false, showSource: true)
        let crlf = SourceFile(name: "bad.qasm", text: "OPENQASM 2.0;\r\nqreg q[2];\r\n\tx q[2];")
        #expect(
            printer.render(diagnostic, source: crlf, lineStarts: crlf.lineStarts())
                == printer.render(diagnostic, source: crlf))
        #expect(crlf.lineText(3, lineStarts: crlf.lineStarts()) == "\tx q[2];")
        #expect(crlf.lineText(2, lineStarts: crlf.lineStarts()) == "qreg q[2];")
        #expect(crlf.lineText(4, lineStarts: crlf.lineStarts()) == nil)
    }

    @Test func colourOnlyWhenAsked() {
        let printer = DiagnosticPrinter(color: true, showSource: false)
        let text = printer.render(diagnostic, source: source)
        #expect(text.contains("\u{1B}[31m"))
        #expect(text.hasSuffix("\u{1B}[0m\n"))
    }

    @Test func notesFollow() {
        var withNote = diagnostic
        withNote.notes = ["'q' was first defined at bad.qasm:2:6"]
        let printer = DiagnosticPrinter(color: false, showSource: false)
        #expect(printer.render(withNote, source: nil).hasSuffix("\nnote: 'q' was first defined at bad.qasm:2:6\n"))
    }

    @Test func hugeLinesAndOtherFilesAreNotEchoed() {
        let long = SourceFile(name: "bad.qasm", text: "OPENQASM 2.0;\n" + String(repeating: "x", count: 10_000) + ";\n")
        let printer = DiagnosticPrinter(color: false, showSource: true)
        let atLong = Diagnostic(
            code: "unknown-gate", message: "m", at: SourceLocation(file: "bad.qasm", line: 2, column: 1))
        #expect(printer.render(atLong, source: long) == "bad.qasm:2:1: error: m\n")
        let elsewhere = Diagnostic(code: "c", message: "m", at: SourceLocation(file: "lib.inc", line: 1, column: 1))
        #expect(printer.render(elsewhere, source: source) == "lib.inc:1:1: error: m\n")
    }
}

@Suite struct DiagnosticPrinterControlCharacterTests {
    @Test func echoedSourceLineCannotDriveTheTerminal() {
        let source = SourceFile(name: "esc.qasm", text: "OPENQASM 2.0;\nqreg q[1];\nh\u{1B}]0;pwned\u{07} q[0];\n")
        let diagnostic = Diagnostic(
            code: "invalid-character", message: "invalid character 0x1B",
            at: SourceLocation(file: "esc.qasm", line: 3, column: 2))
        let printer = DiagnosticPrinter(color: false, showSource: true)
        #expect(
            printer.render(diagnostic, source: source)
                == "esc.qasm:3:2: error: invalid character 0x1B\nh\u{241B}]0;pwned\u{2407} q[0];\n ^\n")
    }
}
