// ErrorReport: the human and the JSON form of one error, with the script line.
import QshCore
import Testing
@testable import qsh

@Suite struct ErrorReportTests {
    let report = ErrorReport(
        code: "invalid_program", message: "1 error in 'x\u{1B}.qasm'", details: [("diagnostics", .array([]))],
        before: "x.qasm:1:1: error: e\n", after: "usage: qsh x\n")

    @Test func textHasTheDiagnosticsTheMessageAndTheSynopsis() {
        let context = CommandContext.capturing()
        report.write(to: context)
        #expect(context.stderr.text == "x.qasm:1:1: error: e\nqsh: 1 error in 'x\u{241B}.qasm'\nusage: qsh x\n")
    }

    @Test func jsonIsOneDocumentWithTheScriptLine() {
        let context = CommandContext.capturing()
        context.errorsAsJSON = true
        context.scriptLine = 7
        report.write(to: context)
        #expect(context.stderr.text == #"{"error": {"code": "invalid_program", "message": "1 error in 'x\u001b.qasm'", "diagnostics": [], "script_line": 7}}"# + "\n")
    }

    @Test func onlyAMultilineMessageKeepsItsLayout() {
        let context = CommandContext.capturing()
        context.scriptLine = 2
        ErrorReport(code: "usage", message: "a\nb\tc").write(to: context)
        ErrorReport(code: "usage", message: "a\nb\tc", multiline: true).write(to: context)
        #expect(context.stderr.text == "qsh: line 2: a\u{240A}b\u{2409}c\nqsh: line 2: a\nb\tc\n")
    }
}
