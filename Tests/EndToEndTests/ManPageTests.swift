// The manual page renders without warnings and documents every command and exit status.
import Foundation
import Testing
import TestSupport

@Suite struct ManPageTests {
    let page = Qsh.packageRoot.appendingPathComponent("man/qsh.1").path

    @Test func rendersWithoutWarnings() throws {
        let run = try Subprocess.run("/usr/bin/env", ["groff", "-man", "-Tutf8", "-ww", "-z", page])
        #expect(run.status == 0)
        #expect(run.stderr == "")
    }

    @Test func documentsEveryCommandAndExitStatus() throws {
        let text = try String(contentsOfFile: page, encoding: .utf8)
        let help = try Qsh.run(["help"])
        let commands = help.stdout.split(separator: "\n", omittingEmptySubsequences: false).drop(while: { $0 != "Commands:" }).dropFirst()
            .prefix(while: { !$0.isEmpty })
            .map { $0.trimmingCharacters(in: .whitespaces).components(separatedBy: "   ")[0] }
        #expect(!commands.isEmpty)
        for command in commands {
            #expect(text.contains("qsh \(command)"), "man page lacks 'qsh \(command)'")
        }
        let codes = try Qsh.run(["help", "exit-codes"])
        for line in codes.stdout.split(separator: "\n").dropFirst(2) {
            let code = line.trimmingCharacters(in: .whitespaces).components(separatedBy: " ")[0]
            #expect(text.contains(".B \(code)\n"), "man page lacks exit status \(code)")
        }
        for section in ["NAME", "SYNOPSIS", "DESCRIPTION", "COMMANDS", "OPTIONS", "EXIT STATUS", "ENVIRONMENT", "FILES", "EXAMPLES"] {
            #expect(text.contains(".SH \(section)") || text.contains(".SH \"\(section)\""))
        }
    }
}
